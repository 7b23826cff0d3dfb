from django.apps import AppConfig


class DemarchesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "demarches"
    verbose_name = "Démarches en ligne"

    def ready(self):
        # Scopes, hooks, notification kinds, campaign audiences, the SMS replies' receiver and retention rules
        # register on import.
        from demarches import audiences, callbacks, freshness, notices, personal_data, sections  # noqa: F401
