from django.apps import AppConfig


class EchangesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "echanges"
    verbose_name = "Échanges"

    def ready(self):
        from echanges import freshness, notices, personal_data, sections  # noqa: F401  (kinds, sections and signals register on import)
