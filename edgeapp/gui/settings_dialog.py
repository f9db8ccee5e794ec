"""Settings: the same keys as `edgeapp config` (one store, config.toml), validated by the same
`config.Settings.set`, so a bad value is refused with the same sentence. The API key goes to the
OS keyring and is never shown again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import config
from ..cloud import api_key as keys
from ..errors import EdgeappError
from ..gatekeeper.entities import ENTITY_TYPES, describe, policy_key
from ..models.catalog import default_model_path
from ..models.engine_check import gpu_offload_supported
from .connection import CUSTOM, NONE, PRESETS, Check, preset_for, test_connection
from .worker import Pools

if TYPE_CHECKING:
    from ..assistant import Assistant

SettingValue = str | int | float | bool | list[str] | None


def model_facts(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError:
        return f"{path} (missing)"
    name = path.name
    quant = next(
        (
            part
            for part in name.replace(".gguf", "").replace("-", ".").split(".")
            if part.upper().startswith(("Q", "IQ", "F16", "BF16", "F32")) and any(c.isdigit() for c in part)
        ),
        "",
    )
    return f"{name} · {size / 1e6:.0f} MB" + (f" · {quant.upper()}" if quant else "")


# the guardian's checks on cloud replies (guardian.<kind>), as the Privacy tab lists them
GUARDIAN_LABELS = {
    "asks_for_withheld": "Reply asks for masked data",
    "injection": "Reply carries instructions",
    "placeholder_invented": "Reply has a placeholder never sent",
    "placeholder_dropped": "Reply leaves a placeholder out",
}
GUARDIAN_CHOICES = [
    ("show", "show (in the answer's reasons)"),
    ("hide", "hide the reply (keep the local answer)"),
    ("off", "off"),
]


class SettingsDialog(QDialog):
    saved = Signal()

    def __init__(
        self,
        assistant: Assistant | None,
        pools: Pools,
        parent: QWidget | None = None,
        *,
        focus: str | None = None,
        value: SettingValue = None,
    ) -> None:
        super().__init__(parent)
        self.assistant = assistant
        self.pools = pools
        self.setWindowTitle("Settings")
        self.resize(640, 560)
        self.settings = config.load()
        self.fields: dict[str, tuple[QWidget, Callable[[], SettingValue]]] = {}
        self.tab_of: dict[str, int] = {}
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)
        self._cloud_tab()
        self._local_tab()
        self._routing_tab()
        self._privacy_tab()
        self.error = QLabel(self)
        self.error.setObjectName("settingsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #cf222e;")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)
        if focus:
            self.focus_key(focus, value)

    # -- building ---------------------------------------------------------------------------
    def _page(self, title: str) -> QFormLayout:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        self.tabs.addTab(scroll, title)
        return form

    def _field(
        self, form: QFormLayout, key: str, label: str, widget: QWidget, getter: Callable[[], SettingValue]
    ) -> None:
        widget.setToolTip(config.SCHEMA[key].help)
        widget.setAccessibleName(label)
        form.addRow(label, widget)
        self.fields[key] = (widget, getter)
        self.tab_of[key] = self.tabs.count() - 1

    def _line(self, form: QFormLayout, key: str, label: str, placeholder: str = "") -> QLineEdit:
        w = QLineEdit(str(self.settings[key]))
        w.setPlaceholderText(placeholder)
        self._field(form, key, label, w, lambda: w.text().strip())
        return w

    def _check(self, form: QFormLayout, key: str, label: str) -> QCheckBox:
        w = QCheckBox()
        w.setChecked(bool(self.settings[key]))
        self._field(form, key, label, w, w.isChecked)
        return w

    def _choice(self, form: QFormLayout, key: str, label: str, choices: list[tuple[str, str]]) -> QComboBox:
        w = QComboBox()
        for value, text in choices:
            w.addItem(text, value)
        w.setCurrentIndex(max(0, w.findData(self.settings[key])))
        self._field(form, key, label, w, w.currentData)
        return w

    def _int(self, form: QFormLayout, key: str, label: str, lo: int, hi: int, special: str = "") -> QSpinBox:
        w = QSpinBox()
        w.setRange(lo, hi)
        if special:
            w.setSpecialValueText(special)
        w.setValue(int(self.settings[key]))
        self._field(form, key, label, w, w.value)
        return w

    def _cloud_tab(self) -> None:
        form = self._page("Cloud")
        self.preset = QComboBox()
        self.preset.setAccessibleName("Provider")
        for name, _, _ in PRESETS:
            self.preset.addItem(name)
        self.preset.addItem(CUSTOM)
        self.preset.addItem(NONE)
        form.addRow("Provider", self.preset)
        self.base_url = self._line(form, "cloud.base_url", "Address (base URL)", "https://api.openai.com/v1")
        self.model = self._line(form, "cloud.model", "Model")
        self.preset.setCurrentText(preset_for(self.settings["cloud.base_url"]))
        self.preset.currentTextChanged.connect(self._preset_changed)
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setAccessibleName("API key")
        source = keys.key_source(self.settings["cloud.api_key_env"])
        self.api_key.setPlaceholderText(
            "A key is stored (" + source + "); type to replace it"
            if source != "none"
            else "Paste the API key (stored in the OS keyring)"
        )
        key_row = QHBoxLayout()
        key_row.addWidget(self.api_key, 1)
        self.forget_key = QPushButton("Forget key")
        self.forget_key.clicked.connect(self._forget_key)
        self.forget_key.setEnabled(source == "OS keyring")
        key_row.addWidget(self.forget_key)
        form.addRow("API key", key_row)
        name, secure = keys.keyring_backend()
        self.keyring_label = QLabel()
        self.keyring_label.setWordWrap(True)
        self.keyring_label.setObjectName("keyringState")
        if secure:
            self.keyring_label.setText(f"Keys are kept in: {name}.")
        else:
            self.keyring_label.setText(
                f"⚠ Keyring: {name}. This is not a secure store: a key saved here could be "
                "read by others, or not kept at all. Prefer setting the EDGEAPP_API_KEY "
                "environment variable on this system."
            )
            self.keyring_label.setStyleSheet("color: #9a6700;")
        form.addRow("", self.keyring_label)
        test_row = QHBoxLayout()
        self.test_button = QPushButton("Test connection")
        self.test_button.clicked.connect(self.test_connection)
        test_row.addWidget(self.test_button)
        self.test_result = QLabel()
        self.test_result.setObjectName("testResult")
        self.test_result.setWordWrap(True)
        test_row.addWidget(self.test_result, 1)
        form.addRow("", test_row)
        self._int(form, "cloud.max_tokens", "Most tokens per answer", 1, 65536)

    def _preset_changed(self, name: str) -> None:
        for preset, url, model in PRESETS:
            if preset == name:
                self.base_url.setText(url)
                self.model.setText(model)
                return
        if name == NONE:
            self.base_url.setText("")
        elif name == CUSTOM:
            self.base_url.setFocus()

    def _local_tab(self) -> None:
        form = self._page("Local model")
        try:
            default = default_model_path()
        except Exception:  # noqa: BLE001
            default = None
        current = (
            Path(self.settings["local.model_path"]).expanduser()
            if self.settings["local.model_path"]
            else default
        )
        self.model_info = QLabel(
            model_facts(current) + ("" if self.settings["local.model_path"] else " (embedded default)")
            if current
            else "No model file"
        )
        self.model_info.setWordWrap(True)
        form.addRow("In use", self.model_info)
        row = QHBoxLayout()
        self.model_path = QLineEdit(self.settings["local.model_path"])
        self.model_path.setPlaceholderText("empty: the embedded default model")
        row.addWidget(self.model_path, 1)
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        row.addWidget(browse)
        holder = QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self._field(
            form, "local.model_path", "Model file (GGUF)", holder, lambda: self.model_path.text().strip()
        )
        self._int(form, "local.n_ctx", "Context (tokens)", 256, 131072)
        self._int(form, "local.n_threads", "CPU threads", 0, 256, special="automatic")
        gpu = self._int(form, "local.n_gpu_layers", "GPU layers", -1, 1000, special="all")
        if not gpu_offload_supported():
            gpu.setEnabled(False)
            gpu.setToolTip(
                "This llama.cpp build runs on the CPU only; rebuild with CUDA, Metal or Vulkan "
                "to offload layers to a GPU."
            )

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a GGUF model", str(Path.home()), "GGUF models (*.gguf)"
        )
        if path:
            self.model_path.setText(path)
            self.model_info.setText(model_facts(Path(path)))

    def _routing_tab(self) -> None:
        form = self._page("Routing")
        self._choice(
            form,
            "router.mode",
            "When to ask the cloud",
            [
                ("auto", "Auto: when the local model is unsure"),
                ("local", "Never (local only)"),
                ("cloud", "Always"),
            ],
        )
        thr = QDoubleSpinBox()
        thr.setRange(0.0, 1.0)
        thr.setSingleStep(0.05)
        thr.setDecimals(2)
        thr.setValue(float(self.settings["router.threshold"]))
        self._field(form, "router.threshold", "Escalate below confidence", thr, lambda: round(thr.value(), 4))
        self._choice(
            form,
            "collab.mode",
            "How the cloud helps",
            [
                ("answer", "It answers"),
                ("shepherd", "It writes the first steps, the local model finishes"),
                ("align", "It writes a plan, the local model answers from it"),
            ],
        )
        self._check(form, "collab.compress", "Shorten what is sent")
        self._check(form, "collab.exclusion_hints", "Multiple choice: say which options were ruled out")

    def _privacy_tab(self) -> None:
        form = self._page("Privacy")
        self._check(form, "privacy.confirm_before_send", "Show what is sent and ask first")
        self._check(form, "privacy.persist_mapping", "Remember placeholders between sessions")
        for kind in ENTITY_TYPES:
            label = describe(kind)
            self._choice(
                form,
                policy_key(kind),
                label[0].upper() + label[1:],
                [
                    ("mask", "mask (send a placeholder)"),
                    ("block", "block (keep the question local)"),
                    ("allow", "allow (send as is)"),
                ],
            )
        deny = QPlainTextEdit("\n".join(self.settings["privacy.deny_list"]))
        deny.setPlaceholderText(
            "One per line: values always masked (your name, address, employer). 'TYPE: value' picks the type."
        )
        deny.setFixedHeight(96)
        self._field(
            form,
            "privacy.deny_list",
            "Always mask",
            deny,
            lambda: [line.strip() for line in deny.toPlainText().splitlines() if line.strip()],
        )
        for kind, label in GUARDIAN_LABELS.items():  # what comes back from the cloud
            self._choice(form, f"guardian.{kind}", label, GUARDIAN_CHOICES)

    # -- actions ------------------------------------------------------------------------------
    def focus_key(self, key: str, value: SettingValue = None) -> None:
        if key == "cloud":
            self.tabs.setCurrentIndex(0)
            self.preset.setFocus()
            return
        if key in self.tab_of:
            self.tabs.setCurrentIndex(self.tab_of[key])
            widget = self.fields[key][0]
            target = self.model_path if key == "local.model_path" else widget
            if value is not None:
                if isinstance(target, QLineEdit):
                    target.setText(str(value))
                elif isinstance(target, QSpinBox):
                    target.setValue(int(value))
                elif isinstance(target, QDoubleSpinBox):
                    target.setValue(float(value))
            target.setFocus()

    def _forget_key(self) -> None:
        keys.delete_api_key()
        self.forget_key.setEnabled(False)
        self.api_key.setPlaceholderText("Paste the API key (stored in the OS keyring)")

    def test_connection(self) -> None:
        base, model, typed = self.base_url.text(), self.model.text(), self.api_key.text().strip()
        env = self.settings["cloud.api_key_env"]
        self.test_button.setEnabled(False)
        self.test_result.setText("Testing…")

        def run() -> Check:
            return test_connection(base, model, typed or keys.get_api_key(env))

        def shown(check: Check) -> None:
            self.test_button.setEnabled(True)
            self.test_result.setText(("✓ " if check.ok else "✗ ") + check.message)
            self.last_check = check

        self.pools.run(run, shown, lambda exc: shown(Check("error", str(exc))))

    def apply(self) -> config.Settings:
        """Validate every changed field into a fresh load of config.toml and save it; raise the first
        ConfigError / KeyStoreError (the same sentence `edgeapp config set` prints)."""
        settings = config.load()
        for key, (_widget, getter) in self.fields.items():
            value = getter()
            if value == self.settings[key] and settings.is_default(key):
                continue  # untouched default: leave it unset
            if value == settings[key]:
                continue
            settings.set(key, value)
        typed = self.api_key.text().strip()
        if typed:
            keys.set_api_key(typed)
            self.api_key.clear()
        settings.save()
        return settings

    def save(self) -> None:
        try:
            self.settings = self.apply()
        except EdgeappError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.error.hide()
        if self.assistant is not None:
            self.assistant.apply_settings(self.settings)
        self.saved.emit()
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Enter in a field should not close silently
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(
            self.focusWidget(), QPlainTextEdit
        ):
            return super().keyPressEvent(event)
        super().keyPressEvent(event)
