"""URL converters: a path that cannot name a record never reaches the database."""

from documents.models import IDENTIFIER_PATTERN


class IdentifierConverter:
    regex = IDENTIFIER_PATTERN.removeprefix("^").removesuffix("$")

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
