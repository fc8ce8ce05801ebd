"""Where the emulator listens and keeps its state, from the environment or the defaults.

Environment:
    ATELIER_EMULATOR_HOST  address to bind (default 127.0.0.1, loopback only)
    ATELIER_EMULATOR_PORT  port to bind (default 4566)
    ATELIER_EMULATOR_DIR   state directory (default <repository root>/.emulator)
"""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4566
HEALTH_PATH = "/_atelier/health"

PID_FILE_NAME = "emulator.pid"
LOG_FILE_NAME = "emulator.log"
REQUEST_LOG_FILE_NAME = "requests.jsonl"


def default_host() -> str:
    """The address to bind when none is given on the command line."""
    return os.environ.get("ATELIER_EMULATOR_HOST") or DEFAULT_HOST


def default_port() -> int:
    """The port to bind when none is given on the command line."""
    return int(os.environ.get("ATELIER_EMULATOR_PORT") or DEFAULT_PORT)


def state_dir() -> Path:
    """The directory holding the pid file, the server log and the request log."""
    return Path(os.environ.get("ATELIER_EMULATOR_DIR") or REPO_ROOT / ".emulator").resolve()


def pid_file() -> Path:
    """Pid file: line 1 the server's pid, line 2 its endpoint URL."""
    return state_dir() / PID_FILE_NAME


def log_file() -> Path:
    """The server's stdout and stderr when started in the background."""
    return state_dir() / LOG_FILE_NAME


def request_log_file() -> Path:
    """One JSON line per AWS request (see emulator.requestlog)."""
    return state_dir() / REQUEST_LOG_FILE_NAME


def endpoint_url(host: str, port: int) -> str:
    """The URL clients use to reach a server bound to host and port."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
