"""The index's health, for monitors."""

from django.http import JsonResponse
from django.views import View

from .health import index_status


class IndexHealthView(View):
    """200 with the index's state when it is current; 503 when it is missing or lagging."""

    def get(self, request):
        status = index_status()
        return JsonResponse(status.as_dict(), status=200 if status.ok else 503)
