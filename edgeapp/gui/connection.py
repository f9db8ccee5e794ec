"""Settings > Cloud > Test connection: is the endpoint reachable, is the key accepted, is the model
there? One GET of /models (every OpenAI-compatible server has it). No Qt here; runs on a worker."""

from __future__ import annotations

from dataclasses import dataclass

import requests

PRESETS: list[tuple[str, str, str]] = [  # name, base URL, example model
    ("OpenAI", "https://api.openai.com/v1", "gpt-4o-mini"),
    ("OpenRouter", "https://openrouter.ai/api/v1", "openai/gpt-4o-mini"),
    ("Groq", "https://api.groq.com/openai/v1", "llama-3.1-8b-instant"),
    ("Ollama (this computer)", "http://localhost:11434/v1", "llama3.2"),
    ("llama.cpp server", "http://127.0.0.1:8080/v1", "default"),
]
CUSTOM = "Custom address"
NONE = "No cloud (everything local)"


def preset_for(base_url: str) -> str:
    if not base_url:
        return NONE
    for name, url, _ in PRESETS:
        if base_url.rstrip("/") == url:
            return name
    return CUSTOM


@dataclass(frozen=True)
class Check:
    outcome: str  # reachable | auth-failed | model-missing | unreachable | error
    message: str

    @property
    def ok(self) -> bool:
        return self.outcome == "reachable"


def test_connection(base_url: str, model: str, api_key: str | None, timeout: float = 8.0) -> Check:
    base_url = (base_url or "").strip().rstrip("/")
    if not base_url:
        return Check("error", "No cloud address is set: pick a provider or type its address.")
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        resp = requests.get(f"{base_url}/models", headers=headers, timeout=timeout)
    except requests.exceptions.SSLError as exc:
        return Check(
            "unreachable",
            f"Not reachable: the secure connection to {base_url} failed ({exc.__class__.__name__}).",
        )
    except requests.exceptions.Timeout:
        return Check("unreachable", f"Not reachable: {base_url} did not answer within {timeout:g} seconds.")
    except requests.exceptions.RequestException:
        return Check(
            "unreachable",
            f"Not reachable: nothing answers at {base_url}. Check the address and "
            "that the server is running.",
        )
    if resp.status_code in (401, 403):
        hint = "no API key is stored" if not api_key else "the API key was refused"
        return Check("auth-failed", f"Reachable, but authentication failed: {hint}. Paste a valid key.")
    if resp.status_code == 404:
        return Check(
            "reachable",
            f"Reachable ({base_url}), but it does not list its models, so the model "
            f"“{model}” could not be checked.",
        )
    if resp.status_code >= 400:
        return Check("error", f"Reachable, but it answered HTTP {resp.status_code}.")
    try:
        ids = [str(m.get("id")) for m in resp.json().get("data", [])]
    except (ValueError, AttributeError):
        return Check(
            "error", f"Reachable, but {base_url}/models did not answer like an OpenAI-compatible API."
        )
    if model and ids and model not in ids:
        shown = ", ".join(ids[:6]) + ("…" if len(ids) > 6 else "")
        return Check(
            "model-missing",
            f"Reachable and the key works, but the model “{model}” is not offered there. Available: {shown}.",
        )
    return Check("reachable", f"Reachable, the key works and the model “{model}” is available.")
