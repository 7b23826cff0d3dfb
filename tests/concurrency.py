"""Fire several calls at the same moment, each in its own thread with its own database connection.

Only PostgreSQL shows races this way (SQLite serialises writers), so the tests that use it are marked
`postgres` and `django_db(transaction=True)`: each thread must see what the others commit.
"""

import threading

from django.db import connection


def at_once(*calls):
    """Run each call in its own thread, all released together; what each returned or raised, in order."""
    start = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            start.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001  (the test reads what was raised)
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def unexpected(outcomes, *allowed):
    """The outcomes that are errors of another kind than the domain refusals `allowed`: what a test must not see."""
    return [outcome for outcome in outcomes if isinstance(outcome, Exception) and not isinstance(outcome, allowed)]
