"""The index's health, for monitors; and people and places as the search box is typed into."""

from django.http import JsonResponse
from django.views import View

from .health import index_status
from .suggestions import typeahead


class IndexHealthView(View):
    """200 with the index's state when it is current; 503 when it is missing or lagging."""

    def get(self, request):
        status = index_status()
        return JsonResponse(status.as_dict(), status=200 if status.ok else 503)


class SuggestView(View):
    """`?q=mik`: public people and places whose names begin so (the page works without it)."""

    def get(self, request):
        return JsonResponse(
            typeahead(request.GET.get("q", "")), json_dumps_params={"ensure_ascii": False}
        )
