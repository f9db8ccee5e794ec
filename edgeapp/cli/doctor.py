"""`edgeapp doctor`: the one command to run when something is wrong. The checks are core
(edgeapp/diagnostics.py); this prints them and exits 1 when one failed."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

import click

from ..diagnostics import run_checks

MARKS = {True: click.style("ok  ", fg="green"), False: click.style("FAIL", fg="red"), None: "    "}


@click.command("doctor")
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON.")
@click.option("--cloud", is_flag=True, help="Also check that the configured cloud endpoint answers.")
@click.option("--recheck", is_flag=True, help="Run the model's trial run again even if it passed before.")
def doctor_command(as_json: bool, cloud: bool, recheck: bool) -> None:
    """Check the engine, the model, the database, the keyring, the desktop and (with --cloud) the cloud."""
    checks = run_checks(cloud=cloud, recheck=recheck)
    if as_json:
        click.echo(json.dumps([asdict(c) for c in checks], indent=2, ensure_ascii=False))
    else:
        for c in checks:
            click.echo(f"{MARKS[c.ok]} {c.name:9} {c.summary}")
            if c.name == "engine" and c.details.get("system_info"):
                click.secho(f"               {c.details['system_info']}", dim=True)
    if any(c.ok is False for c in checks):
        sys.exit(1)
