"""The OAI-PMH 2.0 endpoint at /oai/: the six verbs, GET or POST.

Errors are answered the protocol's way (HTTP 200 with `<error code="...">`), and for badVerb
and badArgument the `request` element carries no attributes, as the protocol asks.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import records
from .protocol import (
    METADATA_PREFIX,
    ListRequest,
    OAIError,
    datestamp_range,
    format_datestamp,
    parse_request,
)
from .responses import (
    OAI_DC_NS,
    OAI_DC_SCHEMA,
    OAI_IDENTIFIER_NS,
    OAI_IDENTIFIER_SCHEMA,
    XSI_NS,
    Writer,
    envelope,
    oai_identifier,
    start_oai_dc,
    write_header,
    write_record,
)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def endpoint(request) -> HttpResponse:
    base_url = request.build_absolute_uri(request.path)
    params = request.POST if request.method == "POST" else request.GET
    try:
        verb, args = parse_request(params)
    except OAIError as error:
        return _respond(envelope(base_url, {}, _error(error)))
    try:
        body = VERBS[verb](request, args)
    except OAIError as error:
        body = _error(error)
        if error.code == "badArgument":
            return _respond(envelope(base_url, {}, body))
    return _respond(envelope(base_url, {"verb": verb, **args}, body))


def _respond(text: str) -> HttpResponse:
    return HttpResponse(text, content_type="text/xml; charset=utf-8")


def _error(error: OAIError):
    def write(writer):
        writer.element("error", error.message, {"code": error.code})

    return write


def _check_prefix(prefix: str) -> None:
    if prefix != METADATA_PREFIX:
        raise OAIError(
            "cannotDisseminateFormat", f"Records are available as {METADATA_PREFIX} only."
        )


def _local_identifier(identifier: str) -> str:
    prefix = oai_identifier("")
    if not identifier.startswith(prefix) or len(identifier) == len(prefix):
        raise OAIError("idDoesNotExist", "No record has that identifier.")
    return identifier[len(prefix) :]


def _find(identifier: str) -> records.Item:
    item = records.find_item(_local_identifier(identifier))
    if item is None:
        raise OAIError("idDoesNotExist", "No record has that identifier.")
    return item


# The verbs -------------------------------------------------------------------------------------


def identify(request, args):
    earliest = records.earliest_datestamp()

    def write(writer):
        writer.start("Identify")
        writer.element("repositoryName", settings.ARCHIVE_NAME)
        writer.element("baseURL", request.build_absolute_uri(request.path))
        writer.element("protocolVersion", "2.0")
        writer.element("adminEmail", settings.ARCHIVE_ADMIN_EMAIL)
        writer.element(
            "earliestDatestamp", format_datestamp(earliest) if earliest else "1970-01-01T00:00:00Z"
        )
        writer.element("deletedRecord", "persistent")
        writer.element("granularity", "YYYY-MM-DDThh:mm:ssZ")
        writer.start("description")
        writer.start(
            "oai-identifier",
            {
                "xmlns": OAI_IDENTIFIER_NS,
                "xmlns:xsi": XSI_NS,
                "xsi:schemaLocation": f"{OAI_IDENTIFIER_NS} {OAI_IDENTIFIER_SCHEMA}",
            },
        )
        writer.element("scheme", "oai")
        writer.element("repositoryIdentifier", settings.ARCHIVE_OAI_REPOSITORY_IDENTIFIER)
        writer.element("delimiter", ":")
        writer.element("sampleIdentifier", oai_identifier("208559"))
        writer.end("oai-identifier")
        writer.end("description")
        writer.end("Identify")

    return write


def list_metadata_formats(request, args):
    if "identifier" in args:
        _find(args["identifier"])

    def write(writer):
        writer.start("ListMetadataFormats")
        writer.start("metadataFormat")
        writer.element("metadataPrefix", METADATA_PREFIX)
        writer.element("schema", OAI_DC_SCHEMA)
        writer.element("metadataNamespace", OAI_DC_NS)
        writer.end("metadataFormat")
        writer.end("ListMetadataFormats")

    return write


def list_sets(request, args):
    if "resumptionToken" in args:
        raise OAIError("badResumptionToken", "The list of sets is never split.")
    collections = list(records.sets())
    if not collections:
        raise OAIError("noSetHierarchy", "The archive has no collections yet.")

    def write(writer):
        writer.start("ListSets")
        for collection in collections:
            writer.start("set")
            writer.element("setSpec", collection.slug)
            writer.element("setName", collection.title)
            if collection.description.strip():
                writer.start("setDescription")
                start_oai_dc(writer)
                writer.element("dc:description", collection.description)
                writer.end("oai_dc:dc")
                writer.end("setDescription")
            writer.end("set")
        writer.end("ListSets")

    return write


def get_record(request, args):
    _check_prefix(args["metadataPrefix"])
    item = _find(args["identifier"])

    def write(writer):
        writer.start("GetRecord")
        write_record(writer, item, request.build_absolute_uri)
        writer.end("GetRecord")

    return write


def _list(request, verb: str, args) -> Callable[[Writer], None]:
    if "resumptionToken" in args:
        wanted = ListRequest.from_token(verb, args["resumptionToken"])
    else:
        wanted = ListRequest(
            verb=verb,
            metadata_prefix=args["metadataPrefix"],
            set_spec=args.get("set"),
            since=args.get("from"),
            until=args.get("until"),
        )
    _check_prefix(wanted.metadata_prefix)
    start, end = datestamp_range(wanted.since, wanted.until)
    full_records = verb == "ListRecords"
    items, more = records.item_page(
        set_spec=wanted.set_spec,
        start=start,
        end=end,
        after=wanted.after,
        size=settings.ARCHIVE_OAI_PAGE_SIZE,
        records=full_records,
    )
    if not items:
        raise OAIError("noRecordsMatch", "No records match the request.")
    split = more or wanted.after is not None
    total = records.count_items(set_spec=wanted.set_spec, start=start, end=end) if split else None

    def write(writer):
        writer.start(verb)
        for item in items:
            if full_records:
                write_record(writer, item, request.build_absolute_uri)
            else:
                write_header(writer, item)
        if split:
            attrs = {"completeListSize": str(total), "cursor": str(wanted.cursor)}
            last = items[-1]
            token = wanted.token((last.datestamp, last.identifier), wanted.cursor + len(items))
            writer.element("resumptionToken", token if more else None, attrs)
        writer.end(verb)

    return write


def list_identifiers(request, args):
    return _list(request, "ListIdentifiers", args)


def list_records(request, args):
    return _list(request, "ListRecords", args)


VERBS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
