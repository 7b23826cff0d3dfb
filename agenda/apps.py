from django.apps import AppConfig


class AgendaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agenda"
    verbose_name = "Agenda"

    def ready(self):
        from agenda import (  # noqa: F401  (kinds, topics, hooks, help providers and signals register on import)
            campaign_audiences,
            freshness,
            notices,
            personal_data,
            procedure_help,
            proposals,
            sections,
            signals,
        )
