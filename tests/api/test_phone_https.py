"""`edgeapp serve --https`: the certificate made on first use, its fingerprint in the pairing URL,
and the phone page over HTTPS in headless Chromium that trusts exactly that certificate's key
(`--ignore-certificate-errors-spki-list`, the way a user who compared the fingerprint trusts it),
while a browser without the pin refuses the page."""

from __future__ import annotations

import os
import ssl
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from edgeapp.api import certificate, pairing

from ..assistants import make_assistant
from .conftest import TOKEN
from .test_phone_page import CHROMIUM, phone

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


def test_certificate_is_made_once_kept_and_reissued_with_the_same_key(monkeypatch):
    first = certificate.ensure(["192.168.1.20"])
    assert first.key_file.stat().st_mode & 0o777 == 0o600
    assert first.cert_file.parent == first.key_file.parent == certificate.companion_dir()
    cert = x509.load_pem_x509_certificate(first.cert_file.read_bytes())
    assert cert.fingerprint(hashes.SHA256()).hex().upper() == first.fingerprint
    names = {str(n.value) for n in cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value}
    assert {"localhost", "127.0.0.1", "192.168.1.20"} <= names
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days <= 398  # what Apple accepts
    assert certificate.ensure(["192.168.1.20"]) == first  # kept
    moved = certificate.ensure(["10.0.0.7"])  # a new address: issued again, same key
    assert moved.fingerprint != first.fingerprint and moved.spki_sha256 == first.spki_sha256
    assert len(first.fingerprint_text.split(":")) == 32


def test_serve_https_prints_the_fingerprint_and_puts_it_in_the_code(monkeypatch):
    from edgeapp.api import server
    from edgeapp.cli.main import main

    monkeypatch.setattr(pairing, "lan_address", lambda: "192.168.1.20")
    monkeypatch.setattr(server.CompanionServer, "run", lambda self: None)
    out = CliRunner().invoke(main, ["serve", "--lan", "--https", "--port", "8797", "--token", TOKEN,
                                    "--no-warm-up"])
    assert out.exit_code == 0, out.output
    made = certificate.ensure(["192.168.1.20"])
    assert f"https://192.168.1.20:8797/#token={TOKEN}&cert={made.fingerprint}" in out.output
    assert made.fingerprint_text in out.output and "readable" not in out.output
    both = CliRunner().invoke(main, ["serve", "--https", "--tls-cert", __file__, "--tls-key", __file__,
                                     "--token", TOKEN, "--no-warm-up"])
    assert both.exit_code == 1 and "not both" in both.output


@pytest.fixture
def https_server(local_model, gatekeeper):
    from edgeapp.api import CompanionServer, ServeConfig

    assistant = make_assistant(local_model, gatekeeper, max_tokens=16, local__max_tokens=24)
    server = CompanionServer(assistant, ServeConfig(token=TOKEN, port=0, https=True)).start()
    yield server
    server.stop()
    assistant.close()


def launch(p, tmp_path, *extra: str):
    return p.chromium.launch(executable_path=CHROMIUM, headless=True, env={**os.environ, "TMPDIR": str(tmp_path)},
                             args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                   "--disable-component-update", "--no-first-run", "--disable-sync",
                                   "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
                                   "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost",
                                   *extra])


def test_phone_page_over_https_with_the_pinned_certificate(https_server, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    server = https_server
    made = server.certificate
    url = server.pairing_url
    assert url.startswith("https://127.0.0.1:") and url.endswith(f"&cert={made.fingerprint}")
    # what the server presents is the certificate whose fingerprint the code carries
    der = ssl.get_server_certificate(("127.0.0.1", server.port))
    presented = x509.load_pem_x509_certificate(der.encode()).fingerprint(hashes.SHA256()).hex().upper()
    assert presented == made.fingerprint
    with sync_api.sync_playwright() as p:
        plain = launch(p, tmp_path)
        page = plain.new_page()
        with pytest.raises(sync_api.Error, match="ERR_CERT"):
            page.goto(url)  # no pin: the browser refuses the self-signed certificate
        plain.close()

        pinned = launch(p, tmp_path, f"--ignore-certificate-errors-spki-list={made.spki_sha256}")
        context, page, seen = phone(pinned)
        response = page.goto(url)
        assert response.ok and "default-src 'none'" in response.headers["content-security-policy"]
        page.wait_for_function("() => localStorage.getItem('edgeapp.token') !== null")
        assert "token" not in page.url and page.evaluate("localStorage.getItem('edgeapp.cert')") == made.fingerprint
        assert made.fingerprint_text in page.text_content("#cert")  # shown for comparison (in the menu)
        page.click("#menu")
        assert page.is_visible("#cert")
        page.click("#close-drawer")
        page.select_option("#model", "edgeapp-local")
        page.fill("#input", "What is the capital of France?")
        page.click("#send")
        page.wait_for_selector(".msg.bot .badge", timeout=240_000)
        assert page.text_content(".msg.bot .badge") == "local" and page.text_content(".msg.bot .text").strip()
        assert all(urlsplit(u).scheme == "https" and urlsplit(u).hostname == "127.0.0.1"
                   for u in seen if not u.startswith("data:")), seen
        context.close()
        pinned.close()
