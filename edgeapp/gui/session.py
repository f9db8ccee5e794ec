"""What the window's controllers share: the assistant, the conversation on screen and the pools
that run work off the GUI thread. No widgets here.

The assistant may not exist yet: with none given, the loading controller builds it on the model
thread (importing the model and privacy stacks takes seconds and must not hold the window back).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .. import config
from .worker import Pools

if TYPE_CHECKING:
    from ..assistant import Assistant
    from ..conversations import Conversation, Conversations


class Session:
    def __init__(
        self, assistant: Assistant | None = None, factory: Callable[[], Assistant] | None = None
    ) -> None:
        self.assistant = assistant
        self.factory = factory  # builds the assistant on the model thread (default: Assistant())
        self.conversation: Conversation | None = None  # made on the model thread by the first turn, or loaded
        self.load_error: BaseException | None = None
        self.pools = Pools()
        self.closing = False
        self._settings: config.Settings | None = None

    def settings(self) -> config.Settings:
        """The settings in force (the assistant's, or config.toml while it is being built)."""
        if self.assistant is not None:
            return self.assistant.settings
        if self._settings is None:
            self._settings = config.load()
        return self._settings

    def forget_settings(self) -> None:
        """Read config.toml again at the next `settings()` (it was saved)."""
        self._settings = None

    def cloud_configured(self) -> bool:
        if self.assistant is not None:
            return self.assistant.cloud_configured
        return bool(self.settings()["cloud.base_url"])

    def apply_saved_settings(self, on_error: Callable[[BaseException], None] | None = None) -> None:
        """config.toml changed (a model switched): the running assistant follows from its next turn
        (applied on the model thread, between turns; an assistant built with explicit settings too)."""
        assistant = self.assistant
        if assistant is not None:
            self.pools.run(lambda: assistant.apply_settings(config.load()), None, on_error, pool="model")

    def conversations(self) -> Conversations | None:
        """The core's conversations (`assistant.conversations`), once the assistant exists."""
        return self.assistant.conversations if self.assistant is not None else None

    def conversation_id(self) -> str | None:
        return self.conversation.id if self.conversation is not None else None

    # -- on the model thread ---------------------------------------------------------------------
    def build_assistant(self) -> Assistant:
        """Make the assistant (the factory's, or one following config.toml)."""
        if self.factory is not None:
            built = self.factory()
        else:
            from ..assistant import Assistant

            built = Assistant()
        self.assistant = built
        return built

    def prepare_turn(self) -> tuple[Assistant, Conversation]:
        """The assistant and the conversation to ask in (made when there is none yet), or why there
        is no assistant."""
        assistant = self.assistant
        if assistant is None:
            raise self.load_error or RuntimeError("the assistant did not start")
        if self.conversation is None:
            self.conversation = assistant.conversations.new()
        return assistant, self.conversation
