from django.apps import AppConfig


class PlacetteConfig(AppConfig):
    """The project itself, as an app: it holds the commands that span every other app (`demo`)."""

    name = "placette"
    verbose_name = "Placette"

    def ready(self):
        from placette import page_cache

        page_cache.connect()
