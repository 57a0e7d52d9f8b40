from django.urls import path

from . import attachment, registration, views

app_name = "directory"

urlpatterns = [
    path("publiques/", views.public_search, name="public_search"),
    path("publiques/<int:pk>/", views.public_detail, name="public_detail"),
    path("rattachement/demander/", attachment.attachment_search, name="attachment_search"),
    path(
        "rattachement/demander/export.<str:fmt>",
        attachment.attachment_search_export,
        name="attachment_search_export",
    ),
    path("nouvelle/", registration.structure_create, name="structure_create"),
]
