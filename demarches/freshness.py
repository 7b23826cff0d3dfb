"""Which centre a procedure row belongs to, so that a write in it stales that centre's pages only (core/freshness.py).

The network's procedures (no centre) show on every centre's page: `centre_of` answers None for them, a `SITE`
write. Audience tags stay site-wide too, like the agenda's: the listing's filter offers them, whoever uses them.
"""

from core import freshness
from demarches.models import (
    Contact,
    DatedWindow,
    Follow,
    FollowReminder,
    Mandate,
    MandateAction,
    Procedure,
    ProcedureDeadline,
)

freshness.in_centre(Procedure, lambda procedure: procedure.centre_id)
freshness.in_centre(DatedWindow, lambda window: window.procedure.centre_id)
freshness.in_centre(ProcedureDeadline, lambda deadline: deadline.procedure.centre_id)
# Mandates and their log show on no shared page: only on the team's and the resident's own, never cached.
freshness.shown_nowhere(Mandate, MandateAction)
# Who follows what, and the front desk's contacts, show on no shared page: writing them stales nothing.
freshness.shown_nowhere(Contact, Follow, FollowReminder)
