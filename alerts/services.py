"""Saving a search, and sending its alerts.

An alert asks the search index the saved search's own question, narrowed to the documents
first published since the search's last alert (`Criteria.ids`), so it finds exactly what
the researcher's list would show among them: drafts never, as the index holds published
documents only. What it sends is recorded (`AlertDelivery`) in the transaction that advances
the search's watermark, and the mail is sent inside it: a mail that fails rolls both back,
and the next run tries again; a document is never sent twice by one search.

Which documents are new to a search: those first published since its previous run, looking
back a day further (`LOOKBACK`). The extra day is for what a run could not see yet: an
import's documents carry the time it began but are visible only once it commits, minutes
later, and a committed document is found only once the indexer has applied it. Looking back
finds them on a later run; `AlertDelivery` keeps anything from being sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.http import Http404, QueryDict
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from documents.filters import DocumentFilter
from documents.models import Document
from documents.scopes import DocumentScope, PageMoved, ScopeKind
from documents.selectors import document_search, documents_by_id
from search import engine
from search.engine import Sort
from search.indexing import ensure_current

from .models import AlertDelivery, SavedSearch

NAME_LENGTH = 200  # SavedSearch.name's max_length
MAX_SAVED_SEARCHES = 100
# The most documents one alert lists; more are summed up with a link to the list.
ALERT_DOCUMENTS = 50
# How far before its previous run a search looks for documents it has not seen: longer than
# any import's transaction and any lag of the indexer.
LOOKBACK = timedelta(days=1)
# What a saved search keeps of a list's address: its filters, not its page or order.
KEPT_PARAMETERS = tuple(DocumentFilter.base_filters)


def search_query(params: QueryDict) -> str:
    kept = QueryDict(mutable=True)
    for name in KEPT_PARAMETERS:
        values = [value for value in params.getlist(name) if value.strip()]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def saved_search_create(*, owner, name: str, list_path: str, params: QueryDict) -> SavedSearch:
    """Save the result list at `list_path` with its parameters `params`."""
    scope = DocumentScope.from_path(list_path)
    if scope is None:
        raise ValidationError(_("Only a list of documents can be saved as a search."))
    name = " ".join(name.split())[:NAME_LENGTH] or _default_name(scope, params)
    if SavedSearch.objects.filter(owner=owner, name=name).exists():
        raise ValidationError(
            _("You already have a saved search named “%(name)s”.") % {"name": name}
        )
    if SavedSearch.objects.filter(owner=owner).count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            _("You have %(limit)d saved searches, the most an account may have.")
            % {"limit": MAX_SAVED_SEARCHES}
        )
    search = document_search(params, scope=scope)
    if search.errors:
        raise ValidationError(_("This search has a mistake in it; correct it first."))
    return SavedSearch.objects.create(
        owner=owner,
        name=name,
        scope_kind=scope.kind,
        scope_slug=scope.subject.slug if scope.subject is not None else "",
        query=search_query(params),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def _default_name(scope: DocumentScope, params: QueryDict) -> str:
    """“Kim Il Sung: telegram”, “All documents: Mikoyan”, or the list's title alone."""
    words = " ".join(params.get("q", "").split())
    title = scope.title if scope.subject is not None else _("All documents")
    return (f"{title}: {words}" if words else title)[:NAME_LENGTH]


def saved_search_problem(saved: SavedSearch):
    """The search's list (a `DocumentSearch`), or why it can no longer be made (a str)."""
    kind = ScopeKind(saved.scope_kind)
    try:
        try:
            scope = DocumentScope.of(kind, saved.scope_slug or None)
        except PageMoved as moved:  # merged or renamed: the search follows it
            scope = DocumentScope.of(kind, moved.to.slug)
    except (Http404, PageMoved):
        return _("the list it searches in no longer exists")
    search = document_search(QueryDict(saved.query), scope=scope)
    if search.errors:
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in search.errors.items()
        )
    return search


@dataclass
class AlertsReport:
    sent: int = 0
    documents: int = 0
    problems: int = 0
    failed: list[str] = field(default_factory=list)


def alerts_send(*, now: datetime | None = None, dry_run: bool = False) -> AlertsReport:
    """Send every saved search with alerts on the documents new to it."""
    if settings.ARCHIVE_INDEX_INLINE:
        ensure_current()
    now = now or timezone.now()
    report = AlertsReport()
    searches = list(
        SavedSearch.objects.filter(alerts=True, owner__is_active=True)
        .exclude(owner__email="")
        .select_related("owner")
        .order_by("id")
    )
    if not searches:
        return report

    def since(saved: SavedSearch) -> datetime:
        return max(saved.created, saved.last_run - LOOKBACK)

    # The documents first published since the earliest of them, once for every search.
    published = list(
        Document.objects.published()
        .filter(first_published__gt=min(since(s) for s in searches), first_published__lte=now)
        .values_list("id", "first_published")
    )
    connection = get_connection()
    for saved in searches:
        new = [pk for pk, first in published if first > since(saved)]
        try:
            _alert(saved, new, now, report, connection, dry_run=dry_run)
        except Exception as exc:  # one researcher's mail server trouble stops no one else's
            report.failed.append(f"{saved.owner.email} ({saved.name}): {exc}")
    return report


def _alert(saved, new: list[int], now, report, connection, *, dry_run: bool) -> None:
    with translation.override(saved.language or settings.LANGUAGE_CODE):
        search = saved_search_problem(saved)
        if isinstance(search, str):
            report.problems += 1
            if search != saved.problem and not dry_run:
                with transaction.atomic():
                    saved.problem = search
                    saved.save(update_fields=["problem"])
                    _mail(saved, "alerts/problem", {"problem": search}, connection)
            return
        if new:
            sent = set(
                AlertDelivery.objects.filter(saved_search=saved, document_id__in=new).values_list(
                    "document_id", flat=True
                )
            )
            new = [pk for pk in new if pk not in sent]
        ids: list[int] = []
        if new:
            criteria = replace(search.criteria, ids=tuple(new))
            ids = engine.window(criteria, sort=Sort.DATE_DESC, offset=0, limit=len(new)).ids
        if dry_run:
            report.sent += bool(ids)
            report.documents += len(ids)
            return
        with transaction.atomic():
            saved.last_run = now
            saved.problem = ""
            fields = ["last_run", "problem"]
            if ids:
                AlertDelivery.objects.bulk_create(
                    AlertDelivery(saved_search=saved, document_id=i, sent=now) for i in ids
                )
                saved.last_sent = now
                fields.append("last_sent")
                shown = documents_by_id(Document.objects.with_relations(), ids[:ALERT_DOCUMENTS])
                _mail(
                    saved,
                    "alerts/alert",
                    {"documents": shown, "more": len(ids) - len(shown), "count": len(ids)},
                    connection,
                )
                report.sent += 1
                report.documents += len(ids)
            saved.save(update_fields=fields)


def _mail(saved: SavedSearch, template: str, context: dict, connection) -> None:
    site = settings.ARCHIVE_SITE_URL
    unsubscribe = site + saved.get_unsubscribe_url()
    context = {
        **context,
        "saved": saved,
        "site": site,
        "list_url": site + saved.get_absolute_url(),
        "unsubscribe_url": unsubscribe,
        "ARCHIVE_NAME": settings.ARCHIVE_NAME,
    }
    subject = "".join(render_to_string(f"{template}_subject.txt", context).splitlines())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[saved.owner.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()


def saved_search_unsubscribe(*, saved: SavedSearch) -> None:
    saved.alerts = False
    saved.save(update_fields=["alerts"])
