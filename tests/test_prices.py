"""Prices: bundled table, lookup rules, overrides, the local-endpoint rule, sanity bounds, arithmetic."""

from __future__ import annotations

import math

import pytest

from edgeapp import config
from edgeapp.config.checks import MAX_PRICE_PER_M
from edgeapp.errors import ConfigError
from edgeapp.ledger import PriceError, Prices, UnknownPrice
from edgeapp.ledger.prices import (
    Price,
    estimate_json_tokens,
    is_local_url,
    load_table,
    reserved_input_tokens,
    worst_case_cost,
)

OPENAI = "https://api.openai.com/v1"


@pytest.fixture
def settings() -> config.Settings:
    return config.Settings()


def test_bundled_table_is_sane_and_dated():
    table = load_table()
    models = {e.model for e in table.values()}
    assert len(models) >= 30
    for entry in table.values():
        assert 0 <= entry.input_per_m <= MAX_PRICE_PER_M
        assert 0 < entry.output_per_m <= MAX_PRICE_PER_M
        assert entry.checked[:2] == "20"
        assert entry.provider
    providers = {e.provider.split()[0] for e in table.values()}
    assert {"OpenAI", "Anthropic", "Groq", "Mistral", "Google", "DeepSeek"} <= providers


@pytest.mark.parametrize(
    "model, expected",
    [
        ("gpt-4o-mini", (0.15, 0.60)),
        ("GPT-4o-mini", (0.15, 0.60)),  # case-insensitive
        ("openai/gpt-4o-mini", (0.15, 0.60)),  # OpenRouter-style vendor prefix
        ("gpt-4o-mini-2024-07-18", (0.15, 0.60)),  # dated snapshot
        ("anthropic/claude-3.5-sonnet", (3.0, 15.0)),  # alias after the prefix
        ("claude-3-5-haiku-20241022", (0.80, 4.0)),
        ("llama-3.3-70b-versatile", (0.59, 0.79)),
        ("mistral-small-latest", (0.10, 0.30)),
    ],
)
def test_lookup_rules(settings, model, expected):
    price = Prices().price_for(model, OPENAI, settings)
    assert (price.input_per_m, price.output_per_m) == expected
    assert "bundled table" in price.source and price.checked


def test_unknown_model_is_never_free_and_says_how_to_price_it(settings):
    with pytest.raises(UnknownPrice) as info:
        Prices().price_for("acme-brain-9000", "https://api.acme.example/v1", settings)
    message = str(info.value)
    assert "edgeapp price set acme-brain-9000" in message
    assert info.value.model == "acme-brain-9000"


def test_local_endpoint_rule(settings):
    for url in ("http://127.0.0.1:8080/v1", "http://localhost:11434/v1", "http://[::1]:8000/v1"):
        price = Prices().price_for("llama3.2:1b", url, settings)
        assert (price.input_per_m, price.output_per_m) == (0.0, 0.0)
        assert "local endpoint rule" in price.source
    # a LAN address is not "this machine"
    with pytest.raises(UnknownPrice):
        Prices().price_for("llama3.2:1b", "http://192.168.1.20:11434/v1", settings)
    # the rule can be switched off
    settings.set("prices.local_free", False)
    with pytest.raises(UnknownPrice):
        Prices().price_for("llama3.2:1b", "http://127.0.0.1:8080/v1", settings)


def test_known_model_behind_a_local_gateway_still_costs(settings):
    price = Prices().price_for("gpt-4o", "http://localhost:4000/v1", settings)
    assert price.input_per_m == 2.50


def test_override_wins_over_table_and_local_rule(settings):
    settings.set("prices.overrides", ["gpt-4o-mini 1 2", "smollm2 0.5 0.5"])
    assert Prices().price_for("openai/gpt-4o-mini", OPENAI, settings).input_per_m == 1.0
    local = Prices().price_for("smollm2", "http://127.0.0.1:9/v1", settings)
    assert (local.input_per_m, local.output_per_m) == (0.5, 0.5)
    assert "your price" in local.source


@pytest.mark.parametrize("entry", ["m -1 2", "m 1 -0.01", f"m 1 {MAX_PRICE_PER_M + 1}", "m nan 1", "m 1", "m a b"])
def test_absurd_or_malformed_overrides_are_rejected(settings, entry):
    with pytest.raises(ConfigError):
        settings.set("prices.overrides", [entry])


def test_absurd_table_is_rejected(tmp_path):
    bad = tmp_path / "prices.toml"
    bad.write_text('[models."x"]\ninput = -1\noutput = 1\nchecked = "2025-01"\n')
    with pytest.raises(PriceError, match="negative"):
        load_table(bad)
    bad.write_text('[models."x"]\ninput = 1\noutput = 5000\nchecked = "2025-01"\n')
    with pytest.raises(PriceError, match="sane bound"):
        load_table(bad)
    bad.write_text('[models."x"]\ninput = 1\noutput = 5\n')
    with pytest.raises(PriceError, match="checked"):
        load_table(bad)


def test_other_currency_needs_a_rate(settings):
    settings.set("budget.currency", "EUR")
    with pytest.raises(UnknownPrice, match="budget.usd_rate"):
        Prices().price_for("gpt-4o-mini", OPENAI, settings)
    settings.set("budget.usd_rate", 0.5)
    price = Prices().price_for("gpt-4o-mini", OPENAI, settings)
    assert price.currency == "EUR"
    assert math.isclose(price.input_per_m, 0.075) and math.isclose(price.output_per_m, 0.30)


def test_cost_arithmetic():
    price = Price(2.50, 10.00, "test")
    assert math.isclose(price.cost(1_000_000, 0), 2.50)
    assert math.isclose(price.cost(1234, 567), (1234 * 2.50 + 567 * 10.00) / 1e6)
    assert price.cost(0, 0) == 0
    # worst case: every output token plus the input with its margin (25% + 64)
    assert reserved_input_tokens(1000) == 1314
    assert math.isclose(worst_case_cost(price, 1000, 500), (1314 * 2.50 + 500 * 10.00) / 1e6)


def test_token_estimates():
    body = '{"model": "m", "messages": [{"role": "user", "content": "' + "a" * 400 + '"}]}'
    assert estimate_json_tokens(body) == 100 + 4
    answer = '{"choices": [{"message": {"role": "assistant", "content": "' + "b" * 40 + '"}}]}'
    assert estimate_json_tokens(answer) == 10 + 4
    assert estimate_json_tokens(None) == 0
    assert estimate_json_tokens("not json at all!") == 4


def test_is_local_url():
    assert is_local_url("http://127.0.0.5:1/v1")
    assert not is_local_url("https://api.openai.com/v1")
    assert not is_local_url("")
