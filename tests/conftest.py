"""Shared pytest setup: what every test directory needs to find the project, and the emulator the suites that drive
the real playbooks share (tests/integration, tests/reliability).

One emulator per session (per pytest-xdist worker), on a free loopback port with its own state directory, started
only when a test asks for it and stopped at the end. Tests that need an empty account call ``emulator.reset()``.
"""

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from emulator.harness import ansible_env, free_port, start_emulator, stop_emulator  # noqa: E402


# The longest test files first: pytest-xdist (--dist loadfile) hands files to its workers in collection order, so a
# long file collected last would run alone at the end. Order within a file is kept (a stable sort by file).
LONGEST_FIRST = (
    "test_kill_points.py",
    "test_tier_layer.py",
    "test_molecule.py",
    "test_goal_tracker.py",
    "test_second_stack.py",
    "test_throttling.py",
    "test_teardown_keeps_data.py",
    "test_awx_runner.py",
    "test_rds_postgres.py",
    "test_network_layer.py",
    "test_data_layer.py",
    "test_bad_input.py",
    "test_tier_grants.py",
    "test_name_prefix.py",
)


def pytest_collection_modifyitems(items):
    def rank(item):
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)


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
