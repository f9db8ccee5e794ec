"""How the core's events become the pieces of an OpenAI answer: `content` as a plain client reads
it, plus `edgeapp` events (drafts, notices, restarts) a plain client ignores."""

from __future__ import annotations

from typing import Any

from ..assistant import CloudRestart, CloudToken, Escalating, Event, LocalToken, Notice, TurnResult
from .protocol import StopFilter

Part = dict[str, Any]  # {"content": text} or {"edgeapp": {"event": ...}}


def _edgeapp_event(event: Event) -> Part | None:
    """The `edgeapp` part for an event that is not answer text (None: nothing to send)."""
    if isinstance(event, Escalating):
        return {
            "edgeapp": {
                "event": "escalating",
                "reason": event.reason,
                "confidence": event.confidence,
                "reason_code": event.reason_code,
                "cloud_model": event.cloud_model,
            }
        }
    if isinstance(event, Notice):
        return {"edgeapp": {"event": "notice", "kind": event.kind, "text": event.text}}
    return None


class DeltaTranslator:
    """Translates one turn's events into answer parts. `edgeapp-local` streams the local tokens as
    content; `edgeapp-auto` shows the local draft only as `edgeapp.draft` until the router has
    decided (so the content is always the final answer); cloud tokens are content as they come.
    Stop sequences cut the content (`stop.hit` says one did)."""

    def __init__(self, mode: str, stops: list[str]) -> None:
        self.mode = mode
        self.stop = StopFilter(stops)
        self.sent = ""  # content before the stop filter
        self.source: str | None = None  # local | cloud: where the content came from

    def _restart(self) -> None:
        self.stop = StopFilter(self.stop.stops)
        self.sent = ""

    def _content(self, text: str, source: str) -> list[Part]:
        out: list[Part] = []
        if self.source is not None and self.source != source:  # cloud text then a local fallback
            out.append({"edgeapp": {"event": "restart", "reason": "the answer changed source"}})
            self._restart()
        self.source = source
        self.sent += text
        shown = self.stop.feed(text)
        if shown:
            out.append({"content": shown})
        return out

    def event(self, event: Event) -> list[Part]:
        if isinstance(event, LocalToken):
            if self.mode == "auto":
                return [{"edgeapp": {"event": "draft", "text": event.text}}]
            return self._content(event.text, "local")
        if isinstance(event, CloudToken):
            return self._content(event.text, "cloud")
        if isinstance(event, CloudRestart):
            self._restart()
            return [{"edgeapp": {"event": "restart", "reason": event.reason}}]
        part = _edgeapp_event(event)
        return [part] if part is not None else []

    def finish(self, result: TurnResult) -> list[Part]:
        """What is still to send once the turn is done, so the content adds up to the answer."""
        final = result.answer or ""
        source = "cloud" if result.route == "cloud" else "local"
        out: list[Part] = []
        if not self.sent or self.source != source:
            out += self._content(final, source)
        elif final.startswith(self.sent) and len(final) > len(self.sent):
            out += self._content(final[len(self.sent) :], source)
        tail = self.stop.flush()
        if tail:
            out.append({"content": tail})
        return out
