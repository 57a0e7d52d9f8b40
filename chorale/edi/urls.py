from django.urls import path

from . import views

app_name = "edi"

urlpatterns = [
    path("structures/<int:pk>/raccordements/edi/", views.connections, name="connections"),
    path(
        "structures/<int:pk>/raccordements/edi/mandats/", views.mandate_grant, name="mandate_grant"
    ),
    path(
        "structures/<int:pk>/raccordements/edi/mandats/<int:mandate_id>/revoquer/",
        views.mandate_revoke,
        name="mandate_revoke",
    ),
]
