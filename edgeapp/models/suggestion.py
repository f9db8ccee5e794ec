"""The first run's suggestion: the embedded model is for trying edgeapp out; here is the best
catalog model that fits this machine, its download size, time and licence.

`first_run_suggestion()` decides (None when the model in use is not the embedded one, or when no
bigger catalog model fits this machine: `hardware.recommend` and `hardware.fit` choose); the
`Suggestion` words it once for every face: `one_line()` for `edgeapp chat`'s banner, `headline`
and `details` for the window. Deciding reads the machine (`hardware.detect`, which may run
nvidia-smi): call it off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import config
from . import ModelEntry, entries, hardware, installed_path

# What the download-time estimate assumes: a typical home broadband download speed. Said with
# every estimate, so that a user on a slower line can scale it.
ASSUMED_MBIT_S = 50
LEAD = "Recommended for this computer:"


def size_text(n_bytes: float) -> str:
    return f"{n_bytes / 1e9:.1f} GB" if n_bytes >= 1e9 else f"{n_bytes / 1e6:.0f} MB"


def download_time(n_bytes: float, mbit_s: float = ASSUMED_MBIT_S) -> str:
    """How long `n_bytes` take at `mbit_s`, in words, with the assumption: "about 3 min at 50 Mbit/s"."""
    seconds = n_bytes * 8 / (mbit_s * 1e6)
    if seconds < 60:
        span = "under a minute"
    elif seconds < 90 * 60:
        span = f"about {round(seconds / 60)} min"
    else:
        span = f"about {seconds / 3600:.1f} hours"
    return f"{span} at {mbit_s:g} Mbit/s"


@dataclass(frozen=True)
class Suggestion:
    """A better model for this machine than the embedded one in use."""

    entry: ModelEntry  # the recommended catalog model
    fit: hardware.Fit  # how it fits here (always hardware.FITS)
    current_title: str  # the embedded model's title
    installed: bool  # already downloaded: one click switches, nothing to fetch

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def facts(self) -> str:
        """ "986 MB, about 3 min at 50 Mbit/s, Apache-2.0 licence" (no download time when installed)."""
        size = size_text(self.entry.size)
        if self.installed:
            return f"{size}, already downloaded, {self.entry.license} licence"
        return f"{size}, {download_time(self.entry.size)}, {self.entry.license} licence"

    @property
    def headline(self) -> str:
        return (
            f"The built-in model, {self.current_title}, is tiny: it is there for trying edgeapp out "
            "and often gets facts wrong."
        )

    @property
    def details(self) -> str:
        return f"{LEAD} {self.entry.title} ({self.facts}). {self.fit_text} {self.entry.good_for}"

    @property
    def fit_text(self) -> str:
        """ "It needs 1.5 GB of memory and writes about 8 tokens a second on this computer's CPU."."""
        where = "on the GPU" if self.fit.where == "GPU" else "on this computer's CPU"
        speed = f" and writes about {self.fit.tokens_per_s:.0f} tokens a second {where}"
        return f"It needs {size_text(self.fit.need)} of memory{speed if self.fit.tokens_per_s else ''}."

    @property
    def command(self) -> str:
        return f"edgeapp models pull {self.entry.name} --use"

    def one_line(self) -> str:
        """The terminal chat's line under its banner."""
        return (
            f"The built-in {self.current_title} is for trying edgeapp out; {self.entry.title} fits "
            f"this computer ({self.facts}): `{self.command}`"
        )


def first_run_suggestion(
    settings: config.Settings | None = None, machine: hardware.Machine | None = None
) -> Suggestion | None:
    """The best catalog model that fits this machine, while the embedded model is in use."""
    settings = settings or config.load()
    models = entries()
    embedded = next((m for m in models if m.embedded), None)
    if embedded is None or settings["local.model_path"]:
        return None  # the user chose a model file: not a first run any more
    machine = machine or hardware.detect()
    n_ctx = settings["local.n_ctx"]
    best = hardware.recommend(models, machine, n_ctx)
    if best is None or best.embedded:
        return None
    fit = hardware.fit(best, machine, n_ctx)
    if fit.label != hardware.FITS:
        return None  # only "may be slow" here: better to say nothing than to oversell
    current = embedded.title.removesuffix(" (embedded)")
    return Suggestion(best, fit, current, installed_path(best) is not None)
