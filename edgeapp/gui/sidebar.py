"""The conversation list: New, search across all history, rename, delete (with Undo)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ..conversations import ConversationInfo

ID_ROLE = Qt.ItemDataRole.UserRole


def when(text: str | datetime | None) -> str:
    """'14:02', 'Tue', '3 Nov' for a UTC timestamp text or datetime."""
    if not text:
        return ""
    try:
        moment = (
            text if isinstance(text, datetime) else datetime.fromisoformat(str(text).replace("Z", "+00:00"))
        )
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone()
    now = datetime.now().astimezone()
    if moment.date() == now.date():
        return moment.strftime("%H:%M")
    if (now - moment).days < 7:
        return moment.strftime("%a")
    return f"{moment.day} {moment.strftime('%b')}"


class Sidebar(QWidget):
    """Asks for things by its signals; the conversations controller answers and calls `fill`."""

    new_requested = Signal()
    open_requested = Signal(str)
    rename_requested = Signal(str, str)
    delete_requested = Signal(str)
    search_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        top = QHBoxLayout()
        self.new_button = QPushButton("New chat", self)
        keys = QKeySequence(QKeySequence.StandardKey.New).toString(QKeySequence.SequenceFormat.NativeText)
        self.new_button.setToolTip(f"New chat ({keys})")
        self.new_button.clicked.connect(self.new_requested)
        top.addWidget(self.new_button)
        layout.addLayout(top)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search all conversations")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search conversations")
        layout.addWidget(self.search)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(lambda: self.search_changed.emit(self.search.text().strip()))
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.list = QListWidget(self)
        self.list.setObjectName("conversations")
        self.list.setAccessibleName("Conversations")
        self.list.setUniformItemSizes(True)
        # a long title is cut short with "…" (its tooltip has it whole): never a horizontal scroll bar
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setWordWrap(False)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.itemActivated.connect(self._open)
        self.list.itemClicked.connect(self._open)
        self.list.itemChanged.connect(self._renamed)
        layout.addWidget(self.list, 1)
        self.current_id: str | None = None
        self._filling = False
        rename = QAction("Rename", self.list)
        rename.setShortcut(QKeySequence(Qt.Key.Key_F2))
        rename.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        rename.triggered.connect(self.rename_current)
        delete = QAction("Delete", self.list)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_current)
        self.list.addAction(rename)
        self.list.addAction(delete)

    def fill(self, items: list[ConversationInfo], current: str | None = None) -> None:
        self._filling = True
        self.list.clear()
        for info in items:
            title = info.title or "New chat"
            item = QListWidgetItem(title)
            item.setData(ID_ROLE, info.id)
            tip = f"{title}\n{when(info.last_activity)} · {info.turns} messages" if info.turns else title
            if info.match:
                tip += f"\n…{info.match}…"
            item.setToolTip(tip)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
        self._filling = False
        self.select(current or self.current_id)

    def select(self, conversation_id: str | None) -> None:
        self.current_id = conversation_id
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(ID_ROLE) == conversation_id:
                self.list.setCurrentItem(item)
                return
        self.list.clearSelection()

    def ids(self) -> list[str]:
        return [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())]

    def title_of(self, conversation_id: str) -> str:
        """The title shown for a conversation ("" when it is not in the list)."""
        for i in range(self.list.count()):
            if self.list.item(i).data(ID_ROLE) == conversation_id:
                return self.list.item(i).text()
        return ""

    def clear_current(self) -> None:
        self.current_id = None
        self.list.clearSelection()

    def _open(self, item: QListWidgetItem) -> None:
        cid = item.data(ID_ROLE)
        if cid and cid != self.current_id:
            self.open_requested.emit(cid)

    def _renamed(self, item: QListWidgetItem) -> None:
        if not self._filling and item.text().strip():
            self.rename_requested.emit(item.data(ID_ROLE), item.text().strip())

    def rename_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item)

    def delete_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.delete_requested.emit(item.data(ID_ROLE))

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        self.list.setCurrentItem(item)
        menu = QMenu(self)
        menu.addAction("Rename", self.rename_current)
        menu.addAction("Delete", self.delete_current)
        menu.exec(self.list.viewport().mapToGlobal(pos))
