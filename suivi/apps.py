from django.apps import AppConfig


class SuiviConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "suivi"
    verbose_name = "Suivi des accompagnements"

    def ready(self):
        from suivi import (
            appointments,  # noqa: F401  (its notification kinds and page freshness register on import)
            figures,  # noqa: F401  (its receivers renew a centre's figures when a record changes)
            personal_data,  # noqa: F401  ("Mes données" sections and account erasure register on import)
        )
