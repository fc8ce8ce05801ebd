"""Fixtures for the emulator's own tests.

``emulator`` is one server for the whole session, started with ``python -m emulator start`` on a free loopback port
with a temporary state directory, and stopped at the end. ``cli`` runs the command line against any state directory
(the lifecycle tests use their own, so they never touch the session's server); ``port`` is a free loopback port.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from emulator.harness import REPO_ROOT, free_port, start_emulator, stop_emulator


def _run_cli(state_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m emulator ARGS`` from the repository root with ATELIER_EMULATOR_DIR=state_dir."""
    return subprocess.run(
        [sys.executable, "-m", "emulator", *args],
        cwd=REPO_ROOT,
        env={**os.environ, "ATELIER_EMULATOR_DIR": str(state_dir)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def cli():
    """``cli(state_dir, *args)``: run ``python -m emulator`` with that state directory."""
    return _run_cli


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    running = start_emulator(free_port(), tmp_path_factory.mktemp("emulator-state"))
    try:
        yield running
    finally:
        stop_emulator(running)
