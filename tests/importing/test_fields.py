"""The batch format's text fields: each one's rules come from its specification and model."""

import pytest

from documents.models import Document
from importing.batch_format import CSV_COLUMNS, _RowChecker
from importing.fields import FIELDS, clean_whitespace

RECORD = {"identifier": "a-1", "title": "A title", "date": "1960"}


@pytest.mark.parametrize("spec", FIELDS, ids=lambda spec: spec.name)
def test_each_text_field_is_a_document_field_and_a_csv_column(spec):
    field = Document._meta.get_field(spec.name)
    assert spec.max_length == field.max_length
    assert spec.name in CSV_COLUMNS


def test_the_longest_value_is_the_models():
    checker = _RowChecker("batch.jsonl:1")
    too_long = "x" * 301
    assert checker.check({**RECORD, "original_archive": too_long}) is None
    assert checker.errors == [
        "batch.jsonl:1: original_archive: is 301 characters long; the most is 300"
    ]


def test_a_language_name_is_stored_as_its_code():
    row = _RowChecker("batch.jsonl:1").check({**RECORD, "language": " Russian "})
    assert row is not None and row.values["language"] == "ru"
    checker = _RowChecker("batch.jsonl:2")
    assert checker.check({**RECORD, "language": "Klingon"}) is None
    assert checker.errors == [
        "batch.jsonl:2: language: 'Klingon' is not a language this archive knows "
        "(write an ISO 639 code such as ru, or a name such as Russian)"
    ]


def test_white_space_is_cleaned_as_each_field_says():
    row = _RowChecker("batch.jsonl:1").check(
        {
            **RECORD,
            "summary": "  One\n   wrapped line.\n\n  Second   paragraph. ",
            "text": "Line one\n  indented line two\n",
            "original_archive": " AVPRF\n  fond 0100 ",
        }
    )
    assert row is not None
    assert row.values["summary"] == "One wrapped line.\n\nSecond paragraph."
    assert row.values["text"] == "Line one\n  indented line two"
    assert row.values["original_archive"] == "AVPRF fond 0100"
    assert clean_whitespace("a \n\n b", "fold") == "a b"
