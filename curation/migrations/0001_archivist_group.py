"""The "Archivist" group: curates documents, people, places and collections and runs and
undoes imports, but deletes nothing in bulk and manages no accounts. The permissions are
listed here, frozen, as a migration must be; a later change of the role is a new migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Archivist"
PERMISSIONS = {
    "documents": {
        "document": ["add", "change", "view"],
        "region": ["add", "change", "view"],
        "collection": ["add", "change", "view"],
        # Participants are edited inline on a document: removing one deletes its row.
        "documentparticipant": ["add", "change", "delete", "view"],
        "identifierredirect": ["view"],
        # Change is what the "Undo selected imports" action asks for.
        "importbatch": ["change", "view"],
        "importchange": ["view"],
        "historicaldocument": ["view"],
        "historicalregion": ["view"],
        "historicalcollection": ["view"],
    },
    "people": {
        "person": ["add", "change", "view"],
        "historicalperson": ["view"],
    },
}


def create_group(apps, schema_editor):
    # Permissions are normally made after migrating; this migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    wanted = []
    for app_label, models in PERMISSIONS.items():
        for model, actions in models.items():
            for action in actions:
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )
    group.permissions.set(wanted)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0006_edit_history"),
        ("people", "0002_edit_history"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
