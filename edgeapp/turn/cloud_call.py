"""One cloud call of a turn, stage by stage: scrub (and the user's confirmation when asked for) ->
budget reservation -> the stream -> settlement. Each stage's outcome goes on the turn's sheet as
soon as it is known; a fallback keeps the turn local and says why with a notice.

From the reservation on, every way out (a reply, a failure, a stop, the face letting go) settles
or releases it: a call stopped mid-stream is charged by estimate.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

from .. import wording
from ..cloud.client import CloudClient, CloudReply
from ..gatekeeper.payload import ScrubbedPayload
from . import guardian, reserve, scrub, settle
from .events import CloudToken, Event, Notice
from .outcomes import CloudTarget, Fallback, StoppedStream
from .parts import Parts
from .reserve import Hold
from .sheet import TurnSheet
from .stream import Received, relay

if TYPE_CHECKING:
    from ..ledger import Ledger


def fall_back(sheet: TurnSheet, fallback: Fallback, *, keep_route: bool) -> Generator[Event, None, None]:
    """Record the fallback (unless the turn's route is kept: a second call of a collaboration) and
    tell the face."""
    if not keep_route:
        sheet.add(fallback)
    yield fallback.notice


def cloud_error(received: Received) -> Fallback:
    return Fallback(
        "local-fallback",
        wording.CLOUD_ERROR,
        f"cloud failed: {received.error}",
        Notice(f"The cloud did not answer ({received.error}); showing the local answer.", kind="fallback"),
    )


def send(
    sheet: TurnSheet,
    ledger: Ledger | None,
    cloud: CloudClient,
    payload: ScrubbedPayload,
    hold: Hold,
    *,
    stream: bool,
    max_tokens: int,
    show: bool,
) -> Generator[Event, None, Received]:
    """Send the held call and stream it (shown as CloudToken when `show`); settled however it ends."""
    request = sheet.request
    vault = request.conversation.vault
    received = Received()
    try:
        if hold.reservation is not None and hold.reservation.alert:
            yield Notice(hold.reservation.alert, kind="alert")
        yield Notice(wording.escalation_notice(cloud.model, payload.entities), kind="sending")
        yield from relay(
            cloud,
            payload,
            received,
            vault=vault,
            stream=stream,
            max_tokens=max_tokens,
            token=request.token,
            show=show,
        )
    finally:  # also when the turn is stopped or the face closes us: never leave a reservation held
        sheet.add(settle.settle(ledger, hold, cloud, payload, received))
        if received.stopped and show and received.chunks:
            sheet.add(StoppedStream(vault.restore(received.text).strip()))
    return received


def cloud_call(
    parts: Parts,
    sheet: TurnSheet,
    cloud: CloudClient,
    text: str,
    *,
    max_tokens: int | None = None,
    show: bool = False,
    keep_route: bool = False,
) -> Generator[Event, None, CloudReply | None]:
    """One scrubbed cloud call for this turn. Returns the reply, or None after falling back to the
    local answer (or, with `keep_route`, leaving the turn's route as it was). Stopped mid-way, the
    call is charged by estimate and Cancelled propagates."""
    request, settings, token = sheet.request, parts.settings, sheet.request.token
    ledger = parts.ledger
    sheet.add(CloudTarget(cloud.model, cloud.provider))
    max_tokens = max_tokens or settings["cloud.max_tokens"]
    scrubbed = scrub.scrub(
        lambda: parts.gatekeeper, request.conversation, text, settings["cloud.history_tokens"]
    )
    if isinstance(scrubbed, Fallback):
        yield from fall_back(sheet, scrubbed, keep_route=keep_route)
        return None
    sheet.add(scrubbed)
    if scrubbed.cut:
        yield Notice(scrub.CUT_NOTICE, kind="privacy")
    token.check()
    asked = settings["privacy.confirm_before_send"]
    refused = scrub.confirm_send(scrubbed.payload, request.options.confirm, asked=asked)
    if refused is not None:
        yield from fall_back(sheet, refused, keep_route=keep_route)
        return None
    if asked:
        token.check()
    stream = settings["cloud.stream"]
    hold = reserve.reserve(ledger, cloud, scrubbed.payload, stream=stream, max_tokens=max_tokens)
    if isinstance(hold, Fallback):
        yield from fall_back(sheet, hold, keep_route=keep_route)
        return None
    held_back = show and guardian.holds_back(settings)  # a policy may hide it: check it whole first
    received = yield from send(
        sheet,
        ledger,
        cloud,
        scrubbed.payload,
        hold,
        stream=stream,
        max_tokens=max_tokens,
        show=show and not held_back,
    )
    if received.reply is None:
        yield from fall_back(sheet, cloud_error(received), keep_route=keep_route)
        return None
    vault = request.conversation.vault
    guarded = guardian.guard(settings, vault, scrubbed.payload, received.reply.text)
    if guarded.findings:  # on the sheet only when it found something
        sheet.add(guarded)
    if guarded.hidden:
        yield from fall_back(sheet, guardian.hidden(guarded), keep_route=keep_route)
        return None
    if held_back:
        yield CloudToken(vault.restore(received.reply.text).strip())
    return received.reply
