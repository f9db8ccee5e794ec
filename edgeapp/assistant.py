"""The one pipeline: every face (CLI, GUI, local API) runs a turn through `Assistant.ask`.

A turn: the local model answers and scores its confidence -> the router decides (threshold,
budget pacing, mode) -> if escalating: gatekeeper scrub (history bounded, per message) -> the
user's confirmation when asked for -> budget reservation -> cloud call -> placeholders restored
locally -> ledger records the turn -> the face gets `TurnDone`. Each step is a stage of its own in
`edgeapp/turn/` (pipeline.py runs them); this module is the facade the faces hold.

`ask` is a generator of events, so a face can show tokens as they come. A turn can be stopped at
any moment: `CancelToken.set()` from any thread (the model load, the prefill, every token, every
cloud chunk and the retry sleeps look at it), or closing the generator. Either way no budget
reservation stays held, a cloud call stopped mid-stream is charged by estimate, and the turn is
recorded as stopped. The contract faces code against is docs/faces.md.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from . import config, paths
from .cancel import CancelToken
from .cloud.client import CloudClient
from .conversations import Conversation, Conversations
from .errors import PromptError
from .gatekeeper import Gatekeeper, ScrubbedPayload
from .models.local_model import LocalModel
from .turn import pipeline
from .turn.draft import LocalDraft, SavedCalibration, local_system_prompt
from .turn.escalate import escalate
from .turn.events import (
    CloudRestart,
    CloudToken,
    Escalating,
    Event,
    LocalToken,
    Notice,
    TurnDone,
    TurnOptions,
    TurnResult,
)
from .turn.parts import Parts
from .turn.reserve import estimate_tokens
from .turn.route import Pacing
from .turn.scrub import CLOUD_SYSTEM, history_tokens
from .turn.sheet import TurnRequest, TurnSheet, assemble
from .turn.watch import FileWatch

if TYPE_CHECKING:
    from .ledger import Ledger

__all__ = [
    "CLOUD_SYSTEM",
    "Assistant",
    "CancelToken",
    "CloudRestart",
    "CloudToken",
    "Conversation",
    "Escalating",
    "Event",
    "LocalToken",
    "Notice",
    "TurnDone",
    "TurnOptions",
    "TurnResult",
    "estimate_tokens",
    "history_tokens",
    "local_system_prompt",
]


class Assistant:
    """Owns the parts; cheap to ask, expensive to build (model load, analyzer build).

    Built with no `settings`, it follows the settings file: a change saved by `edgeapp config set`,
    `edgeapp calibrate` or a window applies from the next turn (parts whose settings changed are
    rebuilt). Built with `settings`, it uses those (call `apply_settings` to change them).
    """

    def __init__(
        self,
        settings: config.Settings | None = None,
        *,
        local_model: LocalModel | None = None,
        gatekeeper: Gatekeeper | None = None,
        cloud: CloudClient | None = None,
        ledger: Ledger | None = None,
        use_ledger: bool = True,
        embedder: LocalModel | None = None,
    ) -> None:
        self._settings_file = FileWatch(paths.config_file, seen_now=True) if settings is None else None
        self._parts = Parts(
            settings if settings is not None else config.load(),
            local_model=local_model,
            gatekeeper=gatekeeper,
            cloud=cloud,
            ledger=ledger,
            use_ledger=use_ledger,
            embedder=embedder,
        )
        self._calibration = SavedCalibration()
        self._warm_lock = threading.Lock()
        self.conversations = Conversations(lambda: self.ledger, lambda: self.settings)

    # -- settings -------------------------------------------------------------------------
    @property
    def settings(self) -> config.Settings:
        return self._parts.settings

    @settings.setter
    def settings(self, settings: config.Settings) -> None:
        """Assigning works like `apply_settings`, with the rebuild left to the next turn."""
        self._parts.settings = settings

    def refresh_settings(self) -> bool:
        """Re-read the settings file when it changed since the last turn (only for an Assistant that
        follows the file); returns whether anything was applied."""
        if self._settings_file is None or not self._settings_file.changed():
            return False
        self.apply_settings(config.load())
        return True

    def apply_settings(self, settings: config.Settings) -> None:
        """Use these settings from the next turn; parts whose settings changed are rebuilt then.
        (Assigning `assistant.settings` works too: each turn compares the settings every part was
        built with to the current ones.)"""
        self._parts.apply(settings)

    # -- the parts, built on first use --------------------------------------------------------
    @property
    def local(self) -> LocalModel:
        return self._parts.local_ready(None)

    @property
    def loaded_model_name(self) -> str:
        """The loaded local model's name; "" while none is loaded (never starts a load)."""
        local = self._parts.loaded_local
        return local.name if local is not None else ""

    @property
    def gatekeeper(self) -> Gatekeeper:
        return self._parts.gatekeeper

    @property
    def cloud(self) -> CloudClient | None:
        return self._parts.cloud

    @property
    def cloud_configured(self) -> bool:
        """Whether a cloud endpoint is set up (escalation is possible); builds nothing."""
        return self._parts.cloud_configured

    @property
    def ledger(self) -> Ledger | None:
        return self._parts.ledger

    @property
    def embedder(self) -> LocalModel:
        """The local model in embedding mode (collab.mode = align)."""
        return self._parts.embedder

    def parts_built(self) -> bool:
        """Whether a part this assistant built and `close` releases (the model, its embedding twin,
        the ledger's connections, the HTTP session) is still held; False after `close`."""
        return self._parts.holds_resources()

    def new_conversation(self) -> Conversation:
        return self.conversations.new()

    def warm_up(self, progress: Callable[[str, float], None] | None = None) -> None:
        """Load the local model and (when a cloud is set up) build the privacy analyzer now rather
        than on the first message. Thread-safe and idempotent: a second caller waits for the first.
        `progress(stage, share)` hears `model`, `privacy`, `ledger` and `ready` with 0.0 and 1.0."""
        report = progress or (lambda stage, share: None)
        with self._warm_lock:
            self.refresh_settings()
            report("model", 0.0)
            self.local  # noqa: B018 - loads it
            report("model", 1.0)
            if self.cloud is not None:
                report("privacy", 0.0)
                self.gatekeeper.warm_up()
                report("privacy", 1.0)
            report("ledger", 0.0)
            self.ledger  # noqa: B018 - opens it
            report("ledger", 1.0)
            report("ready", 1.0)

    def close(self) -> None:
        """Release everything this assistant built: the model (and its embedding twin), the ledger's
        connections and the HTTP session. Parts passed in by the caller stay theirs. Idempotent."""
        self._parts.close()

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- a turn -------------------------------------------------------------------------
    def ask_sync(
        self,
        conversation: Conversation,
        text: str,
        options: TurnOptions | None = None,
        *,
        cancel: CancelToken | None = None,
    ) -> TurnResult:
        for event in self.ask(conversation, text, options, cancel=cancel):
            if isinstance(event, TurnDone):
                return event.result
        raise AssertionError("ask() ended without TurnDone")  # pragma: no cover

    def ask(
        self,
        conversation: Conversation,
        text: str,
        options: TurnOptions | None = None,
        *,
        cancel: CancelToken | None = None,
    ) -> Iterator[Event]:
        """The turn's events as they happen, `TurnDone` with the result last (docs/faces.md)."""
        options = options or TurnOptions()
        options.check()
        text = (text or "").strip()
        if not text:
            raise PromptError("The message is empty: type a question.")
        self.refresh_settings()
        self._parts.sync()
        yield from pipeline.ask(
            self._parts,
            self._calibration,
            self.conversations.save_mapping,
            conversation,
            text,
            options,
            cancel,
        )

    # -- the escalation leg alone (the evaluation measures the product's path with it) -------
    def escalate_sync(
        self,
        conversation: Conversation,
        text: str,
        *,
        confidence: float | None,
        threshold: float,
        local_answer: str = "",
        confirm: Callable[[ScrubbedPayload], bool] | None = None,
    ) -> TurnResult:
        """Escalate `text` as a turn whose local answer had `confidence` would, with this
        assistant's settings (collab.*), and return the result; nothing is recorded as a turn.
        `edgeapp eval --method` runs its methods through this, so it measures the product's code.
        `confirm`: as TurnOptions.confirm (with privacy.confirm_before_send on, it sees each payload
        before it is sent; False: nothing is sent and the result stays local)."""
        self.refresh_settings()
        options = TurnOptions(confirm=confirm)
        max_tokens = self.settings["local.max_tokens"]
        pacing = Pacing(threshold, threshold)
        request = TurnRequest(conversation, text, options, "auto", pacing, max_tokens, CancelToken())
        sheet = TurnSheet(request)
        sheet.add(LocalDraft(model="", answer=local_answer, confidence=confidence, answers_turn=True))
        cloud = self.cloud
        assert cloud is not None, "escalate_sync needs a cloud"
        steps = escalate(
            self._parts, sheet, cloud, confidence=confidence, threshold=threshold, local_ran=True
        )
        for _ in steps:
            pass
        return assemble(sheet)
