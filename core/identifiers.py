"""Record identifiers: what one may be, and the URL converter that keeps a path that cannot
name a record from ever reaching the database."""

IDENTIFIER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$"


class IdentifierConverter:
    regex = IDENTIFIER_PATTERN.removeprefix("^").removesuffix("$")

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
