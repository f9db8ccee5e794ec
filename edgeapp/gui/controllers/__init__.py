"""The window's controllers: each owns one job of the window and the widgets' behaviour for it.
`MainWindow` builds the widgets, makes the controllers and wires their signals; a controller never
reaches into the window, only into what it was given.

- `loading`: building the assistant and warming it up on the model thread, with progress in the
  status bar; `ready`, `load_error`.
- `turns`: the turn in progress: send (or queue), stream events into the answer, Stop,
  confirm-before-send.
- `answers`: what the buttons under an answer do: Regenerate, Edit, Ask the cloud anyway, thumbs,
  the reasons popup.
- `conversations`: the conversation list: new, open, search, rename, delete with Undo.
- `settings`: the routing box, the Settings dialog, the first-run notice.
- `panels`: the right-hand dock: budget, "Sent to cloud", models.
- `companion`: the companion switch (serve to the phone and other apps).
"""
