"""The agenda's "permanence démarches" activities, offered as help on each online procedure's page (demarches.help).

An activity is a help session for procedures when it is in the network category "Démarches en ligne" (slug
`demarches`, written by agenda/migrations/0002): editors already file their permanences there, so nothing new
is asked of them. A centre's own procedure shows that centre's sessions; a network procedure, every centre's.
"""

from django.urls import reverse

from agenda.models import Occurrence
from demarches.help import HelpSession, provides_help_sessions

HELP_CATEGORY = "demarches"


@provides_help_sessions
def procedure_help_sessions(procedure, *, limit):
    occurrences = (
        Occurrence.objects.listed()
        .upcoming()
        .scheduled()
        .filter(event__category__slug=HELP_CATEGORY)
        .select_related("event", "centre")
        .order_by("start", "pk")
    )
    if procedure.centre_id is not None:
        occurrences = occurrences.filter(centre_id=procedure.centre_id)
    return [
        HelpSession(
            title=occurrence.event.title,
            url=occurrence.event.url,
            start=occurrence.start,
            end=occurrence.end,
            centre_name=occurrence.centre.title,
            register_url=(
                reverse("agenda:confirm_registration", args=[occurrence.pk])
                if occurrence.registration_required
                else ""
            ),
            seats_in_words=occurrence.seats_in_words,
        )
        for occurrence in occurrences[:limit]
    ]
