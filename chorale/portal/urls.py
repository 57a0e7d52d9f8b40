from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("accueil/", views.dashboard, name="dashboard"),
    path("aide/", views.help_page, name="help"),
]
