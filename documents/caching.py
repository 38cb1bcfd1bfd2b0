"""Whole public pages cached under the search index's generation, so a cached page is never
older than the index.

Every write records its documents in the index's outbox, and every commit of the indexer
changes the generation (`search.index.generation`), so after a write is indexed the next
request computes afresh, and the old entries simply expire. Nothing has to remember to
invalidate anything.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from search import index as search_index
from search.indexing import ensure_current


def page_cache_key(request) -> str | None:
    """The key of this request's page, or None when pages are not cached."""
    if not settings.ARCHIVE_PAGE_CACHE_SECONDS:
        return None
    ensure_current()
    generation = search_index.generation()
    if generation is None:
        return None
    # The language too: a public page's is in its path, but the API's error texts follow
    # the language cookie or Accept-Language at the same URL.
    language = translation.get_language()
    address = f"{generation}\0{language}\0{request.method}\0{request.build_absolute_uri()}"
    return "page:" + hashlib.sha256(address.encode()).hexdigest()


def public_page_cache(view):
    """Serve a public page whole from the cache while the index has not changed.

    For visitors without a session (researchers; staff always have one), GET and HEAD
    requests are keyed by the index's generation, the interface language and the full URL.
    Only complete 200 responses that set no cookie are kept.

    Not Django's `cache_page`: it tells browsers to keep the page for the whole timeout
    (`max-age`), which would outlive a write; here only the server keeps it, and the
    generation in the key says when it is no longer true.
    """

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        key = page_cache_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        response = cache.get(key)
        if response is not None:
            return response

        def keep(response):
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, response, settings.ARCHIVE_PAGE_CACHE_SECONDS)

        if getattr(response := view(request, *args, **kwargs), "is_rendered", True):
            keep(response)
        else:
            response.add_post_render_callback(keep)
        return response

    return cached_view
