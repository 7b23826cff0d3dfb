"""The refusals every service may answer with: views turn them into a message (core.views)."""


class PlacetteError(Exception):
    """A rule of the domain says no; the message is a French sentence for the person."""


class NotAllowed(PlacetteError):
    """The person asking may not do this (not theirs, not their centre, not while acting for someone)."""
