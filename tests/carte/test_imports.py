"""Places imported from the national standards' files: dry run first, exactly that written, checked places kept."""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carte import exports, imports
from carte.models import PlaceOpeningHours, UsefulPlace
from tests.carte.factories import UsefulPlaceFactory, category
from tests.factories import CentrePageFactory, UserFactory

HEADER = exports.mediation_num_fields()
VALID = {
    "id": "structure-1",
    "pivot": "43493312300029",
    "nom": "Médiathèque Zola",
    "commune": "Roubaix",
    "code_postal": "59100",
    "adresse": "12 rue de l'Épeule",
    "latitude": "50.6901",
    "longitude": "3.1702",
    "telephone": "+33320000000",
    "horaires": "Mo-Fr 09:00-12:00; Sa 10:00-12:00",
    "date_maj": "2026-11-30",
    "services": "Accès internet et matériel informatique|Loisirs et créations numériques",
    "frais_a_charge": "Gratuit",
    "source": "Hubik",
}


def mediation_csv(*rows, header=HEADER):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return out.getvalue().encode("utf-8")


def row(**changes):
    return {**VALID, **changes}


def written_rows():
    """Counts of every table an import writes."""
    return (
        UsefulPlace.objects.count(),
        PlaceOpeningHours.objects.count(),
        UsefulPlace.categories.through.objects.count(),
    )


def without_date(rows):
    """Rows by name, without what a new copy of the same data cannot keep: its own ids and date."""
    return {row["nom"]: {k: v for k, v in row.items() if k not in ("id", "date_maj")} for row in rows}


@pytest.fixture
def a_file(tmp_path):
    """The path of a new file holding the bytes given, for the command."""

    def write(content):
        path = tmp_path / f"lieux-{len(list(tmp_path.iterdir()))}.csv"
        path.write_bytes(content)
        return str(path)

    return write


@pytest.fixture
def varied_places(db):
    return [
        UsefulPlaceFactory(
            name="France Services de l'Épeule",
            categories=[category("france-services"), category("wi-fi-gratuit")],
            hours=[(day, dt.time(9), dt.time(12)) for day in range(5)] + [(2, dt.time(14), dt.time(17))],
            pivot="43493312300029",
            phone="+33320000000",
            website="https://fs.example.fr/",
            wheelchair=True,
            hearing_loop=True,
            easy_read_reception=True,
            languages="français, anglais, arabe",
        ),
        UsefulPlaceFactory(
            name="Cyber-espace du Pile",
            categories=[category("accompagnement-au-numerique"), category("impression-et-scan")],
            pivot="W595012345",
            is_free=False,
            price="Gratuit sous condition de ressources",
            latitude=None,
            longitude=None,
        ),
        UsefulPlaceFactory(name="Aide aux papiers", categories=[category("aide-aux-demarches")], pivot="W595012346"),
        UsefulPlaceFactory(name="PMI du Pile", categories=[category("pmi")], for_under_3=True),
    ]


@pytest.mark.parametrize("form", ["csv", "json"])
def test_an_export_imported_into_an_empty_map_exports_the_same(db, home, varied_places, form):
    centre = CentrePageFactory(parent=home, title="Centre social Belencontre")
    centre.pivot = "W595099999"
    centre.save_revision().publish()
    before = exports.mediation_num_rows(exports.open_places())
    before_inclusion = exports.data_inclusion_rows(exports.open_places())
    body = exports.to_csv(before, HEADER) if form == "csv" else exports.to_json(before)
    UsefulPlace.objects.filter(for_centre__isnull=True).delete()

    plan = imports.plan_import(body, imports.MEDIATION)
    assert plan.errors == []
    assert [entry.name for entry in plan.centres] == ["Centre social Belencontre"]  # its page is its source
    imports.apply_plan(plan)

    after = exports.mediation_num_rows(exports.open_places())
    assert without_date(after) == without_date(before)
    assert {row["id"] for row in before} == set(
        UsefulPlace.objects.exclude(source_id="").values_list("source_id", flat=True)
    ) | {f"centre-{centre.pk}"}
    # The PMI is not in the digital file: only the places of digital help came back.
    inclusion = {row["nom"] for row in exports.data_inclusion_rows(exports.open_places())}
    assert inclusion == {row["nom"] for row in before_inclusion} - {"PMI du Pile"}
    again = imports.plan_import(body, imports.MEDIATION)
    assert len(again.unchanged) == 3 and again.created == again.updated == []


