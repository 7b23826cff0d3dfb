"""How long Placette keeps each kind of personal data, and the daily erasure of what has expired (RGPD).

Each app that keeps personal data registers a rule with `register_rule`, from its personal_data
module (imported by its AppConfig.ready), so this module never imports the apps above accounts.
The privacy page lists the same rules, so what it promises and what the worker erases cannot drift.
The periods come from settings.PERSONAL_DATA_RETENTION_DAYS.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

# Deleting a whole year of a network's notifications in one statement would hold its locks for long.
BATCH = 1000


@dataclass(frozen=True)
class Rule:
    key: str
    # What is erased and when, in the words of the privacy page: "{what} : {when}".
    what: str
    when: str
    # forget(cutoff, dry_run) -> how many rows were (or would be) erased or made anonymous.
    forget: object

    @property
    def days(self):
        return settings.PERSONAL_DATA_RETENTION_DAYS[self.key]

    def describe(self):
        """The rule as the privacy page says it, with its period in months or years."""
        return self.when.format(period=period_in_words(self.days))


_rules = {}


def register_rule(key, *, what, when):
    """Decorator: `function(cutoff, dry_run)` erases the rows older than `cutoff`, returns how many."""

    def register(function):
        _rules[key] = Rule(key, what, when, function)
        return function

    return register


def rules():
    return list(_rules.values())


def period_in_words(days):
    if days % 365 == 0:
        years = days // 365
        return f"{years} an{'s' if years > 1 else ''}"
    if days % 30 == 0:
        return f"{days // 30} mois"
    return f"{days} jours"


def delete_in_batches(queryset, dry_run=False):
    """Delete `queryset`'s rows a batch at a time, each batch in its own transaction; returns how many."""
    if dry_run:
        return queryset.count()
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(queryset.values_list("pk", flat=True)[:BATCH])
            if not ids:
                return deleted
            queryset.model.objects.filter(pk__in=ids).delete()
        deleted += len(ids)


def forget_expired(now=None, dry_run=False, progress=None):
    """Apply every rule; returns {rule key: rows erased}. `progress(line)` hears each rule's result."""
    now = now or timezone.now()
    counts = {}
    for rule in rules():
        counts[rule.key] = rule.forget(now - timedelta(days=rule.days), dry_run)
        if progress:
            progress(f"{rule.what} : {counts[rule.key]}")
    return counts
