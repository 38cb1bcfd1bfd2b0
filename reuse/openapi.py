"""The OpenAPI description of the JSON API, served as written in `openapi.json`."""

from pathlib import Path

from django.http import HttpResponse
from django.views.decorators.http import require_GET

DESCRIPTION = Path(__file__).with_name("openapi.json")


@require_GET
def openapi_description(request) -> HttpResponse:
    return HttpResponse(DESCRIPTION.read_bytes(), content_type="application/json")
