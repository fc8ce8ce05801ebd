"""Fixtures for the tests that drive the real playbooks against the emulator.

One emulator per session, on a free loopback port with its own state directory; it is stopped at the end.
Tests that need an empty account call ``emulator.reset()``.
"""

import pytest

from emulator.harness import ansible_env, free_port, start_emulator, stop_emulator


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    running = start_emulator(free_port(), tmp_path_factory.mktemp("emulator"))
    try:
        yield running
    finally:
        stop_emulator(running)


@pytest.fixture(scope="session")
def offline_env(tmp_path_factory):
    """Environment for runs that must not reach any AWS endpoint (the port is closed)."""
    return ansible_env(free_port(), tmp_path_factory.mktemp("offline"))
