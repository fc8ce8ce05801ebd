"""``python -m emulator start|stop|status|serve``: run the emulator in the background or in the foreground.

start   start a background server unless one is already running and healthy; print its endpoint
stop    stop the background server (SIGTERM, then SIGKILL); nothing running is not an error
status  print running or stopped and the endpoint; exit 0 when running, 3 when stopped
serve   run the server in the foreground (what ``start`` spawns)

The state directory (ATELIER_EMULATOR_DIR, default <repository root>/.emulator) holds emulator.pid (pid, endpoint),
emulator.log (the background server's output) and requests.jsonl (the request log).
"""

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from emulator import config

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_STOPPED = 3
START_TIMEOUT = 30.0
STOP_GRACE = 5.0
LOG_TAIL_LINES = 20

# Loopback health checks must not go through an HTTP proxy from the environment.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _healthy(url: str) -> bool:
    try:
        with _DIRECT.open(url + config.HEALTH_PATH, timeout=2) as response:
            return response.status == 200 and json.load(response).get("status") == "ok"
    except (OSError, ValueError):
        return False


def _read_pid_file() -> tuple[int, str] | None:
    """(pid, endpoint URL) from the pid file, or None when there is no readable pid file."""
    try:
        pid, url = config.pid_file().read_text(encoding="utf-8").split()[:2]
        return int(pid), url
    except (FileNotFoundError, ValueError):
        return None


def _alive(pid: int) -> bool:
    """Whether pid is a live emulator process (not a zombie, not a recycled pid of another program)."""
    try:
        os.waitpid(pid, os.WNOHANG)  # reap it if it is our own exited child
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    try:
        return b"emulator" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return not Path("/proc/self").exists()  # gone, unless there is no procfs to ask (macOS): trust the pid


def _running() -> tuple[int, str] | None:
    """(pid, URL) of the server recorded in the pid file if it is alive, else None."""
    recorded = _read_pid_file()
    if recorded and _alive(recorded[0]):
        return recorded
    return None


def _log_tail() -> str:
    try:
        lines = config.log_file().read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return "(no log)"
    return "\n".join(lines[-LOG_TAIL_LINES:])


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_FAILED


def _wait_for(condition, deadline: float) -> bool:
    """Poll condition until it holds (True) or the monotonic deadline passes (False)."""
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


def _settled(process: subprocess.Popen, url: str) -> bool:
    """True once process serves url (its pid file names it and it answers there) or has exited."""
    return process.poll() is not None or (_read_pid_file() == (process.pid, url) and _healthy(url))


def start(host: str, port: int) -> int:
    """Start a background server on host:port unless one already runs; print its endpoint."""
    url = config.endpoint_url(host, port)
    deadline = time.monotonic() + START_TIMEOUT
    running = _running()
    if running:
        pid, running_url = running
        if running_url != url:
            return _fail(f"the emulator already runs at {running_url} (pid {pid}); stop it first")
        if not _wait_for(lambda: _healthy(url), deadline):
            return _fail(f"pid {pid} does not answer at {url}; run stop first. Log tail:\n{_log_tail()}")
        print(f"already running: {url} (pid {pid})")
        return EXIT_OK

    config.state_dir().mkdir(parents=True, exist_ok=True)
    config.pid_file().unlink(missing_ok=True)
    command = [sys.executable, "-m", "emulator", "serve", "--host", host, "--port", str(port)]
    environment = {**os.environ, "ATELIER_EMULATOR_DIR": str(config.state_dir())}
    with config.log_file().open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            cwd=config.REPO_ROOT,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    if not _wait_for(lambda: _settled(process, url), deadline) or process.poll() is not None:
        if process.poll() is None:
            process.kill()
            process.wait()
        return _fail(f"the emulator did not become healthy at {url}. Log tail ({config.log_file()}):\n{_log_tail()}")
    print(f"started: {url} (pid {process.pid}, state in {config.state_dir()})")
    return EXIT_OK


def stop() -> int:
    """Stop the background server: SIGTERM, SIGKILL after STOP_GRACE seconds; remove the pid file."""
    running = _running()
    if not running:
        config.pid_file().unlink(missing_ok=True)
        print("not running")
        return EXIT_OK
    pid, url = running
    for stop_signal in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):  # it may exit between the check and the signal
            os.kill(pid, stop_signal)
        if _wait_for(lambda: not _alive(pid), time.monotonic() + STOP_GRACE):
            break
    config.pid_file().unlink(missing_ok=True)
    print(f"stopped: {url} (pid {pid})")
    return EXIT_OK


def status() -> int:
    """Print running (exit 0) or stopped (exit 3) with the endpoint."""
    running = _running()
    if running and _healthy(running[1]):
        print(f"running: {running[1]} (pid {running[0]})")
        return EXIT_OK
    if running:
        print(f"stopped: pid {running[0]} is alive but does not answer at {running[1]} (see {config.log_file()})")
    else:
        print(f"stopped (would listen on {config.endpoint_url(config.default_host(), config.default_port())})")
    return EXIT_STOPPED


def serve(host: str, port: int) -> int:
    """Run the server in the foreground until SIGTERM or Ctrl-C."""
    from emulator.server import serve as serve_forever  # moto is imported only by the commands that need it

    running = _running()
    if running:
        return _fail(f"the emulator already runs at {running[1]} (pid {running[0]}); stop it first")
    serve_forever(host, port)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__.split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("start", "start in the background"), ("serve", "run in the foreground")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--host", default=config.default_host(), help="address to bind (default %(default)s)")
        command.add_argument("--port", type=int, default=config.default_port(), help="port (default %(default)s)")
    commands.add_parser("stop", help="stop the background server")
    commands.add_parser("status", help="exit 0 when running, 3 when stopped")
    args = parser.parse_args(argv)

    if args.command == "start":
        return start(args.host, args.port)
    if args.command == "serve":
        return serve(args.host, args.port)
    if args.command == "stop":
        return stop()
    return status()
