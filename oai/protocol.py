"""OAI-PMH 2.0 requests: verbs and their arguments, datestamps, resumption tokens, errors.

Everything a harvester sends is checked here, and anything wrong becomes an `OAIError` with
the protocol's code, so no request can become a server error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core import signing

METADATA_PREFIX = "oai_dc"

# Arguments each verb takes; a resumption token, where allowed, comes alone.
REQUIRED = {
    "Identify": set(),
    "ListMetadataFormats": set(),
    "ListSets": set(),
    "GetRecord": {"identifier", "metadataPrefix"},
    "ListIdentifiers": {"metadataPrefix"},
    "ListRecords": {"metadataPrefix"},
}
OPTIONAL = {
    "Identify": set(),
    "ListMetadataFormats": {"identifier"},
    "ListSets": set(),
    "GetRecord": set(),
    "ListIdentifiers": {"from", "until", "set"},
    "ListRecords": {"from", "until", "set"},
}
RESUMABLE = {"ListSets", "ListIdentifiers", "ListRecords"}

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_SET_SPEC = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")
_METADATA_PREFIX = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
TOKEN_SALT = "oai.resumption-token"


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def parse_request(params) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, or the error the protocol names for what is wrong."""
    lists = {key: values for key, values in params.lists()}
    verbs = lists.pop("verb", [])
    if len(verbs) != 1:
        raise OAIError("badVerb", "The request must name exactly one verb.")
    verb = verbs[0]
    if verb not in REQUIRED:
        raise OAIError("badVerb", f"'{verb[:50]}' is not an OAI-PMH verb.")
    for key, values in lists.items():
        if len(values) > 1:
            raise OAIError("badArgument", f"The argument '{key[:50]}' is repeated.")
    args = {key: values[0] for key, values in lists.items()}
    allowed = (
        REQUIRED[verb] | OPTIONAL[verb] | ({"resumptionToken"} if verb in RESUMABLE else set())
    )
    unknown = sorted(set(args) - allowed)
    if unknown:
        raise OAIError("badArgument", f"{verb} takes no argument '{unknown[0][:50]}'.")
    for key, value in args.items():
        if not value:
            raise OAIError("badArgument", f"The argument '{key}' is empty.")
    if "resumptionToken" in args:
        if len(args) > 1:
            raise OAIError("badArgument", "A resumptionToken must be the only argument.")
        return verb, args
    missing = sorted(REQUIRED[verb] - set(args))
    if missing:
        raise OAIError("badArgument", f"{verb} needs the argument '{missing[0]}'.")
    if "set" in args and not _SET_SPEC.match(args["set"]):
        raise OAIError("badArgument", "The set argument is not a setSpec.")
    if "metadataPrefix" in args and not _METADATA_PREFIX.match(args["metadataPrefix"]):
        raise OAIError("badArgument", "The metadataPrefix argument is not a metadata prefix.")
    return verb, args


# Datestamps ------------------------------------------------------------------------------------


def format_datestamp(value: datetime) -> str:
    """A UTCdatetime at the repository's granularity, seconds: 2024-05-01T09:30:00Z."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_datestamp(name: str, value: str) -> tuple[datetime, timedelta]:
    """A `from` or `until` value and its granularity (one day or one second)."""
    try:
        if _DAY.match(value):
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC), timedelta(days=1)
        if _SECONDS.match(value):
            parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            return parsed, timedelta(seconds=1)
    except ValueError:
        pass
    raise OAIError(
        "badArgument",
        f"'{value[:40]}' in {name} is neither a day (YYYY-MM-DD) nor a UTC time "
        "(YYYY-MM-DDThh:mm:ssZ).",
    )


def datestamp_range(
    since: str | None, until: str | None
) -> tuple[datetime | None, datetime | None]:
    """`from` and `until` as a half-open range [start, end) of modification times.

    Both bounds are inclusive at their granularity: until=2024-05-01 takes in the whole day,
    until=2024-05-01T09:30:00Z the whole second.
    """
    start = end = None
    if since:
        start, since_step = _parse_datestamp("from", since)
    if until:
        until_value, step = _parse_datestamp("until", until)
        end = until_value + step
    if since and until:
        if since_step != step:
            raise OAIError("badArgument", "from and until must have the same granularity.")
        if start is not None and start > until_value:
            raise OAIError("badArgument", "from is later than until.")
    return start, end


# Resumption tokens -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ListRequest:
    """A ListIdentifiers or ListRecords request, and where in its list a token resumes it."""

    verb: str
    metadata_prefix: str
    set_spec: str | None = None
    since: str | None = None
    until: str | None = None
    after: tuple[datetime, str] | None = None  # the last (datestamp, identifier) sent
    cursor: int = 0  # how many were sent before

    def token(self, after: tuple[datetime, str], cursor: int) -> str:
        """An opaque, signed token for the rest of the list after `after`.

        The list is walked by keyset on (modification time, identifier), so records added or
        changed while a harvest goes on never shift what is left of it.
        """
        payload = {
            "v": self.verb,
            "m": self.metadata_prefix,
            "s": self.set_spec,
            "f": self.since,
            "u": self.until,
            "a": [after[0].isoformat(), after[1]],
            "c": cursor,
        }
        return signing.dumps(payload, salt=TOKEN_SALT, compress=True)

    @classmethod
    def from_token(cls, verb: str, token: str) -> ListRequest:
        try:
            payload = signing.loads(token, salt=TOKEN_SALT)
            if payload["v"] != verb:
                raise ValueError("the token belongs to another verb")
            stamp, identifier = payload["a"]
            return cls(
                verb=verb,
                metadata_prefix=str(payload["m"]),
                set_spec=payload["s"],
                since=payload["f"],
                until=payload["u"],
                after=(datetime.fromisoformat(stamp), str(identifier)),
                cursor=int(payload["c"]),
            )
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise OAIError("badResumptionToken", "The resumptionToken is invalid.") from None
