from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes"

    def ready(self):
        from accounts import notices, personal_data, signals  # noqa: F401  (kinds of notification, data sections and retention rules, minors)
