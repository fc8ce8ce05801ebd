"""Runtime knobs of the additions, and ``/_atelier/config`` to read and change them on a running emulator.

Additions read a knob with ``get_float()`` on every request, so a change takes effect at once, without a restart;
the server's middleware answers ``/_atelier/config`` with ``handle()``.

A knob's value is, in order: the value set through ``/_atelier/config``, else the environment variable of the same
name in the server process (``ATELIER_EMULATOR_DYNAMODB_REPLICA_DELAY=0.5 python -m emulator start``), else its
default. Knobs:

``ATELIER_EMULATOR_DYNAMODB_REPLICA_DELAY`` (seconds, float >= 0, default 2.0)
    How long a DynamoDB global table replica stays CREATING, UPDATING or DELETING (``dynamodb_global_tables``).
``ATELIER_EMULATOR_DYNAMODB_INDEX_DELAY`` (seconds, float >= 0, default 2.0)
    How long a global secondary index stays CREATING or DELETING (``dynamodb_gsi_lifecycle``).
``ATELIER_EMULATOR_INSTANCE_REFRESH_DELAY`` (seconds, float >= 0, default 2.0)
    How long an Auto Scaling instance refresh takes from StartInstanceRefresh to Successful: Pending, then
    InProgress while the group's instances are replaced (``autoscaling_instance_refresh``).
``ATELIER_EMULATOR_CLOUDFRONT_DEPLOY_DELAY`` (seconds, float >= 0, default 2.0)
    How long a CloudFront distribution stays InProgress after CreateDistribution and after each UpdateDistribution
    before it is Deployed (``cloudfront_distribution_status``).
``ATELIER_EMULATOR_NAT_GATEWAY_CREATE_DELAY`` / ``..._DELETE_DELAY`` (seconds, default 0: at once, as moto)
    How long a NAT gateway stays ``pending`` / ``deleting`` (``ec2_nat_gateway_state``).
``ATELIER_EMULATOR_LOAD_BALANCER_CREATE_DELAY`` / ``..._DELETE_DELAY`` (seconds, default 0)
    How long a load balancer stays ``provisioning``, and how long a deleted one's network interfaces keep its subnets
    and security groups in use (``elbv2_load_balancer_state``).
``ATELIER_EMULATOR_RDS_INSTANCE_CREATE_DELAY`` / ``..._DELETE_DELAY`` (seconds, default 0)
    How long a DB instance stays ``creating`` / ``deleting`` (``rds_instance_state``).
``ATELIER_EMULATOR_ECS_DEPLOYMENT_DELAY`` (seconds, default 0: at the next DescribeServices)
    How long an ECS service deployment stays ``IN_PROGRESS`` before it is ``COMPLETED`` (``ecs_service_deployments``).
``ATELIER_EMULATOR_ACM_VALIDATION_DELAY`` (seconds, float >= 0, default 2.0)
    How long after its validation CNAME is first found in Route 53 a domain of a DNS-validated ACM certificate is
    validated; the certificate is ISSUED when every domain is (``acm_dns_validation``).
``ATELIER_EMULATOR_PROVISIONING_SCALE`` (factor >= 0, a number or a fraction such as ``1/30``; default 0: off)
    The realistic-latency profile (``emulator.latency``): when above 0, every delay knob above that is not set
    explicitly defaults to AWS's typical time (``latency.DELAYS``) times the scale.
``ATELIER_EMULATOR_CALL_LATENCY_MS`` (milliseconds, default 0)
    Added to every AWS request before it is answered.

Real AWS takes minutes to hours for all of them: these are time-scaled provisioning delays. Transitions are computed
from timestamps when a request reads them, with the delay in force at that moment: lowering a delay also finishes the
changes already under way.

The endpoint (answered before the request reaches moto, and kept out of the request log like ``/_atelier/health``):

``GET /_atelier/config``
    ``200 {"ATELIER_EMULATOR_DYNAMODB_REPLICA_DELAY": 2.0, ...}``, the values in force.
``POST /_atelier/config`` with a JSON object ``{"<knob>": <number or numeric string>, ...}``
    Sets the knobs given (``null`` drops the runtime value: the environment or the default applies again) and answers
    like GET. An unknown knob or a bad value answers ``400 {"error": "..."}`` and changes nothing.
"""

import json
import math
import os
import threading
from fractions import Fraction

from emulator import latency

CONFIG_PATH = "/_atelier/config"

