from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("accueil/", views.dashboard, name="dashboard"),
    path("espaces/ajouter/", views.add_space, name="add_space"),
    path("aide/", views.help_page, name="help"),
]
