"""What every browser test shares: the accessibility check and reading the code sent by e-mail."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


@pytest.fixture
def assert_accessible():
    """axe-core on the page as it is now: zero WCAG 2.1 A/AA violations, or the report as the failure."""

    def check(page):
        results = Axe().run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture
def last_code(mailoutbox):
    """The 6-digit code in the last e-mail sent to an address."""

    def read(address):
        bodies = [message.body for message in mailoutbox if message.to == [address]]
        assert bodies, f"no e-mail sent to {address}"
        codes = CODE.findall(bodies[-1])
        assert len(codes) == 1, f"expected one 6-digit code in {bodies[-1]!r}"
        return codes[0]

    return read
