from django.urls import path, re_path

from reuse.exports import FORMAT_PATTERN

from . import views

app_name = "folders"

EXPORT = rf"export\.(?P<fmt>{FORMAT_PATTERN})$"

urlpatterns = [
    path("", views.folder_list, name="list"),
    path("new/", views.folder_create, name="create"),
    path("save/", views.folder_save, name="save"),
    path("<int:pk>/", views.folder_detail, name="detail"),
    path("<int:pk>/rename/", views.folder_rename, name="rename"),
    path("<int:pk>/delete/", views.folder_delete, name="delete"),
    path("<int:pk>/share/", views.folder_share, name="share"),
    path("<int:pk>/unshare/", views.folder_unshare, name="unshare"),
    path("<int:pk>/items/<int:item_pk>/note/", views.item_note, name="item-note"),
    path("<int:pk>/items/<int:item_pk>/move/", views.item_move, name="item-move"),
    path("<int:pk>/items/<int:item_pk>/remove/", views.item_remove, name="item-remove"),
    re_path(rf"^(?P<pk>[0-9]+)/{EXPORT}", views.folder_export, name="export"),
    path("shared/<str:token>/", views.shared_folder, name="shared"),
    re_path(
        rf"^shared/(?P<token>[-_A-Za-z0-9]+)/{EXPORT}",
        views.shared_folder_export,
        name="shared-export",
    ),
]
