import django.db.models.deletion
from django.db import migrations, models

# The links' single-column indexes are covered by the two-column ones that lead with the same
# column (participant_once_per_document, participant_person_idx). Only the indexes are dropped:
# Django's own AlterField would also drop and re-add (and so re-check) both foreign keys,
# which on a large archive is millions of checks for nothing.
INDEXES = {
    "documents_documentparticipant_document_id_ba5766e7": "document_id",
    "documents_documentparticipant_person_id_4ce084fd": "person_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0016_identifier_constraint"),
        ("people", "0002_edit_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {name};",
                    f"CREATE INDEX {name} ON documents_documentparticipant ({column});",
                )
                for name, column in INDEXES.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="documentparticipant",
                    name="document",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participations",
                        to="documents.document",
                    ),
                ),
                migrations.AlterField(
                    model_name="documentparticipant",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="participations",
                        to="people.person",
                    ),
                ),
            ],
        ),
    ]
