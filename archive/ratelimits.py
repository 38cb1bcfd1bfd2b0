"""Rate limits of the expensive public endpoints: exports, feeds, the JSON API, OAI-PMH and
IIIF (images, manifests, search inside; a deep-zoom viewer asks for dozens of tiles a second,
so its limit is high); and of the forms that write: the accounts' forms (registration,
sign-in, password reset: they send mail or try passwords) and a researcher's folder and
saved-search changes, where only POSTs count.

Each URL is put in a group by its name (`*export`, `*feed`, `api-*`, the `oai` and `iiif`
namespaces), so an export or feed added later is limited without anyone remembering to.
Requests are counted per client address by django-ratelimit in the cache
(`settings.ARCHIVE_RATE_LIMITS`, e.g. "30/m"); past the limit the answer is 429 Too Many
Requests with Retry-After. Signed-in staff are not limited.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django_ratelimit.core import get_usage

# The accounts' forms, by URL name (Django's and django-registration's names are bare).
ACCOUNT_FORMS = {
    "login",
    "password_reset",
    "password_reset_confirm",
    "password_change",
    "django_registration_register",
    "django_registration_activate",
    "delete",
}
# The groups where only a POST counts: reading a form or a folder is free.
POST_ONLY = {"accounts", "workspace"}


def rate_limit_group(resolver_match) -> str | None:
    """The rate-limit group of a resolved URL, or None for pages that are not limited."""
    if resolver_match is None:
        return None
    name = resolver_match.url_name or ""
    if "oai" in resolver_match.namespaces:
        return "oai"
    if "iiif" in resolver_match.namespaces:
        return "iiif"
    if name.endswith("export"):
        return "export"
    if name.endswith("feed"):
        return "feed"
    if name.startswith("api-") and name != "api-openapi":
        return "api"
    if name in ACCOUNT_FORMS and resolver_match.namespaces in ([], ["accounts"]):
        return "accounts"
    if {"folders", "alerts", "accounts"} & set(resolver_match.namespaces):
        return "workspace"
    return None


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        group = rate_limit_group(request.resolver_match)
        if group is None or group not in settings.ARCHIVE_RATE_LIMITS:
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            return None
        usage = get_usage(
            request,
            group=f"archive.{group}",
            key="ip",
            rate=settings.ARCHIVE_RATE_LIMITS[group],
            method=["POST"] if group in POST_ONLY else ["GET", "HEAD", "POST"],
            increment=True,
        )
        if usage is None or not usage["should_limit"]:
            return None
        retry_after = max(1, usage["time_left"])
        response = HttpResponse(
            f"Too many requests: at most {settings.ARCHIVE_RATE_LIMITS[group]} to this kind of "
            f"address. Try again in {retry_after} seconds.\n",
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(retry_after)
        return response
