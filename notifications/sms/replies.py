"""What people answer to Placette's SMS, as the provider's inbound webhook hands it over.

STOP is handled here, below every app: it ends SMS at once (notifications.sms_numbers). Any other reply is
sent as `reply_received` for the apps above to act on (a centre's "call me back" list, say).
"""

from django.dispatch import Signal

# Sent with `phone` (E.164), `text` (as typed), `received_at` (aware datetime) and `in_reply_to` (the last SMS
# Delivery Placette sent to that number, or None).
reply_received = Signal()
