"""Browser tests: Playwright driving Debian's Chromium (installed by `make system-deps`, never downloaded)."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls in the tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"Chromium fehlt unter {CHROMIUM}: `make system-deps` (als root) installiert Debians chromium.")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    external = []

    def block_foreign(route):
        external.append(route.request.url)
        route.abort()

    # Nothing may be loaded from another host: every such request is recorded and fails the test.
    context.route(lambda url: not url.startswith(live_server.url) and not url.startswith("data:"), block_foreign)
    page = context.new_page()
    yield page
    context.close()
    assert external == [], f"requests to other hosts: {external}"


@pytest.fixture
def axe_check():
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page) -> None:
        # after a click the next page may still be loading its stylesheet: judge the finished page only
        page.wait_for_load_state("load")
        page.wait_for_timeout(250)  # Bootstrap's colour transitions (0.15 s) must have ended
        results = axe.run(page)
        serious = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
        details = [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}" for v in serious]
        assert serious == [], f"{page.url}: " + "; ".join(details)

    return check
