"""Saving the list on screen as a search, and managing one's saved searches. Each is found
among the signed-in researcher's own; unsubscribing needs only the link's secret."""

from __future__ import annotations

from urllib.parse import parse_qs

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .models import SavedSearch
from .services import saved_search_create, saved_search_unsubscribe


@login_required
@require_POST
def saved_search_save(request):
    list_path = request.POST.get("list", "")
    query = request.POST.get("query", "")[:2000]
    params = QueryDict(mutable=True)
    for name, values in parse_qs(query).items():
        params.setlist(name, values)
    try:
        saved = saved_search_create(
            owner=request.user,
            name=request.POST.get("name", ""),
            list_path=list_path,
            params=params,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("accounts:workspace")
    messages.success(
        request,
        _("Search “%(name)s” saved: new documents it finds will be e-mailed to you.")
        % {"name": saved.name},
    )
    return redirect(saved.get_absolute_url())


def _own(request, pk: int) -> SavedSearch:
    return get_object_or_404(SavedSearch.objects.of(request.user), pk=pk)


@login_required
@require_POST
def saved_search_delete(request, pk: int):
    saved = _own(request, pk)
    saved.delete()
    messages.success(request, _("Saved search “%(name)s” deleted.") % {"name": saved.name})
    return redirect("accounts:workspace")


@login_required
@require_POST
def saved_search_alerts(request, pk: int):
    saved = _own(request, pk)
    saved.alerts = request.POST.get("alerts") == "on"
    saved.save(update_fields=["alerts"])
    if saved.alerts:
        messages.success(request, _("Alerts for “%(name)s” are on.") % {"name": saved.name})
    else:
        messages.success(request, _("Alerts for “%(name)s” are off.") % {"name": saved.name})
    return redirect("accounts:workspace")


@csrf_exempt  # the link's secret is the proof; mail programs POST here (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    """GET asks (a link checker that follows the link changes nothing); POST stops."""
    if len(token) != 43:
        raise Http404(_("That unsubscribe link is not valid."))
    saved = get_object_or_404(SavedSearch, unsubscribe_token=token)
    if request.method == "POST":
        saved_search_unsubscribe(saved=saved)
    return render(
        request,
        "alerts/unsubscribe.html",
        {"saved": saved, "done": request.method == "POST"},
    )
