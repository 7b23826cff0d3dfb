"""The unread count in every page's header, read only when a template shows it."""

from django.utils.functional import SimpleLazyObject

from notifications.services import inbox_summary


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox": SimpleLazyObject(lambda: inbox_summary(user))}
