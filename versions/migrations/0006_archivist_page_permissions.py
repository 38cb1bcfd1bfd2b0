"""Archivists correct the text OCR read on scans' pages, and ask for pages to be read again
(view and change; pages come and go with their scans, never by hand)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Archivist"
CODENAMES = ["change_versionpage", "view_versionpage"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("versions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="versions", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="versions", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("versions", "0005_pages")]

    operations = [migrations.RunPython(grant, revoke)]
