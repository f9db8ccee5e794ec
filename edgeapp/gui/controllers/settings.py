"""Settings: the routing box under the chat (saved as `router.mode`), the Settings dialog, and the
first-run notice that no cloud is set up. Saved settings reach the running assistant through
`assistant.apply_settings`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QWidget

from ... import config
from ..banner import Banner
from ..composer import ComposerBar
from ..session import Session

if TYPE_CHECKING:
    from ..settings_dialog import SettingsDialog, SettingValue

NO_CLOUD_NOTICE = (
    "Everything stays on this computer. Escalation to a cloud model is off until you set one up."
)


class SettingsController(QObject):
    def __init__(
        self,
        session: Session,
        bar: ComposerBar,
        banner: Banner,
        show_error: Callable[[BaseException], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.bar = bar
        self.banner = banner
        self.show_error = show_error
        self.dialog_parent = parent
        self.dialog: SettingsDialog | None = None
        bar.show_mode(session.settings()["router.mode"])
        bar.mode_box.currentIndexChanged.connect(self._mode_changed)

    def _mode_changed(self, _index: int) -> None:
        mode = self.bar.mode()
        session = self.session

        def save() -> None:
            settings = config.load()
            settings.set("router.mode", mode)
            settings.save()
            if session.assistant is not None:
                session.assistant.apply_settings(settings)

        session.pools.run(save, None, self.show_error)

    def open(self, focus: str | None = None, value: SettingValue = None) -> None:
        """The Settings dialog; `focus`: a setting (or "cloud") to show, `value` to put in it."""
        from ..settings_dialog import SettingsDialog  # keyring and requests: loaded when first opened

        dialog = SettingsDialog(
            self.session.assistant, self.session.pools, self.dialog_parent, focus=focus, value=value
        )
        self.dialog = dialog
        dialog.saved.connect(self._saved)
        dialog.open()

    def _saved(self) -> None:
        self.session.forget_settings()
        self.bar.show_mode(self.session.settings()["router.mode"])
        if self.banner.kind in ("info", "error"):
            self.banner.dismiss()

    def first_run_notice(self, remembered: QSettings) -> None:
        """Say once that everything stays local until a cloud model is set up."""
        if self.session.cloud_configured() or remembered.value("notices/no_cloud_shown"):
            return
        remembered.setValue("notices/no_cloud_shown", True)
        self.banner.show_message(
            NO_CLOUD_NOTICE, kind="info", button="Set up a cloud model…", callback=lambda: self.open("cloud")
        )
