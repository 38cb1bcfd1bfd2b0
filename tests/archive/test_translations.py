"""The interface's catalogues: every string the code marks is translated into Russian and
Chinese, and the check that `make lint` runs fails when one is not (archive/translations.py)."""

import shutil
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

from archive import translations

CATALOGUES = translations.LOCALE_DIR


@pytest.fixture
def locale_copy(tmp_path) -> Path:
    copy = tmp_path / "locale"
    shutil.copytree(CATALOGUES, copy, ignore=shutil.ignore_patterns("*.mo"))
    return copy


def _catalogue(locale_dir: Path, locale: str) -> Path:
    return locale_dir / locale / "LC_MESSAGES" / "django.po"


def _edit(path: Path, msgid: str, change) -> None:
    catalogue = polib.pofile(str(path))
    entry = catalogue.find(msgid)
    assert entry is not None
    change(catalogue, entry)
    catalogue.save(str(path))


def test_the_catalogues_in_the_tree_are_complete_and_current():
    assert translations.check() == []


def test_an_untranslated_entry_fails_the_check(locale_copy):
    path = _catalogue(locale_copy, "ru")
    _edit(path, "Cite this", lambda _, entry: setattr(entry, "msgstr", ""))
    problems = translations.check(locale_copy)
    assert problems == [f"{path}: untranslated 'Cite this'"]


def test_a_fuzzy_entry_fails_the_check(locale_copy):
    path = _catalogue(locale_copy, "zh_Hans")
    _edit(path, "Cite this", lambda _, entry: entry.flags.append("fuzzy"))
    problems = translations.check(locale_copy)
    assert len(problems) == 1
    assert "fuzzy entry 'Cite this'" in problems[0]


def test_a_missing_plural_form_fails_the_check(locale_copy):
    path = _catalogue(locale_copy, "ru")
    _edit(path, "document", lambda _, entry: entry.msgstr_plural.update({2: ""}))
    problems = translations.check(locale_copy)
    assert problems == [f"{path}: 'document' needs 3 plural form(s), all translated"]


def test_a_string_of_the_code_missing_from_a_catalogue_fails_the_check(locale_copy):
    path = _catalogue(locale_copy, "zh_Hans")
    _edit(path, "Cite this", lambda catalogue, entry: catalogue.remove(entry))
    problems = translations.check(locale_copy)
    assert len(problems) == 1
    assert "'Cite this' is marked in the code but not in the catalogue" in problems[0]


def test_a_string_the_code_no_longer_has_fails_the_check(locale_copy):
    path = _catalogue(locale_copy, "ru")
    catalogue = polib.pofile(str(path))
    catalogue.append(polib.POEntry(msgid="A string nobody marks", msgstr="Строка"))
    catalogue.save(str(path))
    problems = translations.check(locale_copy)
    assert problems == [
        f"{path}: 'A string nobody marks' is no longer in the code: "
        "run `python -m archive.translations update`"
    ]


def test_placeholders_that_do_not_agree_fail_the_check(locale_copy):
    path = _catalogue(locale_copy, "ru")
    _edit(path, "Page %(number)s of %(pages)s", lambda _, e: setattr(e, "msgstr", "Страница"))
    problems = translations.check(locale_copy)
    assert problems and all(str(path) in line for line in problems)


def test_the_check_leaves_the_catalogues_as_they_are():
    before = {p: p.read_bytes() for p in CATALOGUES.glob("*/LC_MESSAGES/django.po")}
    translations.check()
    assert {p: p.read_bytes() for p in CATALOGUES.glob("*/LC_MESSAGES/django.po")} == before


def test_plural_forms_are_russias_three_and_chinas_one():
    with translation.override("ru"):
        forms = [ngettext("document", "documents", n) for n in (1, 2, 5, 11, 21, 22, 25)]
        assert forms == [
            "документ",
            "документа",
            "документов",
            "документов",
            "документ",
            "документа",
            "документов",
        ]
    with translation.override("zh-hans"):
        assert {ngettext("document", "documents", n) for n in (1, 2, 5)} == {"篇文献"}


def test_the_glossarys_terms_are_the_catalogues():
    expected = {
        "ru": ["Документы", "Коллекции", "Регионы", "Люди"],
        "zh-hans": ["文献", "专题", "地区", "人物"],
    }
    for language, words in expected.items():
        with translation.override(language):
            assert [gettext(w) for w in ("Documents", "Collections", "Places", "People")] == words
