"""The companion's token (keyring, rotation, overrides, no-keyring fallback), pairing codes and
the `serve` command's safety checks; nothing here runs the model."""

from __future__ import annotations

import keyring
import pytest
from click.testing import CliRunner

from edgeapp.api import pairing, tokens
from edgeapp.cli.main import main


def test_token_is_made_once_kept_and_rotated(monkeypatch):
    monkeypatch.delenv(tokens.ENV, raising=False)
    first = tokens.resolve()
    assert first.source == "keyring" and len(first.value) >= 32 and "new token" in first.note
    again = tokens.resolve()
    assert again.value == first.value and again.note == ""
    rotated = tokens.rotate()
    assert rotated.value != first.value and "no longer works" in rotated.note
    assert tokens.resolve().value == rotated.value
    monkeypatch.setenv(tokens.ENV, "from-the-environment-123")
    assert tokens.resolve() == tokens.Token("from-the-environment-123", "environment")
    assert tokens.resolve("from-the-option-4567890").source == "option"
    with pytest.raises(Exception, match="at least 16"):
        tokens.resolve("short")


def test_without_a_keyring_the_token_lasts_one_run(monkeypatch):
    from keyring.backends.fail import Keyring as NoKeyring

    monkeypatch.delenv(tokens.ENV, raising=False)
    keyring.set_keyring(NoKeyring())
    a, b = tokens.resolve(), tokens.resolve()
    assert a.source == "this run only" and a.value != b.value
    assert "no usable OS keyring" in a.note and tokens.ENV in a.note


def test_constant_time_match():
    assert tokens.matches("abc-token-1234567890", "abc-token-1234567890")
    assert not tokens.matches("abc-token-1234567891", "abc-token-1234567890")
    assert not tokens.matches(None, "abc-token-1234567890") and not tokens.matches("", "x" * 20)


def test_pairing_url_and_codes(monkeypatch):
    url = pairing.pairing_url("127.0.0.1", 8765, "tok-en_123456789012345")
    assert url == "http://127.0.0.1:8765/#token=tok-en_123456789012345"  # the token rides in the fragment
    monkeypatch.setattr(pairing, "lan_address", lambda: "192.168.1.20")
    assert pairing.pairing_url("0.0.0.0", 9000, "t" * 20, tls=True).startswith("https://192.168.1.20:9000/#token=")
    assert pairing.qr_png(url).startswith(b"\x89PNG\r\n\x1a\n")
    assert pairing.qr_svg(url).startswith("<svg")
    text = pairing.qr_text(url)
    assert len(text.splitlines()) > 10 and set(text) <= set("█▀▄ \n")


def test_serve_refuses_a_network_address_without_lan():
    out = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--token", "t" * 20, "--no-warm-up"])
    assert out.exit_code == 1 and "--lan" in out.output


def test_serve_lan_warns_and_prints_the_pairing_code(monkeypatch):
    from edgeapp.api import server

    monkeypatch.setattr(pairing, "lan_address", lambda: "192.168.1.20")
    monkeypatch.setattr(server.CompanionServer, "run", lambda self: None)
    out = CliRunner().invoke(main, ["serve", "--lan", "--port", "8799", "--token", "lan-token-1234567890",
                                    "--no-warm-up"])
    assert out.exit_code == 0, out.output
    assert "readable" in out.output and "TLS" in out.output  # the plain warning
    assert "http://192.168.1.20:8799/#token=lan-token-1234567890" in out.output
    assert "█" in out.output  # the QR code


def test_serve_rotate_token(monkeypatch):
    from edgeapp.api import server

    monkeypatch.delenv(tokens.ENV, raising=False)
    monkeypatch.setattr(server.CompanionServer, "run", lambda self: None)
    before = tokens.resolve().value
    out = CliRunner().invoke(main, ["serve", "--rotate-token", "--port", "8798", "--no-warm-up"])
    assert out.exit_code == 0, out.output
    after = tokens.resolve().value
    assert after != before and after in out.output and "no longer works" in out.output
