from django.apps import AppConfig


class SuiviConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "suivi"
    verbose_name = "Suivi des accompagnements"

    def ready(self):
        from suivi import figures, personal_data  # noqa: F401  (they connect their receivers and sections on import)
