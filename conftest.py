"""Root fixtures. The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL
points there (`.ci/run` does both)."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SEEDS = ROOT / "seeds"
# The shared, read-only real data: beside the checkout (../shared/data) as on the developers'
# machines and in CI, or wherever ARCHIVE_SHARED_DATA says.
SHARED_DATA = Path(os.environ.get("ARCHIVE_SHARED_DATA", ROOT.parent / "shared" / "data"))
VISITS = SHARED_DATA / "visits-1945-1969.jsonl"


def pytest_sessionstart(session):
    """The interface's translations as the catalogues in the tree have them: a catalogue
    compiled before its last change (or never, without `make install`) is compiled again."""
    import subprocess

    for catalogue in (ROOT / "archive" / "locale").glob("*/LC_MESSAGES/*.po"):
        compiled = catalogue.with_suffix(".mo")
        if not compiled.exists() or compiled.stat().st_mtime < catalogue.stat().st_mtime:
            subprocess.run(["msgfmt", "--check", "-o", compiled, catalogue], check=True)


@pytest.fixture
def visits_path() -> Path:
    if not VISITS.exists():
        pytest.fail(f"The real visits data is missing: {VISITS}")
    return VISITS


@pytest.fixture
def seeded(db):
    """The seed archive, loaded the way `make run` loads it."""
    from django.core.management import call_command

    call_command("load_seeds", verbosity=0)


@pytest.fixture
def write_batch(tmp_path):
    """Write a batch file in a temporary folder: write_batch("a.jsonl", [dict, ...]) or text."""
    import json

    def write(name: str, content) -> Path:
        path = tmp_path / name
        if isinstance(content, list):
            content = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in content)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def search_index(tmp_path_factory, settings):
    """Each test gets a search index of its own, made from its database when a list is first
    read (and followed after each write), so no test sees another's documents."""
    from search import index

    settings.ARCHIVE_INDEX_DIR = tmp_path_factory.mktemp("index")
    # Page images (versions/pages.py) beside it; made only by the tests that read scans.
    settings.ARCHIVE_PAGE_IMAGES_DIR = settings.ARCHIVE_INDEX_DIR.with_name(
        settings.ARCHIVE_INDEX_DIR.name + "-pages"
    )
    # Data releases (releases/), likewise.
    settings.ARCHIVE_RELEASES_DIR = settings.ARCHIVE_INDEX_DIR.with_name(
        settings.ARCHIVE_INDEX_DIR.name + "-releases"
    )
    index.forget()
    yield settings.ARCHIVE_INDEX_DIR
    index.forget()


@pytest.fixture
def caught_up():
    """Bring the test's index up to date now, so that what a test counts next (queries) is
    the read alone, not the indexing of the writes before it."""
    from search.indexing import ensure_current

    return ensure_current


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on loopback, and Django's SMTP backend sending to it:
    `smtp_server.messages` are the `email.message.EmailMessage`s it received."""
    import socket
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            message = message_from_bytes(envelope.original_content, policy=policy.default)
            message.envelope_to = list(envelope.rcpt_tos)
            self.messages.append(message)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def researcher(db):
    """A researcher's account, signed in with `tests.researchers.signed_in`."""
    from django.contrib.auth.models import User

    return User.objects.create_user("ada", "ada@example.org", "a long passphrase 1")