def test_a_data_inclusion_file_round_trips_what_it_carries(db, varied_places):
    body = exports.to_json(exports.data_inclusion_rows(exports.open_places()))
    before = json.loads(body)
    UsefulPlace.objects.all().delete()
    plan = imports.plan_import(body, imports.DATA_INCLUSION)
    assert plan.errors == [] and len(plan.created) == 4
    imports.apply_plan(plan)
    assert without_date(exports.data_inclusion_rows(exports.open_places())) == without_date(before)


def test_services_come_back_as_the_map_s_categories(db):
    plan = imports.plan_import(mediation_csv(row()), imports.MEDIATION)
    imports.apply_plan(plan)
    place = UsefulPlace.objects.get()
    assert {c.slug for c in place.categories.all()} == {"ordinateurs-en-acces-libre", "accompagnement-au-numerique"}
    assert (place.source, place.source_id) == ("Hubik", "structure-1")
    assert sorted((s.weekday, s.opens.hour, s.closes.hour) for s in place.opening_hours.all()) == [
        (0, 9, 12),
        (1, 9, 12),
        (2, 9, 12),
        (3, 9, 12),
        (4, 9, 12),
        (5, 10, 12),
    ]


def test_a_place_is_found_by_its_id_then_pivot_then_name_and_postcode(db):
    by_id = UsefulPlaceFactory(name="Ancien nom", source="Hubik", source_id="structure-1")
    by_pivot = UsefulPlaceFactory(name="Autre nom", pivot="W595012345")
    by_name = UsefulPlaceFactory(name="Épicerie solidaire", postcode="59100", categories=[category("pmi")])
    body = mediation_csv(
        row(),
        row(id="s-2", nom="Nouveau nom", pivot="W595012345"),
        row(id="s-3", nom="ÉPICERIE SOLIDAIRE", pivot="", code_postal="59100"),
        row(id="s-4", nom="Tout nouveau", pivot=""),
    )
    plan = imports.plan_import(body, imports.MEDIATION)
    assert [(entry.line, entry.action, entry.place) for entry in plan.entries] == [
        (2, imports.UPDATE, by_id),
        (3, imports.UPDATE, by_pivot),
        (4, imports.UPDATE, by_name),
        (5, imports.CREATE, None),
    ]
    name_change = next(change for change in plan.entries[0].changes if change.name == "name")
    assert (name_change.old, name_change.new) == ("Ancien nom", "Médiathèque Zola")
    imports.apply_plan(plan)
    # A category the standard does not speak of stays.
    assert "pmi" in {c.slug for c in UsefulPlace.objects.get(pk=by_name.pk).categories.all()}


def test_an_empty_cell_erases_nothing(db):
    place = UsefulPlaceFactory(name="Médiathèque Zola", phone="+33320111111", pivot="43493312300029")
    plan = imports.plan_import(mediation_csv(row(telephone="", horaires="")), imports.MEDIATION)
    assert "phone" not in {change.name for change in plan.updated[0].changes}
    imports.apply_plan(plan)
    place.refresh_from_db()
    assert str(place.phone) == "+33320111111"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"latitude": "3.1702", "longitude": "50.6901"}, "Latitude et longitude semblent inversées"),
        ({"latitude": "40.7128", "longitude": "-74.0060"}, "Ce point n'est pas en France"),
        ({"latitude": "50.69", "longitude": ""}, "Indiquez la latitude et la longitude, ou aucune des deux"),
        ({"latitude": "nord"}, "latitude et longitude doivent être des nombres"),
        ({"horaires": "Mo-Fr 9h-12h"}, "horaires illisibles : « Mo-Fr 9h-12h »"),
        ({"nom": '<script>alert("x")</script>Zola'}, "« nom » contient du HTML, refusé"),
        ({"adresse": '"><img src=x onerror=alert(1)>'}, "« adresse » contient du HTML, refusé"),
        ({"telephone": "12345"}, "téléphone « 12345 » illisible"),
        ({"pivot": "43493312300028"}, "Ce numéro SIRET contient une erreur"),
        ({"code_postal": "591"}, "code postal « 591 » : il faut 5 chiffres"),
        ({"services": "Cours de cuisine"}, "valeur inconnue du standard « Cours de cuisine »"),
        ({"site_web": "javascript:alert(1)"}, "site web « javascript:alert(1) »"),
        ({"date_maj": "30/11/2026"}, "date_maj « 30/11/2026 »"),
        ({"id": ""}, "« id » est vide"),
        ({"nom": "x" * 151}, "« nom » a plus de 150 caractères"),
    ],
)
def test_a_bad_line_is_refused_with_its_number_and_the_others_go_on(db, changes, message):
    body = mediation_csv(row(id="ok", nom="Bon lieu"), row(**changes))
    plan = imports.plan_import(body, imports.MEDIATION)
    assert [line for line, _text in plan.errors] == [3]
    assert message in plan.errors[0][1]
    assert [entry.name for entry in plan.created] == ["Bon lieu"]
    imports.apply_plan(plan)
    assert list(UsefulPlace.objects.values_list("name", flat=True)) == ["Bon lieu"]


