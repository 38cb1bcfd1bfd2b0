"""Views that only read."""

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe


def read_only(view):
    """GET and HEAD only: any other method gets 405 with an `Allow` header from the view
    itself. Without this, CSRF's check ran first and answered 403, as if the method were
    allowed to a signed-in form; a view that writes nothing has nothing to protect."""
    return csrf_exempt(require_safe(view))
