"""How fast the admin's document and people lists answer (issue 24: ≤ 500 ms at 1M).

Run by hand against a populated scratch archive and its index, never in CI:

    ARCHIVE_INDEX_DIR=/work/benchdata/index-1m .venv/bin/python bench/admin_bench.py \\
        --database postgres://postgres@127.0.0.1:5432/archive_scale_1000000

Signs in a superuser (made if missing) through Django's test client, in-process, and prints
the fastest and slowest of `--repeat` requests of each page.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PAGES = [
    "/admin/documents/document/",
    "/admin/documents/document/?q=syn-0500000",
    "/admin/documents/document/?q=conversation",
    "/admin/documents/document/?status__exact=draft&language=ru",
    "/admin/documents/document/?date__year=1956",
    "/admin/documents/document/?embargo=held",
    "/admin/people/person/",
    "/admin/people/person/?q=chen",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    os.environ.update(
        DATABASE_URL=arguments.database,
        DJANGO_SETTINGS_MODULE="archive.settings.dev",
        ARCHIVE_INDEX_INLINE="false",
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="bench-admin")
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    for page in PAGES:
        took = []
        for _ in range(arguments.repeat):
            started = time.perf_counter()
            status = client.get(page).status_code
            took.append(time.perf_counter() - started)
        print(f"{status} {min(took) * 1000:6.0f} ms min {max(took) * 1000:6.0f} ms max  {page}")


if __name__ == "__main__":
    main()
