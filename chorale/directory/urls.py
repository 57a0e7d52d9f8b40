from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("publiques/", views.public_search, name="public_search"),
    path("publiques/<int:pk>/", views.public_detail, name="public_detail"),
]
