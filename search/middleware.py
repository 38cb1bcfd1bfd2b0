"""An index that cannot answer makes a list say so, with 503, never a wrong answer."""

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from .index import IndexUnavailable


class IndexUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, IndexUnavailable):
            return None
        message = gettext(
            "The search index is being rebuilt; lists and searches will be back shortly."
        )
        if request.path.startswith("/api/"):
            response = JsonResponse({"errors": {"__all__": [message]}}, status=503)
        else:
            response = TemplateResponse(
                request, "search/unavailable.html", {"message": message}, status=503
            )
            response.render()
        response["Retry-After"] = "30"
        return response
