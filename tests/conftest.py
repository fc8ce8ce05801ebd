"""Shared pytest setup: what every test directory needs to find the project."""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


# The longest test files first: pytest-xdist (--dist loadfile) hands files to its workers in collection order, so a
# long file collected last would run alone at the end. Order within a file is kept (a stable sort by file).
LONGEST_FIRST = (
    "test_tier_layer.py",
    "test_molecule.py",
    "test_goal_tracker.py",
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
