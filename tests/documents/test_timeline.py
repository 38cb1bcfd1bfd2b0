"""The timeline: documents by year (or decade) as an inline SVG chart whose bars are links."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.http import QueryDict
from lxml import html

from documents.timeline import MAX_YEAR_BARS, build_timeline, nice_ceiling
from tests.factories import DocumentFactory

SVG = "{http://www.w3.org/2000/svg}"


def rows(**counts):
    return [{"year": int(year[1:]), "count": count} for year, count in counts.items()]


class TestBuild:
    def test_nothing_to_draw(self):
        assert build_timeline([]) is None
        assert build_timeline([{"year": 1956, "count": 0}]) is None

    def test_one_bar_a_year_with_gaps_kept(self):
        timeline = build_timeline(rows(y1956=2, y1960=6, y1969=1))
        assert timeline.unit == "year"
        assert [bar.label for bar in timeline.bars] == [str(y) for y in range(1956, 1970)]
        assert [bar.count for bar in timeline.bars if bar.count] == [2, 6, 1]
        assert timeline.total == 9
        assert timeline.busiest.label == "1960"
        # an empty year is drawn as a gap and links nowhere
        assert timeline.bars[1].count == 0 and timeline.bars[1].url == ""

    def test_a_long_span_is_drawn_by_decade(self):
        timeline = build_timeline(rows(y1917=1, y1945=3, y1949=2, y1991=4))
        assert MAX_YEAR_BARS < 1991 - 1917 + 1
        assert timeline.unit == "decade"
        assert [(bar.label, bar.count) for bar in timeline.bars] == [
            ("1910s", 1),
            ("1920s", 0),
            ("1930s", 0),
            ("1940s", 5),
            ("1950s", 0),
            ("1960s", 0),
            ("1970s", 0),
            ("1980s", 0),
            ("1990s", 4),
        ]
        forties = timeline.bars[3]
        assert parse_qs(urlsplit(forties.url).query) == {
            "date_from": ["1940"],
            "date_to": ["1949"],
        }

    def test_bar_links_keep_the_other_filters_and_go_back_to_page_one(self):
        params = QueryDict("region=china&person=kim-il-sung&page=3&date_from=1950")
        timeline = build_timeline(rows(y1956=2), params)
        query = parse_qs(urlsplit(timeline.bars[0].url).query)
        assert query == {
            "region": ["china"],
            "person": ["kim-il-sung"],
            "date_from": ["1956"],
            "date_to": ["1956"],
        }

    def test_geometry_stays_inside_the_plot_and_heights_follow_counts(self):
        timeline = build_timeline(rows(y1950=1, y1951=1000, y1952=500))
        low, high, half = timeline.bars
        assert high.height == pytest.approx(timeline.plot_height)  # 1000 is the axis top
        assert half.height == pytest.approx(timeline.plot_height / 2)
        assert low.height >= 2  # one document is still visible
        for bar in timeline.bars:
            assert timeline.left <= bar.x and bar.x + bar.width <= timeline.right
            assert bar.y + bar.height == pytest.approx(timeline.bottom)
        assert [tick.value for tick in timeline.ticks] == [0, 500, 1000]

    def test_labels_do_not_crowd(self):
        timeline = build_timeline(rows(y1945=1, y1969=1))
        labelled = [bar.label for bar in timeline.bars if bar.labelled]
        assert labelled == ["1945", "1950", "1955", "1960", "1965"]

    @pytest.mark.parametrize(
        "value, ceiling", [(0, 1), (1, 1), (2, 2), (3, 5), (7, 10), (11, 20), (260, 500)]
    )
    def test_nice_ceiling(self, value, ceiling):
        assert nice_ceiling(value) == ceiling


def svg_of(response):
    tree = html.fromstring(response.content)
    figures = tree.xpath('//figure[@class="timeline"]')
    assert len(figures) == 1
    return figures[0]


@pytest.mark.django_db
class TestOnPages:
    @pytest.mark.parametrize(
        "path",
        [
            "/documents/",
            "/documents/?region=east-asia&date_from=1956",
            "/people/kim-il-sung/",
            "/regions/east-asia/",
            "/collections/conversations-with-kim-il-sung/",
            "/",
        ],
    )
    def test_every_result_page_has_an_accessible_timeline(self, client, seeded, path):
        figure = svg_of(client.get(path))
        svg = figure.xpath(".//svg")[0]
        title = svg.xpath("./title")[0]
        desc = svg.xpath("./desc")[0]
        assert svg.get("aria-labelledby") == title.get("id")
        assert svg.get("aria-describedby") == desc.get("id")
        assert "Documents by year" in title.text
        # labelled axes
        texts = [text.text_content() for text in svg.xpath(".//text")]
        assert "Year" in texts and "Documents" in texts
        # the bars are links, each with its words
        links = svg.xpath(".//a")
        assert links and all(
            re.match(r"^\d{4}: \d+ documents?$", a.get("aria-label")) for a in links
        )
        # and a table says the same for those who cannot see the chart
        table = figure.xpath(".//table")[0]
        assert "visually-hidden" in table.getparent().get("class")
        cells = [
            (row[0].text_content(), row[1].text_content()) for row in table.xpath(".//tbody/tr")
        ]
        assert cells == [
            (a.get("aria-label").split(":")[0], a.get("aria-label").split(": ")[1].split()[0])
            for a in links
        ]

    def test_the_chart_counts_what_the_year_facet_counts(self, client, seeded):
        response = client.get("/documents/?person=a-m-puzanov")
        timeline = response.context["timeline"]
        assert [(bar.label, bar.count) for bar in timeline.nonempty] == [
            (str(row["year"]), row["count"]) for row in response.context["facets"]["years"]
        ]
        assert [(bar.label, bar.count) for bar in timeline.nonempty] == [("1960", 4)]

    def test_a_bar_narrows_the_page_to_its_year(self, client, seeded):
        response = client.get("/regions/east-asia/?person=kim-il-sung")
        bar = next(bar for bar in response.context["timeline"].bars if bar.label == "1956")
        narrowed = client.get("/regions/east-asia/" + bar.url)
        assert {d.identifier for d in narrowed.context["documents"]} == {"120194", "120189"}
        assert narrowed.context["paginator"].count == bar.count

    def test_drafts_are_not_counted(self, client, seeded):
        from documents.models import Document, Status

        Document.objects.filter(identifier="208559").update(status=Status.DRAFT)
        timeline = client.get("/documents/").context["timeline"]
        assert timeline.last == "1969"

    def test_no_documents_no_chart(self, client, seeded):
        response = client.get("/documents/?date_from=1990")
        assert response.context["timeline"] is None
        assert b'class="timeline"' not in response.content

    def test_the_svg_has_no_style_attributes_and_is_not_localised(self, client, db, settings):
        settings.LANGUAGE_CODE = "de"
        DocumentFactory(date=datetime.date(1950, 1, 1))
        DocumentFactory(date=datetime.date(1953, 1, 1))
        page = client.get("/documents/").content.decode()
        chart = page[page.index("<svg") : page.index("</svg>")]
        assert "style=" not in chart
        assert not re.search(r'="\d+,\d+"', chart)  # 12.5, never 12,5

    def test_the_real_visits_data(self, client, db, visits_path):
        call_command("import_documents", str(visits_path), verbosity=0)
        response = client.get("/documents/")
        timeline = response.context["timeline"]
        assert timeline.unit == "year"
        assert (timeline.first, timeline.last) == ("1945", "1969")
        assert timeline.total == response.context["paginator"].count == 429
        assert sum(bar.count for bar in timeline.bars) == 429
        decade_view = build_timeline(
            [{"year": 1900, "count": 1}, *response.context["facets"]["years"]]
        )
        assert decade_view.unit == "decade" and decade_view.total == 430
