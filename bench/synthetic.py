"""A deterministic synthetic batch in the archive's batch format, of any size.

The same seed and size always give the same file. It is shaped like a real Cold War archive:
thousands of people with a long tail (a few appear everywhere, most once or twice), the world
regions with places under them, hundreds of collections, dates from 1917 to 1991 at day,
month and year precision, titles and summaries from a diplomatic vocabulary.

    python bench/synthetic.py --documents 100000 --output /tmp/batch-100k.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from itertools import accumulate
from pathlib import Path

WORLD = {
    "Eastern Europe": [
        "Soviet Union",
        "Poland",
        "Hungary",
        "Czechoslovakia",
        "East Germany",
        "Romania",
        "Bulgaria",
        "Yugoslavia",
        "Albania",
    ],
    "Western Europe": [
        "France",
        "West Germany",
        "United Kingdom",
        "Italy",
        "Belgium",
        "Netherlands",
        "Austria",
        "Sweden",
    ],
    "East Asia": ["China", "North Korea", "South Korea", "Japan", "Mongolia", "Taiwan"],
    "Southeast Asia": ["Vietnam", "Laos", "Cambodia", "Indonesia", "Thailand", "Philippines"],
    "South Asia": ["India", "Pakistan", "Afghanistan", "Sri Lanka"],
    "Middle East": ["Egypt", "Iran", "Iraq", "Israel", "Syria", "Turkey"],
    "Africa": ["Angola", "Ethiopia", "Ghana", "Congo", "Mozambique", "South Africa"],
    "Central America and Caribbean": ["Cuba", "Nicaragua", "Guatemala", "Panama"],
    "South America": ["Chile", "Argentina", "Brazil", "Peru"],
    "North America": ["United States", "Canada", "Mexico"],
}
GIVEN = [
    "Aleksandr",
    "Nikolai",
    "Wang",
    "Li",
    "Kim",
    "Jan",
    "Karel",
    "Imre",
    "Todor",
    "Walter",
    "Enver",
    "Ho",
    "Pham",
    "Fidel",
    "Raul",
    "Josip",
    "Gheorghe",
    "Erich",
    "Yuri",
    "Andrei",
    "Anastas",
    "Zhou",
    "Deng",
    "Park",
    "Choi",
    "Jawaharlal",
    "Gamal",
    "Kwame",
    "Patrice",
]
FAMILY = [
    "Ivanov",
    "Petrov",
    "Kozlov",
    "Zhang",
    "Chen",
    "Kovacs",
    "Novak",
    "Dimitrov",
    "Hoxha",
    "Ulbricht",
    "Tito",
    "Nguyen",
    "Castro",
    "Gromyko",
    "Suslov",
    "Ponomarev",
    "Kadar",
    "Gomulka",
    "Zhivkov",
    "Ceausescu",
    "Honecker",
    "Husak",
    "Mikoyan",
    "Enlai",
    "Nehru",
    "Nasser",
    "Nkrumah",
    "Lumumba",
    "Sukarno",
    "Sihanouk",
    "Ortega",
    "Allende",
]
KINDS = [
    "Memorandum of Conversation",
    "Telegram",
    "Record of a Conversation",
    "Letter",
    "Report",
    "Minutes of a Meeting",
    "Cable",
    "Note",
    "Journal Entry",
    "Information",
]
TOPICS = [
    "the border question",
    "economic aid",
    "the peace treaty",
    "nuclear weapons",
    "the Warsaw Pact",
    "trade agreements",
    "the United Nations",
    "military assistance",
    "the party congress",
    "the situation in Indochina",
    "grain deliveries",
    "the Sino-Soviet split",
    "non-alignment",
    "the Berlin question",
    "decolonization",
]
VERBS = [
    "discusses",
    "reports on",
    "criticizes",
    "requests support for",
    "informs about",
    "warns against",
    "proposes talks on",
    "summarizes",
]
LANGUAGES = ["ru", "en", "zh", "de", "pl", "hu", "cs", "ko", "fr", "es", "vi"]
ARCHIVES = [
    "Archive of Foreign Policy of the Russian Federation (AVPRF)",
    "State Archive of the Russian Federation (GARF)",
    "Russian State Archive of Contemporary History (RGANI)",
    "Archive of the Ministry of Foreign Affairs of the Republic of Poland (AMSZ)",
    "Hungarian National Archives (MNL OL)",
    "Foreign Ministry Archive of the People's Republic of China",
    "National Archives and Records Administration (NARA)",
    "Federal Archives of Germany (Bundesarchiv)",
]


def people(rng: random.Random, count: int) -> list[str]:
    names, seen = [], set()
    while len(names) < count:
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        if len(seen) > len(GIVEN) * len(FAMILY) * 0.9:
            name = f"{name} {len(names)}"
        if name not in seen:
            seen.add(name)
            born = rng.randint(1880, 1940)
            names.append(f"{name} ({born}-{born + rng.randint(40, 90)})")
    return names


def records(count: int, seed: int = 1917):
    rng = random.Random(seed)
    cast = people(rng, max(200, count // 25))
    # A long tail: weight i-th person by 1/(i+1), so a few dominate and most are rare.
    weights = list(accumulate(1 / (rank + 1) for rank in range(len(cast))))
    places = [f"{world} > {place}" for world, places in WORLD.items() for place in places]
    collections = [f"{rng.choice(TOPICS).capitalize()}, series {n}" for n in range(300)]
    for number in range(count):
        year = rng.randint(1917, 1991)
        precision = rng.choices(["day", "month", "year"], [8, 3, 1])[0]
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        date = {
            "day": f"{year}-{month:02d}-{day:02d}",
            "month": f"{year}-{month:02d}",
            "year": f"{year}",
        }[precision]
        who = rng.choices(cast, cum_weights=weights, k=rng.randint(1, 4))
        names = list(dict.fromkeys(who))
        lead = names[0].split(" (")[0]
        topic = rng.choice(TOPICS)
        record = {
            "identifier": f"syn-{number:07d}",
            "title": f"{rng.choice(KINDS)} from {lead} on {topic}",
            "date": date,
            "summary": f"{lead} {rng.choice(VERBS)} {topic} and {rng.choice(TOPICS)}. "
            f"The text refers to {rng.choice(TOPICS)}.",
            "language": rng.choice(LANGUAGES),
            "source": f"Fond {rng.randint(1, 999)}, opis {rng.randint(1, 99)}, "
            f"delo {rng.randint(1, 9999)}",
            "original_archive": rng.choice(ARCHIVES),
            "collections": rng.sample(collections, k=rng.randint(1, 2)),
            "regions": rng.sample(places, k=rng.randint(1, 3)),
            "participants": names,
        }
        if rng.random() < 0.05:
            record["date_end"] = f"{year + rng.randint(0, 1)}"
            record["date"] = f"{year}"
        yield record


def write(path: Path, count: int, seed: int = 1917) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for record in records(count, seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1917)
    parser.add_argument("--output", type=Path, required=True)
    arguments = parser.parse_args()
    write(arguments.output, arguments.documents, arguments.seed)
