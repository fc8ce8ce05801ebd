"""Driving the real playbooks against an emulator: used by the integration tests and by the benchmarks."""

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import boto3

from emulator import latency, requestlog

REPO_ROOT = Path(__file__).resolve().parents[1]
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

    def iam_enforcement(self, enforce: bool) -> dict:
        """Switch IAM enforcement on or off (emulator/iam.py): on, every AWS request must be signed by an existing IAM
        user's or role session's key and be allowed by its policies. Prefer the iam_enforced() context manager, which
        always switches it off again. Returns {"enforce", "evaluator", "denied"}."""
        return self._post_json("/_atelier/iam", {"enforce": enforce})

    def administrator(self, name: str = "atelier-admin") -> dict:
        """An IAM user with AdministratorAccess and a new access key, made with the dummy key (so while enforcement is
        off). Returns boto3 credentials: {"aws_access_key_id", "aws_secret_access_key"}."""
        client = self.client("iam")
        try:
            client.create_user(UserName=name)
        except client.exceptions.EntityAlreadyExistsException:
            for key in client.list_access_keys(UserName=name)["AccessKeyMetadata"]:
                client.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
        client.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        key = client.create_access_key(UserName=name)["AccessKey"]
        return {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}

    @contextlib.contextmanager
    def iam_enforced(self, administrator: str = "atelier-admin"):
        """Make an administrator (see administrator()), switch IAM enforcement on and yield the administrator's
        credentials; switch enforcement off on the way out, whatever happened (the emulator is shared by the tests of
        a worker)::

            with emulator.iam_enforced() as admin:
                iam = emulator.client_with(admin, "iam")     # the dummy key is now InvalidClientTokenId
        """
        credentials = self.administrator(administrator)
        self.iam_enforcement(True)
        try:
            yield credentials
        finally:
            self.iam_enforcement(False)

    def client_with(self, credentials: dict, service: str, region: str = "us-east-1"):
        """A boto3 client of this emulator signed with credentials ({"aws_access_key_id", "aws_secret_access_key",
        "aws_session_token"?}, as administrator() and role_credentials() return them)."""
        return boto3.client(service, region_name=region, endpoint_url=self.url, **credentials)

    def role_credentials(self, role_name: str | None = None, service: str = "ec2.amazonaws.com", **fields) -> dict:
        """The temporary credentials that service (ec2.amazonaws.com, ecs-tasks.amazonaws.com, ...) gets for the role
        (role_name, or role_arn=...), if its trust policy allows; fields: source_account, source_arn, region,
        session_name, duration_seconds. Returns boto3 credentials plus "role_arn", "assumed_role_arn", "expiration".
        Raises PermissionError when the trust policy refuses, LookupError for an unknown role, ValueError for bad
        input (the emulator's message)."""
        values = {"service": service, **fields}
        if role_name is not None:
            values["role_name"] = role_name
        try:
            answer = self._post_json("/_atelier/role-credentials", values)
        except urllib.error.HTTPError as failure:
            message = json.loads(failure.read() or b"{}").get("error", str(failure))
            raise {403: PermissionError, 404: LookupError}.get(failure.code, ValueError)(message) from None
        return {
            "aws_access_key_id": answer["AccessKeyId"],
            "aws_secret_access_key": answer["SecretAccessKey"],
            "aws_session_token": answer["Token"],
            "role_arn": answer["RoleArn"],
            "assumed_role_arn": answer["AssumedRoleArn"],
            "expiration": answer["Expiration"],
        }

    def client_as_role(
        self, service: str, role_name: str, region: str = "us-east-1", principal: str = "ec2.amazonaws.com", **fields
    ):
        """A boto3 client for service signed with the credentials principal (the EC2 service by default; the ECS
        tasks service: principal="ecs-tasks.amazonaws.com") gets for role_name: what an instance or a task of that
        role can do, once IAM enforcement is on. fields as in role_credentials()."""
        credentials = self.role_credentials(role_name, principal, **fields)
        keys = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")
        return self.client_with({key: credentials[key] for key in keys}, service, region)

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
