"""Archivists upload, order, replace and remove a document's versions (inline on the
document, where removing one deletes its row, as with participants)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Archivist"
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    # Permissions are normally made after migrating; this migration needs them now.
    app_config = apps.get_app_config("versions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="versions",
            codename__in=[f"{action}_documentversion" for action in ACTIONS],
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="versions")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("versions", "0001_initial"),
        ("curation", "0001_archivist_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
