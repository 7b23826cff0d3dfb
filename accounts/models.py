"""Placette's user model.

It exists from the first migration because swapping AUTH_USER_MODEL later is a painful data
migration; residents, mediators and editors are all users, told apart by memberships and groups.
"""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person with an account: resident, mediator, centre editor or network admin."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
