"""The batch format's optional fields of a document, one specification each (as pretix's
import columns are).

A field knows its name in a batch (the JSON key and the CSV column), how a written value is
cleaned and checked (white space, the model field's `max_length`, never repeated here; a
language's code; a day), the value it has in a batch record (`current`: text, comparable
and JSON-safe), and how that value is set on a document (`stored`, `assign`). The row
checker, the import's comparison and update, undo, and the export that writes batches all go
through `FIELDS`, so a new optional field of a document is one entry there (and the model
field with its migration).

The identifier, title, date, status and the lists (collections, regions, participants,
files) have rules of their own and are checked in `batch_format._RowChecker`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from django.db import models

from core.languages import language_code
from documents.models import Document

Whitespace = Literal["fold", "paragraphs", "keep"]


def model_max_length(model: type[models.Model], name: str) -> int | None:
    """A model field's `max_length` (None for a TextField): the batch allows what it stores."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is not a column"
    return field.max_length


def required_max_length(model: type[models.Model], name: str) -> int:
    length = model_max_length(model, name)
    assert length is not None, f"{model.__name__}.{name} has no max_length"
    return length


def clean_whitespace(value: str, whitespace: Whitespace) -> str:
    """ "fold": every run of white space is one space (a source's line wrapping and
    indentation go); "paragraphs": the same within each paragraph, blank-line breaks kept;
    "keep": only the ends are trimmed (a transcript's line breaks are the document's own)."""
    if whitespace == "keep":
        return value.strip()
    if whitespace == "fold" or "\n" not in value:
        return " ".join(value.split())
    parts = (" ".join(part.split()) for part in re.split(r"\n\s*\n", value.strip()))
    return "\n\n".join(part for part in parts if part)


@dataclass(frozen=True)
class TextField:
    """An optional text field of a record, stored in the document's field of the same name."""

    name: str
    whitespace: Whitespace = "fold"

    @property
    def max_length(self) -> int | None:
        return model_max_length(Document, self.name)

    def clean(self, value: str) -> tuple[str, str | None]:
        """The value as stored, and what is wrong with it (None when nothing is)."""
        cleaned = clean_whitespace(value, self.whitespace)
        limit = self.max_length
        if limit and len(cleaned) > limit:
            return cleaned, f"is {len(cleaned)} characters long; the most is {limit}"
        return cleaned, None

    def current(self, document: Document) -> str:
        """The document's value as a batch record writes it."""
        return getattr(document, self.name)

    def stored(self, value: str) -> Any:
        """A record's value as the model field holds it."""
        return value

    def assign(self, document: Document, value: str) -> None:
        setattr(document, self.name, self.stored(value))


@dataclass(frozen=True)
class LanguageField(TextField):
    """A language as an ISO 639 code or a name ("ru", "Russian"), stored as the code."""

    def clean(self, value: str) -> tuple[str, str | None]:
        written = clean_whitespace(value, self.whitespace)  # a name may be longer than a code
        if not written:
            return "", None
        code = language_code(written)
        if code is None:
            return "", (
                f"'{written}' is not a language this archive knows "
                "(write an ISO 639 code such as ru, or a name such as Russian)"
            )
        return code, None


@dataclass(frozen=True)
class DayField(TextField):
    """A day, written YYYY-MM-DD; stored as a date (None for none)."""

    def clean(self, value: str) -> tuple[str, str | None]:
        written = clean_whitespace(value, "fold")
        if not written:
            return "", None
        try:
            return date.fromisoformat(written).isoformat(), None
        except ValueError:
            return "", f"'{written[:40]}' is not a day (write YYYY-MM-DD)"

    def current(self, document: Document) -> str:
        day = getattr(document, self.name)
        return day.isoformat() if day else ""

    def stored(self, value: str) -> Any:
        return date.fromisoformat(value) if value else None


# The title is required and checked by `_RowChecker`, but cleaned and measured as these are.
TITLE = TextField("title")

FIELDS: tuple[TextField, ...] = (
    # The title as the original has it, in its own language (the catalogued title is `title`).
    TextField("original_title"),
    TextField("summary", whitespace="paragraphs"),
    TextField("text", whitespace="keep"),
    LanguageField("language"),
    TextField("source", whitespace="paragraphs"),
    TextField("original_archive"),
    TextField("rights", whitespace="paragraphs"),
    # Held back until that day: a draft until then (the checker sees to the status).
    DayField("embargo_until"),
)
FIELD_NAMES = tuple(field.name for field in FIELDS)
BY_NAME = {field.name: field for field in FIELDS}
