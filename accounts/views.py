"""The researcher's own pages: their workspace, their data, and leaving."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from django_registration.backends.activation.views import ActivationView, RegistrationView

from alerts.models import SavedSearch
from folders.models import Folder

from .forms import AccountDeleteForm, ResearcherActivationForm, ResearcherRegistrationForm
from .services import account_data, account_delete


class ResearcherRegistrationView(RegistrationView):
    form_class = ResearcherRegistrationForm


class ResearcherActivationView(ActivationView):
    form_class = ResearcherActivationForm
    ALREADY_ACTIVATED_MESSAGE = gettext_lazy("This account is confirmed already: sign in.")
    BAD_USERNAME_MESSAGE = gettext_lazy("No account awaits this confirmation.")


@login_required
@require_safe
def workspace(request):
    folders = Folder.objects.of(request.user).annotate(document_count=Count("items"))
    return render(
        request,
        "accounts/workspace.html",
        {"folders": folders, "saved_searches": SavedSearch.objects.of(request.user)},
    )


@login_required
@require_safe
def data_download(request):
    data = json.dumps(account_data(user=request.user), ensure_ascii=False, indent=1)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-archive-data-{stamp}.json"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete_view(request):
    if request.user.is_staff:
        messages.error(request, _("Staff accounts are removed by an administrator, in the admin."))
        return redirect("accounts:workspace")
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user)
        messages.success(request, _("Your account and everything in it are deleted."))
        return redirect("documents:home")
    return render(request, "accounts/delete.html", {"form": form})
