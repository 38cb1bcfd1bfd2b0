"""Strings of Django's admin and of django-simple-history's history pages that their own
catalogues lack in the archive's languages, given again in the archive's catalogue (which
Django reads first, LOCALE_PATHS): Django's Simplified Chinese lacks the headings of the app
list's table and a form's "Error:"; django-simple-history ships Russian as `ru_RU`, which
Django never reads for `ru`, and its Chinese lacks "Changes". Nothing calls these: marking
them is enough (docs/translations.md)."""

from django.utils.translation import gettext_noop, ngettext

DJANGO_ADMIN = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
]

SIMPLE_HISTORY = [
    gettext_noop("History"),
    gettext_noop("Change history: %s"),
    gettext_noop("Revert %s"),
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
    gettext_noop("You may edit it again below"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop(
        "Choose a date from the list below to revert to a previous version of this object."
    ),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Object"),
    gettext_noop("Date/time"),
    gettext_noop("Comment"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Changes"),
    gettext_noop("None"),
    gettext_noop("Or press the 'Change History' button to edit the history."),
    gettext_noop("Revert"),
    gettext_noop("Change History"),
]


def _history_count(count: int) -> str:
    """The history list's count, "3 entries" (a plural: there is no ngettext_noop)."""
    return ngettext("entry", "entries", count)
