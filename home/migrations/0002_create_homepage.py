"""Replace Wagtail's "Welcome" page with the network's home page, so every install starts with one."""

import uuid

from django.db import migrations

INTRODUCTION = (
    "Placette réunit les centres sociaux du quartier sur un même site. "
    "Vous y trouvez les activités près de chez vous et des voisins prêts à s'entraider."
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("home.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()

    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    home = HomePage.objects.create(
        title="Placette, les centres sociaux connectés",
        draft_title="Placette, les centres sociaux connectés",
        slug="accueil",
        introduction=INTRODUCTION,
        content_type=home_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/accueil/",
        live=True,
        locale=Locale.objects.order_by("pk").first(),
        translation_key=uuid.uuid4(),
    )
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Placette")


def remove_homepage(apps, schema_editor):
    apps.get_model("home.HomePage").objects.filter(depth=2).delete()
    apps.get_model("contenttypes.ContentType").objects.filter(model="homepage", app_label="home").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
