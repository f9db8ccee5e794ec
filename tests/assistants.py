"""An Assistant on the suite's shared model and analyzer, for the tests of the faces (window, API)."""

from __future__ import annotations

from edgeapp import config


def make_assistant(local_model, gatekeeper, url: str | None = None, *, max_tokens: int = 48, **settings):
    """With these settings (saved to config.toml too, so the faces and the ledger's budget read the
    same values); `url` points the cloud at a loopback server posing as `stand-in-cloud`."""
    from edgeapp.assistant import Assistant

    s = config.load()
    if url:
        s.set("cloud.base_url", url)
        s.set("cloud.model", "stand-in-cloud")
    s.set("cloud.max_tokens", max_tokens)
    s.set("local.max_tokens", max_tokens)
    s.set("local.n_ctx", 2048)
    for k, v in settings.items():
        s.set(k.replace("__", "."), v)
    s.save()
    return Assistant(s, local_model=local_model, gatekeeper=gatekeeper)