def test_wrong_columns_are_named_and_nothing_is_read(db):
    header = [name for name in HEADER if name != "pivot"] + ["couleur"]
    with pytest.raises(imports.ImportFileError) as refused:
        imports.plan_import(mediation_csv(row(), header=header), imports.MEDIATION)
    assert refused.value.errors == [
        (1, "colonnes inconnues du standard : couleur"),
        (1, "colonnes obligatoires absentes : pivot"),
    ]


def test_duplicates_and_short_lines_name_their_line(db):
    body = mediation_csv(row(), row(nom="Autre")) + b"a,b,c\r\n"
    plan = imports.plan_import(body, imports.MEDIATION)
    assert plan.errors == [
        (3, "l'id « structure-1 » est déjà celui de la ligne 2"),
        (4, f"3 cases au lieu de {len(HEADER)}"),
    ]


def test_a_json_file_s_errors_carry_the_line_where_the_place_starts(db):
    good, bad = row(), row(id="s-2")
    del bad["nom"]
    body = json.dumps([good, bad], indent=1, ensure_ascii=False).encode()
    start = body.decode().splitlines().index(" {", 2) + 1  # the second object's opening brace
    plan = imports.plan_import(body, imports.MEDIATION)
    assert plan.errors == [(start, "champs obligatoires absents : nom")]
    with pytest.raises(imports.ImportFileError) as broken:
        imports.plan_import(b'[\n{"id": "x",\n "nom": }\n]', imports.MEDIATION)
    assert broken.value.errors[0][0] == 3


@pytest.fixture
def checked_place(db):
    return UsefulPlaceFactory(
        name="Médiathèque Zola", pivot="43493312300029", phone="+33320111111", last_checked_on=dt.date(2026, 3, 3)
    )


def test_a_field_checked_by_the_centre_is_not_replaced_without_saying_so(db, checked_place, a_file):
    plan = imports.plan_import(mediation_csv(row()), imports.MEDIATION)
    (entry,) = plan.updated
    assert entry.protected
    out = io.StringIO()
    call_command("import_places", a_file(mediation_csv(row())), stdout=out, stderr=io.StringIO())
    assert "« Médiathèque Zola » vérifié par le centre le 3 mars 2026 : non remplacé" in out.getvalue()
    assert "1 vérifiés par leur centre non remplacés" in out.getvalue()
    checked_place.refresh_from_db()
    assert str(checked_place.phone) == "+33320111111"
    assert checked_place.last_checked_on == dt.date(2026, 3, 3)


