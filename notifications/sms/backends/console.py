"""Prints each SMS to the console, for local work (`make run`)."""

import sys


class SmsBackend:
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message):
        self.stream.write(f"--- SMS pour {message.to} ---\n{message.body}\n---\n")
        self.stream.flush()
