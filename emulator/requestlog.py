"""The request log: one JSON line per AWS request the emulator answered.

Each line of ``requests.jsonl`` (in the state directory, see emulator.config) looks like::

    {"ts": 1732243200.123, "service": "ec2", "action": "CreateVpc", "region": "us-east-1",
     "status": 200, "mutating": true, "access_key": "AKIAIOSFODNN7EXAMPLE"}

``ts``        epoch seconds when the request arrived
``service``   SigV4 signing name from the credential scope (``ec2``, ``logs``, ``elasticloadbalancing``, ...)
``region``    region from the credential scope
``action``    the ``Action`` parameter (query protocols), the operation of ``X-Amz-Target`` (json protocols) or of
              a ``/service/<name>/operation/<Op>`` path (rpc-v2-cbor), else ``METHOD /path`` (REST protocols)
``status``    HTTP status of the response
``mutating``  false for Describe/List/Get/Head/Query/Scan/BatchGet actions and GET/HEAD REST requests
``access_key`` the access key ID the request was signed with (never the secret), so a test can tell which
              credentials a run used (None for an unsigned request)
``fault``     only on a request the fault profile (emulator.faults) answered or tampered with:
              ``{"kind": "throttle" | "error" | "lost", "code": <error code sent>, "action": "<service>:<Action>"}``,
              plus ``"applied_status"`` (moto's status) for a lost response; ``status`` is what the client got
              (0 when the connection was dropped)
``denied``    only on a request IAM enforcement (emulator.iam) refused: ``{"code": <error code sent>, "action":
              "<service>:<Action>", "resource": <ARN or "*">, "principal": <caller ARN>, "reason": ...}``
``authorized`` only on a request IAM enforcement allowed: the IAM checks it passed, ``[{"action": "ec2:CreateVpc",
              "resource": "*", "context": {...}?}, ...]`` (several for tag on create, iam:PassRole, ...)

Tests use the reader API to count calls and to prove that check mode mutates nothing::

    offset = current_offset()
    ...run something...
    assert mutating(read_requests(since_offset=offset)) == []
"""

import json
import re
import threading
from pathlib import Path
from urllib.parse import parse_qs

from emulator import config

READ_ONLY_ACTION_PREFIXES = ("Describe", "List", "Get", "Head", "Query", "Scan", "BatchGet")
READ_ONLY_METHODS = ("GET", "HEAD")

_CREDENTIAL_SCOPE = re.compile(
    r"Credential=(?P<access_key>[^/\s]+)/\d{8}/(?P<region>[^/\s]+)/(?P<service>[^/\s]+)/aws4_request"
)
_RPC_V2_OPERATION_PATH = re.compile(r"^/service/[^/]+/operation/(?P<action>[^/]+)$")


def _credential_scope(environ: dict, query: dict) -> tuple[str | None, str | None, str | None]:
    """(service, region, access key ID) from the SigV4 Authorization header or a presigned URL's X-Amz-Credential."""
    credential = environ.get("HTTP_AUTHORIZATION", "")
    if not credential and "X-Amz-Credential" in query:
        credential = "Credential=" + query["X-Amz-Credential"][0]
    match = _CREDENTIAL_SCOPE.search(credential)
    if not match:
        return None, None, None
    return match.group("service"), match.group("region"), match.group("access_key")


def _operation(environ: dict, query: dict, form: dict) -> str | None:
    """The operation name for query, json and rpc-v2-cbor protocols; None for REST protocols."""
    if "Action" in form:
        return form["Action"][0]
    if "Action" in query:
        return query["Action"][0]
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return target.rsplit(".", 1)[-1]
    rpc_v2 = _RPC_V2_OPERATION_PATH.match(environ.get("PATH_INFO", ""))
    return rpc_v2.group("action") if rpc_v2 else None


def describe_request(environ: dict, form_body: str | None) -> dict:
    """The log fields that come from the request: service, action, region, mutating, access_key.

    form_body is the request body when it is ``application/x-www-form-urlencoded`` (query protocols), else None.
    """
    query = parse_qs(environ.get("QUERY_STRING", ""))
    form = parse_qs(form_body) if form_body else {}
    service, region, access_key = _credential_scope(environ, query)
    method = environ.get("REQUEST_METHOD", "GET")
    action = _operation(environ, query, form)
    if action is None:
        action = f"{method} {environ.get('PATH_INFO', '/')}"
        is_mutating = method not in READ_ONLY_METHODS
    else:
        is_mutating = not action.startswith(READ_ONLY_ACTION_PREFIXES)
    return {"service": service, "action": action, "region": region, "mutating": is_mutating, "access_key": access_key}


class RequestLogWriter:
    """Appends entries to the request log; safe to share between the server's request threads."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def append(
        self, ts: float, request: dict, status: int, fault: dict | None = None, denied: dict | None = None
    ) -> None:
        """Write one line: ts (epoch seconds), the describe_request fields, the response status, the fault (if
        one was injected) and why IAM enforcement refused the request (if it did)."""
        entry = {
            "ts": round(ts, 3),
            "service": request["service"],
            "action": request["action"],
            "region": request["region"],
            "status": status,
            "mutating": request["mutating"],
            "access_key": request.get("access_key"),
        }
        if fault is not None:
            entry["fault"] = fault
        if denied is not None:
            entry["denied"] = denied
        if request.get("authorized"):
            entry["authorized"] = request["authorized"]
        line = json.dumps(entry, separators=(",", ":")) + "\n"
        with self._lock, self.path.open("a", encoding="utf-8") as stream:
            stream.write(line)


def _path(path: str | Path | None) -> Path:
    return Path(path) if path is not None else config.request_log_file()


def current_offset(path: str | Path | None = None) -> int:
    """The log's size in bytes now: pass it to read_requests to see only what comes after."""
    try:
        return _path(path).stat().st_size
    except FileNotFoundError:
        return 0


def read_requests(path: str | Path | None = None, since_offset: int = 0) -> list[dict]:
    """The complete entries written at or after byte offset since_offset, oldest first."""
    try:
        with _path(path).open("rb") as stream:
            stream.seek(since_offset)
            data = stream.read()
    except FileNotFoundError:
        return []
    complete = data[: data.rfind(b"\n") + 1]
    return [json.loads(line) for line in complete.splitlines() if line.strip()]


def mutating(requests: list[dict]) -> list[dict]:
    """The entries that may have changed state."""
    return [request for request in requests if request["mutating"]]
