"""The researcher's path through the archive, in a real browser, with axe-core on every page.

Seeds: ten documents of 1956-1984 around Kim Il Sung (see seeds/README.md).
"""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from .conftest import assert_accessible


def results_heading(page):
    return page.locator("#results-heading")


def query(page) -> dict:
    return parse_qs(urlsplit(page.url).query)


def test_home_page(page, site, screenshot):
    page.goto(site + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cold War Digital Archive")
    expect(page.locator("figure.timeline svg")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "home")
    # the whole archive's timeline leads to the result list of a year
    page.locator('figure.timeline a[aria-label="1960: 6 documents"]').click()
    expect(results_heading(page)).to_have_text(re.compile(r"1–6 of 6"))


def test_filter_by_region_and_date(page, site, screenshot):
    page.goto(site + "/documents/")
    expect(results_heading(page)).to_have_text(re.compile("1–10 of 10"))
    page.locator("aside.facets").get_by_role("link", name="Eastern Europe").click()
    expect(results_heading(page)).to_have_text(re.compile("of 10"))
    page.locator("aside.facets").get_by_role("link", name="Soviet Union").click()
    page.get_by_role("textbox", name="From", exact=True).fill("1960-08")
    page.get_by_role("textbox", name="To", exact=True).fill("August 1960")
    page.get_by_role("button", name="Apply").click()
    expect(results_heading(page)).to_have_text(re.compile("1–3 of 3"))
    assert query(page)["region"] == ["eastern-europe", "soviet-union"]
    chips = page.get_by_role("list", name="Active filters")
    expect(chips).to_contain_text("From: August 1960")
    expect(chips).to_contain_text("Region: Soviet Union")
    titles = page.locator(".result-title")
    expect(titles).to_have_count(3)
    expect(titles.first).to_contain_text("18 August 1960")
    assert_accessible(page)
    screenshot(page, "results")
    # removing a filter widens the results again
    chips.get_by_role("link", name=re.compile("^From: August 1960")).click()
    expect(results_heading(page)).to_have_text(re.compile("of 8"))


def test_click_a_histogram_bar(page, site):
    page.goto(site + "/people/kim-il-sung/")
    bar = page.locator('figure.timeline a[aria-label="1956: 2 documents"]')
    expect(bar).to_be_visible()
    bar.click()
    expect(results_heading(page)).to_have_text(re.compile("1–2 of 2"))
    assert page.url.startswith(site + "/people/kim-il-sung/?")
    assert query(page)["date_from"] == ["1956"] and query(page)["date_to"] == ["1956"]
    expect(page.locator("figure.timeline svg a")).to_have_count(1)


def test_open_a_document_step_through_and_follow_a_participant(page, site, screenshot):
    page.goto(site + "/documents/?region=east-asia&sort=date&per_page=4")
    page.get_by_role(
        "link", name="Telegram from A. Mikoyan to the CPSU Central Committee"
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Telegram from A. Mikoyan to the CPSU Central Committee"
    )
    expect(page.locator(".document-date")).to_have_text("September 21, 1956")
    navigation = page.get_by_role("navigation", name="Results")
    expect(navigation).to_contain_text("Result 1 of 10")
    # related documents, with their reasons
    related = page.locator(".related")
    expect(related.locator("li").first).to_contain_text("Also with Anastas Mikoyan and Peng Dehuai")
    expect(related.locator("li").first).to_contain_text("2 days later")
    assert_accessible(page)
    screenshot(page, "document")
    # next, next, ... into page 2 of the results, and back to it
    for _ in range(4):
        navigation.get_by_role("link", name=re.compile("^Next")).click()
    expect(navigation).to_contain_text("Result 5 of 10")
    expect(page.get_by_role("heading", level=1)).to_contain_text("24 July 1960")
    navigation.get_by_role("link", name=re.compile("Previous")).click()
    expect(navigation).to_contain_text("Result 4 of 10")
    navigation.get_by_role("link", name="Back to results").click()
    expect(results_heading(page)).to_have_text(re.compile("1–4 of 10"))
    assert query(page) == {"region": ["east-asia"], "sort": ["date"], "per_page": ["4"]}
    expect(page.locator(".result:target")).to_have_count(1)
    # a participant's page
    page.locator(".result-title a").first.click()
    page.locator(".document-fields").get_by_role("link", name="Kim Il Sung", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kim Il Sung (1912–1994)")
    expect(page.locator(".entity-count")).to_have_text("(10) documents")
    assert_accessible(page)
    screenshot(page, "person")


def test_paginate(page, site):
    page.goto(site + "/documents/?per_page=4")
    expect(results_heading(page)).to_have_text(re.compile("1–4 of 10"))
    pages = page.get_by_role("navigation", name="Pages")
    pages.get_by_role("link", name=re.compile("^Next")).click()
    expect(results_heading(page)).to_have_text(re.compile("5–8 of 10"))
    pages.get_by_role("link", name=re.compile("^Next")).click()
    expect(results_heading(page)).to_have_text(re.compile("9–10 of 10"))
    expect(pages.get_by_role("link", name=re.compile("^Next"))).to_have_count(0)
    pages.get_by_role("link", name=re.compile("Previous")).click()
    expect(results_heading(page)).to_have_text(re.compile("5–8 of 10"))


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const box = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            return {tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim(),
                    name: el.getAttribute("name"), x: box.x, width: box.width,
                    outline: style.outlineStyle, outlineWidth: style.outlineWidth};
        }"""
    )


def test_keyboard_only(page, site):
    page.goto(site + "/documents/?region=east-asia")
    page.keyboard.press("Tab")
    focused = _focused(page)
    assert focused["text"] == "Skip to content"
    assert focused["x"] >= 0 and focused["width"] > 0  # it shows itself when focused
    assert focused["outline"] != "none"  # and its focus is visible
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"
    page.keyboard.press("Tab")
    assert _focused(page)["text"] == "Home"  # the breadcrumbs
    page.keyboard.press("Tab")
    assert _focused(page)["text"].startswith("Filters (1 active)")
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "filters"
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "q"
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "date_from"
    page.keyboard.type("1956")
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "date_to"
    page.keyboard.type("1956-09-22")
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "source"
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "sort"
    page.keyboard.press("Tab")
    focused = _focused(page)
    assert focused["text"] == "Apply" and focused["outline"] != "none"
    page.keyboard.press("Enter")
    expect(results_heading(page)).to_have_text(re.compile("1–1 of 1"))
    # the new page: skip link, breadcrumbs, "Filters", then through the form to the facets
    for key in ["Tab", "Enter", "Tab", "Tab", "Enter"]:
        page.keyboard.press(key)
    assert _focused(page)["id"] == "filters"
    for _ in range(12):
        page.keyboard.press("Tab")
        if _focused(page)["text"].startswith("Remove the filter East Asia"):
            break
    else:
        raise AssertionError("the active region filter was not reached by keyboard")
    page.keyboard.press("Enter")
    expect(page.get_by_role("list", name="Active filters")).not_to_contain_text("East Asia")


def test_without_javascript(new_page, site):
    page = new_page(java_script_enabled=False)
    page.goto(site + "/documents/")
    page.get_by_role("textbox", name="From", exact=True).fill("1960")
    page.get_by_role("textbox", name="To", exact=True).fill("1960")
    page.get_by_role("button", name="Apply").click()
    expect(results_heading(page)).to_have_text(re.compile("1–6 of 6"))
    page.locator("aside.facets").get_by_role("link", name="Hungary").click()
    expect(results_heading(page)).to_have_text(re.compile("1–1 of 1"))
    page.goto(site + "/documents/")
    page.locator('figure.timeline a[aria-label="1969: 1 document"]').click()
    expect(results_heading(page)).to_have_text(re.compile("1–1 of 1"))
    page.locator(".result-title a").click()
    expect(page.locator("#citation-text")).to_contain_text("Cold War Digital Archive")
    # the copy button needs JavaScript, so without it it stays hidden: the citation is text
    expect(page.locator(".copy-button")).to_be_hidden()
    page.get_by_role("link", name="Back to results").click()
    expect(results_heading(page)).to_have_text(re.compile("1–1 of 1"))


def test_admin_login_is_accessible(page, site):
    page.goto(site + "/admin/login/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_facet_values_page(page, site):
    page.goto(site + "/documents/facets/people/?list=/people/kim-il-sung/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("People")
    assert_accessible(page)
    page.get_by_role("link", name="Anastas Mikoyan").click()
    expect(results_heading(page)).to_have_text(re.compile("1–2 of 2"))
    assert page.url.startswith(site + "/people/kim-il-sung/?person=anastas-mikoyan")


def test_usable_on_a_phone(new_page, site):
    page = new_page(viewport={"width": 360, "height": 740})
    for path in ["/", "/documents/?region=east-asia", "/documents/120194/", "/people/kim-il-sung/"]:
        page.goto(site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways at 360 px ({width} px)"
    page.goto(site + "/documents/?region=east-asia")
    # results first, then the filters
    results = page.locator(".results").bounding_box()
    filters = page.locator("aside.facets").bounding_box()
    assert results["y"] < filters["y"]
    assert_accessible(page)


def test_print_keeps_the_citation_and_permanent_link(page, site):
    page.goto(site + "/documents/120194/?list=/documents/")
    page.emulate_media(media="print")
    expect(page.locator("#citation-text")).to_be_visible()
    expect(page.locator(".permanent-link a")).to_have_text(site + "/documents/120194/")
    for hidden in [".site-header", ".result-nav", ".related", ".cite .exports", ".site-footer"]:
        expect(page.locator(hidden)).to_be_hidden()


def test_search_box_suggests_people_and_places(page, site):
    page.goto(site + "/collections/")
    box = page.locator("#site-q")
    box.press_sequentially("Kim I", delay=40)
    option = page.locator("#site-suggestions option[value='Kim Il Sung']")
    expect(option).to_be_attached()
    assert option.get_attribute("label") == "Kim Il Sung (person)"
    # choosing the name opens the person's page rather than a keyword search
    box.fill("Kim Il Sung")
    page.wait_for_url(re.compile(r"/people/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Kim Il Sung"))
