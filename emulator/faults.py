"""The fault profile: throttling, server errors, latency and lost responses injected into AWS requests, seeded.

Off by default. When on, the server's middleware asks ``INJECTOR.decide(...)`` about each AWS request and, for a
fault, answers it the way the service itself would, in the wire format of the request's protocol (so botocore parses
the error code and its retry logic applies):

``throttle`` (``throttle_rate``)
    The service's throttling error, not applied: EC2 ``RequestLimitExceeded`` (503); query protocols (elbv2,
    autoscaling, iam, rds, sns, sts, ...) ``Throttling`` (400); JSON protocols (dynamodb, ecr, logs, secretsmanager,
    ssm, acm, kms, ...) ``ThrottlingException`` (400); CloudFront and Route 53 ``Throttling`` (400); S3 ``SlowDown``
    (503); Lambda ``TooManyRequestsException`` (429). A JSON or CBOR service that was a query service
    (``awsQueryCompatible``: CloudWatch, SQS) also sends ``x-amzn-query-error``, from which botocore reports the
    query code (``Throttling``), as AWS does.
``error`` (``error_rate``)
    A server error, not applied: half ``InternalFailure`` 500 (EC2 and S3 ``InternalError``, DynamoDB
    ``InternalServerError``, Lambda ``ServiceException``), half ``ServiceUnavailable`` 503 (Lambda: 500 too).
``lost`` (``lost``)
    The request IS applied by moto, then the answer is lost: the client gets the service's 500 error (``lost_mode``
    ``error``, the default) or the connection is closed without an answer (``drop``). botocore retries both, so a
    create without an idempotency token is made twice, as on AWS. ``lost`` is a map ``{"service:Action": n}`` (the
    first n requests of that action are lost) or a rate (0-1) for every mutating action in scope.
``latency_ms``
    Added to every request in scope (besides ``ATELIER_EMULATOR_CALL_LATENCY_MS`` of ``emulator.knobs``).

``actions`` says which requests throttling, errors, latency and the lost rate apply to: ``"all"`` (default),
``"mutating"`` (see ``emulator.requestlog``) or a list of ``"service:Action"`` / ``"service"`` patterns. A service is
named by its boto3 client name (``ec2``, ``elbv2``, ``cloudwatch``, ``s3``) or its SigV4 signing name
(``elasticloadbalancing``, ``monitoring``); a REST request's action is the operation its method and path match in
botocore's service model (``lambda:CreateFunction``, ``s3:PutObject``).

Deterministic: the decision for a request depends only on the seed, the request's ``service:Action`` and how many
requests of that ``service:Action`` came before it since the profile was set, so a client that makes the same calls
in the same order meets the same faults (concurrent calls of different actions do not disturb each other).

Set at start from the environment (``ATELIER_EMULATOR_FAULT_SEED``, ``..._THROTTLE_RATE``, ``..._ERROR_RATE``,
``..._LATENCY_MS``, ``..._LOST`` (a JSON map or a rate), ``..._LOST_MODE``, ``..._ACTIONS`` (``all``, ``mutating`` or
a comma-separated list)), or on a running emulator:

``GET /_atelier/faults``
    ``200 {"seed": 0, "throttle_rate": 0.0, ..., "active": false, "injected": {"throttle": 0, ...}}``.
``POST /_atelier/faults`` with a JSON object of the fields above
    Replaces the whole profile (omitted fields take their defaults; ``{}`` switches it off) and restarts the
    sequence; answers like GET. An unknown field or a bad value answers ``400 {"error": "..."}`` and changes nothing.

Each request with a fault carries ``"fault": {"kind": ..., "code": ...}`` in the request log.
"""

import functools
import hashlib
import json
import os
import re
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from emulator import knobs

