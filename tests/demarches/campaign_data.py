"""What the campaign tests share: a centre's people reachable by SMS, its team, a campaign ready to confirm.

Their fixtures are in tests/demarches/conftest.py."""

import factory

from demarches import campaigns
from demarches.models import Contact, Follow
from tests.accounts.factories import MembershipFactory
from tests.notifications.factories import PersonFactory


class ContactFactory(factory.django.DjangoModelFactory):
    """A front-desk contact of `centre` who agreed to the centre's campaigns (unless `accepts_campaigns=False`)."""

    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"Contact n°{n}")
    phone = factory.Sequence(lambda n: f"+3378{n:07d}")
    accepts_campaigns = True


def verified_member(centre, **fields):
    """A member of `centre` whose mobile is verified: campaigns reach them."""
    return MembershipFactory(centre=centre, user=PersonFactory(phone_verified=True, **fields)).user


def follower(procedure, *, user=None, contact=None):
    Follow.objects.create(procedure=procedure, user=user, contact=contact)
    return user or contact


def team_member(centre):
    editor = PersonFactory(display_name="Samia (animatrice)")
    editor.groups.add(centre.team.editors)
    return editor


def draft(
    centre, editor, *, key="contacts", value="", text="Atelier CAF mardi a 14h, venez avec votre numero.", **write
):
    """A campaign written by `editor` for `key` (front-desk contacts by default), ready for its preview."""
    campaign = campaigns.start_draft(centre, key, value, by=editor)
    write.setdefault("link_url", "")
    write.setdefault("at", None)
    return campaigns.write_draft(campaign, by=editor, name="", text=text, **write)
