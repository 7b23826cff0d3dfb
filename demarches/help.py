"""Where to get help with a procedure: a registry the apps above fill, since `demarches` may not import them.

The agenda knows the centres' "permanence démarches" activities; `demarches` sits below it and cannot ask it.
So the agenda registers a provider here when it starts (`agenda/apps.py` → `agenda/procedure_help.py`), and a
procedure's page asks every provider for its next help sessions. Without a provider (the agenda not installed)
the page simply says to ask the centre's front desk.
"""

from dataclasses import dataclass
from datetime import datetime

# A phone screen's worth: the next few sessions, not the season's programme.
HELP_SESSIONS = 5

_providers = []


@dataclass(frozen=True)
class HelpSession:
    """One date where someone helps with procedures, as the procedure's page lists it."""

    title: str
    url: str
    start: datetime
    end: datetime
    centre_name: str
    # The page that registers in one tap (it asks to confirm), or "" when the session needs no registration.
    register_url: str = ""
    seats_in_words: str = ""


def provides_help_sessions(provider):
    """Register `provider(procedure, *, limit)`, which returns the next `HelpSession`s that can help with it."""
    _providers.append(provider)
    return provider


def help_sessions(procedure, *, limit=HELP_SESSIONS):
    """The next sessions every provider offers for `procedure`, soonest first."""
    sessions = [session for provider in _providers for session in provider(procedure, limit=limit)]
    return sorted(sessions, key=lambda session: session.start)[:limit]