FAULTS_PATH = "/_atelier/faults"
ENV_PREFIX = "ATELIER_EMULATOR_FAULT_"
FIELDS = ("seed", "throttle_rate", "error_rate", "latency_ms", "lost", "lost_mode", "actions")
LOST_MODES = ("error", "drop")
KINDS = ("throttle", "error", "lost")

# SigV4 signing names that are not the boto3 client name.
SIGNING_NAMES = {
    "elasticloadbalancing": "elbv2",
    "monitoring": "cloudwatch",
    "email": "ses",
    "states": "stepfunctions",
    "execute-api": "apigateway",
    "es": "opensearch",
    "mobiletargeting": "pinpoint",
}
ELB_CLASSIC_VERSION = "2012-06-01"


class ProfileError(ValueError):
    """A fault profile field with a bad value."""


def _rate(name: str, value) -> float:
    if isinstance(value, bool):
        raise ProfileError(f"{name}: expected a number from 0 to 1, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ProfileError(f"{name}: expected a number from 0 to 1, got {value!r}") from None
    if not 0 <= number <= 1:
        raise ProfileError(f"{name}: expected a number from 0 to 1, got {value!r}")
    return number


def _pattern(name: str, value) -> str:
    if not isinstance(value, str) or not value.strip() or value.count(":") > 1:
        raise ProfileError(f"{name}: expected 'service:Action' or 'service', got {value!r}")
    return value.strip()


@dataclass(frozen=True)
class Profile:
    """What to inject. Build it with ``Profile.parse``; the default profile injects nothing."""

    seed: int = 0
    throttle_rate: float = 0.0
    error_rate: float = 0.0
    latency_ms: float = 0.0
    lost: dict = field(default_factory=dict)
    lost_rate: float = 0.0
    lost_mode: str = "error"
    actions: object = "all"

    @property
    def active(self) -> bool:
        return bool(self.throttle_rate or self.error_rate or self.latency_ms or self.lost or self.lost_rate)

    @classmethod
    def parse(cls, values: dict) -> "Profile":
        """A profile from a JSON object of FIELDS; raises ProfileError naming the field at fault."""
        if not isinstance(values, dict):
            raise ProfileError("expected a JSON object of fault profile fields")
        unknown = sorted(set(values) - set(FIELDS))
        if unknown:
            raise ProfileError(f"unknown field {unknown[0]!r}; known: {', '.join(FIELDS)}")
        seed = values.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, (int, str)) or not str(seed).lstrip("-").isdigit():
            raise ProfileError(f"seed: expected an integer, got {seed!r}")
        latency_ms = values.get("latency_ms", 0)
        try:
            latency_ms = float(latency_ms) if not isinstance(latency_ms, bool) else -1.0
        except (TypeError, ValueError):
            latency_ms = -1.0
        if not 0 <= latency_ms < 3_600_000:
            raise ProfileError(f"latency_ms: expected milliseconds >= 0, got {values.get('latency_ms')!r}")
        lost_value = values.get("lost", {})
        lost: dict = {}
        lost_rate = 0.0
        if isinstance(lost_value, dict):
            for key, count in lost_value.items():
                if ":" not in str(key):
                    raise ProfileError(f"lost: expected 'service:Action' keys, got {key!r}")
                if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                    raise ProfileError(f"lost[{key!r}]: expected how many times (an integer >= 0), got {count!r}")
                lost[_pattern("lost", key)] = count
        else:
            lost_rate = _rate("lost", lost_value)
        lost_mode = values.get("lost_mode", "error")
        if lost_mode not in LOST_MODES:
            raise ProfileError(f"lost_mode: expected one of {', '.join(LOST_MODES)}, got {lost_mode!r}")
        actions = values.get("actions", "all")
        if isinstance(actions, list):
            actions = tuple(_pattern("actions", item) for item in actions)
        elif actions not in ("all", "mutating"):
            raise ProfileError(f"actions: expected 'all', 'mutating' or a list of patterns, got {actions!r}")
        return cls(
            seed=int(seed),
            throttle_rate=_rate("throttle_rate", values.get("throttle_rate", 0)),
            error_rate=_rate("error_rate", values.get("error_rate", 0)),
            latency_ms=latency_ms,
            lost={key: count for key, count in lost.items() if count},
            lost_rate=lost_rate,
            lost_mode=lost_mode,
            actions=actions,
        )

    @classmethod
    def from_environment(cls, environ=os.environ) -> "Profile":
        """The profile of the ATELIER_EMULATOR_FAULT_* variables; raises ProfileError naming the variable."""
        values: dict = {}
        for name in FIELDS:
            raw = environ.get(ENV_PREFIX + name.upper(), "").strip()
            if not raw:
                continue
            if name == "lost":
                values[name] = json.loads(raw) if raw.startswith("{") else raw
            elif name == "actions":
                values[name] = raw if raw in ("all", "mutating") else [item for item in raw.split(",") if item]
            else:
                values[name] = raw
        try:
            return cls.parse(values)
        except (ProfileError, ValueError) as error:
            raise ProfileError(f"{ENV_PREFIX}*: {error}") from None

    def as_dict(self) -> dict:
        return {
            "seed": self.seed,
            "throttle_rate": self.throttle_rate,
            "error_rate": self.error_rate,
            "latency_ms": self.latency_ms,
            "lost": dict(self.lost) if self.lost or not self.lost_rate else self.lost_rate,
            "lost_mode": self.lost_mode,
            "actions": list(self.actions) if isinstance(self.actions, tuple) else self.actions,
            "active": self.active,
        }


