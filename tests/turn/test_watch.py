"""Noticing a changed file once per change (the settings file, the saved calibration)."""

from __future__ import annotations

import os

from edgeapp.turn.watch import FileWatch, file_stamp


def test_a_change_is_seen_once(tmp_path):
    path = tmp_path / "config.toml"
    fresh = FileWatch(lambda: path)
    assert file_stamp(path) is None and not fresh.changed()  # no file, nothing to apply
    path.write_text("a = 1\n")
    assert fresh.changed() and not fresh.changed()
    path.write_text("a = 22\n")  # a new size
    assert fresh.changed()
    os.utime(path, ns=(0, 12345))  # the same size, another time
    assert fresh.changed() and not fresh.changed()
    path.unlink()
    assert fresh.changed() and not fresh.changed()
    path.write_text("b = 1\n")
    current = FileWatch(lambda: path, seen_now=True)  # starts from the file as it is
    assert not current.changed() and current.path() == path
