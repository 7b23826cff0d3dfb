"""The person's actions in a journey, counted: one tap, one field filled or one choice made is one step.

docs/journeys.md reports these counts; each first-hour test asserts its own.
"""


class Steps:
    def __init__(self):
        self.count = 0

    def tap(self, locator):
        self.count += 1
        locator.click()

    def fill(self, locator, value):
        self.count += 1
        locator.fill(value)

    def type(self, locator, text):
        """Typed key by key, then left with Tab, as a person does in the admin's date and hour pickers."""
        self.count += 1
        locator.click()
        locator.press_sequentially(text)
        locator.press("Tab")

    def select(self, locator, **option):
        self.count += 1
        locator.select_option(**option)

    def check(self, locator):
        self.count += 1
        locator.check()
