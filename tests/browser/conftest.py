"""Browser tests: the site in headless Chromium (Debian's package), driven by Playwright.

Playwright drives the system's Chromium (`ARCHIVE_CHROMIUM`, by default /usr/bin/chromium);
it never downloads a browser of its own. `.ci/run` installs Chromium where it is missing, and
without it these tests fail, loudly, rather than skip.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ARCHIVE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Where the README's screenshots are written when asked (`make screenshots`); else a temporary
# folder, so that a test run never changes the working tree.
SCREENSHOTS = os.environ.get("ARCHIVE_SCREENSHOTS_DIR")


@pytest.fixture(scope="package")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium is missing ({CHROMIUM}): the browser tests need it. "
            "Install it with `apt-get install chromium` (.ci/run does), "
            "or point ARCHIVE_CHROMIUM at a Chromium binary."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an asyncio loop running in this thread, which Django
    # takes for async code and refuses the ORM to. The test thread only sets up and flushes
    # the database while the browser waits, so this is safe; it is undone after the browser
    # tests, before any other test runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server, seeded) -> str:
    """The seed archive served on a live server: its base URL."""
    return live_server.url


def _context(browser, **options):
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser):
    context = _context(browser)
    yield context.new_page()
    context.close()


@pytest.fixture
def new_page(browser):
    """A page in a context of one's own: new_page(java_script_enabled=False, viewport=...)."""
    contexts = []

    def make(**options):
        contexts.append(_context(browser, **options))
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(tmp_path):
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path

    def take(page, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
        return path

    return take


def assert_accessible(page) -> None:
    """axe-core (every rule it runs by default: WCAG 2.0-2.2 A and AA and best practices)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
