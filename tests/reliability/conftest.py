"""The reliability suites drive the real playbooks against the emulator under its fault profile (docs/emulator.md,
"Fault profile"). They use the session's emulator of tests/conftest.py (shared with tests/integration); this file only
makes sure that no fault profile outlives the test that set it, whatever the test's outcome, so that the next test of
the worker starts on a healthy emulator.
"""

import pytest


@pytest.fixture(autouse=True)
def no_fault_left_behind(request):
    yield
    if "emulator" in request.fixturenames:
        request.getfixturevalue("emulator").faults()
