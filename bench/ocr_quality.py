"""How well OCR reads typed pages: character error rates (CER) of Tesseract on pages the
script types itself from known text, clean and as photographed typescripts are (turned a
little, speckled), in Russian, English, German, Polish, Hungarian and Chinese.

    .venv/bin/python bench/ocr_quality.py [--repeat 1]

CER is the edit distance between what was typed and what was read, over the length of what
was typed (whitespace folded, case kept). Figures go to bench/README.md, "OCR quality".
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.dev")

import django  # noqa: E402

django.setup()

from tests.versions.files import character_error_rate, typed_page  # noqa: E402
from versions.ocr import read_page  # noqa: E402

PAGES = {
    "ru": (
        "serif",
        "Совершенно секретно. Экземпляр единственный.\n"
        "Запись беседы с послом Венгерской Народной Республики\n"
        "23 октября 1956 года. Посол сообщил, что в Будапеште\n"
        "продолжаются демонстрации студентов и рабочих.",
    ),
    "en": (
        "mono",
        "MEMORANDUM OF CONVERSATION. TOP SECRET.\n"
        "Subject: The situation in Hungary, October 23, 1956.\n"
        "The Ambassador said that the demonstrations in\n"
        "Budapest had grown during the afternoon.",
    ),
    "de": (
        "serif",
        "Niederschrift über das Gespräch mit dem Botschafter\n"
        "am 24. Oktober 1956. Der Botschafter äußerte große\n"
        "Besorgnis über die Lage in Ungarn.",
    ),
    "pl": (
        "serif",
        "Notatka z rozmowy z ambasadorem ZSRR w Warszawie,\n"
        "19 października 1956 r. Ambasador wyraził zaniepokojenie\n"
        "sytuacją w kraju i żądaniami robotników.",
    ),
    "hu": (
        "serif",
        "Feljegyzés a szovjet nagykövettel folytatott beszélgetésről,\n"
        "1956. október 23. A nagykövet közölte, hogy a tüntetők\n"
        "a Parlament előtt gyülekeznek.",
    ),
    "zh": (
        "chinese",
        "中华人民共和国外交部\n关于匈牙利局势的谈话记录\n一九五六年十月二十四日\n苏联大使表示非常关切",
    ),
}
# (degrees turned, share of pixels flipped, type size in pixels at 150 dpi)
CONDITIONS = {
    "clean, 34 px type": (0.0, 0.0, 34),
    "turned 1.5°, 2 % speckle": (1.5, 0.02, 34),
    "turned 3°, 5 % speckle, 24 px type": (3.0, 0.05, 24),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=1, help="seeds of speckle per page")
    args = parser.parse_args()
    print("| language | condition | CER | seconds a page |")
    print("|---|---|---|---|")
    for language, (font, text) in PAGES.items():
        for condition, (skew, noise, size) in CONDITIONS.items():
            rates, seconds = [], []
            for seed in range(args.repeat):
                png = typed_page(text, font=font, size=size, skew=skew, noise=noise, seed=seed + 1)
                started = time.perf_counter()
                reading = read_page(png, language)
                seconds.append(time.perf_counter() - started)
                rates.append(character_error_rate(text, reading.text, language))
            print(
                f"| {language} | {condition} | {100 * sum(rates) / len(rates):.1f} % "
                f"| {sum(seconds) / len(seconds):.2f} |"
            )


if __name__ == "__main__":
    main()
