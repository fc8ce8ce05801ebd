"""Fixtures for the emulator's own tests.

``emulator`` is one server for the whole session, started with ``python -m emulator start`` on a free loopback port
with a temporary state directory, and stopped at the end. ``cli`` runs the command line against any state directory
(the lifecycle tests use their own, so they never touch the session's server); ``port`` is a free loopback port.
"""

import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # `import emulator` also when pytest is run from elsewhere


def _free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


@dataclass
class Emulator:
    """A running emulator: its endpoint, state directory and boto3 clients for it."""

    url: str
    state_dir: Path

    @property
    def request_log(self) -> Path:
        return self.state_dir / "requests.jsonl"

    def client(self, service: str, region: str = "us-east-1"):
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=self.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )


@pytest.fixture
def cli():
    """``cli(state_dir, *args)``: run ``python -m emulator`` with that state directory."""
    return _run_cli


@pytest.fixture
def port() -> int:
    return _free_port()


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    state_dir = tmp_path_factory.mktemp("emulator-state")
    port = _free_port()
    started = _run_cli(state_dir, "start", "--port", str(port))
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        yield Emulator(f"http://127.0.0.1:{port}", state_dir)
    finally:
        stopped = _run_cli(state_dir, "stop")
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
