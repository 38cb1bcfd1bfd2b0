"""`manage.py check` reports a missing, unreadable or lagging search index."""

from django.core import checks
from django.db import DatabaseError

from .health import index_status
from .indexing import source


@checks.register("search")
def search_index_check(app_configs=None, **kwargs):
    try:
        status = index_status()
        if status.state == "missing" and not _published_documents():
            return []  # an empty archive has nothing to index yet
    except DatabaseError:  # no database yet (before `migrate`): nothing to say of the index
        return []
    if status.ok:
        return []
    return [checks.Warning(status.message, id=f"search.W00{_CODES[status.state]}")]


def _published_documents() -> bool:
    return source().any_published()


_CODES = {"missing": 1, "unreadable": 2, "lagging": 3}
