"""The Models panel: the catalog with how well each model fits this machine, the model in use, and
Download (progress bar, speed, time left, Cancel), Use (after the crash guard's trial run) and
Remove. Everything slow runs off the GUI thread: listing (hardware detection), the download (its
own thread, so the window's pools stay free), the switch (a trial run of llama.cpp in a child
process). A switch applies from the next turn without a restart; the conversation is kept.

The window's panels controller mounts it as a "Models" tab of the dock and applies a switch to the
running assistant (`model_switched`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..cancel import CancelToken
from ..models.names import model_title
from .banner import error_text
from .worker import Job, JobSignals, emit_safely

if TYPE_CHECKING:
    from ..models.downloads import Progress
    from ..models.hardware import Machine
    from ..models.manager import Pulled
    from ..models.manager import Row as ModelRow

T = TypeVar("T")

COLUMNS = ("Model", "Size", "Memory", "Fit", "Status", "Good for")
FIT_COLOURS = {"fits": "#2e7d32", "may be slow": "#b26a00", "won't fit": "#c62828"}


def _size(n: float) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def _eta(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds:.0f} s left"
    return f"{seconds / 60:.0f} min left"


class _Signals(JobSignals):
    progress = Signal(object)


class ModelsPanel(QWidget):
    model_switched = Signal(str)  # the file now in local.model_path ("" = the embedded default)
    rows_loaded = Signal()
    download_finished = Signal(object)  # manager.Pulled, or the exception

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)  # one download and one list/switch at a time
        self._keep: dict[_Signals, Callable[[], object]] = {}  # each running job's signals and callable
        self.rows: list[ModelRow] = []
        self.cancel_token: CancelToken | None = None
        self.downloading: str | None = None
        self.confirm = self._confirm  # tests replace it
        self._last_progress = 0.0

        self.machine_label = QLabel("Looking at this machine…", self)
        self.machine_label.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.download_button = QPushButton("Download", self)
        self.use_button = QPushButton("Use", self)
        self.remove_button = QPushButton("Remove", self)
        self.cancel_button = QPushButton("Cancel", self)
        self.download_button.clicked.connect(self.download_selected)
        self.use_button.clicked.connect(self.use_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        for button in (self.download_button, self.use_button, self.remove_button, self.cancel_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.machine_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self._update_buttons()
        self.refresh()

    # -- running things off the GUI thread ----------------------------------------------------------
    def _run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> _Signals:
        signals = _Signals(self)
        self._keep[signals] = fn
        signals.done.connect(on_done)
        signals.failed.connect(on_error or self.show_error)
        if on_progress is not None:
            signals.progress.connect(on_progress)
        signals.done.connect(lambda _v: self._keep.pop(signals, None))
        signals.failed.connect(lambda _e: self._keep.pop(signals, None))
        self.pool.start(Job(fn, signals))
        return signals

    def show_error(self, exc: BaseException) -> None:
        self.status.setText(error_text(exc))
        self._update_buttons()

    # -- the list ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        from ..models import manager

        self._run(manager.rows, self._fill)

    def _fill(self, value: tuple[list[ModelRow], Machine]) -> None:
        rows, machine = value
        self.rows = rows
        self.machine_label.setText(
            f"This machine: {machine.describe()}. Memory is what the model needs at the "
            "context length in use; ★ is the one recommended here."
        )
        selected = self.selected_name()
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            status = (
                "in use"
                if row.in_use
                else (
                    "downloaded" if row.installed and not row.embedded else "built in" if row.embedded else ""
                )
            )
            cells = [
                ("★ " if row.recommended else "") + row.title,
                _size(row.size),
                _size(row.ram),
                row.label,
                status,
                row.good_for,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.name)
                if column == 3:
                    item.setForeground(QColor(FIT_COLOURS.get(row.label, "#000000")))
                    item.setToolTip(row.reason)
                if column == 0:
                    item.setToolTip(f"{row.name} · {row.license}")
                if row.in_use:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(i, column, item)
            if row.name == selected:
                self.table.selectRow(i)
        self._update_buttons()
        self.rows_loaded.emit()

    def selected_name(self) -> str | None:
        items = self.table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def select(self, name: str) -> None:
        for i in range(self.table.rowCount()):
            if self.table.item(i, 0).data(Qt.ItemDataRole.UserRole) == name:
                self.table.selectRow(i)
                return
        raise KeyError(name)

    def _row(self, name: str | None) -> ModelRow | None:
        return next((r for r in self.rows if r.name == name), None)

    def _update_buttons(self) -> None:
        row = self._row(self.selected_name())
        busy = self.downloading is not None
        self.download_button.setEnabled(bool(row) and not row.installed and not busy)
        self.use_button.setEnabled(bool(row) and row.installed and not row.in_use)
        self.remove_button.setEnabled(bool(row) and row.installed and not row.embedded and not row.in_use)
        self.cancel_button.setEnabled(busy)

    # -- download ---------------------------------------------------------------------------------
    def download_selected(self) -> None:
        name = self.selected_name()
        row = self._row(name)
        if row is None or self.downloading:
            return
        from ..models import manager

        token = CancelToken()
        self.cancel_token, self.downloading = token, name
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText(f"Downloading {row.title} ({_size(row.size)})…")
        self._update_buttons()
        holder: dict[str, _Signals] = {}

        def progress(p: Progress) -> None:  # on the download thread: throttled to ~10 updates a second
            now = time.monotonic()
            if now - self._last_progress >= 0.1 or (p.total and p.done >= p.total):
                self._last_progress = now
                emit_safely(holder["signals"].progress, p)

        holder["signals"] = self._run(
            lambda: manager.pull(name, progress=progress, cancel=token),
            self._downloaded,
            self._download_failed,
            self._progress,
        )

    def _progress(self, p: Progress) -> None:
        if p.total:
            self.progress.setValue(int(1000 * p.done / p.total))
        speed = f"{p.bytes_per_s / 1e6:.1f} MB/s" if p.bytes_per_s else ""
        done = f"{_size(p.done)} of {_size(p.total)}" if p.total else _size(p.done)
        self.status.setText("  ·  ".join(x for x in (done, speed, _eta(p.seconds_left)) if x))

    def _downloaded(self, pulled: Pulled) -> None:
        self.downloading, self.cancel_token = None, None
        self.progress.setValue(1000)
        self.progress.hide()
        note = (
            " It has no published checksum, so it was trusted as it came; its sha256 is now recorded."
            if pulled.trusted_on_first_download
            else " Checksum verified."
        )
        self.status.setText(f"Downloaded {pulled.entry.title}.{note} Select it and press Use to switch.")
        self.download_finished.emit(pulled)
        self.refresh()

    def _download_failed(self, exc: BaseException) -> None:
        self.downloading, self.cancel_token = None, None
        self.progress.hide()
        self.show_error(exc)
        self.download_finished.emit(exc)
        self.refresh()

    def cancel_download(self) -> None:
        if self.cancel_token is not None:
            self.cancel_token.set()
            self.status.setText("Cancelling… (the part already downloaded is kept; Download resumes it)")

    # -- use / remove -----------------------------------------------------------------------------
    def use_selected(self) -> None:
        name = self.selected_name()
        row = self._row(name)
        if row is None:
            return
        from ..models import manager

        self.use_button.setEnabled(False)
        self.status.setText(f"Trying {row.title} with llama.cpp in a separate process…")
        self._run(lambda: manager.use(name)[0], self._switched)

    def _switched(self, path: Path) -> None:
        self.status.setText(
            f"Switched to {model_title(path)}: the next answer comes from it (no restart needed)."
        )
        self.model_switched.emit(str(path))
        self.refresh()

    def _confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self, "Remove model", text)
        return answer == QMessageBox.StandardButton.Yes

    def remove_selected(self) -> None:
        name = self.selected_name()
        row = self._row(name)
        if row is None or not self.confirm(f"Delete {row.title} ({_size(row.size)}) from this computer?"):
            return
        from ..models import manager

        self._run(lambda: manager.remove(name), self._removed)

    def _removed(self, value: tuple[Path, int]) -> None:
        path, size = value
        self.status.setText(f"Removed {path.name} ({_size(size)}).")
        self.refresh()

    def shutdown(self, ms: int = 5000) -> None:
        if self.cancel_token is not None:
            self.cancel_token.set()
        self.pool.waitForDone(ms)
