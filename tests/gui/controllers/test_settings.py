"""The settings controller: the routing box under the chat is saved as `router.mode` and reaches
the running assistant; a mode saved in the Settings dialog shows in the box."""

from __future__ import annotations

from edgeapp import config


def test_the_routing_box_saves_the_mode_for_the_next_turn(open_window, qtbot):
    window = open_window(router__mode="auto")
    box = window.bar.mode_box
    assert window.bar.mode() == "auto"
    box.setCurrentIndex(box.findData("local"))
    qtbot.waitUntil(lambda: config.load()["router.mode"] == "local", timeout=10000)
    qtbot.waitUntil(lambda: window.assistant.settings["router.mode"] == "local", timeout=10000)
    window.settings.open()
    dialog = window.settings.dialog
    field = dialog.fields["router.mode"][0]
    field.setCurrentIndex(field.findData("cloud"))
    dialog.save()
    assert not dialog.isVisible() and config.load()["router.mode"] == "cloud"
    assert window.bar.mode() == "cloud" and window.assistant.settings["router.mode"] == "cloud"
