"""The interface's catalogues (archive/locale/<language>/LC_MESSAGES/django.po) kept whole.

    python -m archive.translations check    # make lint: fails on anything below
    python -m archive.translations update   # after marking a string: the catalogues follow

`check` runs makemessages over the code into a temporary copy of the catalogues (the tree is
left as it is) and fails when a string the code marks is not in a catalogue or a catalogue
holds one the code no longer has (the catalogues in git are out of date: run `update`), and
when any entry is untranslated, fuzzy, obsolete, has the wrong number of plural forms, or
does not compile (`msgfmt --check`: the placeholders of msgid and msgstr agree). See
docs/translations.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "archive" / "locale"
# The interface's languages other than English, as gettext names their folders.
LOCALES = ("ru", "zh_Hans")
# What is not the interface: the tests, the benchmarks, built and generated folders.
IGNORE = ["tests/*", "bench/*", "build/*", "var/*", "staticfiles/*", "media/*", "seeds/*"]
PLURAL_FORMS = {"ru": 3, "zh_Hans": 1}


def _makemessages(locale_dir: Path) -> None:
    """makemessages for every language, writing into `locale_dir`."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    here = Path.cwd()
    os.chdir(ROOT)  # makemessages reads the tree below the current directory
    try:
        with override_settings(LOCALE_PATHS=[locale_dir]):
            call_command(
                "makemessages",
                locale=list(LOCALES),
                # A `locale` folder met on the way would take the strings of the files beside
                # it: passed over, every string goes to `locale_dir` (a copy, when checking).
                ignore_patterns=[*IGNORE, "*/locale"],
                no_wrap=True,
                no_obsolete=True,
                verbosity=0,
            )
    finally:
        os.chdir(here)


def _key(entry: polib.POEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def _name(key: tuple[str | None, str, str]) -> str:
    context, msgid, _ = key
    return f"{msgid!r}" + (f" (context {context!r})" if context else "")


def problems_of(path: Path, locale: str) -> list[str]:
    """What is wrong in one catalogue, each in a line naming the file and the string."""
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    catalogue = polib.pofile(str(path))
    found = []
    for entry in catalogue:
        name = _name(_key(entry))
        if entry.obsolete:
            found.append(
                f"{where}: obsolete entry {name}: run `python -m archive.translations update`"
            )
            continue
        if entry.fuzzy:
            found.append(f"{where}: fuzzy entry {name}: check its translation, then drop the flag")
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(n, "") for n in range(PLURAL_FORMS[locale])]
            if len(entry.msgstr_plural) != PLURAL_FORMS[locale] or not all(forms):
                found.append(
                    f"{where}: {name} needs {PLURAL_FORMS[locale]} plural form(s), all translated"
                )
        elif not entry.msgstr:
            found.append(f"{where}: untranslated {name}")
    if catalogue.metadata_is_fuzzy:
        found.append(f"{where}: the header is marked fuzzy")
    checked = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True
    )
    if checked.returncode:
        found.extend(f"{where}: {line}" for line in checked.stderr.strip().splitlines())
    return found


def compare(current: Path, fresh: Path, locale: str) -> list[str]:
    """The strings the code marks (`fresh`, made now) against the catalogue in git."""
    where = current.relative_to(ROOT) if current.is_relative_to(ROOT) else current
    have = {_key(entry) for entry in polib.pofile(str(current)) if not entry.obsolete}
    want = {_key(entry) for entry in polib.pofile(str(fresh)) if not entry.obsolete}
    found = [
        f"{where}: {_name(key)} is marked in the code but not in the catalogue: "
        "run `python -m archive.translations update` and translate it"
        for key in sorted(want - have, key=str)
    ]
    found += [
        f"{where}: {_name(key)} is no longer in the code: "
        "run `python -m archive.translations update`"
        for key in sorted(have - want, key=str)
    ]
    return found


def check(locale_dir: Path = LOCALE_DIR, locales: Iterable[str] = LOCALES) -> list[str]:
    """Every problem of the catalogues under `locale_dir`; an empty list when all is well."""
    found = []
    with tempfile.TemporaryDirectory() as temporary:
        fresh_dir = Path(temporary) / "locale"
        shutil.copytree(locale_dir, fresh_dir)
        _makemessages(fresh_dir)
        for locale in locales:
            path = locale_dir / locale / "LC_MESSAGES" / "django.po"
            if not path.exists():
                found.append(f"{path}: missing")
                continue
            found += compare(path, fresh_dir / locale / "LC_MESSAGES" / "django.po", locale)
            found += problems_of(path, locale)
    return found


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.dev")
    import django

    django.setup()
    command = argv[0] if argv else "check"
    if command == "update":
        _makemessages(LOCALE_DIR)
        print("Catalogues updated: translate every new entry (docs/translations.md).")
        return 0
    if command != "check":
        print(__doc__)
        return 2
    found = check()
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} problem(s) with the translations.")
        return 1
    print("Translations: every string translated in " + ", ".join(LOCALES) + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
