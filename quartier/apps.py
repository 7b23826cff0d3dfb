from django.apps import AppConfig


class QuartierConfig(AppConfig):
    name = "quartier"
    verbose_name = "Quartiers et centres"

    def ready(self):
        from quartier import signals  # noqa: F401  (connects the receivers)