@pytest.mark.parametrize("how", ["global", "per place"])
def test_the_admin_may_replace_a_checked_place_which_is_then_to_be_checked_again(db, checked_place, how):
    other = UsefulPlaceFactory(name="Autre", pivot="W595012345", last_checked_on=dt.date(2026, 3, 3))
    plan = imports.plan_import(
        mediation_csv(row(), row(id="s-2", nom="Autre renommé", pivot="W595012345")), "mediation"
    )
    if how == "global":
        counts = imports.apply_plan(plan, replace_checked=True)
    else:
        counts = imports.apply_plan(plan, replace_lines={2})
    checked_place.refresh_from_db()
    other.refresh_from_db()
    assert str(checked_place.phone) == "+33320000000"
    assert checked_place.last_checked_on is None
    assert (other.name == "Autre renommé") is (how == "global")
    assert counts == {
        imports.CREATE: 0,
        imports.UPDATE: 2 if how == "global" else 1,
        "kept": 0 if how == "global" else 1,
    }


def test_a_dry_run_writes_nothing(db, checked_place, a_file):
    UsefulPlaceFactory(name="Ancien", source="Hubik", source_id="s-2")
    body = mediation_csv(row(), row(id="s-2", nom="Nouveau", pivot=""), row(id="s-3", nom="Créé", pivot=""))
    before = written_rows()
    out = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command("import_places", a_file(body), "--dry-run", stdout=out, stderr=io.StringIO())
    assert written_rows() == before
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert "1 à créer, 2 à mettre à jour (dont 1 vérifiés par leur centre)" in out.getvalue()
    assert "Ligne 3 : mettre à jour « Ancien » : nom : Ancien → Nouveau" in out.getvalue()
    assert "Essai seulement : rien n'a été écrit." in out.getvalue()


def test_a_failure_leaves_nothing_half_imported(db, monkeypatch):
    body = mediation_csv(*(row(id=f"s-{n}", nom=f"Lieu {n}", pivot="") for n in range(5)))
    plan = imports.plan_import(body, imports.MEDIATION)
    real_write, calls = imports._write, []

    def failing(place, changes, categories):
        calls.append(place)
        if len(calls) == 4:
            raise RuntimeError("disque plein")
        real_write(place, changes, categories)

    monkeypatch.setattr(imports, "_write", failing)
    with pytest.raises(RuntimeError):
        imports.apply_plan(plan)
    assert written_rows() == (0, 0, 0)


