from django.utils.functional import SimpleLazyObject

from .models import Folder


def folders(request):
    """The signed-in researcher's folders, for the "Save to a folder" forms; read only by a
    page that shows one."""
    user = getattr(request, "user", None)
    return {"my_folders": SimpleLazyObject(lambda: list(Folder.objects.of(user)) if user else [])}
