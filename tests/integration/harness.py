"""Driving the real playbooks against an emulator: used by the integration tests and by the benchmarks."""

import json
import os
import re
import socket
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import boto3

from emulator import latency, requestlog

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RECAP = re.compile(r"^\S+\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Run:
    """The outcome of one ansible-playbook run."""

    rc: int
    output: str
    requests: list = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(int(m.group(2)) for m in RECAP.finditer(self.output))

    @property
    def mutating(self) -> list:
        return requestlog.mutating(self.requests)


@dataclass
class Emulator:
    port: int
    state_dir: Path
    env: dict

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def request_log(self) -> Path:
        return self.state_dir / "requests.jsonl"

    def reset(self) -> None:
        """Empty every moto backend (an empty AWS account)."""
        request = urllib.request.Request(self.url + "/moto-api/reset", method="POST")
        _DIRECT.open(request, timeout=30).read()

    def _post_json(self, path: str, values: dict) -> dict:
        request = urllib.request.Request(
            self.url + path, data=json.dumps(values).encode(), method="POST", headers={"Content-Type": "application/json"}
        )
        return json.loads(_DIRECT.open(request, timeout=30).read())

    def faults(self, **profile) -> dict:
        """Put a fault profile in force (emulator/faults.py: seed, throttle_rate, error_rate, latency_ms, lost,
        lost_mode, actions), replacing the one in force and restarting its sequence; no argument switches it off.
        Returns the profile in force, with the count of faults injected so far."""
        return self._post_json("/_atelier/faults", profile)

    def latency(self, scale: float | str | None = None, call_ms: float | None = None, **delays: float | None) -> dict:
        """Set the realistic-latency profile (emulator/latency.py): scale (ATELIER_EMULATOR_PROVISIONING_SCALE, e.g.
        "1/30"; None or 0 off), call_ms (ATELIER_EMULATOR_CALL_LATENCY_MS) and, to override the profile, any delay
        knob it times by its name without the prefix (nat_gateway_create_delay=1.5). Whatever is not given goes back
        to the emulator's environment or default, so latency() switches the profile off. Returns every knob in force."""
        values = dict.fromkeys(latency.KNOBS)
        values.update(
            {f"ATELIER_EMULATOR_{name.upper()}": value for name, value in delays.items()},
            ATELIER_EMULATOR_PROVISIONING_SCALE=scale,
            ATELIER_EMULATOR_CALL_LATENCY_MS=call_ms,
        )
        return self._post_json("/_atelier/config", values)

    def client(self, service: str, region: str = "us-east-1"):
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=self.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def playbook(
        self, playbook: str, *args: str, extra_vars: dict | None = None, timeout: int = 1800, inventory: str = "inventories/local"
    ) -> Run:
        """Run ansible-playbook from the repository root against an inventory that targets this emulator
        (inventories/local by default; inventories/goal-tracker too)."""
        command = [str(BIN / "ansible-playbook"), playbook, "-i", inventory, *args]
        if extra_vars is not None:
            command += ["-e", json.dumps(extra_vars)]
        offset = requestlog.current_offset(self.request_log)
        result = subprocess.run(
            command,
            cwd=REPO_ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            check=False,
        )
        requests = requestlog.read_requests(self.request_log, since_offset=offset)
        return Run(result.returncode, result.stdout, requests)


def awx_inventory_script(inventory: str, destination: Path, env: dict, cwd: Path = REPO_ROOT) -> Path:
    """The inventory the way AWX hands it to a job: `ansible-inventory --list --export` of the source (what an AWX
    inventory sync imports) as an executable script in destination. Returns the script's path."""
    exported = subprocess.run(
        [str(BIN / "ansible-inventory"), "-i", inventory, "--list", "--export"],
        cwd=cwd, env=env, capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    destination.mkdir(parents=True, exist_ok=True)
    (destination / "inventory.json").write_text(exported, encoding="utf-8")
    script = destination / "hosts"
    script.write_text(f"#!/bin/sh\ncat {destination / 'inventory.json'}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def ansible_env(port: int, state_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        ATELIER_EMULATOR_PORT=str(port),
        ATELIER_EMULATOR_DIR=str(state_dir),
        ANSIBLE_CONFIG=str(REPO_ROOT / "ansible.cfg"),
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_NOCOLOR="1",
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PY_COLORS="0",
    )
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        env.pop(name, None)
    return env



def start_emulator(port: int, state_dir: Path) -> Emulator:
    """Start an emulator on 127.0.0.1:port with its own state directory (stop it with stop_emulator)."""
    env = ansible_env(port, state_dir)
    subprocess.run([sys.executable, "-m", "emulator", "start", "--port", str(port)], cwd=REPO_ROOT, env=env, check=True, timeout=60)
    return Emulator(port, state_dir, env)


def stop_emulator(emulator: Emulator) -> None:
    subprocess.run([sys.executable, "-m", "emulator", "stop"], cwd=REPO_ROOT, env=emulator.env, check=False, timeout=60)
