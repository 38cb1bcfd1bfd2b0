"""The read-replica router: public reads to the replica, everything else to the primary."""

from contextvars import copy_context

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import RequestFactory

from archive.db_routers import (
    PRIMARY,
    REPLICA,
    PrimaryPinMiddleware,
    PrimaryReplicaRouter,
    pin_to_primary,
    read_connection,
)
from documents.models import Document, DocumentParticipant, Region
from oai.models import DeletedRecord
from people.models import Person

router = PrimaryReplicaRouter()


def fresh(function, *args):
    """Run in a context of its own, as a new request starts: nothing pinned yet."""
    return copy_context().run(function, *args)


@pytest.mark.parametrize("model", [Document, DocumentParticipant, Region, Person, DeletedRecord])
def test_public_reads_go_to_the_replica(model):
    assert fresh(router.db_for_read, model) == REPLICA


@pytest.mark.parametrize("model", [User, Session])
def test_accounts_and_sessions_are_read_from_the_primary(model):
    assert fresh(router.db_for_read, model) == PRIMARY


def test_writes_go_to_the_primary_and_pin_later_reads_there():
    def write_then_read():
        before = router.db_for_read(Document)
        written = router.db_for_write(Document)
        return before, written, router.db_for_read(Document), router.db_for_read(Person)

    assert fresh(write_then_read) == (REPLICA, PRIMARY, PRIMARY, PRIMARY)
    # The pin stays with that request: the next one reads from the replica again.
    assert fresh(router.db_for_read, Document) == REPLICA


def test_pinning_by_hand():
    def pinned():
        pin_to_primary()
        return router.db_for_read(Document)

    assert fresh(pinned) == PRIMARY


@pytest.mark.django_db
def test_reads_inside_a_transaction_on_the_primary_stay_there():
    # pytest-django runs this test inside a transaction on the primary.
    assert fresh(router.db_for_read, Document) == PRIMARY


def test_migrations_only_on_the_primary():
    assert router.allow_migrate(PRIMARY, "documents") is True
    assert router.allow_migrate(REPLICA, "documents") is False
    assert router.allow_migrate(REPLICA, "auth", model_name="user") is False


def test_objects_from_primary_and_replica_may_be_related():
    one, other = Document(), Person()
    one._state.db, other._state.db = PRIMARY, REPLICA
    assert router.allow_relation(one, other) is True


def read_during(method: str, path: str) -> str:
    seen = []

    def view(request):
        seen.append(router.db_for_read(Document))
        return "response"

    assert fresh(PrimaryPinMiddleware(view), RequestFactory().generic(method, path)) == "response"
    return seen[0]


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_public_requests_read_from_the_replica(method):
    assert read_during(method, "/documents/") == REPLICA


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_requests_that_may_write_read_from_the_primary(method):
    assert read_during(method, "/documents/") == PRIMARY


def test_the_admin_reads_from_the_primary():
    assert read_during("GET", "/admin/documents/document/") == PRIMARY


def test_a_request_pin_ends_with_the_request():
    def two_requests():
        middleware = PrimaryPinMiddleware(lambda request: router.db_for_read(Document))
        first = middleware(RequestFactory().post("/admin/"))
        after = router.db_for_read(Document)
        second = middleware(RequestFactory().get("/documents/"))
        return first, after, second

    assert fresh(two_requests) == (PRIMARY, REPLICA, REPLICA)


def test_raw_reads_use_the_routers_choice():
    # Without a replica configured (as in the tests) that is the primary.
    assert read_connection(Document).alias == PRIMARY
