"""``python -m emulator start|status|stop`` and the health endpoint."""

import json
import os
import socket
import urllib.request
from pathlib import Path

DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not status.exists() or "\nState:\tZ" not in status.read_text()


def test_start_status_stop_lifecycle(cli, port, tmp_path):
    url = f"http://127.0.0.1:{port}"

    stopped = cli(tmp_path, "status")
    assert stopped.returncode == 3
    assert "stopped" in stopped.stdout

    first = cli(tmp_path, "start", "--port", str(port))
    assert first.returncode == 0, first.stderr
    assert url in first.stdout
    pid, recorded_url = (tmp_path / "emulator.pid").read_text().split()
    assert recorded_url == url
    assert _process_alive(int(pid))

    second = cli(tmp_path, "start", "--port", str(port))
    assert second.returncode == 0, second.stderr
    assert "already running" in second.stdout
    assert (tmp_path / "emulator.pid").read_text().split()[0] == pid

    running = cli(tmp_path, "status")
    assert running.returncode == 0
    assert "running" in running.stdout and url in running.stdout

    stop = cli(tmp_path, "stop")
    assert stop.returncode == 0, stop.stderr
    assert not (tmp_path / "emulator.pid").exists()
    assert not _process_alive(int(pid))
    assert not _listening(port)

    again = cli(tmp_path, "stop")
    assert again.returncode == 0
    assert "not running" in again.stdout
    assert cli(tmp_path, "status").returncode == 3


def test_start_fails_clearly_when_the_port_is_taken(cli, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = cli(tmp_path, "start", "--port", str(taken.getsockname()[1]))

    assert result.returncode == 1
    assert "did not become healthy" in result.stderr
    assert "Address already in use" in result.stderr  # the tail of emulator.log
    assert not (tmp_path / "emulator.pid").exists()


def test_health_endpoint_answers_ok_and_is_not_logged(emulator):
    before = emulator.request_log.stat().st_size if emulator.request_log.exists() else 0

    with DIRECT.open(emulator.url + "/_atelier/health", timeout=5) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json"
        assert json.load(response) == {"status": "ok"}

    after = emulator.request_log.stat().st_size if emulator.request_log.exists() else 0
    assert after == before
