from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("langue/", views.language, name="language"),
    path("inscription/", views.register, name="register"),
    path("inscription/envoyee/", views.register_done, name="register_done"),
    path("activation/<str:token>/", views.activate, name="activate"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("franceconnect/", views.oidc_login, name="oidc_login"),
    path("franceconnect/retour/", views.oidc_callback, name="oidc_callback"),
    path("franceconnect/completer/", views.oidc_complete, name="oidc_complete"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe-oublie/", views.password_forgot, name="password_forgot"),
    path("mot-de-passe-oublie/envoye/", views.password_forgot_done, name="password_forgot_done"),
    path("mot-de-passe/nouveau/<str:token>/", views.password_reset, name="password_reset"),
    path("", views.my_account, name="my_account"),
    path("mot-de-passe/", views.change_password, name="change_password"),
    path("question-secrete/", views.change_secret, name="change_secret"),
    path("notifications/", views.notifications, name="notifications"),
]
