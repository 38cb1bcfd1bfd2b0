from django.db import models


class OutboxEntry(models.Model):
    """A document whose place in the lists may have changed: written in the same transaction
    as the change (an import, an edit, publishing, a merge, a delete), and consumed by the
    indexer once the index shows the document as the database now has it.

    The indexer reads the database, not the entry, so applying an entry twice changes nothing,
    and an indexer killed at any moment resumes from the entries still here.
    """

    document_id = models.BigIntegerField(
        help_text="The document, which may since have been deleted (the index then drops it)."
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "index outbox entry"
        verbose_name_plural = "index outbox"

    def __str__(self) -> str:
        return f"Document {self.document_id} to index"
