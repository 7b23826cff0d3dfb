"""A code sent by e-mail or SMS may be tried 3 times, however many requests try it at once.

allauth counts wrong codes in the session. Requests sent together each read that count before any of them
writes it back, so 30 guesses fired at once in one session were each compared with the code: 5 to 9 per code
were seen against a limit of 3. Here every try first takes its number from one database row, incremented under
the row's lock, and only a try within the limit reaches the comparison; past it, the code is dead.
"""

from datetime import timedelta

from allauth.account import app_settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import CodeAttempt


def code_key(state, *, purpose):
    """One key per code sent: whom it went to, when the attempt began, and the code, through the site's secret.

    A new code (asked again, or a new attempt) gets a new key and its own tries; the key reveals neither the code
    nor the address or number, and no one can choose it without the secret.
    """
    parts = [
        purpose,
        state.get("user_id"),
        state.get("email"),
        state.get("phone"),
        repr(state.get("at")),
        state.get("code"),
    ]
    return salted_hmac("accounts.code_attempts", "\n".join(str(part or "") for part in parts)).hexdigest()


def take_a_try(state, *, purpose):
    """Number this try of the pending code, from 1; the caller compares the code only within its limit."""
    key = code_key(state, purpose=purpose)
    with transaction.atomic():
        _attempt, created = CodeAttempt.objects.get_or_create(key=key)
        if created:
            # Rows of codes that can no longer be typed anyway.
            CodeAttempt.objects.filter(created_at__lt=timezone.now() - longest_code_life()).delete()
        # The UPDATE holds the row until commit: concurrent tries of one code get 1, 2, 3, 4… one each.
        CodeAttempt.objects.filter(key=key).update(tries=F("tries") + 1)
        return CodeAttempt.objects.values_list("tries", flat=True).get(key=key)


def longest_code_life():
    return timedelta(seconds=max(app_settings.LOGIN_BY_CODE_TIMEOUT, app_settings.PHONE_VERIFICATION_TIMEOUT) * 2)


class CountedTriesMixin:
    """For allauth's code pages: each try is counted here before allauth compares the code.

    A subclass names the allauth process that holds the pending code and says how a dead code ends.
    """

    code_purpose = ""

    def code_process(self):
        raise NotImplementedError

    def code_is_dead(self):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        if self._action == "verify":
            process = self.code_process()
            self.code_try = take_a_try(process.state, purpose=self.code_purpose)
            if self.code_try > process.max_attempts:
                return self.code_is_dead()
        return super().post(request, *args, **kwargs)

    def was_last_try(self):
        return self.code_try >= self.code_process().max_attempts
