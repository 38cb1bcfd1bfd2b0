from django.conf import settings


def archive(request):
    """The archive's name, for the page header and citations; how long a registration's
    confirmation link works."""
    return {
        "ARCHIVE_NAME": settings.ARCHIVE_NAME,
        "ACCOUNT_ACTIVATION_DAYS": settings.ACCOUNT_ACTIVATION_DAYS,
    }
