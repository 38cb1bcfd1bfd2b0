"""OCR reads typed pages as photographed typescripts are (turned a little, speckled), in
Cyrillic, Latin and Chinese, with few characters wrong (bench/ocr_quality.py measures more)."""

import pytest

from tests.versions.files import character_error_rate, typed_page
from versions.ocr import hocr_words, read_page

PAGES = [
    ("ru", "serif", "Запись беседы с послом Венгерской\nНародной Республики 23 октября 1956 года."),
    ("en", "mono", "MEMORANDUM OF CONVERSATION. TOP SECRET.\nThe situation in Hungary, 1956."),
    ("pl", "serif", "Notatka z rozmowy z ambasadorem ZSRR\nw Warszawie, 19 października 1956 r."),
    ("zh", "chinese", "中华人民共和国外交部\n关于匈牙利局势的谈话记录"),
]


@pytest.mark.parametrize(("language", "font", "text"), PAGES)
def test_a_turned_speckled_typed_page_is_read_with_few_errors(language, font, text):
    page = typed_page(text, font=font, skew=1.5, noise=0.02)
    reading = read_page(page, language)
    assert character_error_rate(text, reading.text, language) <= 0.05, reading.text
    words = hocr_words(reading.hocr)
    assert words and all(word.width > 0 and word.height > 0 for word in words)
    assert {word.line for word in words} == {1, 2}


def test_the_character_error_rate_counts_edits():
    assert character_error_rate("Венгрия", "Венгрия", "ru") == 0
    assert character_error_rate("abcd", "abed", "en") == 0.25
    assert character_error_rate("中 文", "中文", "zh") == 0
