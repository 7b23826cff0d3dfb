"""Unused accounts: a notice after ACCOUNT_INACTIVITY_DAYS, erasure NOTICE_DAYS later unless the person comes back."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from accounts.models import User
from accounts.services import create_accompanied_account, take_over_account
from notifications import deliveries
from notifications.models import Delivery
from notifications.sms import SmsError
from tests.accounts.factories import mediator_of, resident_of
from tests.accounts.pages import acting_for_id
from tests.factories import CentrePageFactory, UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2024, 1, 15, 10, 0, tzinfo=dt.UTC)
INACTIVITY_DAYS = 365
NOTICE_DAYS = 30
NOTICE_TIME = START + dt.timedelta(days=INACTIVITY_DAYS + 1)


@pytest.fixture(autouse=True)
def periods(settings):
    settings.ACCOUNT_INACTIVITY_DAYS = INACTIVITY_DAYS
    settings.ACCOUNT_INACTIVITY_NOTICE_DAYS = NOTICE_DAYS


@pytest.fixture
def frozen():
    with freeze_time(START) as frozen:
        yield frozen


def purge(*args):
    """Run the daily command; returns what it printed."""
    out = io.StringIO()
    call_command("purge_inactive_accounts", *args, stdout=out)
    return out.getvalue()


def member(**fields):
    """Someone who signed up and typed their code, which signed them in: confirmed, unlike a bare sign-up."""
    return UserFactory(last_login=timezone.now(), **fields)


def fresh(user):
    return User.objects.get(pk=user.pk)


class FailingSmsBackend:
    def send(self, message):
        raise SmsError("Le fournisseur ne répond pas.")


def test_a_long_inactive_person_is_warned_by_email_or_by_sms(frozen, sms_outbox):
    odile = member(display_name="Odile", email="odile@exemple.test")
    paul = member(display_name="Paul", email="", phone="+33612345678", phone_verified=True)
    came_back = member(email="revenue@exemple.test")
    frozen.move_to(START + dt.timedelta(days=200))
    member(email="nouvelle@exemple.test")
    User.objects.filter(pk=came_back.pk).update(last_seen=dt.date(2024, 8, 2))
    frozen.move_to(NOTICE_TIME)

    output = purge()

    assert [message.to for message in mail.outbox] == [["odile@exemple.test"]]
    assert mail.outbox[0].subject == "[Placette] Votre compte va être supprimé"
    assert mail.outbox[0].body.startswith("Bonjour Odile, vous n'êtes pas venu sur Placette depuis longtemps.")
    assert "d'ici 30 jours" in mail.outbox[0].body
    assert [sms.to for sms in sms_outbox] == ["+33612345678"]
    assert sms_outbox[0].body.startswith("Placette : Bonjour Paul,")
    assert fresh(odile).inactivity_notice_sent_at == NOTICE_TIME
    assert fresh(paul).inactivity_notice_sent_at == NOTICE_TIME
    assert User.objects.filter(inactivity_notice_sent_at__isnull=False).count() == 2
    assert not User.objects.filter(erased_at__isnull=False).exists()
    assert {
        "2 compte(s) inactif(s) à prévenir.",
        "0 compte(s) prévenu(s) depuis 30 jours à supprimer.",
        "Terminé : 2 avis envoyé(s), 0 compte(s) supprimé(s).",
    } <= set(output.splitlines())


def test_nobody_is_warned_twice(frozen):
    member(email="odile@exemple.test")
    frozen.move_to(NOTICE_TIME)
    purge()
    frozen.tick(dt.timedelta(days=1))

    output = purge()

    assert len(mail.outbox) == 1
    assert "0 compte(s) inactif(s) à prévenir." in output


def test_an_accompanied_resident_is_kept_when_a_mediator_acts_for_them(frozen, home):
    centre = CentrePageFactory(parent=home)
    rose = resident_of(centre, consent=True, display_name="Rose", email="", accompanied=True)
    frozen.move_to(NOTICE_TIME - dt.timedelta(days=10))
    mediator = mediator_of(centre, email="karim@exemple.test", last_login=timezone.now())
    frozen.move_to(NOTICE_TIME)
    purge()
    assert fresh(rose).inactivity_notice_sent_at == NOTICE_TIME
    assert [message.to for message in mail.outbox] == [["karim@exemple.test"]], "Rose has no e-mail: her mediator"
    frozen.tick(dt.timedelta(days=5))

    client = Client()
    client.force_login(mediator)
    client.post(reverse("accounts:act_for", args=[rose.pk]))
    assert acting_for_id(client) == rose.pk
    client.get("/")

    assert fresh(rose).last_seen == (NOTICE_TIME + dt.timedelta(days=5)).date()
    assert fresh(rose).inactivity_notice_sent_at is None
    frozen.tick(dt.timedelta(days=NOTICE_DAYS + 1))
    purge()
    assert fresh(rose).erased_at is None


def test_a_person_who_comes_back_after_the_notice_is_kept(frozen):
    odile = member(email="odile@exemple.test")
    frozen.move_to(NOTICE_TIME)
    purge()
    assert fresh(odile).inactivity_notice_sent_at == NOTICE_TIME
    frozen.tick(dt.timedelta(days=10))
    client = Client()
    client.force_login(odile)
    # Only the visit counts here, not the sign-in the test client fakes.
    User.objects.filter(pk=odile.pk).update(last_login=START)

    client.get("/")

    odile = fresh(odile)
    assert odile.last_seen == (NOTICE_TIME + dt.timedelta(days=10)).date()
    assert odile.inactivity_notice_sent_at is None
    frozen.tick(dt.timedelta(days=NOTICE_DAYS))
    output = purge()
    odile = fresh(odile)
    assert odile.erased_at is None
    assert odile.email == "odile@exemple.test"
    assert odile.inactivity_notice_sent_at is None
    assert len(mail.outbox) == 1
    assert "0 compte(s) prévenu(s) depuis 30 jours à supprimer." in output


def test_a_person_still_inactive_after_the_notice_is_erased(frozen):
    odile = member(display_name="Odile", email="odile@exemple.test")
    frozen.move_to(NOTICE_TIME)
    purge()
    frozen.tick(dt.timedelta(days=NOTICE_DAYS - 1))

    output_before = purge()

    assert fresh(odile).erased_at is None
    assert "0 compte(s) prévenu(s) depuis 30 jours à supprimer." in output_before
    frozen.tick(dt.timedelta(days=1))

    output = purge()

    odile = fresh(odile)
    assert odile.erased_at == NOTICE_TIME + dt.timedelta(days=NOTICE_DAYS)
    assert str(odile) == "Ancien membre"
    assert odile.email == "" and not odile.is_active
    assert len(mail.outbox) == 1, "no second notice"
    assert {
        "0 compte(s) inactif(s) à prévenir.",
        "1 compte(s) prévenu(s) depuis 30 jours à supprimer.",
        "Terminé : 0 avis envoyé(s), 1 compte(s) supprimé(s).",
    } <= set(output.splitlines())
    frozen.tick(dt.timedelta(days=NOTICE_DAYS + 1))
    assert "0 compte(s) prévenu(s)" in purge(), "an erased account is not erased again"


def network_admin(centre):
    return member(network_admin=True)


def staff_flag_only(centre):
    return member(is_staff=True)


def superuser_only(centre):
    return member(is_superuser=True)


def centre_editor(centre):
    editor = member()
    editor.groups.add(centre.team.editors)
    return editor


def admin_through_another_group(centre):
    person = member()
    group = Group.objects.create(name="Relecteurs du réseau")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    person.groups.add(group)
    return person


def admin_through_own_permission(centre):
    person = member()
    person.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return person


@pytest.mark.parametrize(
    "make_staff",
    [
        network_admin,
        staff_flag_only,
        superuser_only,
        centre_editor,
        admin_through_another_group,
        admin_through_own_permission,
    ],
)
def test_staff_and_centre_editors_are_never_warned_nor_erased(frozen, home, make_staff):
    centre = CentrePageFactory(parent=home)
    staff = make_staff(centre)
    assert staff.is_staff_member
    resident = member()
    frozen.move_to(NOTICE_TIME)
    purge()
    frozen.tick(dt.timedelta(days=NOTICE_DAYS + 1))

    purge()

    assert fresh(resident).erased_at is not None, "the command did run"
    staff = fresh(staff)
    assert staff.erased_at is None and staff.is_active
    assert staff.inactivity_notice_sent_at is None
    assert [message.to for message in mail.outbox] == [[resident.email]]


def test_dry_run_sends_and_erases_nothing(frozen, sms_outbox):
    odile = member(email="odile@exemple.test")
    paul = member(email="", phone="+33612345678", phone_verified=True)
    frozen.move_to(NOTICE_TIME)
    User.objects.filter(pk=paul.pk).update(inactivity_notice_sent_at=NOTICE_TIME - dt.timedelta(days=NOTICE_DAYS))

    output = purge("--dry-run")

    assert mail.outbox == [] and sms_outbox == []
    assert fresh(odile).inactivity_notice_sent_at is None
    assert fresh(paul).erased_at is None and fresh(paul).phone == "+33612345678"
    lines = output.splitlines()
    assert {
        "1 compte(s) inactif(s) à prévenir.",
        "1 compte(s) prévenu(s) depuis 30 jours à supprimer.",
        "Simulation : rien n'a été envoyé ni supprimé.",
    } <= set(lines)
    assert not any(line.startswith("Terminé") for line in lines)


def test_a_notice_that_could_not_be_sent_is_tried_again_and_nobody_is_erased_unwarned(frozen, settings, sms_outbox):
    paul = member(email="", phone="+33612345678", phone_verified=True)
    frozen.move_to(NOTICE_TIME)
    settings.SMS_BACKEND = f"{__name__}.FailingSmsBackend"

    output = purge()

    assert fresh(paul).inactivity_notice_sent_at is None
    assert "Terminé : 0 avis envoyé(s), 0 compte(s) supprimé(s)." in output
    frozen.tick(dt.timedelta(days=NOTICE_DAYS + 1))
    purge()
    assert fresh(paul).erased_at is None
    settings.SMS_BACKEND = "notifications.sms.backends.locmem.SmsBackend"

    purge()

    assert [sms.to for sms in sms_outbox] == ["+33612345678"]
    assert fresh(paul).inactivity_notice_sent_at is not None
    assert fresh(paul).erased_at is None


def test_an_account_taken_over_but_not_yet_signed_in_is_not_deleted_as_an_unconfirmed_signup(frozen, home):
    centre = CentrePageFactory(parent=home)
    mediator = mediator_of(centre, last_login=timezone.now())
    rose = create_accompanied_account(
        mediator,
        display_name="Rose",
        centre=centre,
        explained="Expliqué au centre.",
        given_on=timezone.localdate(),
        paper_form_kept=True,
    )
    frozen.tick(dt.timedelta(days=10))
    take_over_account(mediator, rose, email="rose@exemple.test")
    frozen.tick(dt.timedelta(days=2))

    purge()

    rose = fresh(rose)
    assert rose.email == "rose@exemple.test"
    assert rose.memberships.filter(centre=centre).exists()
    assert rose.consents.filter(recorded_by=mediator).exists()


def test_the_notice_goes_by_email_even_to_someone_who_chose_to_be_told_on_the_site_only(frozen):
    odile = member(display_name="Odile", email="odile@exemple.test", notify_by="site")
    frozen.move_to(NOTICE_TIME)

    purge()

    assert [message.to for message in mail.outbox] == [["odile@exemple.test"]]
    [delivery] = Delivery.objects.filter(notification__recipient=odile)
    assert (delivery.channel, delivery.status) == ("email", "sent")
    assert fresh(odile).inactivity_notice_sent_at == NOTICE_TIME


def test_an_sms_notice_waits_for_the_morning_and_the_erasure_counts_from_when_it_went(frozen, sms_outbox):
    paul = member(email="", phone="+33612345678", phone_verified=True)
    night = dt.datetime(2025, 1, 16, 3, 0, tzinfo=dt.UTC)  # 04:00 in Paris, when the worker purges
    frozen.move_to(night)

    output = purge()

    assert sms_outbox == []
    assert fresh(paul).inactivity_notice_sent_at is None
    assert "Terminé : 0 avis envoyé(s), 0 compte(s) supprimé(s)." in output
    frozen.move_to(night + dt.timedelta(hours=4))
    deliveries.sweep()
    assert [sms.to for sms in sms_outbox] == ["+33612345678"]
    frozen.move_to(night + dt.timedelta(days=1))

    purge()

    assert fresh(paul).inactivity_notice_sent_at == night + dt.timedelta(hours=4)
    assert len(sms_outbox) == 1
    frozen.move_to(night + dt.timedelta(days=NOTICE_DAYS, hours=3))
    purge()
    assert fresh(paul).erased_at is None, "30 days after the SMS went, not after the night it was written"
    frozen.move_to(night + dt.timedelta(days=NOTICE_DAYS + 1))
    purge()
    assert fresh(paul).erased_at is not None
