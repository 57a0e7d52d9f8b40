from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chorale.accounts"
    label = "accounts"
    verbose_name = "Comptes utilisateurs"
