from django.apps import AppConfig


class CarteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "carte"
    verbose_name = "Carte des lieux utiles"

    def ready(self):
        # Placing, kinds of notification, retention rules, sections and signals register on import.
        from carte import freshness, notices, personal_data, sections, signals  # noqa: F401
