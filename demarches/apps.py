from django.apps import AppConfig


class DemarchesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "demarches"
    verbose_name = "Démarches en ligne"

    def ready(self):
        from demarches import audiences, freshness, sections  # noqa: F401  (scopes, hooks, audiences register on import)
