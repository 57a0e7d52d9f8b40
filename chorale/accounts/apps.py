from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chorale.accounts"
    label = "accounts"
    verbose_name = "Comptes utilisateurs"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from chorale.core.feed import events_recorded

        from .middleware import keep_chosen_language
        from .notifications import notify_events

        events_recorded.connect(notify_events, dispatch_uid="accounts.notify_events")
        user_logged_in.connect(keep_chosen_language, dispatch_uid="accounts.keep_language")
