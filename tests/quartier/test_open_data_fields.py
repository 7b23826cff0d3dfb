"""A centre's SIRET or RNA, INSEE code and typology, asked by the open data standards (quartier/identifiers.py)."""

import pytest
from django.core.exceptions import ValidationError

from quartier.identifiers import validate_insee_code, validate_pivot
from quartier.models import CentrePage


@pytest.mark.parametrize(
    "pivot",
    [
        "43493312300029",  # the standard's own example
        "73282932000074",
        "35600000049837",  # La Poste: the sum of the digits, not the Luhn key
        "35600000000048",  # La Poste's head office, with the Luhn key
        "W595012345",  # an association's RNA number
    ],
)
def test_a_siret_with_its_key_or_an_rna_number_is_accepted(pivot):
    validate_pivot(pivot)


@pytest.mark.parametrize(
    ("pivot", "message"),
    [
        ("43493312300028", "contient une erreur"),
        ("35600000049838", "contient une erreur"),
        ("434 933 123 00029", "14 chiffres, sans espace"),
        ("434933123", "14 chiffres"),
        ("W59501234", "W suivi de 9 chiffres"),
        ("w595012345", "W suivi de 9 chiffres"),
    ],
)
def test_a_wrong_pivot_is_refused_in_french(pivot, message):
    with pytest.raises(ValidationError) as refused:
        validate_pivot(pivot)
    assert message in refused.value.messages[0]


@pytest.mark.parametrize("code", ["59512", "2A004", "2B033", "97411"])
def test_insee_codes_of_mainland_corsica_and_overseas_are_accepted(code):
    validate_insee_code(code)


@pytest.mark.parametrize("code", ["5951", "595120", "20004", "2C004", "59 51"])
def test_a_wrong_insee_code_is_refused_in_french(code):
    with pytest.raises(ValidationError) as refused:
        validate_insee_code(code)
    assert "Ce n'est pas le code postal" in refused.value.messages[0]


def test_the_three_fields_are_optional_and_checked_with_the_page(centre):
    centre.full_clean()
    centre.pivot, centre.insee_code, centre.typology = "123", "ABCDE", "mjc"
    with pytest.raises(ValidationError) as refused:
        centre.full_clean()
    assert set(refused.value.message_dict) == {"pivot", "insee_code", "typology"}
    centre.pivot, centre.insee_code, centre.typology = "W595012345", "59512", CentrePage.Typology.CENTRE_SOCIAL
    centre.full_clean()


def test_the_editor_finds_them_under_donnees_ouvertes(client, centre, django_user_model, staff_login):
    admin = django_user_model.objects.create_superuser("admin", "admin@exemple.test", "x")
    staff_login(client, admin)
    page = client.get(f"/admin/pages/{centre.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Données ouvertes" in html
    for name in ("pivot", "insee_code", "typology"):
        assert f'name="{name}"' in html
