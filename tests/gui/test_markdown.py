"""Markdown rendering for the chat pane (pure text: no display needed)."""

from __future__ import annotations

import pytest

pytest.importorskip("markdown_it")

from edgeapp.gui.markdown import highlight_placeholders, render  # noqa: E402


def test_code_blocks_get_a_copy_link_and_keep_their_text():
    html, codes = render("Try this:\n\n```python\nprint(1 < 2)\n```\n\nand `x`.")
    assert codes == ["print(1 < 2)"]
    assert 'href="copy:0"' in html and "print(1 &lt; 2)" in html and ">python<" in html


def test_tables_lists_and_no_raw_html():
    html, _ = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n\n<script>alert(1)</script>")
    assert "<table" in html and "<td>1</td>" in html and "<li>one</li>" in html
    assert "<script>" not in html  # an answer can never inject markup


def test_placeholders_are_highlighted():
    out = highlight_placeholders("Hi <PERSON_1>, mail <EMAIL_ADDRESS_2> & co")
    assert out.count("<span") == 2 and "&lt;PERSON_1&gt;" in out and "&amp; co" in out
