"""The frozen app's entry point (PyInstaller runs this as `edgeapp`).

First it registers llama.cpp's CPU code for this CPU (`engine_backends`: the package carries one
library per x86 generation and ggml would not find them by itself). A frozen executable cannot run
`python -m module`, yet the crash guard tries each model in a child started as
`sys.executable -m edgeapp.models.engine_trial MODEL N_GPU_LAYERS`. Here `sys.executable` is this
program, so that one command line is answered by the trial itself; everything else is the CLI
(`edgeapp gui` opens the window).

`EDGEAPP_PACKAGE_CHECK=gui|chat|engine` runs one of the package checks (package_check.py; for
packaging/check.sh and packaging/check-fresh.sh only)."""

import os
import sys


def run() -> int:
    from engine_backends import load_cpu_backend

    variant = load_cpu_backend()
    argv = sys.argv[1:]
    if argv[:2] == ["-m", "edgeapp.models.engine_trial"] and len(argv) >= 3:
        from edgeapp.models.engine_trial import trial

        return trial(argv[2], int(argv[3]) if len(argv) > 3 else -1)
    check = os.environ.get("EDGEAPP_PACKAGE_CHECK")
    if check:
        from package_check import run as run_check

        return run_check(check, variant)
    from edgeapp.cli.main import main

    return main(prog_name="edgeapp")


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(run())
