"""Import provenance, undo, archivists' edits, and name matching (issue 3)."""

import gc
import io
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import QueryDict

from documents.models import Collection, Document, Region, Status
from documents.selectors import document_search
from documents.services import document_mark_edited
from importing import importer as importing
from importing.importer import BatchInvalid, UndoRefused, documents_import, import_batch_undo
from importing.models import ImportBatch
from people.models import Person

pytestmark = pytest.mark.django_db


def record(identifier="doc-1", **fields):
    return {"identifier": identifier, "title": f"Title of {identifier}", "date": "1967", **fields}


def snapshot():
    """Everything an import or an undo could touch, to compare before and after."""
    documents = list(
        Document.objects.order_by("identifier").values(
            "identifier", "title", "date", "date_precision", "summary", "status", "language"
        )
    )
    links = sorted(
        (
            d.identifier,
            tuple(sorted(d.regions.values_list("name", flat=True))),
            tuple(d.participations.values_list("person__name", "role")),
        )
        for d in Document.objects.all()
    )
    return documents, links, Person.objects.count(), Region.objects.count()


class TestProvenance:
    def test_each_import_is_recorded_with_files_counts_and_documents(self, write_batch):
        path = write_batch("a.jsonl", [record("a"), record("b", participants=["Tito"])])

        report = documents_import(paths=[path], run_by="alice")

        batch = report.batch
        assert batch.outcome == ImportBatch.Outcome.SUCCEEDED
        assert batch.run_by == "alice"
        assert [f["name"] for f in batch.files] == [str(path)]
        assert batch.files[0]["records"] == 2
        assert len(batch.files[0]["sha256"]) == 64
        assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (2, 0, 0)
        assert batch.finished_at >= batch.started_at
        assert set(batch.created_documents.values_list("identifier", flat=True)) == {"a", "b"}
        document = Document.objects.get(identifier="a")
        assert document.import_batch == batch and document.last_import_batch == batch

        changed = write_batch(
            "b.jsonl", [record("a", title="New title"), record("b", participants=["Tito"])]
        )
        second = documents_import(paths=[changed]).batch

        document.refresh_from_db()
        assert document.import_batch == batch  # where it came from
        assert document.last_import_batch == second  # where it last changed
        change = second.changes.get()
        assert (change.identifier, change.fields) == ("a", ["title"])
        assert change.before["title"] == "Title of a"
        assert Document.objects.get(identifier="b").last_import_batch == batch

    def test_a_failed_import_is_recorded_with_its_errors_and_writes_nothing(self, write_batch):
        path = write_batch("bad.jsonl", [record("a"), {"identifier": "b"}])

        with pytest.raises(Exception):  # noqa: B017  BatchInvalid, checked below
            documents_import(paths=[path], run_by="bob")

        batch = ImportBatch.objects.get()
        assert batch.outcome == ImportBatch.Outcome.FAILED
        assert batch.errors == [f"{path}:2: title: is required", f"{path}:2: date: is required"]
        assert Document.objects.count() == 0

    def test_a_dry_run_leaves_no_record(self, write_batch):
        documents_import(paths=[write_batch("a.jsonl", [record("a")])], dry_run=True)
        assert ImportBatch.objects.count() == 0
        assert Document.objects.count() == 0


