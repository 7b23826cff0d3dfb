from django.apps import AppConfig


class LexiqueConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lexique"
    verbose_name = "Lexique du numérique"

    def ready(self):
        from lexique import signals  # noqa: F401  (the lexicon's token follows its pages from import on)
