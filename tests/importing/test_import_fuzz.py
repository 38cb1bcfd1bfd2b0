"""Random garbage fed to the batch reader: it may refuse, never crash, never write half."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from documents.models import Document
from importing.batch_format import BatchInvalid, parse_batch
from importing.importer import documents_import
from importing.models import ImportBatch

FIELDS = [
    "identifier",
    "title",
    "date",
    "date_end",
    "summary",
    "language",
    "status",
    "collections",
    "regions",
    "participants",
    "source",
    "bogus",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(
        [
            "1967",
            "1967-11",
            "November 1967",
            "June 4, 1984",
            "1967-02-30",
            "",
            "published",
            "draft",
            "ru",
            "Russian",
            "East Asia > China",
            " > ",
            "Kim Il Sung (1912-1994)",
            "X (1994-1912)",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(["name", "role", "title", "birth_year"]), children, max_size=3
        ),
    ),
    max_leaves=8,
)
records = st.dictionaries(st.sampled_from(FIELDS), values, max_size=len(FIELDS))


def lines_of(items) -> bytes:
    return b"".join(item + b"\n" for item in items)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    raw=st.lists(
        st.one_of(st.binary(max_size=60), records.map(lambda r: json.dumps(r).encode())), max_size=6
    )
)
def test_jsonl_garbage_is_refused_or_read_never_a_crash(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("fuzz") / "batch.jsonl"
    path.write_bytes(lines_of(raw))
    try:
        rows, _warnings = parse_batch([path])
    except BatchInvalid as invalid:
        assert invalid.errors
        assert all(error.startswith(str(path)) for error in invalid.errors)
    else:
        assert all(row.identifier and row.title for row in rows)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_csv_garbage_is_refused_or_read_never_a_crash(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "batch.csv"
    path.write_text("identifier,title,date,participants\n" + text, encoding="utf-8")
    try:
        parse_batch([path])
    except BatchInvalid as invalid:
        assert invalid.errors


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(good=st.integers(min_value=1, max_value=5), bad=records)
def test_a_batch_with_any_bad_record_writes_nothing(tmp_path_factory, good, bad):
    valid = [{"identifier": f"ok-{n}", "title": "T", "date": "1967"} for n in range(good)]
    path = tmp_path_factory.mktemp("fuzz") / "batch.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in [*valid, bad]), encoding="utf-8")
    before = Document.objects.count()
    try:
        report = documents_import(paths=[path])
    except BatchInvalid:
        assert Document.objects.count() == before
        assert ImportBatch.objects.latest("id").outcome == ImportBatch.Outcome.FAILED
    else:
        assert report.created + report.updated + report.unchanged == good + 1
    Document.objects.all().delete()