class TestUndo:
    def test_undo_removes_what_an_import_created(self, write_batch):
        documents_import(paths=[write_batch("seed.jsonl", [record("kept")])])
        before = snapshot()
        path = write_batch(
            "new.jsonl",
            [
                record(
                    "new",
                    regions=["Atlantis > Lost City"],
                    participants=["Nemo (1800-1870)"],
                    collections=["Legends"],
                ),
            ],
        )
        batch = documents_import(paths=[path]).batch

        import_batch_undo(batch=batch, run_by="carol")

        assert snapshot() == before
        assert not Collection.objects.filter(title="Legends").exists()
        batch.refresh_from_db()
        assert batch.outcome == ImportBatch.Outcome.UNDONE
        assert batch.undone_by == "carol"

    def test_undo_gives_updated_documents_their_previous_values(self, write_batch):
        first = [
            record(
                "a",
                summary="Old.",
                regions=["Europe > France"],
                participants=[{"name": "de Gaulle", "role": "author"}],
            ),
            record("b"),
        ]
        documents_import(paths=[write_batch("first.jsonl", first)])
        before = snapshot()
        second = [
            record(
                "a",
                date="1968-05",
                summary="New.",
                regions=["Europe > Germany"],
                participants=["Adenauer"],
                status="draft",
            ),
            record("b"),
            record("c"),
        ]
        batch = documents_import(paths=[write_batch("second.jsonl", second)]).batch
        assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (1, 1, 1)

        import_batch_undo(batch=batch)

        assert snapshot()[:2] == before[:2]
        document = Document.objects.get(identifier="a")
        assert document.date_display == "1967"
        assert document.last_import_batch.outcome == ImportBatch.Outcome.SUCCEEDED
        # After an undo the earlier batch's fingerprint is back: re-importing it is a no-op.
        again = documents_import(paths=[write_batch("again.jsonl", first)])
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    def test_undo_refuses_when_a_later_import_changed_the_documents(self, write_batch):
        first = documents_import(paths=[write_batch("1.jsonl", [record("a")])]).batch
        documents_import(paths=[write_batch("2.jsonl", [record("a", title="Later")])])

        with pytest.raises(UndoRefused) as refused:
            import_batch_undo(batch=first)

        second_id = ImportBatch.objects.latest("id").pk
        assert refused.value.problems == [
            f"a: changed by import #{second_id} since import #{first.pk}"
        ]
        assert Document.objects.get(identifier="a").title == "Later"

    def test_undo_refuses_when_an_archivist_edited_a_document(self, write_batch):
        batch = documents_import(paths=[write_batch("1.jsonl", [record("a"), record("b")])]).batch
        document_mark_edited(document=Document.objects.get(identifier="b"))

        with pytest.raises(UndoRefused) as refused:
            import_batch_undo(batch=batch)

        assert len(refused.value.problems) == 1
        assert refused.value.problems[0].startswith("b: edited by an archivist on ")
        assert Document.objects.count() == 2

    def test_an_undone_batch_cannot_be_undone_again(self, write_batch):
        batch = documents_import(paths=[write_batch("1.jsonl", [record("a")])]).batch
        import_batch_undo(batch=batch)
        with pytest.raises(UndoRefused) as refused:
            import_batch_undo(batch=batch)
        assert refused.value.problems == [f"import #{batch.pk} is undone"]

    def test_undo_from_the_command_line(self, write_batch):
        batch = documents_import(paths=[write_batch("1.jsonl", [record("a")])]).batch
        out = io.StringIO()
        call_command("import_documents", "--undo", str(batch.pk), stdout=out, no_color=True)
        assert out.getvalue() == f"Import #{batch.pk} undone: 1 document(s) removed, 0 restored.\n"
        assert Document.objects.count() == 0
        with pytest.raises(CommandError, match="There is no import batch #999999"):
            call_command("import_documents", "--undo", "999999")

    def test_undo_from_the_admin(self, admin_client, write_batch):
        batch = documents_import(paths=[write_batch("1.jsonl", [record("a")])]).batch
        response = admin_client.post(
            "/admin/importing/importbatch/",
            {"action": "undo", "_selected_action": [batch.pk]},
            follow=True,
        )
        assert response.status_code == 200
        assert f"Import #{batch.pk} undone." in response.content.decode()
        assert Document.objects.count() == 0

    def test_the_admin_shows_batches_and_where_a_document_came_from(
        self, admin_client, write_batch
    ):
        batch = documents_import(paths=[write_batch("1.jsonl", [record("a")])]).batch
        listing = admin_client.get("/admin/importing/importbatch/").content.decode()
        assert "1.jsonl" in listing
        assert (
            admin_client.get(f"/admin/importing/importbatch/{batch.pk}/change/").status_code == 200
        )
        document = Document.objects.get(identifier="a")
        page = admin_client.get(f"/admin/documents/document/{document.pk}/change/").content.decode()
        assert f"Import #{batch.pk}</a>" in page


