"""The loading controller: the core's warm-up stages as words and a share of the whole load, and
the status line once the model is in."""

from __future__ import annotations

import pytest


def test_stages_are_words_and_a_share_of_the_whole_load():
    from edgeapp.gui.controllers.loading import overall_progress

    assert overall_progress("model", 0.0) == ("Loading the local model", 0.0)
    assert overall_progress("model", 1.0) == ("Loading the local model", pytest.approx(0.7))
    assert overall_progress("privacy", 0.5) == ("Preparing the privacy filter", pytest.approx(0.825))
    assert overall_progress("ledger", 2.0) == ("Opening the history", pytest.approx(1.0))  # clamped
    assert overall_progress("ready", 1.0) == ("Ready", 1.0)
    assert overall_progress("something new", 0.5) == ("something new", 0.5)


def test_the_status_line_names_the_loaded_model(open_window):
    window = open_window(router__mode="local")
    assert window.ready and window.load_error is None
    name = window.assistant.loaded_model_name
    assert name and window.loading.label.text() == f"Local model ready: {name}"
    assert not window.loading.bar.isVisible()
