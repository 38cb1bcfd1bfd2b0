"""What a researcher does to their folders. Every function takes a folder or item the caller
has already found among the researcher's own (`Folder.objects.of(user)`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from documents.models import Document

from .models import Folder, FolderItem, new_share_token

NAME_LENGTH = 200  # Folder.name's max_length
NOTE_LENGTH = 10_000  # FolderItem.note's max_length
# A researcher's folders, and a folder's documents, at most: enough for years of work, and a
# bound on what one account can make the database hold.
MAX_FOLDERS = 200
MAX_ITEMS = 5000


def _normal(name: str) -> str:
    return " ".join(name.split())


def _clean_name(owner, name: str, *, folder: Folder | None = None) -> str:
    name = _normal(name)
    if not name:
        raise ValidationError(_("Give the folder a name."))
    if len(name) > NAME_LENGTH:
        raise ValidationError(
            _("A folder's name has at most %(limit)d characters.") % {"limit": NAME_LENGTH}
        )
    others = Folder.objects.filter(owner=owner, name=name)
    if folder is not None:
        others = others.exclude(pk=folder.pk)
    if others.exists():
        raise ValidationError(_("You already have a folder named “%(name)s”.") % {"name": name})
    return name


def folder_create(*, owner, name: str) -> Folder:
    name = _clean_name(owner, name)
    if Folder.objects.filter(owner=owner).count() >= MAX_FOLDERS:
        raise ValidationError(
            _("You have %(limit)d folders, the most an account may have.") % {"limit": MAX_FOLDERS}
        )
    return Folder.objects.create(owner=owner, name=name)


def folder_named(*, owner, name: str) -> Folder:
    """The owner's folder of that name, made if they have none."""
    existing = Folder.objects.filter(owner=owner, name=_normal(name)).first()
    return existing or folder_create(owner=owner, name=name)


def folder_rename(*, folder: Folder, name: str) -> Folder:
    folder.name = _clean_name(folder.owner, name, folder=folder)
    folder.save(update_fields=["name", "modified"])
    return folder


def folder_document_add(*, folder: Folder, document: Document) -> tuple[FolderItem, bool]:
    """Put a document at the end of a folder; (its item, whether it was new)."""
    with transaction.atomic():
        # The folder's row first: two saves at once then number their items one after the
        # other.
        Folder.objects.select_for_update().filter(pk=folder.pk).first()
        item = FolderItem.objects.filter(folder=folder, document=document).first()
        if item is not None:
            return item, False
        if folder.items.count() >= MAX_ITEMS:
            raise ValidationError(
                _("A folder holds at most %(limit)d documents.") % {"limit": MAX_ITEMS}
            )
        last = folder.items.aggregate(last=Max("position"))["last"]
        item = FolderItem.objects.create(
            folder=folder, document=document, position=0 if last is None else last + 1
        )
        Folder.objects.filter(pk=folder.pk).update(modified=item.added)
    return item, True


def folder_item_note(*, item: FolderItem, note: str) -> FolderItem:
    if len(note) > NOTE_LENGTH:
        raise ValidationError(
            _("A note has at most %(limit)d characters.") % {"limit": NOTE_LENGTH}
        )
    item.note = note.strip()
    item.save(update_fields=["note"])
    return item


def folder_item_move(*, item: FolderItem, offset: int) -> None:
    """Move a document up (-1) or down (+1) its folder; the ends stay where they are."""
    with transaction.atomic():
        items = list(
            FolderItem.objects.select_for_update()
            .filter(folder=item.folder_id)
            .order_by("position", "id")
        )
        index = next(i for i, each in enumerate(items) if each.pk == item.pk)
        target = index + offset
        if not 0 <= target < len(items):
            return
        items[index], items[target] = items[target], items[index]
        for position, each in enumerate(items):
            if each.position != position:
                each.position = position
                each.save(update_fields=["position"])


def folder_item_remove(*, item: FolderItem) -> None:
    item.delete()


def folder_share(*, folder: Folder) -> Folder:
    """Give the folder a new secret link (any earlier link stops working)."""
    folder.share_token = new_share_token()
    folder.save(update_fields=["share_token", "modified"])
    return folder


def folder_unshare(*, folder: Folder) -> Folder:
    folder.share_token = ""
    folder.save(update_fields=["share_token", "modified"])
    return folder
