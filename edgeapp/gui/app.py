"""Building and running the window.

`create_main_window()` is the plain factory tests and scripts use: it makes (or reuses) the
QApplication, builds the window on an `Assistant` (settings from config.toml under EDGEAPP_HOME),
and starts loading the model on the model thread; it never starts the event loop. `main()` shows
the window and runs the loop (`edgeapp gui`, `make run`).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from .. import __version__
from . import pyside_fixes

if TYPE_CHECKING:
    from ..assistant import Assistant
    from .main_window import MainWindow

APP_NAME = "edgeapp"


def application(argv: list[str] | None = None) -> QApplication:
    pyside_fixes.apply()  # before Qt is used: where PySide6 spends None's references (see there)
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(APP_NAME)
        QCoreApplication.setApplicationName(APP_NAME)
        QCoreApplication.setApplicationVersion(__version__)
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else [sys.argv[0]])
        if sys.platform.startswith("linux") and not os.environ.get("QT_STYLE_OVERRIDE"):
            app.setStyle("Fusion")  # Fusion follows the system's light/dark colour scheme on Linux
        app.setApplicationDisplayName("edgeapp")
        app.setDesktopFileName("edgeapp")
        from .thread_check import install_from_env

        install_from_env()  # EDGEAPP_QT_THREAD_CHECK=1: log each QObject destroyed off its thread
    return app  # type: ignore[return-value]


def create_main_window(
    assistant: Assistant | None = None,
    *,
    load: bool = True,
    qsettings: QSettings | None = None,
    panels: bool = False,
) -> MainWindow:
    """The main window, built and not shown; no event loop is started.

    `assistant`: an `edgeapp.assistant.Assistant` (default: one built on the model thread from
    config.toml; EDGEAPP_HOME moves config, data and the window state). `load`: start loading the
    model in the background. `panels`: mount the budget and "Sent to cloud" panels (issue 13) in the
    right-hand dock when they are installed.
    """
    application()
    from .main_window import MainWindow

    # with no assistant given, the window builds one on its model thread: importing the model and
    # privacy stacks takes seconds and must not hold the window back
    window = MainWindow(assistant, qsettings=qsettings)
    if panels:
        # the ledger panels are built once Qt Charts (PySide6-Addons) is imported, on a worker: when it
        # is missing they say so in their tabs and the chat works without them
        window.panels.mount_budget_and_review()
        window.panels.mount_models()  # choose, download and switch local models
    if load:
        # on the first paint (or at once when never shown): building the assistant imports the model
        # and privacy stacks on a worker, and would compete with the window's first paint for the GIL
        window.loading.load_after_first_paint()
    return window


def main(argv: list[str] | None = None) -> int:
    app = application(argv)
    window = create_main_window(panels=True)
    window.show()
    window.composer.setFocus()
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
