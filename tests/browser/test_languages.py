"""The interface in Russian and Chinese, in a real browser: the switcher reached and used by
keyboard keeps the page and its filters, and every page stays axe-clean and fits at 360 px."""

import re

from playwright.sync_api import expect

from .conftest import assert_accessible

PHONE = {"width": 360, "height": 740}


def _focused_text(page) -> str:
    return page.evaluate("document.activeElement.textContent.trim()")


def _tab_to(page, text: str, most: int = 40) -> None:
    for _ in range(most):
        page.keyboard.press("Tab")
        if _focused_text(page) == text:
            return
    raise AssertionError(f"{text!r} was not reached by keyboard")


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways at 360 px ({width} px)"


def test_switch_language_by_keyboard_at_360_px(new_page, site):
    page = new_page(viewport=PHONE)
    page.goto(site + "/ru/documents/?region=east-asia&sort=date")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Документы")
    expect(page.locator("#results-heading")).to_have_text(re.compile(r"1–\d+ из \d+"))
    _fits(page)
    assert_accessible(page)

    _tab_to(page, "中文")
    page.keyboard.press("Enter")
    page.wait_for_url(site + "/zh-hans/documents/?region=east-asia&sort=date")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("文献")
    expect(page.locator("#results-heading")).to_have_text(re.compile(r"第 1–\d+ 条，共 \d+ 条"))
    switcher = page.get_by_role("navigation", name="界面语言")
    expect(switcher.locator("[aria-current]")).to_have_text("中文")
    _fits(page)
    assert_accessible(page)

    # a document page in Chinese, reached from the list, then back to English by keyboard
    page.locator(".result-title a").first.click()
    expect(page.locator(".document-date")).to_have_text(re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$"))
    expect(page.get_by_role("navigation", name="检索结果")).to_contain_text("第 1 条")
    _fits(page)
    assert_accessible(page)
    _tab_to(page, "English")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert re.match(re.escape(site) + r"/documents/[^/]+/\?", page.url)
    # the result list came along, in English: its neighbours and the way back
    expect(page.get_by_role("navigation", name="Results")).to_contain_text("Result 1 of")


def test_the_switcher_works_without_javascript(new_page, site):
    page = new_page(java_script_enabled=False)
    page.goto(site + "/people/kim-il-sung/?date_from=1956")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()
    assert page.url == site + "/ru/people/kim-il-sung/?date_from=1956"
    expect(page.locator(".entity-kind")).to_have_text("Человек")
    expect(page.get_by_role("list", name="Действующие фильтры")).to_contain_text("С: 1956")


def test_the_home_and_a_document_are_accessible_in_both_languages(new_page, site):
    page = new_page(viewport=PHONE)
    for path in ("/ru/", "/zh-hans/", "/ru/documents/120194/", "/zh-hans/people/kim-il-sung/"):
        page.goto(site + path)
        _fits(page)
        assert_accessible(page)