DEFAULTS = {
    "ATELIER_EMULATOR_DYNAMODB_REPLICA_DELAY": 2.0,
    "ATELIER_EMULATOR_DYNAMODB_INDEX_DELAY": 2.0,
    "ATELIER_EMULATOR_INSTANCE_REFRESH_DELAY": 2.0,
    "ATELIER_EMULATOR_CLOUDFRONT_DEPLOY_DELAY": 2.0,
    "ATELIER_EMULATOR_NAT_GATEWAY_CREATE_DELAY": 0.0,
    "ATELIER_EMULATOR_NAT_GATEWAY_DELETE_DELAY": 0.0,
    "ATELIER_EMULATOR_LOAD_BALANCER_CREATE_DELAY": 0.0,
    "ATELIER_EMULATOR_LOAD_BALANCER_DELETE_DELAY": 0.0,
    "ATELIER_EMULATOR_RDS_INSTANCE_CREATE_DELAY": 0.0,
    "ATELIER_EMULATOR_RDS_INSTANCE_DELETE_DELAY": 0.0,
    "ATELIER_EMULATOR_ECS_DEPLOYMENT_DELAY": 0.0,
    "ATELIER_EMULATOR_ACM_VALIDATION_DELAY": 2.0,
    latency.SCALE_KNOB: 0.0,
    latency.CALL_LATENCY_KNOB: 0.0,
}

_overrides: dict[str, float] = {}
_lock = threading.Lock()
_installed = False


def _parse(name: str, value) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{name}: expected a number >= 0, got {value!r}")
    try:
        number = float(Fraction(value.strip())) if isinstance(value, str) and "/" in value else float(value)
    except ZeroDivisionError:
        raise ValueError(f"{name}: expected a number >= 0, got {value!r}") from None
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{name}: expected a number >= 0, got {value!r}")
    return number


def _explicit(name: str) -> float | None:
    """The runtime override, else a valid value from the server's environment, else None."""
    with _lock:
        if name in _overrides:
            return _overrides[name]
    raw = os.environ.get(name)
    if raw not in (None, ""):
        try:
            return _parse(name, raw)
        except ValueError:
            pass
    return None


def get_float(name: str) -> float:
    """The knob's value: runtime override, else the server's environment, else the realistic-latency profile's value
    (when ATELIER_EMULATOR_PROVISIONING_SCALE is above 0 and the knob is one it times), else the default."""
    value = _explicit(name)
    if value is not None:
        return value
    if name in latency.KNOBS:
        profiled = latency.scaled(name, get_float(latency.SCALE_KNOB))
        if profiled is not None:
            return profiled
    return DEFAULTS[name]


def current() -> dict[str, float]:
    """Every knob with the value in force."""
    return {name: get_float(name) for name in DEFAULTS}


def update(values: dict) -> dict[str, float]:
    """Set (or, with None, drop) runtime values; all or nothing. Raises ValueError on an unknown knob or bad value."""
    if not isinstance(values, dict):
        raise ValueError("expected a JSON object of knob names to values")
    parsed = {}
    for name, value in values.items():
        if name not in DEFAULTS:
            raise ValueError(f"unknown knob {name!r}; known: {', '.join(sorted(DEFAULTS))}")
        parsed[name] = None if value is None else _parse(name, value)
    with _lock:
        for name, value in parsed.items():
            if value is None:
                _overrides.pop(name, None)
            else:
                _overrides[name] = value
    return current()


def _respond(start_response, status: str, payload: dict):
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def serve_json(environ: dict, start_response, read, write):
    """Answer an ``/_atelier/...`` endpoint: GET ``read()``; POST or PUT ``write(<the JSON body>)`` and answer what it
    returns, or 400 with the error of a ValueError or TypeError it raises."""
    method = environ.get("REQUEST_METHOD", "GET")
    if method == "GET":
        return _respond(start_response, "200 OK", read())
    if method in ("POST", "PUT"):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            return _respond(start_response, "200 OK", write(json.loads(environ["wsgi.input"].read(length) or b"{}")))
        except (ValueError, TypeError) as error:
            return _respond(start_response, "400 Bad Request", {"error": str(error)})
    return _respond(start_response, "405 Method Not Allowed", {"error": f"{method} not allowed; use GET or POST"})


def handle(environ: dict, start_response):
    """Answer GET or POST /_atelier/config."""
    return serve_json(environ, start_response, current, update)
