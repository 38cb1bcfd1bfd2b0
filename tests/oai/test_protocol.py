"""OAI-PMH 2.0: the six verbs, oai_dc, collections as sets, from/until at both granularities,
resumption tokens, and every error the protocol names; every response valid against the
protocol's schema."""

import datetime
import re

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from documents.models import Collection, Document
from tests.factories import DocumentFactory
from tests.oai.xml import NS, dc, error, headers, oai, oai_id
from tests.samples import HIDDEN_WORDS, make_sample_archive

pytestmark = pytest.mark.django_db

MONTH = "avprf.1967-11:a_1"
UTC = datetime.UTC


@pytest.fixture
def archive(db):
    made = make_sample_archive()
    # Known modification times, one a day from 1 May 2024 at 12:00:00.5.
    start = datetime.datetime(2024, 5, 1, 12, 0, 0, 500000, tzinfo=UTC)
    for days, identifier in enumerate(["1956-poland", MONTH, "span-1960", "withdrawn"]):
        Document.objects.filter(identifier=identifier).update(
            modified=start + datetime.timedelta(days=days)
        )
    return made


ALL = [("1956-poland", False), (MONTH, False), ("span-1960", False), ("withdrawn", True)]


class TestIdentify:
    def test_describes_the_repository(self, client, archive):
        root = oai(client, verb="Identify")
        identify = root.find("o:Identify", NS)
        assert identify.findtext("o:repositoryName", namespaces=NS) == "Cold War Digital Archive"
        assert identify.findtext("o:baseURL", namespaces=NS) == "http://testserver/oai/"
        assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
        assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
        assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
        assert identify.findtext("o:earliestDatestamp", namespaces=NS) == "2024-05-01T12:00:00Z"
        sample = root.xpath("//*[local-name()='sampleIdentifier']/text()")
        assert re.match(r"^oai:[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+:.+$", sample[0])

    def test_an_empty_archive(self, client, db):
        root = oai(client, verb="Identify")
        assert root.findtext(".//o:earliestDatestamp", namespaces=NS) == "1970-01-01T00:00:00Z"

    def test_post_is_answered_as_get(self, client, archive):
        root = oai(client, "post", verb="Identify")
        assert root.find("o:Identify", NS) is not None


class TestMetadataFormatsAndSets:
    def test_oai_dc(self, client, archive):
        root = oai(client, verb="ListMetadataFormats")
        assert root.xpath("//o:metadataPrefix/text()", namespaces=NS) == ["oai_dc"]
        root = oai(client, verb="ListMetadataFormats", identifier=oai_id(MONTH))
        assert root.xpath("//o:metadataPrefix/text()", namespaces=NS) == ["oai_dc"]

    @pytest.mark.parametrize("identifier", [oai_id("never-public"), oai_id("nothing"), "x"])
    def test_formats_of_an_unknown_item(self, client, archive, identifier):
        assert error(oai(client, verb="ListMetadataFormats", identifier=identifier)) == (
            "idDoesNotExist"
        )

    def test_collections_are_sets(self, client, archive):
        Collection.objects.filter(slug="sino-soviet-split").update(description="The split.")
        root = oai(client, verb="ListSets")
        assert root.xpath("//o:setSpec/text()", namespaces=NS) == [
            "conversations-with-kim-il-sung",
            "sino-soviet-split",
        ]
        assert root.xpath("//o:setName/text()", namespaces=NS) == [
            "Conversations with Kim Il Sung",
            "Sino-Soviet Split",
        ]
        assert root.xpath("//o:setDescription//dc:description/text()", namespaces=NS) == [
            "The split."
        ]

    def test_no_collections_no_sets(self, client, db):
        assert error(oai(client, verb="ListSets")) == "noSetHierarchy"

    def test_sets_are_never_resumed(self, client, archive):
        assert error(oai(client, verb="ListSets", resumptionToken="x")) == "badResumptionToken"


