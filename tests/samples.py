"""A small archive with everything the exports, feeds, metadata and OAI-PMH must carry:
each date precision and a span, every role, nested places, two collections, LaTeX's special
characters, non-Latin names, a never-published draft and a withdrawn (once public) document."""

import datetime

from documents.dates import Precision
from documents.models import Document, DocumentParticipant, Role, Status
from documents.services import documents_unpublish
from tests.factories import CollectionFactory, DocumentFactory, PersonFactory, RegionFactory

SPECIAL_TITLE = r"""Puzanov's "odd" {report} on 100% & $5 #1 a_b ~x^2 back\slash"""


def _people(document, *entries):
    for position, (person, role) in enumerate(entries):
        DocumentParticipant.objects.create(
            document=document, person=person, role=role, position=position
        )


def make_sample_archive() -> dict:
    east_asia = RegionFactory(name="East Asia", slug="east-asia")
    china = RegionFactory(name="China", slug="china", parent=east_asia)
    poland = RegionFactory(name="Poland", slug="poland")
    kim_talks = CollectionFactory(
        title="Conversations with Kim Il Sung", slug="conversations-with-kim-il-sung"
    )
    split = CollectionFactory(title="Sino-Soviet Split", slug="sino-soviet-split")
    kim = PersonFactory(name="Kim Il Sung", slug="kim-il-sung", birth_year=1912, death_year=1994)
    puzanov = PersonFactory(name="A. M. Puzanov", slug="a-m-puzanov")
    mikoyan = PersonFactory(
        name="Анастас Микоян", slug="anastas-mikoyan", birth_year=1895, death_year=1978
    )
    mao = PersonFactory(name="Mao Zedong", slug="mao-zedong", birth_year=1893, death_year=1976)
    prath = PersonFactory(name="Károly Práth", slug="karoly-prath", birth_year=1920)
    secret = PersonFactory(name="Only In A Draft", slug="only-in-a-draft")

    month = DocumentFactory(
        identifier="avprf.1967-11:a_1",
        title=SPECIAL_TITLE,
        date=datetime.date(1967, 11, 1),
        date_precision=Precision.MONTH,
        summary="Puzanov reports a talk with Kim Il Sung.\n\nA second paragraph.",
        text="Line one.\nLine two.",
        source="AVPRF, f. 0102, op. 16, d. 6.",
        original_archive="Archive of Foreign Policy of the Russian Federation (AVPRF)",
        language="ru",
        rights="Public domain.",
        regions=[china],
        collections=[kim_talks, split],
    )
    _people(
        month,
        (puzanov, Role.AUTHOR),
        (mikoyan, Role.RECIPIENT),
        (kim, Role.PARTICIPANT),
        (mao, Role.MENTIONED),
    )
    year = DocumentFactory(
        identifier="1956-poland",
        title="What happened in Poland?",
        date=datetime.date(1956, 1, 1),
        date_precision=Precision.YEAR,
        summary="",
        regions=[poland],
    )
    span = DocumentFactory(
        identifier="span-1960",
        title="Visit of Károly Práth",
        date=datetime.date(1960, 8, 18),
        date_end=datetime.date(1960, 8, 21),
        date_end_precision=Precision.DAY,
        summary="A four-day visit.",
        language="hu",
        regions=[east_asia],
        collections=[kim_talks],
    )
    _people(span, (prath, ""), (kim, Role.PARTICIPANT))
    draft = DocumentFactory(
        identifier="never-public",
        title="SECRET DRAFT never published",
        status=Status.DRAFT,
        regions=[poland],
        collections=[kim_talks],
    )
    _people(draft, (secret, Role.AUTHOR))
    withdrawn = DocumentFactory(
        identifier="withdrawn", title="WITHDRAWN once public", collections=[kim_talks]
    )
    documents_unpublish(documents=Document.objects.filter(pk=withdrawn.pk))
    return {
        "month": month,
        "year": year,
        "span": span,
        "draft": draft,
        "withdrawn": withdrawn,
        "people": {"kim": kim, "puzanov": puzanov, "mikoyan": mikoyan, "mao": mao, "prath": prath},
        "regions": {"east_asia": east_asia, "china": china, "poland": poland},
        "collections": {"kim_talks": kim_talks, "split": split},
    }


PUBLIC = {"avprf.1967-11:a_1", "1956-poland", "span-1960"}
HIDDEN_WORDS = ("SECRET DRAFT", "never-public", "WITHDRAWN", "Only In A Draft")
