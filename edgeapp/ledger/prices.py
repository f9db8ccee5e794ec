"""Prices per million tokens: your overrides, the bundled table, and the local-endpoint rule.

Lookup order for `Prices.price_for(model, base_url, settings)`:
1. your override (`edgeapp price set MODEL IN OUT`, stored in the setting prices.overrides),
   in budget.currency;
2. the bundled table resources/prices.toml (USD; converted with budget.usd_rate when
   budget.currency is not USD) - also for a gateway on localhost, so a LiteLLM-style proxy
   serving gpt-4o is never counted as free;
3. the local-endpoint rule: a model served from localhost, 127.0.0.1 or ::1 (Ollama, the
   llama.cpp server) costs 0, unless prices.local_free is off;
4. otherwise UnknownPrice: an unknown model is never silently free.
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .. import paths
from ..config import Settings
from ..config.checks import parse_price_override as parse_override
from ..config.checks import price_value as check_price_value
from .errors import PriceError, UnknownPrice

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BUNDLED_FILE = paths.resource("prices.toml")
_DATE_SUFFIX = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{8})$")


@dataclass(frozen=True)
class Price:
    input_per_m: float
    output_per_m: float
    source: str
    checked: str | None = None
    currency: str = "USD"

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        return (input_tokens * self.input_per_m + output_tokens * self.output_per_m) / 1_000_000


@dataclass(frozen=True)
class TableEntry:
    model: str
    provider: str
    input_per_m: float
    output_per_m: float
    checked: str
    aliases: tuple[str, ...] = ()


def is_local_url(base_url: str) -> bool:
    """True for http(s) URLs whose host is this machine (localhost, 127.0.0.0/8, ::1)."""
    host = (urlparse(base_url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_table(path: Path = BUNDLED_FILE) -> dict[str, TableEntry]:
    """Read and validate a price table; keys are lower-cased model names and aliases."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PriceError(f"The bundled price table {path} is missing; reinstall edgeapp.") from None
    except tomllib.TOMLDecodeError as exc:
        raise PriceError(f"The price table {path} is not valid TOML: {exc}") from exc
    if data.get("currency", "USD") != "USD":
        raise PriceError(f"The price table {path} must be in USD.")
    table: dict[str, TableEntry] = {}
    for model, row in data.get("models", {}).items():
        for field in ("input", "output"):
            problem = check_price_value(row.get(field), f"{field} price")
            if problem:
                raise PriceError(f"In {path}, model {model}: {problem}.")
        if not row.get("checked"):
            raise PriceError(f"In {path}, model {model} has no `checked` date.")
        entry = TableEntry(
            model=model,
            provider=row.get("provider", ""),
            input_per_m=float(row["input"]),
            output_per_m=float(row["output"]),
            checked=str(row["checked"]),
            aliases=tuple(row.get("aliases", ())),
        )
        for name in (model, *entry.aliases):
            table[name.lower()] = entry
    return table


@lru_cache(maxsize=4)
def _cached_table(path: Path) -> dict[str, TableEntry]:
    return load_table(path)


def _candidates(model: str) -> list[str]:
    name = model.strip().lower()
    tail = name.rsplit("/", 1)[-1]
    out = [name, tail, _DATE_SUFFIX.sub("", name), _DATE_SUFFIX.sub("", tail)]
    return list(dict.fromkeys(out))


def how_to_set_price(model: str) -> str:
    return f"edgeapp price set {model} INPUT_PER_MILLION OUTPUT_PER_MILLION"


class Prices:
    """Finds the price of a model. Cheap to create; the bundled table is read once per process."""

    def __init__(self, table_file: Path = BUNDLED_FILE):
        self.table_file = table_file

    @property
    def table(self) -> dict[str, TableEntry]:
        return _cached_table(self.table_file)

    def lookup_table(self, model: str) -> TableEntry | None:
        for name in _candidates(model):
            if name in self.table:
                return self.table[name]
        return None

    def overrides(self, settings: Settings) -> dict[str, tuple[float, float]]:
        out: dict[str, tuple[float, float]] = {}
        for entry in settings["prices.overrides"]:
            name, price_in, price_out = parse_override(str(entry))
            out[name.lower()] = (price_in, price_out)
        return out

    def price_for(self, model: str, base_url: str, settings: Settings) -> Price:
        currency = settings["budget.currency"]
        mine = self.overrides(settings)
        for name in _candidates(model):
            if name in mine:
                price_in, price_out = mine[name]
                return Price(price_in, price_out, f"your price for {name} (prices.overrides)", None, currency)
        entry = self.lookup_table(model)
        if entry is not None:
            rate = 1.0
            if currency != "USD":
                rate = settings["budget.usd_rate"]
                if not rate:
                    raise UnknownPrice(
                        f"Your budget is in {currency} but the bundled price of {model} is in USD. "
                        f"Set the exchange rate with `edgeapp config set budget.usd_rate RATE` "
                        f"({currency} per 1 USD), or set the price in {currency} with "
                        f"`{how_to_set_price(model)}`.",
                        model=model,
                    )
            price = Price(
                entry.input_per_m * rate,
                entry.output_per_m * rate,
                f"bundled table ({entry.provider} {entry.model}, checked {entry.checked})",
                entry.checked,
                currency,
            )
            self._check(price, model)
            return price
        if settings["prices.local_free"] and is_local_url(base_url):
            return Price(0.0, 0.0, f"local endpoint rule ({base_url} is on this machine)", None, currency)
        where = f" at {base_url}" if base_url else ""
        raise UnknownPrice(
            f"No price is known for the model '{model}'{where}, and edgeapp never treats a model as free. "
            f"Set its price per million tokens (in {currency}) with `{how_to_set_price(model)}`, "
            f"for example `edgeapp price set {model} 0.15 0.60`.",
            model=model,
        )

    @staticmethod
    def _check(price: Price, model: str) -> None:
        for value, what in ((price.input_per_m, "input price"), (price.output_per_m, "output price")):
            problem = check_price_value(value, what)
            if problem:
                raise PriceError(f"Price for {model}: {problem}. Fix it with `{how_to_set_price(model)}`.")


def worst_case_cost(price: Price, input_tokens: int, max_output_tokens: int) -> float:
    """What a call can cost at most: every input token, plus every output token it may generate."""
    return price.cost(reserved_input_tokens(input_tokens), max_output_tokens)


INPUT_MARGIN = 1.25
INPUT_OVERHEAD = 64


def reserved_input_tokens(estimated_input_tokens: int) -> int:
    """The caller's input count comes from another tokenizer (or chars/4): reserve a margin on top
    (25% + 64 tokens for the chat template), so the provider's real count stays inside it."""
    return math.ceil(max(0, estimated_input_tokens) * INPUT_MARGIN) + INPUT_OVERHEAD


def estimate_tokens(text: str) -> int:
    """Rough token count when the provider reports no usage: about 4 characters per token."""
    return math.ceil(len(text) / 4) if text else 0


def _texts(value: Any) -> list[str]:
    """Every `content`/`text` string inside an OpenAI-style request or response."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("content", "text", "reasoning_content") and isinstance(item, str):
                found.append(item)
            else:
                found.extend(_texts(item))
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                continue
            found.extend(_texts(item))
    return found


def estimate_json_tokens(body: str | None) -> int:
    """Estimate the tokens of the messages in a request or the answer in a response body."""
    if not body:
        return 0

    try:
        texts = _texts(json.loads(body))
    except ValueError:
        return estimate_tokens(body)
    if not texts:
        return 0
    # about 4 tokens of chat-template framing per message
    return sum(estimate_tokens(t) + 4 for t in texts)
