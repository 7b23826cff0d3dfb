from django.apps import AppConfig


class DemarchesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "demarches"
    verbose_name = "Démarches en ligne"

    def ready(self):
        from demarches import (  # noqa: F401  (scopes, kinds, data sections and hooks register on import)
            freshness,
            notices,
            personal_data,
            sections,
        )
