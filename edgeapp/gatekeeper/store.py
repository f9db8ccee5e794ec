"""Keeping a conversation's placeholder mapping between sessions, only if the user opted in.

By default (`privacy.persist_mapping = false`) nothing is written: a new session starts with an
empty vault. With the opt-in the mapping is a JSON file per conversation, readable by the user only.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from .. import paths
from ..errors import GatekeeperError
from .vault import PlaceholderVault


def vault_file(conversation_id: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", conversation_id)[:120] or "default"
    folder = paths.data_dir() / "privacy-vaults"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{safe}.json"


def load_vault(conversation_id: str, persist: bool) -> PlaceholderVault:
    """The conversation's vault: from disk when opted in and present, else a new empty one."""
    if not persist:
        return PlaceholderVault()
    path = vault_file(conversation_id)
    if not path.exists():
        return PlaceholderVault()
    try:
        return PlaceholderVault.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise GatekeeperError(
            f"The saved placeholder mapping {path} cannot be read ({exc}); delete it to start afresh."
        ) from exc


def save_vault(conversation_id: str, vault: PlaceholderVault, persist: bool) -> Path | None:
    """Write the mapping only when the user opted in; returns the file written, if any."""
    if not persist:
        return None
    path = vault_file(conversation_id)
    tmp = path.with_suffix(".json.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(vault.to_dict(), fh, ensure_ascii=False)
    os.replace(tmp, path)
    return path