class TestArchivistsEdits:
    def test_an_edited_field_is_kept_and_reported_and_others_update(self, write_batch):
        documents_import(paths=[write_batch("1.jsonl", [record("a", summary="Imported.")])])
        Document.objects.filter(identifier="a").update(title="Corrected by an archivist")
        path = write_batch("2.jsonl", [record("a", title="Batch title", summary="Newer.")])

        report = documents_import(paths=[path])

        document = Document.objects.get(identifier="a")
        assert document.title == "Corrected by an archivist"
        assert document.summary == "Newer."
        assert report.conflicts == [
            f"{path}:1: title: changed by an archivist since the last import; "
            "kept their value (--overwrite-edits replaces it)"
        ]
        assert report.changes == {"a": ["summary"]}
        # The edit stays protected on the next run too.
        assert documents_import(paths=[path]).conflicts == report.conflicts

    def test_overwrite_edits_replaces_them(self, write_batch):
        documents_import(paths=[write_batch("1.jsonl", [record("a")])])
        Document.objects.filter(identifier="a").update(title="Corrected")
        path = write_batch("2.jsonl", [record("a", title="Batch title")])

        report = documents_import(paths=[path], overwrite_edits=True)

        assert report.conflicts == []
        assert Document.objects.get(identifier="a").title == "Batch title"
        assert ImportBatch.objects.latest("id").overwrite_edits is True

    def test_an_edit_that_agrees_with_the_batch_is_no_conflict(self, write_batch):
        documents_import(paths=[write_batch("1.jsonl", [record("a")])])
        Document.objects.filter(identifier="a").update(title="Agreed")
        report = documents_import(paths=[write_batch("2.jsonl", [record("a", title="Agreed")])])
        assert (report.updated, report.unchanged, report.conflicts) == (0, 1, [])

    def test_admin_edits_mark_the_document_as_edited(self, admin_client, write_batch):
        documents_import(paths=[write_batch("1.jsonl", [record("a")])])
        document = Document.objects.get(identifier="a")
        data = {
            "identifier": "a",
            "title": "Hand-corrected",
            "status": "published",
            "date": "1967-01-01",
            "date_precision": "year",
            "date_end": "",
            "date_end_precision": "",
            "summary": "",
            "text": "",
            "language": "",
            "source": "",
            "original_archive": "",
            "rights": "",
            "participations-TOTAL_FORMS": "0",
            "participations-INITIAL_FORMS": "0",
            "participations-MIN_NUM_FORMS": "0",
            "participations-MAX_NUM_FORMS": "1000",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        }
        response = admin_client.post(f"/admin/documents/document/{document.pk}/change/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        document.refresh_from_db()
        assert document.title == "Hand-corrected"
        assert document.edited_at is not None


class TestNameMatching:
    @pytest.mark.parametrize(
        "spelling", ["Mao Zedong", "Mao, Zedong", "MAO ZEDONG", "Mao  Zedong", "Zedong, Mao"]
    )
    def test_inverted_and_folded_forms_match_one_person(self, write_batch, spelling):
        documents_import(paths=[write_batch("1.jsonl", [record("a", participants=["Mao Zedong"])])])
        documents_import(paths=[write_batch("2.jsonl", [record("b", participants=[spelling])])])
        assert Person.objects.count() == 1
        assert Person.objects.get().documents.count() == 2

    def test_known_alternate_names_match(self, write_batch):
        Person.objects.create(
            name="Mao Zedong", slug="mao-zedong", alternate_names=["Mao Tse-tung"]
        )
        documents_import(
            paths=[write_batch("1.jsonl", [record("a", participants=["Mao Tse-tung (1893-1976)"])])]
        )
        person = Person.objects.get()
        assert (person.name, person.birth_year, person.death_year) == ("Mao Zedong", 1893, 1976)
        assert person.documents.count() == 1

    def test_alternate_names_in_a_batch_are_added_and_used(self, write_batch):
        first = [
            record("a", participants=[{"name": "Kim Il Sung", "alternate_names": ["Kim Ir Sen"]}])
        ]
        documents_import(paths=[write_batch("1.jsonl", first)])
        documents_import(paths=[write_batch("2.jsonl", [record("b", participants=["Kim Ir Sen"])])])
        person = Person.objects.get()
        assert person.alternate_names == ["Kim Ir Sen"]
        assert person.documents.count() == 2

    def test_different_curated_life_dates_are_kept_and_reported(self, write_batch):
        Person.objects.create(name="Tito", slug="tito", birth_year=1892, death_year=1980)
        path = write_batch("1.jsonl", [record("a", participants=["Tito (1890-1980)"])])
        report = documents_import(paths=[path])
        assert Person.objects.get().birth_year == 1892
        assert report.warnings == [
            f"{path}:1: participants: Tito's birth year is 1892 in the archive and 1890 in the "
            "batch; kept 1892"
        ]


class TestStatusAndPublication:
    def test_first_published_is_set_once(self, write_batch):
        documents_import(paths=[write_batch("1.jsonl", [record("a", status="draft")])])
        assert Document.objects.get().first_published is None
        documents_import(
            paths=[write_batch("2.jsonl", [record("a", status="published")])], overwrite_edits=True
        )
        assert Document.objects.get().status == Status.PUBLISHED
        assert Document.objects.get().first_published is not None


class TestChunksPlannedAhead:
    """Each chunk is planned in a second thread while the one before it is written."""

    @pytest.fixture
    def tiny_chunks(self, monkeypatch):
        monkeypatch.setattr(importing, "CHUNK", 2)

    def test_a_name_learned_in_a_later_chunk_finds_the_earlier_documents(
        self, client, write_batch, tiny_chunks
    ):
        rows = [
            record("a", participants=["Kim Il Sung"]),
            record("b"),
            record("c"),
            record("d", participants=[{"name": "Kim Il Sung", "alternate_names": ["Kim Ir Sen"]}]),
            record("e", participants=["Kim Ir Sen"]),
        ]
        report = documents_import(paths=[write_batch("1.jsonl", rows)])
        assert (report.created, report.people_created, report.people_updated) == (5, 1, 0)
        person = Person.objects.get()
        assert person.alternate_names == ["Kim Ir Sen"]
        assert sorted(person.documents.values_list("identifier", flat=True)) == ["a", "d", "e"]
        response = client.get("/documents/", {"q": '"Kim Ir Sen"', "per_page": 100})
        found = sorted(d.identifier for d in response.context["documents"])
        assert found == ["a", "d", "e"]

    def test_tiny_chunks_import_what_one_chunk_does(self, write_batch, monkeypatch):
        rows = [
            record(
                f"doc-{n}",
                participants=[f"Person {n % 3}", "Mao Zedong"],
                regions=["Asia > China", f"Europe > Place {n % 2}"],
                collections=[f"Collection {n % 4}"],
                summary=f"Summary {n}",
            )
            for n in range(9)
        ]
        path = write_batch("1.jsonl", rows)

        def written():
            documents = Document.objects.order_by("identifier")
            return snapshot(), [
                (
                    # links are fingerprinted by id, and the ids are new the second time
                    {k: v for k, v in d.import_fingerprint.items() if k not in importing.RELATIONS},
                    d.import_record_hash,
                    sorted(d.collections.values_list("title", flat=True)),
                )
                for d in documents
            ]

        whole = documents_import(paths=[path])
        in_one_chunk = written()
        import_batch_undo(batch=whole.batch)
        assert Document.objects.count() == Person.objects.count() == 0
        monkeypatch.setattr(importing, "CHUNK", 2)
        report = documents_import(paths=[path])
        assert (report.created, report.people_created, report.collections_created) == (9, 4, 4)
        assert written() == in_one_chunk

    def test_updates_and_conflicts_are_reported_in_order(self, write_batch, tiny_chunks):
        documents_import(paths=[write_batch("1.jsonl", [record(f"d{n}") for n in range(5)])])
        for identifier in ("d1", "d3"):
            Document.objects.filter(identifier=identifier).update(title="Edited by hand")
        changed = [record(f"d{n}", title=f"New title {n}") for n in range(5)]
        path = write_batch("2.jsonl", changed)
        report = documents_import(paths=[path])
        assert (report.created, report.updated, report.unchanged) == (0, 3, 2)
        assert list(report.changes) == ["d0", "d2", "d4"]
        assert report.conflicts == [
            f"{path}:{line}: title: changed by an archivist since the last import; kept their "
            "value (--overwrite-edits replaces it)"
            for line in (2, 4)
        ]

    def test_the_interpreter_is_left_as_it_was(self, write_batch, tiny_chunks, monkeypatch):
        """The import freezes the collector's heap (and pauses it while reading the spool) and
        shortens the switch interval while it runs: a long-lived process (a web worker running
        an admin import) gets all of it back, after a good batch and after a refused one."""
        interval = sys.getswitchinterval()
        seen_while_writing = []
        plan = importing._Importer.plan

        def watched_plan(importer, read, **kwargs):
            seen_while_writing.append((sys.getswitchinterval(), gc.get_freeze_count() > 0))
            return plan(importer, read, **kwargs)

        monkeypatch.setattr(importing._Importer, "plan", watched_plan)
        documents_import(paths=[write_batch("1.jsonl", [record("a"), record("b"), record("c")])])
        assert seen_while_writing == [(importing.HANDOFF_INTERVAL, True)] * 2
        assert (sys.getswitchinterval(), gc.get_freeze_count(), gc.isenabled()) == (
            interval,
            0,
            True,
        )
        with pytest.raises(BatchInvalid):
            documents_import(paths=[write_batch("2.jsonl", [{"identifier": "no-title"}])])
        assert (sys.getswitchinterval(), gc.get_freeze_count(), gc.isenabled()) == (
            interval,
            0,
            True,
        )

    def test_the_planning_thread_may_not_query(self):
        def plan(read):
            return Document.objects.count()

        with ThreadPoolExecutor(max_workers=1) as thread:
            outcome = thread.submit(importing._without_queries, plan, None)
            with pytest.raises(RuntimeError, match="planning thread may not query: SELECT"):
                outcome.result()

    def test_without_a_second_session_the_import_writes_on_one(self, write_batch, monkeypatch):
        if connection.vendor != "postgresql":
            pytest.skip("the planning session is PostgreSQL's")
        import psycopg

        def refuse(self):
            raise psycopg.OperationalError("sorry, too many clients already")

        monkeypatch.setattr(importing._PlanningSession, "__init__", refuse)
        rows = [
            record(f"d{n}", summary=f"A treaty on grain {n}", participants=["Mao"])
            for n in range(3)
        ]
        report = documents_import(paths=[write_batch("1.jsonl", rows)])
        assert report.created == 3
        assert report.warnings == [
            "no second database session (sorry, too many clients already); the import wrote on one"
        ]
        assert document_search(QueryDict("q=grain")).count == 3


def test_the_old_admin_addresses_of_import_batches_redirect(admin_client):
    """ImportBatch moved from documents/ to importing/ (issue 21): bookmarks still work."""
    response = admin_client.get("/admin/documents/importbatch/7/change/?_changelist_filters=x")
    assert response.status_code == 301
    assert response["Location"] == "/admin/importing/importbatch/7/change/?_changelist_filters=x"
    assert admin_client.get("/admin/documents/importbatch/").status_code == 301
