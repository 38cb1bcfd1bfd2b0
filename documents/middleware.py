"""A person's, place's or collection's old address, after a merge or a new slug, answers with
a permanent redirect to the page it is now (its feed, export or any page under it too)."""

from django.http import HttpResponsePermanentRedirect

from .scopes import PageMoved


class PageMovedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PageMoved):
            return None
        old = f"/{exception.old_slug}/"
        if old not in request.path:
            return None
        rest = request.path.partition(old)[2]
        new_page = exception.to.get_absolute_url()
        query = request.META.get("QUERY_STRING", "")
        location = new_page + rest + (f"?{query}" if query else "")
        return HttpResponsePermanentRedirect(location)
