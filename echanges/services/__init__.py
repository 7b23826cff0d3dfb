"""Every write of the exchange, one module per aggregate: each checks who may make it, runs in one transaction and
tells people through `notify()` after commit.

- `offers`: posting, changing, withdrawing and putting back online, renewing, expiry at night.
- `conversations`: answering, messages, blocks, agreements.
- `ledger`: the time bank (transfers, statements, corrections, figures).
- `moderation`: reports and what the centre's team does about them.
- `photos`: an offer's photo, checked without trusting it and stored re-encoded.
"""
