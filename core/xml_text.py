"""Text fit for XML: what feeds and OAI-PMH responses write."""

import re

# Characters XML 1.0 cannot carry (control characters, surrogates, U+FFFE and U+FFFF).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 forbids, so no record can break a feed."""
    return _NOT_XML.sub("", text)
