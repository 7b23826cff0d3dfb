from django.apps import AppConfig


class AgendaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agenda"
    verbose_name = "Agenda"

    def ready(self):
        from agenda import freshness, notices, personal_data, proposals, sections, signals  # noqa: F401  (kinds, topics, hooks and signals register on import)
