"""The phone page in a real headless Chromium (Debian's package, driven by Playwright; Playwright
never downloads a browser here) at a phone-sized viewport: it signs in from the pairing URL,
streams an answer, shows the route badge, escapes what models write. Chromium gets no traffic
beyond loopback: every request it makes is checked, non-loopback names resolve to nothing and
anything else would go to a dead proxy.

Screenshots (phone.png, phone-dark.png) go to the test's temporary folder, so a test run leaves
the working tree clean; set EDGEAPP_SCREENSHOTS to a folder to keep them there, e.g. to refresh
the committed ones: `EDGEAPP_SCREENSHOTS=docs/screenshots pytest tests/api/test_phone_page.py`
(a relative path is taken from the repository root)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import TOKEN

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium; "
                                                 "`make test` installs it when it runs as root)"),
]


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screenshots go: EDGEAPP_SCREENSHOTS when set, else this test's temporary folder."""
    wanted = os.environ.get("EDGEAPP_SCREENSHOTS")
    folder = ROOT / wanted if wanted else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as p:
        # Playwright gives the browser a fresh profile in a temporary folder of its own (it refuses
        # --user-data-dir with launch()); TMPDIR points it at this test's folder
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, env={**os.environ, "TMPDIR": str(tmp_path)}, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-default-apps",
            "--disable-extensions", "--metrics-recording-only", "--no-pings",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
            "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost",
        ])
        yield browser
        browser.close()


def phone(browser, *, dark: bool = False):
    context = browser.new_context(viewport={"width": 390, "height": 760}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, color_scheme="dark" if dark else "light")
    page = context.new_page()
    seen: list[str] = []

    def only_loopback(route):
        seen.append(route.request.url)
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", only_loopback)
    return context, page, seen


def test_phone_page_pairs_streams_and_shows_the_badge(serve, browser, shots):
    server = serve(local__max_tokens=40)
    context, page, seen = phone(browser)
    updates = []
    page.expose_function("edgeappSeen", lambda text: updates.append(text))
    response = page.goto(server.pairing_url)
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    # signed in from the pairing URL: the token left the address bar and sits in local storage
    page.wait_for_function("() => localStorage.getItem('edgeapp.token') !== null")
    assert "token" not in page.url and page.evaluate("localStorage.getItem('edgeapp.token')") == TOKEN
    page.wait_for_function("() => document.getElementById('budget').textContent.includes('this month')")
    # watch the answer grow while it streams
    page.evaluate("""() => new MutationObserver(() => {
        const t = document.querySelector('.msg.bot .text'); if (t) window.edgeappSeen(t.textContent);
      }).observe(document.getElementById('log'), {subtree: true, childList: true, characterData: true})""")
    page.select_option("#model", "edgeapp-local")
    page.fill("#input", "What is the capital of France?")
    page.click("#send")
    page.wait_for_selector(".msg.bot .badge", timeout=240_000)
    badge = page.text_content(".msg.bot .badge")
    answer = page.text_content(".msg.bot .text")
    assert badge == "local" and answer.strip()
    grew = [u for u in dict.fromkeys(updates) if u and u != "…"]
    assert len(grew) >= 3, grew  # it streamed: the text was seen at several lengths
    assert page.text_content("#send") == "Send"
    page.click(".msg.bot .badge")  # tap the badge: the reasons, worded by edgeapp.wording
    assert page.is_visible(".msg.bot .why") and page.text_content(".msg.bot .why").strip()
    page.screenshot(path=str(shots / "phone.png"))
    assert all(urlsplit(u).hostname in ("127.0.0.1", "localhost") for u in seen), seen
    context.close()


def test_phone_page_escapes_what_models_write_and_lists_its_conversations(serve, browser, shots):
    from edgeapp.ledger import Ledger, TurnRecord

    server = serve()
    evil = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> **bold**'
    with Ledger() as ledger:
        ledger.record_turn(TurnRecord(
            conversation_id="phoneconv01", user_text="Say something <b>odd</b>", answer=evil, route="local",
            reason="test", confidence=0.9, components={}, threshold=0.5, local_model="m", local_prompt_tokens=1,
            local_completion_tokens=1, local_ms=1.0, cloud_ms=None, cost=0.0, cloud_call_ids=[],
            client="api:phone", reason_code="confident", stopped=False))
    context, page, seen = phone(browser, dark=True)
    page.goto(server.pairing_url)
    page.wait_for_function("() => localStorage.getItem('edgeapp.token') !== null")
    page.click("#menu")
    page.wait_for_selector("#conversations li button")
    assert "Say something <b>odd</b>" in page.text_content("#conversations")
    page.click("#conversations li button")
    page.wait_for_selector(".msg.bot .badge")
    assert page.text_content(".msg.bot .text") == evil  # shown as text
    assert page.evaluate("document.querySelectorAll('#log img, #log script, #conversations b').length") == 0
    assert page.evaluate("window.pwned === undefined")
    page.screenshot(path=str(shots / "phone-dark.png"))
    context.close()
