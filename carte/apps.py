from django.apps import AppConfig


class CarteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "carte"
    verbose_name = "Carte des lieux utiles"

    def ready(self):
        from carte import freshness, sections, signals  # noqa: F401  (placing, sections and signals register on import)