def _matches(pattern: str, names: tuple, action: str) -> bool:
    service, _, wanted = pattern.partition(":")
    return service in names and wanted in ("", "*", action)


def draw(seed: int, kind: str, key: str, number: int) -> float:
    """A number in [0, 1) that depends only on its arguments (the same on every platform and run)."""
    digest = hashlib.blake2b(f"{seed}\0{kind}\0{key}\0{number}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


@dataclass(frozen=True)
class Decision:
    """What to do with one request: kind None (only latency), throttle, error or lost; status 500/503 for error."""

    kind: str | None
    latency: float = 0.0
    status: int = 500


class Injector:
    """Holds the profile in force and the per-action request counts; decides for each request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.profile = Profile()
        self.active = False  # read by the middleware on every request: one attribute lookup when off
        self._seen: dict[str, int] = {}
        self._lost_left: dict[str, int] = {}
        self.injected = dict.fromkeys(KINDS, 0)

    def configure(self, profile: Profile) -> None:
        """Put profile in force and restart every sequence."""
        with self._lock:
            self.profile = profile
            self._seen = {}
            self._lost_left = dict(profile.lost)
            self.injected = dict.fromkeys(KINDS, 0)
            self.active = profile.active

    def state(self) -> dict:
        with self._lock:
            return {**self.profile.as_dict(), "injected": dict(self.injected)}

    def decide(self, service: str, signing_name: str | None, action: str, mutating: bool) -> Decision | None:
        """The fault for the next request of service:action (None: none at all)."""
        profile = self.profile
        names = (service, signing_name)
        key = f"{service}:{action}"
        if profile.actions == "all":
            in_scope = True
        elif profile.actions == "mutating":
            in_scope = mutating
        else:
            in_scope = any(_matches(pattern, names, action) for pattern in profile.actions)
        with self._lock:
            number = self._seen[key] = self._seen.get(key, 0) + 1
            kind, status = None, 500
            if (
                in_scope
                and profile.throttle_rate
                and draw(profile.seed, "throttle", key, number) < profile.throttle_rate
            ):
                kind = "throttle"
            elif in_scope and profile.error_rate and draw(profile.seed, "error", key, number) < profile.error_rate:
                kind = "error"
                status = 503 if draw(profile.seed, "status", key, number) < 0.5 else 500
            else:
                pattern = next(
                    (pattern for pattern, left in self._lost_left.items() if left and _matches(pattern, names, action)),
                    None,
                )
                if pattern is not None:
                    self._lost_left[pattern] -= 1
                    kind = "lost"
                elif in_scope and mutating and profile.lost_rate:
                    if draw(profile.seed, "lost", key, number) < profile.lost_rate:
                        kind = "lost"
            if kind:
                self.injected[kind] += 1
        latency = profile.latency_ms / 1000 if in_scope else 0.0
        if kind is None and not latency:
            return None
        return Decision(kind, latency, status)


INJECTOR = Injector()


# --- the wire: which protocol a request speaks, and the service's error in it -------------------------------------


@dataclass(frozen=True)
class Error:
    code: str
    status: int
    message: str


THROTTLING = {
    "ec2": Error("RequestLimitExceeded", 503, "Request limit exceeded."),
    "query": Error("Throttling", 400, "Rate exceeded"),
    "json": Error("ThrottlingException", 400, "Rate exceeded"),
    "rest-xml": Error("Throttling", 400, "Rate exceeded"),
    "rest-json": Error("ThrottlingException", 400, "Rate exceeded"),
    "s3": Error("SlowDown", 503, "Please reduce your request rate."),
    "lambda": Error("TooManyRequestsException", 429, "Rate exceeded"),
}
INTERNAL = {
    "ec2": Error("InternalError", 500, "An internal error has occurred."),
    "query": Error("InternalFailure", 500, "The request processing has failed because of an unknown error."),
    "s3": Error("InternalError", 500, "We encountered an internal error. Please try again."),
    "dynamodb": Error("InternalServerError", 500, "Internal server error"),
    "lambda": Error("ServiceException", 500, "The AWS Lambda service encountered an internal error."),
}
UNAVAILABLE = {
    "query": Error("ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server."),
    "s3": Error("ServiceUnavailable", 503, "Please reduce your request rate."),
    "lambda": INTERNAL["lambda"],
}
QUERY_CODES = {"ThrottlingException": "Throttling"}


@dataclass(frozen=True)
class Wire:
    """How a request was sent: protocol (ec2, query, json, smithy-rpc-v2-cbor, rest-xml, rest-json), the boto3
    client name, the operation, whether the service is awsQueryCompatible, and the JSON content type to answer."""

    protocol: str
    service: str
    action: str
    query_compatible: bool = False
    content_type: str = "application/x-amz-json-1.1"


@functools.lru_cache(maxsize=64)
def _service_model(service: str):
    import botocore.session
    from botocore.exceptions import UnknownServiceError

    try:
        return botocore.session.get_session().get_service_model(service)
    except UnknownServiceError:
        return None


@functools.lru_cache(maxsize=64)
def _rest_routes(service: str) -> tuple:
    """(method, path regex, required query items, required headers, score, operation) for each operation of a REST
    service: the query items of its requestUri and its required querystring members, its required header members."""
    model = _service_model(service)
    if model is None:
        return ()
    routes = []
    for name in model.operation_names:
        operation = model.operation_model(name)
        http = operation.http
        path, _, query = http.get("requestUri", "/").partition("?")
        regex = "".join(
            (".+" if part.endswith("+}") else "[^/]+") if part.startswith("{") else re.escape(part)
            for part in re.split(r"(\{[^}]+\})", path)
            if part
        )
        required = [tuple(item.split("=", 1)) if "=" in item else (item, None) for item in query.split("&") if item]
        headers = []
        shape = operation.input_shape
        for member in shape.required_members if shape is not None else []:
            serialization = shape.members[member].serialization
            if serialization.get("location") == "querystring":
                required.append((serialization.get("name", member), None))
            elif serialization.get("location") == "header":
                headers.append(serialization.get("name", member).lower())
        literal = len(re.sub(r"\{[^}]+\}", "", path))
        score = literal + 100 * (len(required) + len(headers))
        routes.append(
            (http.get("method", "POST"), re.compile(f"^{regex}/?$"), tuple(required), tuple(headers), score, name)
        )
    return tuple(routes)


def rest_operation(
    service: str, method: str, path: str, query_string: str, headers: frozenset = frozenset()
) -> str | None:
    """The operation of a REST service that method, path, query and headers (lowercase names) match best in its
    service model, or None."""
    query = parse_qs(query_string, keep_blank_values=True)
    best = None
    for route_method, regex, required, required_headers, score, name in _rest_routes(service):
        if route_method != method or not regex.match(path):
            continue
        if any(key not in query or (value is not None and value not in query[key]) for key, value in required):
            continue
        if any(header not in headers for header in required_headers):
            continue
        if best is None or score > best[0]:
            best = (score, name)
    return best[1] if best else None


def client_name(signing_name: str, form: dict) -> str:
    """The boto3 client name of a request signed for signing_name."""
    if signing_name == "elasticloadbalancing" and form.get("Version", [""])[0] == ELB_CLASSIC_VERSION:
        return "elb"
    return SIGNING_NAMES.get(signing_name, signing_name)


def wire(environ: dict, request: dict, form_body: str | None) -> Wire:
    """The protocol, service and operation of a request (``request`` from requestlog.describe_request)."""
    form = parse_qs(form_body) if form_body else {}
    service = client_name(request["service"] or "", form)
    action = request["action"]
    model = _service_model(service) if service else None
    compatible = model is not None and "awsQueryCompatible" in model.metadata
    if "Action" in form or "Action" in parse_qs(environ.get("QUERY_STRING", "")):
        return Wire("ec2" if service == "ec2" else "query", service, action)
    if environ.get("HTTP_X_AMZ_TARGET"):
        content_type = environ.get("CONTENT_TYPE") or "application/x-amz-json-1.1"
        return Wire("json", service, action, compatible, content_type)
    if environ.get("PATH_INFO", "").startswith("/service/") and "/operation/" in environ.get("PATH_INFO", ""):
        return Wire("smithy-rpc-v2-cbor", service, action, compatible)
    protocol = model.protocol if model is not None and model.protocol.startswith("rest-") else "rest-json"
    method = environ.get("REQUEST_METHOD", "GET")
    headers = frozenset(key[5:].replace("_", "-").lower() for key in environ if key.startswith("HTTP_"))
    operation = rest_operation(service, method, environ.get("PATH_INFO", "/"), environ.get("QUERY_STRING", ""), headers)
    return Wire(protocol, service, operation or action)


def service_error(wire: Wire, kind: str, status: int = 500) -> Error:
    """The error the service answers for a fault kind (throttle, or error/lost with status 500 or 503)."""
    if kind == "throttle":
        table = THROTTLING
    else:
        table = UNAVAILABLE if status == 503 and wire.protocol != "ec2" else INTERNAL
        if status == 503 and wire.protocol == "ec2":
            return Error("ServiceUnavailable", 503, UNAVAILABLE["query"].message)
    for key in (wire.service, wire.protocol, "query"):
        if key in table:
            return table[key]
    raise KeyError(kind)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cbor(value) -> bytes:
    """CBOR (RFC 8949) of a str or of a dict of str: all an error body needs."""

    def head(major: int, length: int) -> bytes:
        if length < 24:
            return bytes([major << 5 | length])
        for extra, size in ((24, 1), (25, 2), (26, 4)):
            if length < 256**size:
                return bytes([major << 5 | extra]) + length.to_bytes(size, "big")
        raise ValueError("too long")

    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(_cbor(key) + _cbor(item) for key, item in value.items())
    encoded = str(value).encode()
    return head(3, len(encoded)) + encoded


def render(wire: Wire, error: Error, method: str = "POST") -> tuple[str, list, bytes]:
    """(status line, headers, body) of error as the service sends it in wire's protocol."""
    request_id = str(uuid.uuid4())
    sender = "Sender" if error.status < 500 else "Receiver"
    headers = [("x-amzn-RequestId", request_id)]
    if wire.protocol == "ec2":
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>{error.code}</Code>'
            f"<Message>{_xml(error.message)}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
        ).encode()
        headers.append(("Content-Type", "text/xml;charset=UTF-8"))
    elif wire.protocol == "query" or (wire.protocol == "rest-xml" and wire.service != "s3"):
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>{sender}</Type>'
            f"<Code>{error.code}</Code><Message>{_xml(error.message)}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
        headers.append(("Content-Type", "text/xml"))
    elif wire.protocol == "rest-xml":  # S3
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{error.code}</Code>'
            f"<Message>{_xml(error.message)}</Message><RequestId>{request_id}</RequestId></Error>"
        ).encode()
        headers += [("Content-Type", "application/xml"), ("x-amz-request-id", request_id)]
    elif wire.protocol == "rest-json":
        body = json.dumps({"Type": "User" if error.status < 500 else "Service", "message": error.message}).encode()
        headers += [("Content-Type", "application/json"), ("x-amzn-ErrorType", error.code)]
    else:  # json, smithy-rpc-v2-cbor
        payload = {"__type": error.code, "message": error.message}
        if wire.query_compatible:
            headers.append(("x-amzn-query-error", f"{QUERY_CODES.get(error.code, error.code)};{sender}"))
        if wire.protocol == "json":
            body = json.dumps(payload).encode()
            headers.append(("Content-Type", wire.content_type))
        else:
            body = _cbor(payload)
            headers += [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
    if method == "HEAD":
        body = b""
    headers.append(("Content-Length", str(len(body))))
    reason = {400: "Bad Request", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}
    return f"{error.status} {reason.get(error.status, 'Error')}", headers, body


# --- the middleware's part -------------------------------------------------------------------------------------------


def _drain(app, environ: dict) -> int:
    """Run the request through app for its effect; return the status it answered, discard the body."""
    statuses = []

    def capture(status: str, headers: list, exc_info=None):
        statuses.append(int(status.split(" ", 1)[0]))
        return lambda data: None

    result = app(environ, capture)
    try:
        for _chunk in result:
            pass
    finally:
        if hasattr(result, "close"):
            result.close()
    return statuses[-1] if statuses else 500


def handle_request(app, environ: dict, start_response, request: dict, form_body: str | None, log):
    """Answer an AWS request under the fault profile. log(status, fault) writes its request log line."""
    wired = wire(environ, request, form_body)
    decision = INJECTOR.decide(wired.service, request["service"], wired.action, request["mutating"])
    if decision is None:
        return None
    if decision.latency:
        time.sleep(decision.latency)
    if decision.kind is None:
        return None
    method = environ.get("REQUEST_METHOD", "POST")
    error = service_error(wired, decision.kind, decision.status)
    code = QUERY_CODES.get(error.code, error.code) if wired.query_compatible else error.code  # what botocore reports
    fault = {"kind": decision.kind, "code": code, "action": f"{wired.service}:{wired.action}"}
    if decision.kind == "lost":
        fault["applied_status"] = _drain(app, environ)
        if INJECTOR.profile.lost_mode == "drop":
            fault["code"] = "connection-dropped"
            log(0, fault)
            connection = environ.get("werkzeug.socket")
            if connection is not None:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            raise ConnectionAbortedError("atelier fault profile: response lost (connection dropped)")
    status, headers, body = render(wired, error, method)
    log(error.status, fault)
    start_response(status, headers)
    return [body]


def _configure(values) -> dict:
    INJECTOR.configure(Profile.parse(values))
    return INJECTOR.state()


def handle(environ: dict, start_response):
    """Answer GET or POST /_atelier/faults."""
    return knobs.serve_json(environ, start_response, INJECTOR.state, _configure)
