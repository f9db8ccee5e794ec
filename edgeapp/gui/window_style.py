"""The window's style sheet, in the system's light or dark colours."""

from __future__ import annotations


def style_sheet(dark: bool) -> str:
    bubble = "#2b3440" if dark else "#e3e9f1"
    text = "#e6edf3" if dark else "#1f2328"
    hover = "#222a33" if dark else "#f0f3f7"
    muted = "#9198a1" if dark else "#656d76"
    accent = "#4493f8" if dark else "#0969da"
    warn_bg, warn_fg = ("#3d2e00", "#ffe08a") if dark else ("#fff8c5", "#4d3800")
    err_bg, err_fg = ("#4a1d1d", "#ffb4b4") if dark else ("#ffebe9", "#82071e")
    info_bg, info_fg = ("#10263f", "#cfe3ff") if dark else ("#ddf4ff", "#0a3069")
    cloud = "#a371f7" if dark else "#8250df"
    local = "#3fb950" if dark else "#1a7f37"
    kept = "#d29922" if dark else "#9a6700"
    badge = "QToolButton#badge"
    return f"""
        QFrame#bubble {{ background: {bubble}; border-radius: 12px; }}
        QLabel#status {{ color: {muted}; font-style: italic; }}
        QLabel#draft {{ color: {muted}; border-left: 3px solid {muted}; padding-left: 8px; }}
        QLabel#hint {{ color: {muted}; }}
        QToolButton {{ color: {muted}; padding: 2px 6px; border-radius: 6px; }}
        QToolButton:checked {{ color: {accent}; }}
        {badge} {{ font-weight: 600; border: 1px solid {muted}; border-radius: 9px; padding: 1px 8px; }}
        {badge}[route="local"] {{ color: {local}; border-color: {local}; }}
        {badge}[route="cloud"] {{ color: {cloud}; border-color: {cloud}; }}
        {badge}[route="local-fallback"], {badge}[route="blocked"] {{ color: {kept}; border-color: {kept}; }}
        QFrame#banner, QFrame#suggestion {{ background: {info_bg}; color: {info_fg}; }}
        QFrame#suggestion {{ border-top: 1px solid {muted}; border-bottom: 1px solid {muted}; }}
        QFrame#suggestion QLabel {{ color: {info_fg}; }}
        QLabel#suggestionHeadline {{ font-weight: 600; }}
        QFrame#banner QLabel {{ color: {info_fg}; }}
        QFrame#banner[kind="warning"] {{ background: {warn_bg}; }}
        QFrame#banner[kind="warning"] QLabel {{ color: {warn_fg}; }}
        QFrame#banner[kind="error"] {{ background: {err_bg}; }}
        QFrame#banner[kind="error"] QLabel {{ color: {err_fg}; }}
        QPlainTextEdit#composer {{ border: 1px solid {muted}; border-radius: 10px; padding: 6px; }}
        QPlainTextEdit#composer:focus {{ border-color: {accent}; }}
        QListWidget#conversations {{ border: none; }}
        QListWidget#conversations::item {{ padding: 6px 4px; border-radius: 6px; color: {text}; }}
        QListWidget#conversations::item:selected {{ background: {bubble}; color: {text}; font-weight: 600; }}
        QListWidget#conversations::item:hover:!selected {{ background: {hover}; }}
    """
