from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Accueil et pages"

    def ready(self):
        from home.french_dates import register_admin_date_fields

        register_admin_date_fields()
