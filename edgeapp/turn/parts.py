"""The parts a turn uses, built on first use and rebuilt when the settings they were built with
change: the local model (loaded on a thread of its own), its embedding twin, the gatekeeper, the
cloud client and the ledger. Parts passed in by the caller are the caller's: never rebuilt, never
closed here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config
from ..cancel import POLL_S, CancelToken
from ..cloud.api_key import get_api_key
from ..cloud.client import CloudClient
from ..errors import EdgeappError
from ..gatekeeper import Gatekeeper
from ..models.catalog import default_model_path
from ..models.local_model import LocalModel

if TYPE_CHECKING:
    from ..ledger import Ledger

LOCAL_KEYS = ("local.model_path", "local.n_ctx", "local.n_threads", "local.n_gpu_layers")
EMBEDDER_CTX = 2048


class ModelLoader:
    """Loads the local model on a thread of its own, so a waiting turn can be stopped."""

    def __init__(self, make: Callable[[], LocalModel]) -> None:
        self.done = threading.Event()
        self.model: LocalModel | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(make,), name="edgeapp-model-load", daemon=True
        )
        self._thread.start()

    def _run(self, make: Callable[[], LocalModel]) -> None:
        try:
            self.model = make()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting turn
            self.error = exc
        finally:
            self.done.set()


def signature(settings: config.Settings, part: str) -> tuple[tuple[str, str], ...]:
    """The settings `part` (local, cloud, gatekeeper) is built from, to tell when to rebuild it."""
    if part == "local":
        names: list[str] = list(LOCAL_KEYS)
    elif part == "cloud":
        names = config.in_section("cloud")
    else:  # gatekeeper; asking before sending changes nothing the gatekeeper does
        names = [n for n in config.in_section("privacy") if n != "privacy.confirm_before_send"]
    return tuple((n, repr(settings[n])) for n in sorted(names))


def make_local(settings: config.Settings) -> LocalModel:
    path = settings["local.model_path"]
    return LocalModel(
        Path(path).expanduser() if path else default_model_path(),
        n_ctx=settings["local.n_ctx"],
        n_threads=settings["local.n_threads"],
        n_gpu_layers=settings["local.n_gpu_layers"],
    )


class Parts:
    """Owns what it builds. `settings` may be replaced at any time: `sync` (run at the start of
    each turn) drops the parts built with settings that have changed since."""

    def __init__(
        self,
        settings: config.Settings,
        *,
        local_model: LocalModel | None = None,
        gatekeeper: Gatekeeper | None = None,
        cloud: CloudClient | None = None,
        ledger: Ledger | None = None,
        use_ledger: bool = True,
        embedder: LocalModel | None = None,
    ) -> None:
        self.settings = settings
        self._local, self._owns_local = local_model, local_model is None
        self._gatekeeper, self._owns_gatekeeper = gatekeeper, gatekeeper is None
        self._cloud, self._owns_cloud = cloud, cloud is None
        self._ledger, self._owns_ledger = ledger, ledger is None
        self._use_ledger = use_ledger
        self._embedder, self._owns_embedder = embedder, embedder is None
        self._lock = threading.RLock()  # guards building and dropping parts
        self._loader: ModelLoader | None = None
        self._built: dict[str, tuple[tuple[str, str], ...]] = {}  # part -> the settings it was built with
        self._closed = False

    # -- rebuilding ---------------------------------------------------------------------------
    def _stale(self, part: str, owned: bool) -> bool:
        return owned and part in self._built and self._built[part] != signature(self.settings, part)

    def sync(self) -> None:
        """Drop the parts built with settings that have changed since (rebuilt on next use)."""
        with self._lock:
            if self._stale("local", self._owns_local):
                self._drop_local()
                self._built.pop("local", None)
            if self._stale("cloud", self._owns_cloud):
                if self._cloud is not None:
                    self._cloud.close()
                self._cloud = None
                self._built.pop("cloud", None)
            if self._stale("gatekeeper", self._owns_gatekeeper):
                self._gatekeeper = None
                self._built.pop("gatekeeper", None)

    def apply(self, settings: config.Settings) -> None:
        """Use `settings` from now on, dropping what was built with other values."""
        with self._lock:
            self.settings = settings
            self.sync()

    def holds_resources(self) -> bool:
        """Whether a part built here that `close` releases (the model or its load, the embedding
        twin, the ledger's connections, the HTTP session) is still held."""
        with self._lock:
            owned = (
                (self._owns_local, self._local or self._loader),
                (self._owns_embedder, self._embedder),
                (self._owns_cloud, self._cloud),
                (self._owns_ledger, self._ledger),
            )
            return any(owns and part is not None for owns, part in owned)

    def _drop_local(self) -> None:
        if self._local is not None:
            self._local.close()
            self._local = None
        self._loader = None
        if self._owns_embedder and self._embedder is not None:
            self._embedder.close()
            self._embedder = None

    # -- the local model ------------------------------------------------------------------------
    def local_ready(self, token: CancelToken | None) -> LocalModel:
        """The local model, loading it first if needed (once, whichever threads ask); a set `token`
        ends the wait (the load goes on and serves the next turn)."""
        if self._closed:
            raise EdgeappError("This assistant was closed.")
        with self._lock:
            if self._local is not None:
                return self._local
            if self._loader is None:
                self._built["local"] = signature(self.settings, "local")
                settings = self.settings
                self._loader = ModelLoader(lambda: make_local(settings))
            loader = self._loader
        while not loader.done.wait(POLL_S):
            if token is not None:
                token.check()
        with self._lock:
            if loader.error is not None:
                if self._loader is loader:
                    self._loader = None  # the next turn tries again (the user may fix the setting)
                raise loader.error
            if self._loader is loader and self._local is None and not self._closed:
                self._local = loader.model
                return self._local
            if loader.model is not None and loader.model is not self._local:
                loader.model.close()  # the settings changed, or the parts closed, while it loaded
            if self._local is not None:
                return self._local
        return self.local_ready(token)  # load again with the settings now in force

    @property
    def loaded_local(self) -> LocalModel | None:
        """The local model when it is loaded; never starts a load."""
        return self._local

    @property
    def embedder(self) -> LocalModel:
        """The local model in embedding mode (collab.mode = align); its weights are memory-mapped, so
        the second instance costs little more than its context."""
        with self._lock:
            if self._embedder is None:
                local = self.local_ready(None)
                self._embedder = LocalModel(
                    local.path,
                    n_ctx=EMBEDDER_CTX,
                    n_threads=local.n_threads,
                    n_gpu_layers=self.settings["local.n_gpu_layers"],
                    embedding=True,
                )
            return self._embedder

    # -- the others -------------------------------------------------------------------------------
    @property
    def gatekeeper(self) -> Gatekeeper:
        with self._lock:
            if self._gatekeeper is None:
                self._built["gatekeeper"] = signature(self.settings, "gatekeeper")
                self._gatekeeper = Gatekeeper.from_settings(self.settings)
            return self._gatekeeper

    @property
    def cloud_configured(self) -> bool:
        """Whether a cloud endpoint is set up (the client is then built on first use)."""
        return self._cloud is not None or bool(self.settings["cloud.base_url"])

    @property
    def cloud(self) -> CloudClient | None:
        with self._lock:
            if self._cloud is None and self.settings["cloud.base_url"]:
                self._built["cloud"] = signature(self.settings, "cloud")
                self._cloud = CloudClient.from_settings(
                    self.settings, get_api_key(self.settings["cloud.api_key_env"])
                )
            return self._cloud

    @property
    def keeps_history(self) -> bool:
        """Whether turns are kept (a ledger, and what goes with it: the saved placeholder mapping)."""
        return self._use_ledger

    @property
    def ledger(self) -> Ledger | None:
        with self._lock:
            if self._ledger is None and self._use_ledger and not self._closed:
                try:
                    from ..ledger import Ledger
                except ImportError:
                    self._use_ledger = False
                    return None
                self._ledger = Ledger()
            return self._ledger

    def close(self) -> None:
        """Release what was built here: the model (and its embedding twin), the ledger's connections
        and the HTTP session. Idempotent."""
        with self._lock:
            self._closed = True
            loader = None
            if self._owns_local:
                if self._local is not None:
                    self._local.close()
                    self._local = None
                loader, self._loader = self._loader, None
            if self._owns_embedder and self._embedder is not None:
                self._embedder.close()
                self._embedder = None
            if self._owns_ledger and self._ledger is not None:
                self._ledger.close()
                self._ledger = None
            if self._owns_cloud and self._cloud is not None:
                self._cloud.close()
                self._cloud = None
        if loader is not None:  # a load still running: close what it makes
            loader.done.wait(60)
            if loader.model is not None:
                loader.model.close()
