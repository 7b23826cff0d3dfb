"""What the tutorials write that no shared page shows: the success counter and the requests for help."""

from core import freshness
from lexique.help_requests import HelpRequest
from lexique.tutorials import TutorialCounter

freshness.shown_nowhere(HelpRequest, TutorialCounter)
