from django.conf import settings


def archive(request):
    """The archive's name, for the page header and citations."""
    return {"ARCHIVE_NAME": settings.ARCHIVE_NAME}
