"""Markdown -> the HTML subset Qt's rich text (QTextDocument) renders well.

Why markdown-it-py: it follows CommonMark (what chat models write), has tables and strikethrough
built in, and raw HTML is OFF, so an answer can never inject markup into the window; its renderer
rules are plain functions, which lets a fenced code block get a "Copy" link. Python-Markdown is not
CommonMark and passes raw HTML through by default; QTextDocument.setMarkdown has no hook for the copy
link. No Qt import here: this module is pure text, tested without a display.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*_\d+>")


@dataclass(frozen=True)
class Colors:
    text: str = "#1f2328"
    muted: str = "#656d76"
    code_bg: str = "#f3f4f6"
    border: str = "#d0d7de"
    link: str = "#0969da"
    mark_bg: str = "#fff1b8"
    mark_text: str = "#6b4a00"


LIGHT = Colors()
DARK = Colors(
    text="#e6edf3",
    muted="#9198a1",
    code_bg="#1f242c",
    border="#3d444d",
    link="#4493f8",
    mark_bg="#5a4500",
    mark_text="#ffe08a",
)


_PARSER: MarkdownIt | None = None


def _code_inline(_renderer, tokens, idx, options, env) -> str:
    c: Colors = env["colors"]
    return (
        f'<code style="background-color:{c.code_bg}; font-family:monospace;">'
        f"&#8202;{html.escape(tokens[idx].content)}&#8202;</code>"
    )


def _fence(_renderer, tokens, idx, options, env) -> str:
    c: Colors = env["colors"]
    token = tokens[idx]
    code = token.content.rstrip("\n")
    env["codes"].append(code)
    n = len(env["codes"]) - 1
    lang = html.escape((token.info or "").split()[0]) if (token.info or "").strip() else ""
    # a one-cell table is the only way Qt rich text draws a shaded, padded box around a block
    return (
        f'<table width="100%" cellspacing="0" cellpadding="8" '
        f'style="background-color:{c.code_bg}; border: 1px solid {c.border}; '
        f'margin-top:4px; margin-bottom:8px;">'
        f'<tr><td><table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td><span style="color:{c.muted}; font-size:small;">{lang or "code"}</span></td>'
        f'<td align="right"><a href="copy:{n}" '
        f'style="color:{c.link}; font-size:small; text-decoration:none;">'
        f"Copy</a></td></tr></table>"
        # pre-wrap: a long line wraps at the column's width instead of running past its edge
        f'<pre style="font-family:monospace; white-space:pre-wrap; margin:4px 0 0 0;">'
        f"{html.escape(code)}</pre></td></tr></table>\n"
    )


def _parser() -> MarkdownIt:
    """One parser for the process (GUI thread only); built on the first answer, so importing
    markdown-it never delays the window."""
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        md = MarkdownIt("commonmark", {"html": False, "breaks": False, "linkify": False})
        md.enable(["table", "strikethrough"])
        md.add_render_rule("fence", _fence)
        md.add_render_rule("code_block", _fence)
        md.add_render_rule("code_inline", _code_inline)
        _PARSER = md
    return _PARSER


def render(text: str, colors: Colors = LIGHT) -> tuple[str, list[str]]:
    """(html, code blocks) for one message; a code block's Copy link is `copy:<n>`."""
    env: dict[str, Any] = {"codes": [], "colors": colors}
    body = _parser().render(text or "", env)
    body = body.replace(
        "<table>",
        f'<table cellspacing="0" cellpadding="5" border="1" '
        f'style="border-collapse:collapse; border-color:{colors.border};">',
    )
    return body, env["codes"]


def highlight_placeholders(text: str, colors: Colors = LIGHT) -> str:
    """Plain text as HTML with every <TYPE_n> placeholder marked (for the confirm-before-send view)."""
    parts = []
    last = 0
    for m in PLACEHOLDER.finditer(text):
        parts.append(html.escape(text[last : m.start()]))
        parts.append(
            f'<span style="background-color:{colors.mark_bg}; color:{colors.mark_text}; '
            f'font-weight:600;">{html.escape(m.group(0))}</span>'
        )
        last = m.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts).replace("\n", "<br>")
