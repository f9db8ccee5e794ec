"""The escalation: the message shaped by the collaboration settings (compressed, with an option
exclusion hint), then either the cloud's answer (collab.mode = answer) or the cloud's plan or
first steps finished by the local model (align / shepherd; align checks the local answer followed
the plan and asks the cloud for the answer when it did not). See collab.py for the methods.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

from ..cancel import Cancelled
from ..cloud.client import CloudClient, CloudReply
from ..confidence.signals import parse_verbal
from ..models.local_model import LocalModel
from . import collab
from .cloud_call import cloud_call
from .draft import local_system_prompt, write
from .events import Event, Notice
from .outcomes import Alignment, AskedForAnswer, CloudAnswer, CloudPart, LocalFinish, Shaped
from .parts import Parts
from .sheet import TurnSheet


def shape(
    local: Callable[[], LocalModel],
    text: str,
    *,
    compress: bool,
    hints: bool,
    confidence: float | None,
    threshold: float,
) -> Shaped:
    """The message as the cloud will get it (before scrubbing): compressed (`compress`) and with an
    option exclusion hint (`hints`) when those do something."""
    outgoing, compressed, hint = text, None, None
    if compress:
        budget = collab.compression_budget(confidence, threshold)
        short, kept = collab.compress(local(), text, max_drop=budget)
        if kept < 1.0:
            outgoing = short
            compressed = {"kept_words": round(kept, 3), "max_drop": round(budget, 3), "sent": short}
    if hints:
        letters = collab.parse_choices(text)
        if letters:
            messages = [
                {"role": "system", "content": local_system_prompt()},
                {"role": "user", "content": text},
            ]
            hint = collab.exclusion_hint(collab.option_probabilities(local(), messages, letters))
            if hint:
                outgoing = f"{outgoing}\n\n{hint}"
    return Shaped(outgoing, compressed, hint)


def answered(sheet: TurnSheet, reply: CloudReply | None) -> bool:
    """Put the cloud's answer on the sheet, placeholders restored; whether there was one."""
    if reply is None:
        return False
    vault = sheet.request.conversation.vault
    sheet.add(CloudAnswer(vault.restore(reply.text).strip(), reply.model))
    return True


def collaborate(
    parts: Parts, sheet: TurnSheet, cloud: CloudClient, mode: str, outgoing: str
) -> Generator[Event, None, bool]:
    """collab.mode align / shepherd: the cloud writes a plan or the first steps, the local model
    the answer. Returns whether the turn was answered this way (False: it fell back)."""
    request = sheet.request
    ask, limit, intro = collab.request_for(mode, parts.settings["cloud.max_tokens"])
    reply = yield from cloud_call(parts, sheet, cloud, f"{outgoing}\n\n{ask}", max_tokens=limit)
    if reply is None:
        return False
    part = request.conversation.vault.restore(reply.text).strip()
    sheet.add(CloudPart(mode, part))
    yield Notice(
        f"The cloud sent {'its first steps' if mode == 'shepherd' else 'a plan'} "
        f"({reply.output_tokens or '?'} tokens); the local model writes the answer.",
        kind="collab",
    )
    gen = yield from write(
        parts.local_ready(request.token),
        request.conversation.messages,
        f"{request.text}\n\n{intro}\n{part}",
        max_tokens=request.local_max_tokens,
        token=request.token,
    )
    answer = parse_verbal(gen.text).answer
    if gen.finish_reason == "cancelled":
        sheet.add(LocalFinish(mode, answer, stopped=True))
        raise Cancelled()
    if mode == "align":
        score = collab.alignment(parts.embedder, part, answer)
        sheet.add(Alignment(mode, score))
        if score < collab.ALIGN_MIN:  # the local answer did not follow the plan: ask for the answer
            yield Notice(
                f"The local answer did not follow the cloud's plan (alignment {score:.2f}); "
                "asking the cloud for the full answer.",
                kind="collab",
            )
            sheet.add(AskedForAnswer(mode))
            full = yield from cloud_call(parts, sheet, cloud, outgoing, show=True, keep_route=True)
            if answered(sheet, full):
                return True
    sheet.add(LocalFinish(mode, answer))
    return True


def escalate(
    parts: Parts,
    sheet: TurnSheet,
    cloud: CloudClient,
    *,
    confidence: float | None,
    threshold: float,
    local_ran: bool,
) -> Generator[Event, None, bool]:
    """Escalate the turn's message; returns whether the cloud side answered it (route `cloud`).
    The collaboration settings need the local model's answer: without one (cloud mode) the message
    goes as it is and the cloud's answer is final."""
    request, settings = sheet.request, parts.settings
    if not local_ran:
        reply = yield from cloud_call(parts, sheet, cloud, request.text, show=True)
        return answered(sheet, reply)
    shaped = shape(
        lambda: parts.local_ready(None),
        request.text,
        compress=settings["collab.compress"],
        hints=settings["collab.exclusion_hints"],
        confidence=confidence,
        threshold=threshold,
    )
    sheet.add(shaped)
    mode = settings["collab.mode"]
    if mode == "answer":
        reply = yield from cloud_call(parts, sheet, cloud, shaped.text, show=True)
        return answered(sheet, reply)
    return (yield from collaborate(parts, sheet, cloud, mode, shaped.text))
