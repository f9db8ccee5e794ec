"""The desktop window (PySide6). Only this package imports Qt; the core never does
(tests/test_cli.py and tests/gui/test_no_qt_in_core.py prove it).

`edgeapp.gui.app.create_main_window()` builds the window without starting the event loop;
`edgeapp gui` (and `make run`) opens it.
"""
