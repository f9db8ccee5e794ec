"""`python -m edgeapp.cli` runs the `edgeapp` command."""

from .main import main

main(prog_name="edgeapp")
