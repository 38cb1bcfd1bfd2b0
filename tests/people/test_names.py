"""How names are matched (name_key) and how life dates are read and written beside them."""

import pytest

from people.names import format_life_dates, name_key, split_life_dates

# name_key -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Károly Práth", "Karoly Prath"),
        ("A.M. Puzanov", "A. M. Puzanov"),
        ("A.M. Puzanov", "a m puzanov"),
        ("Kim Il Sung", "KIM IL SUNG"),
        ("Kim Il Sung", "  Kim   Il\tSung "),
        ("Chiang, Ching-kuo", "Chiang Ching kuo"),
        ("Mao Zedong", "mao zedong"),
        ("Ngô Đình Diệm", "NGÔ ĐÌNH DIỆM"),
        ("Władysław Gomułka", "WŁADYSŁAW GOMUŁKA"),
        ("Müller", "Muller"),
        ("Straße", "STRASSE"),
    ],
)
def test_name_key_matches(one, other):
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Károly Práth", "karoly prath"),
        ("A.M. Puzanov", "a m puzanov"),
        ("A. M. Puzanov", "a m puzanov"),
        ("Kim Il Sung", "kim il sung"),
        ("Chiang, Ching-kuo (Jiang Jingguo)", "chiang ching kuo jiang jingguo"),
        ("de Gaulle", "de gaulle"),
        ("毛泽东", "毛泽东"),
    ],
)
def test_name_key_values(name, key):
    assert name_key(name) == key


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Kim Il Sung", "Kim Jong Il"),
        ("Mohammad Reza Pahlavi", "Mohammed Reza Pahlavi"),
        ("Kimil Sung", "Kim Il Sung"),
    ],
)
def test_name_key_keeps_different_names_apart(one, other):
    assert name_key(one) != name_key(other)


# split_life_dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kim Il Sung (1912-1994)", ("Kim Il Sung", 1912, 1994)),
        ("Kim Il Sung (1912- 1994)", ("Kim Il Sung", 1912, 1994)),
        ("Kim Il Sung (1912 - 1994)", ("Kim Il Sung", 1912, 1994)),
        ("Kim Il Sung (1912–1994)", ("Kim Il Sung", 1912, 1994)),
        ("Kim Il Sung ( 1912-1994 )", ("Kim Il Sung", 1912, 1994)),
        ("Kim Il Sung(1912-1994)", ("Kim Il Sung", 1912, 1994)),
        ("  Kim   Il Sung   (1912-1994)  ", ("Kim Il Sung", 1912, 1994)),
        ("Mao Zedong (1893- 1976)", ("Mao Zedong", 1893, 1976)),
        ("Tito (1892-)", ("Tito", 1892, None)),
        ("Somebody (-1980)", ("Somebody", None, 1980)),
        ("Charlemagne (742-814)", ("Charlemagne", 742, 814)),
        ("Kim Il Sung", ("Kim Il Sung", None, None)),
        ("Chiang, Ching-kuo (Jiang Jingguo)", ("Chiang, Ching-kuo (Jiang Jingguo)", None, None)),
        ("Somebody (1912)", ("Somebody (1912)", None, None)),
        ("Somebody (-)", ("Somebody (-)", None, None)),
        ("Somebody (born 1912-1994)", ("Somebody (born 1912-1994)", None, None)),
        ("Chiang Kai-shek (1887-1975)", ("Chiang Kai-shek", 1887, 1975)),
    ],
)
def test_split_life_dates(text, expected):
    assert split_life_dates(text) == expected


def test_other_parenthesis_stays_part_of_the_name_beside_life_dates():
    assert split_life_dates("Chiang, Ching-kuo (Jiang Jingguo) (1910-1988)") == (
        "Chiang, Ching-kuo (Jiang Jingguo)",
        1910,
        1988,
    )


# format_life_dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "death", "shown"),
    [
        (1912, 1994, "1912–1994"),
        (1892, None, "b. 1892"),
        (None, 1980, "d. 1980"),
        (None, None, ""),
    ],
)
def test_format_life_dates(birth, death, shown):
    assert format_life_dates(birth, death) == shown


@pytest.mark.parametrize("text", ["Kim Il Sung (1912-1994)", "Tito (1892-)", "X (-1980)"])
def test_split_and_format_agree(text):
    _name, birth, death = split_life_dates(text)
    assert format_life_dates(birth, death) in {"1912–1994", "b. 1892", "d. 1980"}
