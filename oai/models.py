"""What OAI-PMH must remember that the documents no longer say: identifiers that are gone."""

from django.db import models


class DeletedRecord(models.Model):
    """An identifier harvesters may have seen that no longer names a public document.

    Written when a document that was ever published is deleted, or renamed (its old identifier
    is gone). Kept for good ("persistent" deleted records); while a document with ever-public
    status holds the identifier again, the document's own record speaks for it instead.
    """

    identifier = models.CharField(max_length=100, unique=True)
    deleted_at = models.DateTimeField(db_index=True)
    set_specs = models.TextField(
        blank=True,
        help_text="The sets (collection slugs) it was in, space-separated with a space at "
        "each end, so that one set is matched as ' slug '.",
    )

    class Meta:
        ordering = ["deleted_at", "identifier"]

    def __str__(self) -> str:
        return f"{self.identifier} (deleted {self.deleted_at:%Y-%m-%d})"

    @property
    def sets(self) -> list[str]:
        return self.set_specs.split()

    @staticmethod
    def join_sets(slugs) -> str:
        slugs = sorted(set(slugs))
        return f" {' '.join(slugs)} " if slugs else ""