def test_two_thousand_lines_through_the_command_tell_their_progress(db, a_file):
    body = mediation_csv(
        *(
            row(id=f"s-{n}", nom=f"Lieu {n}", pivot="", adresse=f"{n} rue du Marché", horaires="Mo-Fr 09:00-12:00")
            for n in range(2000)
        )
    )
    out = io.StringIO()
    call_command("import_places", a_file(body), "--progress-every", "500", stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    assert [line for line in lines if line.startswith("…")] == [
        "… 500 / 2000 lignes",
        "… 1000 / 2000 lignes",
        "… 1500 / 2000 lignes",
        "… 2000 / 2000 lignes",
    ]
    assert UsefulPlace.objects.count() == 2000
    assert PlaceOpeningHours.objects.count() == 10000


def test_the_command_gives_new_places_to_a_centre_and_refuses_an_unknown_one(db, home, a_file):
    centre = CentrePageFactory(parent=home, slug="belencontre")
    call_command("import_places", a_file(mediation_csv(row())), "--centre", "belencontre", stdout=io.StringIO())
    assert UsefulPlace.objects.get(source_id="structure-1").centre == centre
    with pytest.raises(CommandError, match="Aucun centre n'a l'adresse « nulle-part »"):
        call_command("import_places", a_file(mediation_csv(row())), "--centre", "nulle-part")
    with pytest.raises(CommandError, match="Ligne 1 : colonnes obligatoires absentes : pivot"):
        header = [name for name in HEADER if name != "pivot"]
        call_command("import_places", a_file(mediation_csv(row(), header=header)), stdout=io.StringIO())


def test_a_data_inclusion_line_without_address_cannot_make_a_place(db):
    body = json.dumps([{"source": "dora", "id": "dora--1", "nom": "Structure sans adresse", "date_maj": "2026-01-02"}])
    plan = imports.plan_import(body.encode(), imports.DATA_INCLUSION)
    assert plan.errors == [(1, "pour un nouveau lieu, il faut : adresse, code_postal, commune")]


# The admin's import page.

IMPORT_URL = "/admin/carte/importer/"


@pytest.fixture
def network_admin(db, client, staff_login):
    return staff_login(client, UserFactory(network_admin=True))


def upload(client, body, **fields):
    upload = io.BytesIO(body)
    upload.name = "lieux.csv"
    return client.post(IMPORT_URL, {"file": upload, "standard": "mediation", **fields})


def test_only_network_admins_import(client, staff_login, home):
    assert "?next=/admin/carte/importer/" in client.get(IMPORT_URL)["Location"]  # to sign in first
    centre = CentrePageFactory(parent=home)
    editor = UserFactory()
    editor.groups.add(centre.team.editors)
    staff_login(client, editor)
    # Wagtail turns its refusal into a way back to the dashboard, with a message.
    for refused in (client.get(IMPORT_URL), upload(client, mediation_csv(row()))):
        assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert "Importer des lieux" not in client.get("/admin/").content.decode()
    assert UsefulPlace.objects.count() == 0


def test_the_admin_sees_the_dry_run_then_imports_exactly_it(client, network_admin, checked_place):
    assert "Importer des lieux" in client.get("/admin/").content.decode()
    body = mediation_csv(row(), row(id="s-2", nom="Créé", pivot=""), row(id="s-3", latitude="3.17", longitude="50.69"))
    before = written_rows()
    preview = upload(client, body)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert written_rows() == before
    assert "Vérifié par le centre le 3 mars 2026 : non remplacé." in html
    assert "+33320111111" in html and "+33320000000" in html  # the phone, before and after
    assert "Ligne 3 : Créé" in html
    assert "<td>4</td><td>Latitude et longitude semblent inversées" in html
    plan = preview.context["plan"]

    done = client.post(
        IMPORT_URL, {"apply": "1", "digest": plan.digest, "fingerprint": plan.fingerprint, "replace_line": ["2"]}
    )
    assert done.status_code == 302
    checked_place.refresh_from_db()
    assert str(checked_place.phone) == "+33320000000"
    assert set(UsefulPlace.objects.values_list("name", flat=True)) == {"Médiathèque Zola", "Créé"}


def test_nothing_is_imported_when_the_places_changed_since_the_dry_run(client, network_admin):
    place = UsefulPlaceFactory(name="Médiathèque Zola", pivot="43493312300029", phone="+33320111111")
    plan = upload(client, mediation_csv(row())).context["plan"]
    place.phone = "+33320222222"
    place.save()
    again = client.post(IMPORT_URL, {"apply": "1", "digest": plan.digest, "fingerprint": plan.fingerprint})
    assert again.status_code == 200
    assert "Des lieux ont changé depuis l&#x27;aperçu" in again.content.decode()
    place.refresh_from_db()
    assert str(place.phone) == "+33320222222"
    assert again.context["plan"].fingerprint != plan.fingerprint


def test_an_expired_dry_run_or_another_file_imports_nothing(client, network_admin):
    response = client.post(IMPORT_URL, {"apply": "1", "digest": "0" * 64, "fingerprint": "x"}, follow=True)
    assert "Cet aperçu n&#x27;est plus disponible" in response.content.decode()
    assert UsefulPlace.objects.count() == 0


def test_a_file_with_wrong_columns_is_refused_on_the_form(client, network_admin):
    header = [name for name in HEADER if name != "nom"]
    response = upload(client, mediation_csv(row(), header=header))
    assert "Ligne 1 : colonnes obligatoires absentes : nom" in response.content.decode()
    assert "plan" not in response.context


def test_the_apostrophe_our_csv_puts_before_a_formula_comes_off_again_and_only_that(db):
    place = UsefulPlaceFactory(name="Lieu", street_address="=1+1 rue", categories=[category("wi-fi-gratuit")])
    place.pivot = "W595012345"
    place.save()
    body = exports.to_csv(exports.mediation_num_rows(exports.open_places()), HEADER)
    assert b"'=1+1 rue" in body
    UsefulPlace.objects.all().delete()
    imports.apply_plan(imports.plan_import(body, imports.MEDIATION))
    imports.apply_plan(imports.plan_import(mediation_csv(row(adresse="Cour d'=école", pivot="")), imports.MEDIATION))
    assert sorted(UsefulPlace.objects.values_list("street_address", flat=True)) == ["=1+1 rue", "Cour d'=école"]
