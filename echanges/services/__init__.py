"""Every write of the exchange, one module per aggregate: each checks who may make it, runs in one transaction and
tells people through `notify()` after commit.

- `offers`: posting, changing, withdrawing and putting back online, renewing, expiry at night.
- `conversations`: answering, messages, blocks, agreements.
- `ledger`: the time bank (transfers, statements, corrections, figures).
- `moderation`: reports and what the centre's team does about them.
- `photos`: an offer's photo, checked without trusting it and stored re-encoded.
"""

from django.db import IntegrityError, transaction


def create_unless_open(model, refusal, *, already_open, **values):
    """Create a `model` row with `values`, or raise `refusal` when one is open already.

    `already_open` is the caller's check; a unique constraint on open rows refuses the request that races past it,
    with the same refusal.
    """
    if already_open:
        raise refusal
    try:
        with transaction.atomic():
            return model.objects.create(**values)
    except IntegrityError as error:
        raise refusal from error
