from django.urls import path

from . import views

app_name = "edi"

urlpatterns = [
    path("edi/as2/", views.as2_receive, name="as2"),
    path("edi/as2/certificat.pem", views.as2_certificate, name="as2_certificate"),
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
