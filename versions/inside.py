"""Search inside a document's scans: which pages hold a query's words, and where on each
page (the boxes Tesseract found, from the page's hOCR).

Words match as the search index matches them (search.schema: lower-cased, accents folded,
stemmed), so a document found by "negotiations" shows "negotiation" boxed too; a phrase in
quotes matches its words one after the other. The document page draws the boxes over the
page images, and the IIIF Content Search service (iiif/) answers with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.schema import is_stop_word, words_of

from .models import TextSource, VersionPage
from .ocr import Word, hocr_words

MAX_HITS = 1000
SHOWN_WIDTH = 900  # pixels: a page with its hits in the document page
_TERM = re.compile(r'"([^"]*)"|(\S+)')


@dataclass
class PageHits:
    page: VersionPage
    words: list[Word] = field(default_factory=list)

    @property
    def image_id(self) -> str:
        return self.page.image_id

    @property
    def shown_width(self) -> int:
        """The width the page is shown at with its hits (the IIIF image asked for)."""
        return min(self.page.width, SHOWN_WIDTH)

    @property
    def shown_height(self) -> int:
        return max(round(self.page.height * self.shown_width / max(self.page.width, 1)), 1)


def query_terms(query: str) -> list[list[str]]:
    """The query's words and phrases, each as the index's stems: [["negoti"], ["cold", "war"]].
    Operators and field names of the query language are left out: they are not on a page."""
    terms = []
    for phrase, word in _TERM.findall(query[:500]):
        text = phrase or word
        if not phrase:
            text = text.lstrip("+-").split(":", 1)[-1].rstrip("*")
            if text.upper() in ("AND", "OR", "NOT") or not text:
                continue
        stems = [stem for stem in words_of(text, stem=True) if not is_stop_word(stem)]
        if stems:
            terms.append(stems)
    return terms


def _matches(words: list[Word], terms: list[list[str]]) -> list[Word]:
    stems = [words_of(word.text, stem=True) for word in words]
    flat = [(index, stem) for index, found in enumerate(stems) for stem in found]
    hit: set[int] = set()
    for term in terms:
        for start in range(len(flat) - len(term) + 1):
            if all(flat[start + k][1] == term[k] for k in range(len(term))):
                hit.update(flat[start + k][0] for k in range(len(term)))
    return [words[index] for index in sorted(hit)]


def document_page_hits(document_id: int, query: str) -> list[PageHits]:
    """The pages of the document's scans where the query's words are, with their boxes."""
    terms = query_terms(query)
    if not terms:
        return []
    wanted = {stem for term in terms for stem in term}
    pages = (
        VersionPage.objects.ready()
        .filter(version__document_id=document_id, text_source=TextSource.OCR)
        .select_related("version")
        .order_by("version__position", "version_id", "number")
    )
    found: list[PageHits] = []
    total = 0
    for page in pages:
        if not wanted & set(words_of(page.ocr_text, stem=True)):
            continue  # the page's text does not have them: no need to read its boxes
        words = _matches(hocr_words(page.hocr), terms)[: MAX_HITS - total]
        if words:
            found.append(PageHits(page, words))
            total += len(words)
        if total >= MAX_HITS:
            break
    return found
