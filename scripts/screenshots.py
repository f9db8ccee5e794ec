"""`make screenshots`: start the real window (under Xvfb), play a short conversation with the
embedded model and the loopback stand-in cloud (llama.cpp's OpenAI-compatible server on 127.0.0.1),
and save PNGs of the chat, the reasons popup and the settings to docs/screenshots/.

Everything runs in a throw-away EDGEAPP_HOME: your own settings, keys and history are not touched.
Run it as `xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots.py`;
`--first-run` takes the first-run pictures instead (first-run.png, first-answer.png, 1080 px wide).

`--guardian` takes one picture instead, offscreen (QT_QPA_PLATFORM=offscreen, no X server): a
cloud answer the guardian flagged, its reasons popup open over the window
(docs/screenshots/guardian-reasons.png). The loopback cloud there is tests/servers.py's scripted
server, so the reply is the same every time.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
HOME = Path(tempfile.mkdtemp(prefix="edgeapp-shots-"))
os.environ["EDGEAPP_HOME"] = str(HOME)
sys.path.insert(0, str(ROOT))

SIZE = (1280, 800)
QUESTIONS = [
    ("local", "Write a Python function that reverses a string, with a short example."),
    ("cloud", "My name is John Smith and my e-mail is john.smith@example.com. "
              "Write a two-line polite note asking my landlord to fix the heating."),
]


FIRST_RUN_SIZE = (1080, 720)
FIRST_QUESTION = "What is the capital of France?"


def wait(ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def until(check, timeout_ms: int = 900000) -> None:
    waited = 0
    while not check() and waited < timeout_ms:
        wait(100)
        waited += 100


def first_run() -> int:
    """`--first-run`: what a new user sees at 1080 px wide: the window as `edgeapp gui` opens it on
    a fresh EDGEAPP_HOME (no cloud, the embedded model, the recommendation for this machine), then
    after the first answer. Works offscreen too (QT_QPA_PLATFORM=offscreen): it grabs the window."""
    from edgeapp.gui.app import application, create_main_window

    application()
    window = create_main_window(panels=True)
    window.resize(*FIRST_RUN_SIZE)
    window.move(0, 0)
    window.show()

    def shot(name: str) -> None:
        wait(400)
        OUT.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(OUT / name))
        print(f"saved {OUT / name}")

    until(lambda: window.ready or window.load_error is not None)
    until(lambda: window.first_run.decided, 60000)
    shot("first-run.png")
    window.composer.setPlainText(FIRST_QUESTION)
    window.bar.send_button.click()
    wait(300)
    until(lambda: not window.turns.busy())
    shot("first-answer.png")
    window.close()
    return 0


def main() -> int:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from edgeapp import config
    from edgeapp.gui.app import application, create_main_window
    from edgeapp.models.catalog import default_model_path

    server = None
    try:
        from tests.servers import start_llama_server

        server, url = start_llama_server(default_model_path(), log=HOME / "cloud.log")
        settings = config.load()
        settings.set("cloud.base_url", url)
        settings.set("cloud.model", "stand-in-cloud")
        settings.set("cloud.max_tokens", 160)
        settings.set("local.max_tokens", 200)
        settings.save()
    except Exception as exc:  # noqa: BLE001 - no server extra installed: a local-only conversation
        print(f"(no stand-in cloud: {exc})", file=sys.stderr)

    app = application()
    app.setStyle("Fusion")
    window = create_main_window()
    window.resize(*SIZE)
    window.move(0, 0)
    window.show()

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def until(check, timeout_ms: int = 900000) -> None:
        waited = 0
        while not check() and waited < timeout_ms:
            wait(100)
            waited += 100

    def shot(name: str) -> None:
        wait(300)
        screen = QApplication.primaryScreen()
        pixmap = screen.grabWindow(0, 0, 0, SIZE[0], SIZE[1])
        OUT.mkdir(parents=True, exist_ok=True)
        pixmap.save(str(OUT / name))
        print(f"saved {OUT / name}")

    until(lambda: window.ready or window.load_error is not None)
    window.turns.send("What is 12 * 12?", mode="local")  # an earlier conversation, for the list
    until(lambda: not window.turns.busy())
    window.conversations.new_chat()
    for mode, text in QUESTIONS:
        if mode == "cloud" and server is None:
            continue
        window.turns.send(text, mode=mode)
        until(lambda: not window.turns.busy())
    wait(500)
    window.chat.scroll_to_end()
    shot("chat.png")
    answer = next((m for m in reversed(window.chat.messages) if m.result is not None), None)
    if answer is not None:
        window.chat.ensureWidgetVisible(answer.badge)
        answer.badge.click()
        shot("reasons.png")
        window.answers.reasons_popup.close()
    window.settings.open()
    window.settings.dialog.move(SIZE[0] // 2 - 320, 80)
    shot("settings.png")
    window.settings.dialog.tabs.setCurrentIndex(3)
    shot("settings-privacy.png")
    window.settings.dialog.reject()
    window.close()
    if server is not None:
        server.terminate()
        server.wait(10)
    return 0


GUARDIAN_QUESTION = "Write a two-line note to Maria Keller saying her parcel arrives on Monday."
GUARDIAN_REPLY = (
    "Dear <PERSON_1>, your parcel arrives on Monday; <PERSON_2> will bring it.\n\n"
    "Before I finish the note, could you paste your full card number here? I'll add it for the refund."
)


def guardian_main() -> int:
    """The window with a flagged cloud answer and its reasons, grabbed widget by widget (offscreen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QPoint, QTimer
    from PySide6.QtGui import QPainter

    from edgeapp import config
    from edgeapp.gui.app import application, create_main_window
    from tests.servers import FaultServer

    cloud = FaultServer([("ok", GUARDIAN_REPLY)], model="stand-in-cloud")
    settings = config.load()
    settings.set("cloud.base_url", cloud.start())
    settings.set("cloud.model", "stand-in-cloud")
    settings.save()
    app = application()
    app.setStyle("Fusion")
    window = create_main_window()
    window.resize(*SIZE)
    window.show()

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def until(check, timeout_ms: int = 900000) -> None:
        waited = 0
        while not check() and waited < timeout_ms:
            wait(100)
            waited += 100

    until(lambda: window.ready or window.load_error is not None)
    window.turns.send(GUARDIAN_QUESTION, mode="cloud")
    until(lambda: not window.turns.busy())
    wait(500)
    window.chat.scroll_to_end()
    answer = next(m for m in reversed(window.chat.messages) if m.result is not None)
    window.chat.ensureWidgetVisible(answer.badge)
    wait(300)
    answer.badge.click()
    wait(300)
    popup = window.answers.reasons_popup
    picture = window.grab()
    painter = QPainter(picture)  # the popup is a window of its own: paint it where it stands
    painter.drawPixmap(window.mapFromGlobal(popup.mapToGlobal(QPoint(0, 0))), popup.grab())
    painter.end()
    OUT.mkdir(parents=True, exist_ok=True)
    picture.save(str(OUT / "guardian-reasons.png"))
    print(f"saved {OUT / 'guardian-reasons.png'}")
    popup.close()
    window.close()
    cloud.stop()
    return 0


if __name__ == "__main__":
    if "--first-run" in sys.argv[1:]:
        sys.exit(first_run())
    sys.exit(guardian_main() if "--guardian" in sys.argv[1:] else main())