class TestGetRecord:
    def test_a_record_in_oai_dc(self, client, archive):
        root = oai(client, verb="GetRecord", identifier=oai_id(MONTH), metadataPrefix="oai_dc")
        [record] = root.iterfind(".//o:record", NS)
        assert headers(root) == [(MONTH, False)]
        assert record.findtext(".//o:datestamp", namespaces=NS) == "2024-05-02T12:00:00Z"
        assert record.xpath(".//o:setSpec/text()", namespaces=NS) == [
            "conversations-with-kim-il-sung",
            "sino-soviet-split",
        ]
        fields = dc(record)
        assert fields["title"] == [archive["month"].title]
        assert fields["creator"] == ["A. M. Puzanov"]
        assert fields["contributor"] == ["Анастас Микоян", "Kim Il Sung"]
        assert "Mao Zedong" in fields["subject"]
        assert fields["date"] == ["1967-11"]
        assert fields["identifier"] == [f"http://testserver/documents/{MONTH}/", MONTH]
        assert fields["source"] == [
            "AVPRF, f. 0102, op. 16, d. 6.",
            "Archive of Foreign Policy of the Russian Federation (AVPRF)",
        ]
        assert fields["coverage"] == ["China"]
        assert fields["language"] == ["ru"]
        assert fields["type"] == ["Text"]

    def test_dates_keep_their_precision(self, client, archive):
        for identifier, date in [("1956-poland", "1956"), ("span-1960", "1960-08-18/1960-08-21")]:
            root = oai(
                client, verb="GetRecord", identifier=oai_id(identifier), metadataPrefix="oai_dc"
            )
            assert dc(root)["date"] == [date]

    def test_a_withdrawn_document_is_a_deleted_record(self, client, archive):
        root = oai(
            client, verb="GetRecord", identifier=oai_id("withdrawn"), metadataPrefix="oai_dc"
        )
        assert headers(root) == [("withdrawn", True)]
        assert root.find(".//o:metadata", NS) is None

    def test_a_never_published_draft_does_not_exist(self, client, archive):
        root = oai(
            client, verb="GetRecord", identifier=oai_id("never-public"), metadataPrefix="oai_dc"
        )
        assert error(root) == "idDoesNotExist"

    @pytest.mark.parametrize(
        "params, code",
        [
            ({"identifier": oai_id(MONTH), "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
            ({"identifier": oai_id(MONTH)}, "badArgument"),
            ({"metadataPrefix": "oai_dc"}, "badArgument"),
            (
                {"identifier": f"oai:other.example.org:{MONTH}", "metadataPrefix": "oai_dc"},
                "idDoesNotExist",
            ),
            ({"identifier": oai_id(""), "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
        ],
    )
    def test_errors(self, client, archive, params, code):
        assert error(oai(client, verb="GetRecord", **params)) == code


class TestLists:
    def test_every_item_in_datestamp_order(self, client, archive):
        for verb in ("ListIdentifiers", "ListRecords"):
            root = oai(client, verb=verb, metadataPrefix="oai_dc")
            assert headers(root) == ALL
            assert root.find(".//o:resumptionToken", NS) is None  # one response: no token
        text = oai_text(client, verb="ListRecords", metadataPrefix="oai_dc")
        for word in HIDDEN_WORDS:
            if word != "withdrawn" and word != "WITHDRAWN":
                assert word not in text
        assert "WITHDRAWN" not in text  # a deleted record carries no metadata

    def test_records_have_metadata_and_deleted_ones_none(self, client, archive):
        root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
        records = root.findall(".//o:record", NS)
        assert [record.find("o:metadata", NS) is not None for record in records] == [
            True,
            True,
            True,
            False,
        ]

    def test_a_set(self, client, archive):
        root = oai(
            client,
            verb="ListIdentifiers",
            metadataPrefix="oai_dc",
            set="conversations-with-kim-il-sung",
        )
        assert headers(root) == [(MONTH, False), ("span-1960", False), ("withdrawn", True)]
        unknown = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="nothing")
        assert error(unknown) == "noRecordsMatch"

    @pytest.mark.parametrize(
        "since, until, expected",
        [
            ("2024-05-02", None, ALL[1:]),
            (None, "2024-05-02", ALL[:2]),  # the whole day of until
            ("2024-05-02", "2024-05-03", ALL[1:3]),
            ("2024-05-02T12:00:00Z", "2024-05-02T12:00:00Z", ALL[1:2]),  # the whole second
            ("2024-05-02T12:00:01Z", None, ALL[2:]),
            (None, "2024-05-02T11:59:59Z", ALL[:1]),
        ],
    )
    def test_from_and_until(self, client, archive, since, until, expected):
        params = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}
        params.update({k: v for k, v in {"from": since, "until": until}.items() if v})
        assert headers(oai(client, **params)) == expected

    @pytest.mark.parametrize(
        "params, code",
        [
            ({"from": "2024-05-10"}, "noRecordsMatch"),
            ({"until": "2000-01-01"}, "noRecordsMatch"),
            ({"from": "2024-05-03", "until": "2024-05-02"}, "badArgument"),
            ({"from": "2024-05-02", "until": "2024-05-03T00:00:00Z"}, "badArgument"),
            ({"from": "2024-05-02T12:00:00.5Z"}, "badArgument"),  # finer than seconds
            ({"from": "2024-02-30"}, "badArgument"),
            ({"until": "yesterday"}, "badArgument"),
            ({"metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
            ({"metadataPrefix": "not a prefix"}, "badArgument"),
            ({"set": "not a set!"}, "badArgument"),
            ({"identifier": oai_id(MONTH)}, "badArgument"),
        ],
    )
    def test_errors(self, client, archive, params, code):
        for verb in ("ListIdentifiers", "ListRecords"):
            root = oai(client, **{"verb": verb, "metadataPrefix": "oai_dc", **params})
            assert error(root) == code

    def test_missing_prefix(self, client, archive):
        assert error(oai(client, verb="ListRecords")) == "badArgument"


def oai_text(client, **params) -> str:
    return client.get("/oai/", params).content.decode()


class TestResumptionTokens:
    @pytest.fixture(autouse=True)
    def small_pages(self, settings):
        settings.ARCHIVE_OAI_PAGE_SIZE = 2

    def walk(self, client, verb="ListIdentifiers", **params):
        root = oai(client, verb=verb, metadataPrefix="oai_dc", **params)
        pages = [root]
        while True:
            token = root.find(".//o:resumptionToken", NS)
            if token is None or not token.text:
                return pages
            root = oai(client, verb=verb, resumptionToken=token.text)
            pages.append(root)

    def test_the_whole_list_in_pages(self, client, archive):
        pages = self.walk(client)
        assert [headers(page) for page in pages] == [ALL[:2], ALL[2:]]
        tokens = [page.find(".//o:resumptionToken", NS) for page in pages]
        assert [(t.get("completeListSize"), t.get("cursor")) for t in tokens] == [
            ("4", "0"),
            ("4", "2"),
        ]
        assert tokens[-1].text is None  # the last part has an empty token
        assert "1956" not in tokens[0].text and MONTH not in tokens[0].text  # opaque

    def test_records_and_sets_in_pages(self, client, archive):
        pages = self.walk(client, "ListRecords", set="conversations-with-kim-il-sung")
        assert sum((headers(page) for page in pages), []) == [
            (MONTH, False),
            ("span-1960", False),
            ("withdrawn", True),
        ]

    def test_stable_under_inserts_and_updates(self, client, archive):
        first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
        token = first.find(".//o:resumptionToken", NS).text
        DocumentFactory(identifier="arrived-during-harvest")  # modified now: at the end
        Document.objects.filter(identifier="1956-poland").update(
            modified=datetime.datetime(2024, 1, 1, tzinfo=UTC)  # before the cursor
        )
        rest = []
        while token:
            page = oai(client, verb="ListIdentifiers", resumptionToken=token)
            rest += headers(page)
            token = page.find(".//o:resumptionToken", NS).text
        assert headers(first) + rest == ALL + [("arrived-during-harvest", False)]

    @pytest.mark.parametrize(
        "token", ["nonsense", "eyJ2IjoiTGlzdElkZW50aWZpZXJzIn0:abc:def", "x" * 3000]
    )
    def test_bad_tokens(self, client, archive, token):
        root = oai(client, verb="ListIdentifiers", resumptionToken=token)
        assert error(root) == "badResumptionToken"

    def test_a_tampered_token(self, client, archive):
        token = (
            oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
            .find(".//o:resumptionToken", NS)
            .text
        )
        tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
        assert error(oai(client, verb="ListIdentifiers", resumptionToken=tampered)) == (
            "badResumptionToken"
        )
        other_verb = oai(client, verb="ListRecords", resumptionToken=token)
        assert error(other_verb) == "badResumptionToken"
        with_more = oai(
            client, verb="ListIdentifiers", resumptionToken=token, metadataPrefix="oai_dc"
        )
        assert error(with_more) == "badArgument"

    def test_a_page_costs_the_same_queries_whatever_its_size(
        self, client, archive, settings, django_assert_max_num_queries
    ):
        for number in range(40):
            DocumentFactory(identifier=f"more-{number}", people=[archive["people"]["kim"]])
        settings.ARCHIVE_OAI_PAGE_SIZE = 40
        with django_assert_max_num_queries(8):
            root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
        assert len(headers(root)) == 40


class TestBadRequests:
    @pytest.mark.parametrize(
        "query, code",
        [
            ("", "badVerb"),
            ("verb=Explode", "badVerb"),
            ("verb=Identify&verb=Identify", "badVerb"),
            ("verb=Identify&extra=1", "badArgument"),
            ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument"),
            ("verb=ListRecords&metadataPrefix=", "badArgument"),
            ("verb=GetRecord&identifier=&metadataPrefix=oai_dc", "badArgument"),
        ],
    )
    def test_errors_carry_a_bare_request_element(self, client, archive, query, code):
        response = client.get(f"/oai/?{query}")
        root = oai_parse(response)
        assert error(root) == code
        request = root.find("o:request", NS)
        assert request.attrib == {} and request.text == "http://testserver/oai/"

    def test_other_errors_echo_the_request(self, client, archive):
        root = oai(client, verb="GetRecord", identifier=oai_id("nothing"), metadataPrefix="oai_dc")
        assert root.find("o:request", NS).attrib == {
            "verb": "GetRecord",
            "identifier": oai_id("nothing"),
            "metadataPrefix": "oai_dc",
        }

    def test_other_methods_are_refused(self, client, archive):
        assert client.put("/oai/").status_code == 405


def oai_parse(response):
    from tests.oai.xml import parse

    assert response.status_code == 200
    return parse(response.content)


ARGUMENTS = [
    "verb",
    "metadataPrefix",
    "identifier",
    "from",
    "until",
    "set",
    "resumptionToken",
    "other",
]
VALUES = st.one_of(
    st.sampled_from(
        [
            "Identify",
            "ListRecords",
            "ListIdentifiers",
            "GetRecord",
            "ListSets",
            "ListMetadataFormats",
            "oai_dc",
            oai_id(MONTH),
            "2024-05-02",
            "2024-05-02T12:00:00Z",
            "conversations-with-kim-il-sung",
            "",
        ]
    ),
    st.text(max_size=40),
)


@hypothesis_settings(
    max_examples=120,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(params=st.lists(st.tuples(st.sampled_from(ARGUMENTS), VALUES), max_size=5))
def test_generated_requests_get_valid_answers(client, archive, params):
    data: dict[str, list[str]] = {}
    for key, value in params:
        data.setdefault(key, []).append(value)
    response = client.get("/oai/", data)
    root = oai_parse(response)  # valid against the schema, whatever was asked
    text = response.content.decode()
    assert "SECRET DRAFT" not in text and "never-public" not in text
    assert root is not None
