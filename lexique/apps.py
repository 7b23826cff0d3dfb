from django.apps import AppConfig


class LexiqueConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lexique"
    verbose_name = "Lexique du numérique"

    def ready(self):
        # The lexicon's token follows its pages from import on; the tutorials' kinds, page-cache places and data rules
        # register on import.
        from lexique import freshness, notices, personal_data, signals  # noqa: F401
