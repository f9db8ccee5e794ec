"""The frozen app's entry point (PyInstaller runs this as `edgeapp`).

A frozen executable cannot run `python -m module`, yet the crash guard tries each model in a child
started as `sys.executable -m edgeapp.models.engine_trial MODEL N_GPU_LAYERS`. Here `sys.executable` is
this program, so that one command line is answered by the trial itself; everything else is the CLI
(`edgeapp gui` opens the window).

`EDGEAPP_PACKAGE_CHECK=gui` (packaging/check.sh only) opens the window with its panels, waits until
the local model has loaded, closes it and exits: 0 when it loaded, 1 when it did not."""

import os
import sys
import time


def check_gui() -> int:
    from PySide6.QtCore import QTimer

    from edgeapp.gui.app import application, create_main_window

    app = application()
    window = create_main_window(panels=True)
    window.show()
    started = time.monotonic()

    def poll() -> None:
        waited = time.monotonic() - started
        if window.ready or window.load_error is not None or waited > 180:
            word = "ready" if window.ready else f"FAILED ({window.load_error})"
            print(f"window {word} after {waited:.1f} s; Models panel mounted: {window.panels.models is not None}",
                  flush=True)
            window.close()
            app.exit(0 if window.ready else 1)
        else:
            QTimer.singleShot(100, poll)

    QTimer.singleShot(100, poll)
    return app.exec()


def run() -> int:
    argv = sys.argv[1:]
    if argv[:2] == ["-m", "edgeapp.models.engine_trial"] and len(argv) >= 3:
        from edgeapp.models.engine_trial import trial

        return trial(argv[2], int(argv[3]) if len(argv) > 3 else -1)
    if os.environ.get("EDGEAPP_PACKAGE_CHECK") == "gui":
        return check_gui()
    from edgeapp.cli.main import main

    return main(prog_name="edgeapp")


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(run())
