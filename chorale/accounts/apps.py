from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chorale.accounts"
    label = "accounts"
    verbose_name = "Comptes utilisateurs"

    def ready(self):
        from chorale.core.feed import event_recorded

        from .notifications import notify_event

        event_recorded.connect(notify_event, dispatch_uid="accounts.notify_event")
