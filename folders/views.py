"""A researcher's folders. Every view of a folder finds it among the signed-in researcher's
own (`Folder.objects.of`), so another's folder is a 404, never a 403 that says it exists.
Every change is a POST (CSRF-checked) that redirects back; nothing needs JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import read_only
from documents.models import Document
from documents.selectors import documents_by_id
from reuse.exports import FORMATS
from reuse.exports.views import export_response

from . import services
from .models import Folder, FolderItem


def _own_folder(request, pk: int) -> Folder:
    return get_object_or_404(Folder.objects.of(request.user), pk=pk)


def _own_item(request, pk: int, item_pk: int) -> FolderItem:
    return get_object_or_404(
        FolderItem.objects.select_related("folder"),
        pk=item_pk,
        folder=_own_folder(request, pk),
    )


def _back(request, default: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def folder_documents(folder: Folder):
    """The folder's documents the public may still see, in the folder's order, each with its
    item (`document.folder_item`); and how many are no longer public."""
    items = list(folder.items.order_by("position", "id"))
    documents = documents_by_id(
        Document.objects.published().with_relations(), [i.document_id for i in items]
    )
    item_of = {item.document_id: item for item in items}
    for document in documents:
        document.folder_item = item_of[document.pk]  # type: ignore[attr-defined]  # for the page
    return documents, len(items) - len(documents)


@login_required
def folder_list(request):
    folders = Folder.objects.of(request.user).annotate(document_count=Count("items"))
    return render(request, "folders/folder_list.html", {"folders": folders})


@login_required
@require_POST
def folder_create(request):
    try:
        folder = services.folder_create(owner=request.user, name=request.POST.get("name", ""))
    except ValidationError as error:
        _refused(request, error)
        return redirect("folders:list")
    messages.success(request, _("Folder “%(name)s” made.") % {"name": folder.name})
    return redirect(folder)


@login_required
def folder_detail(request, pk: int):
    folder = _own_folder(request, pk)
    documents, withdrawn = folder_documents(folder)
    return render(
        request,
        "folders/folder_detail.html",
        {
            "folder": folder,
            "documents": documents,
            "withdrawn": withdrawn,
            "formats": FORMATS,
            "share_url": request.build_absolute_uri(folder.get_share_url())
            if folder.share_token
            else "",
        },
    )


@login_required
@require_POST
def folder_rename(request, pk: int):
    folder = _own_folder(request, pk)
    try:
        services.folder_rename(folder=folder, name=request.POST.get("name", ""))
    except ValidationError as error:
        _refused(request, error)
    return redirect(folder)


@login_required
@require_POST
def folder_delete(request, pk: int):
    folder = _own_folder(request, pk)
    name = folder.name
    folder.delete()
    messages.success(request, _("Folder “%(name)s” deleted.") % {"name": name})
    return redirect("folders:list")


@login_required
@require_POST
def folder_share(request, pk: int):
    folder = services.folder_share(folder=_own_folder(request, pk))
    messages.success(request, _("Anyone with the new link can now read this folder."))
    return redirect(folder)


@login_required
@require_POST
def folder_unshare(request, pk: int):
    folder = services.folder_unshare(folder=_own_folder(request, pk))
    messages.success(request, _("The folder's link no longer works."))
    return redirect(folder)


@login_required
@require_POST
def folder_save(request):
    """Save a document to one of the researcher's folders, or to a new one named here."""
    document = (
        Document.objects.published().filter(identifier=request.POST.get("document", "")).first()
    )
    if document is None:
        raise Http404(_("No published document has that identifier."))
    default = document.get_absolute_url()
    new_name = request.POST.get("new_folder", "").strip()
    try:
        if new_name:
            folder = services.folder_named(owner=request.user, name=new_name)
        else:
            folder_id = request.POST.get("folder", "")
            if not folder_id.isdigit():
                raise ValidationError(_("Choose a folder, or name a new one."))
            folder = _own_folder(request, int(folder_id))
        _item, added = services.folder_document_add(folder=folder, document=document)
    except ValidationError as error:
        _refused(request, error)
        return _back(request, default)
    message = _("Saved to “%(name)s”.") if added else _("Already in “%(name)s”.")
    messages.success(request, message % {"name": folder.name})
    return _back(request, default)


@login_required
@require_POST
def item_note(request, pk: int, item_pk: int):
    item = _own_item(request, pk, item_pk)
    try:
        services.folder_item_note(item=item, note=request.POST.get("note", ""))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Note saved."))
    return redirect(item.folder)


@login_required
@require_POST
def item_move(request, pk: int, item_pk: int):
    item = _own_item(request, pk, item_pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is not None:
        services.folder_item_move(item=item, offset=offset)
    return redirect(item.folder)


@login_required
@require_POST
def item_remove(request, pk: int, item_pk: int):
    item = _own_item(request, pk, item_pk)
    services.folder_item_remove(item=item)
    messages.success(request, _("Removed from the folder."))
    return redirect(item.folder)


@login_required
@read_only
def folder_export(request, pk: int, fmt: str):
    folder = _own_folder(request, pk)
    documents, _withdrawn = folder_documents(folder)
    return export_response(documents, fmt, request, f"folder-{folder.pk}")


def _shared_folder(token: str) -> Folder:
    # A token is 43 characters; anything else is not one, and never reaches the database.
    if len(token) != 43:
        raise Http404(_("No folder is shared at that address."))
    return get_object_or_404(Folder, share_token=token)


@read_only
def shared_folder(request, token: str):
    """A folder as anyone with its link sees it: its documents, without its notes."""
    folder = _shared_folder(token)
    documents, _withdrawn = folder_documents(folder)
    response = render(
        request,
        "folders/folder_shared.html",
        {"folder": folder, "documents": documents, "formats": FORMATS},
    )
    # The address is the secret: not for search engines, nor for other sites' referrers.
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@read_only
def shared_folder_export(request, token: str, fmt: str):
    folder = _shared_folder(token)
    documents, _withdrawn = folder_documents(folder)
    response = export_response(documents, fmt, request, f"folder-{folder.pk}")
    response["X-Robots-Tag"] = "noindex"
    return response
