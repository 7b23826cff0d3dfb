from django.apps import AppConfig


class QuartierConfig(AppConfig):
    name = "quartier"
    verbose_name = "Quartiers et centres"

    def ready(self):
        from quartier import freshness, signals  # noqa: F401  (receivers connect, rows are placed in centres)
