"""IAM enforcement: every AWS request authenticated and authorized against the caller's IAM policies, switched on and
off at run time; and a role's credentials as the EC2 or ECS service hands them to an instance or a task.

Off by default (moto's way: anyone may do anything). On, the middleware asks ``handle_request()`` about each AWS
request before moto sees it:

1. Authentication. The request must be signed (SigV4) with the access key of an existing IAM user (key ``Active``) or
   of a role session (``AssumeRole``, ``/_atelier/role-credentials``) with its session token, not expired; the
   signature is recomputed with the key's secret (not for presigned URLs and SigV2, whose key alone identifies the
   caller). A request without a signature is S3's anonymous caller, refused, except the operations AWS answers
   unsigned (``PUBLIC_OPERATIONS``). Otherwise the service's own error, in its protocol: an unknown key is
   ``InvalidClientTokenId`` (query protocols: IAM, STS, SNS, ...), ``UnrecognizedClientException`` (JSON protocols:
   DynamoDB, Secrets Manager, KMS, ...), ``AuthFailure`` (EC2) or ``InvalidAccessKeyId`` (S3), so moto's dummy
   ``testing`` key fails as it would on AWS; a wrong signature ``SignatureDoesNotMatch`` /
   ``InvalidSignatureException``; an expired session ``ExpiredToken`` / ``ExpiredTokenException``.
2. Authorization. ``emulator.authorization.checks()`` names the action(s) and resource ARN(s) of the request and
   ``emulator.policy.evaluate()`` decides each against the principal's policies (a user's inline and attached
   policies and its groups'; a role session's role's inline and attached policies) and the resource's
   resource-based policy. A refusal is the service's access-denied error with AWS's message: ``AccessDenied``
   (query protocols, S3, CloudFront), ``AccessDeniedException`` (JSON protocols), ``UnauthorizedOperation`` (EC2).
   ``sts:GetCallerIdentity`` is always allowed, as on AWS.

The request log marks each refused request with ``"denied": {"code", "action", "resource", "principal"}``, and each
allowed one with ``"authorized": [{"action", "resource", "context"?}]``, the checks it passed (what a deployer policy
must allow: tools/deployer_policy.py --record reads them).

Which evaluator enforces depends on the ``iam_policy_evaluation`` addition: applied (the default), this module's;
disabled, moto's own (``moto.core.authorization``, switched on through ``settings.INITIAL_NO_AUTH_ACTION_COUNT`` like
``/moto-api/reset-auth``), which evaluates most services against the resource ``"*"``.

Endpoints (answered by the middleware, outside the request log):

``GET /_atelier/iam``
    ``200 {"enforce": false, "evaluator": "atelier", "denied": 0}``.
``POST /_atelier/iam`` with ``{"enforce": true}`` (or false)
    Switches enforcement; answers like GET. Create the identities you need (an administrator with
    ``AdministratorAccess`` and an access key) BEFORE switching it on: afterwards the dummy key can do nothing.
``POST /_atelier/role-credentials`` with ``{"role_name" or "role_arn", "service", "source_account", "source_arn",
"region", "session_name", "duration_seconds"}`` (addition ``iam_service_role_credentials``)
    The temporary credentials the service (``ec2.amazonaws.com``, ``ecs-tasks.amazonaws.com``, ...) gets for the role,
    if the role's trust policy lets that service principal ``sts:AssumeRole`` under the conditions the request names
    (``aws:SourceAccount``, ``aws:SourceArn``: confused-deputy protection); else ``403 {"error": ...}`` and no
    credentials, as AWS would never issue them. ``200 {"AccessKeyId", "SecretAccessKey", "Token", "Expiration",
    "RoleArn", "AssumedRoleArn", "Code": "Success", "Type": "AWS-HMAC"}`` (the instance metadata's shape).
"""

from __future__ import annotations

import base64
import datetime
import io
import json
import re
import threading
import time
from dataclasses import dataclass

from emulator import authorization, faults, knobs, policy

IAM_PATH = "/_atelier/iam"
ROLE_CREDENTIALS_PATH = "/_atelier/role-credentials"
DEFAULT_ACCOUNT = "123456789012"

_SIGNATURE = re.compile(r"Signature=([0-9a-f]+)")
_SIGNED_HEADERS = re.compile(r"SignedHeaders=([^,\s]+)")
# Operations AWS answers without a signature (they carry a token of their own).
PUBLIC_OPERATIONS = frozenset(
    {
        "AssumeRoleWithWebIdentity",
        "AssumeRoleWithSAML",
        "GetId",
        "GetOpenIdToken",
        "GetCredentialsForIdentity",
        "InitiateAuth",
        "RespondToAuthChallenge",
        "SignUp",
        "ConfirmSignUp",
        "ForgotPassword",
        "ConfirmForgotPassword",
    }
)
_CREDENTIAL = re.compile(r"Credential=([^/\s]+)/(\d{8})/([^/\s]+)/([^/\s]+)/aws4_request")


class Enforcer:
    """Whether enforcement is on, which evaluator enforces, and the count of refusals."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.active = False  # read by the middleware on every request: our evaluator is on
        self.enforce = False
        self.evaluator_installed = False  # set by the iam_policy_evaluation addition
        self.role_credentials_installed = False  # set by the iam_service_role_credentials addition
        self.denied = 0

    def state(self) -> dict:
        return {
            "enforce": self.enforce,
            "evaluator": "atelier" if self.evaluator_installed else "moto",
            "denied": self.denied,
        }

    def configure(self, values) -> dict:
        if not isinstance(values, dict) or set(values) - {"enforce"} or not isinstance(values.get("enforce"), bool):
            raise ValueError('expected {"enforce": true} or {"enforce": false}')
        from moto import settings
        from moto.core.authorization import ActionAuthenticatorMixin

        with self._lock:
            self.enforce = values["enforce"]
            self.active = self.enforce and self.evaluator_installed
            moto_enforces = self.enforce and not self.evaluator_installed
            settings.INITIAL_NO_AUTH_ACTION_COUNT = 0 if moto_enforces else float("inf")
            ActionAuthenticatorMixin.request_count = 0
            self.denied = 0
        return self.state()

    def count_denied(self) -> None:
        with self._lock:
            self.denied += 1


ENFORCER = Enforcer()


def handle(environ: dict, start_response):
    """Answer GET or POST /_atelier/iam."""
    return knobs.serve_json(environ, start_response, ENFORCER.state, ENFORCER.configure)


# --- errors in the service's protocol --------------------------------------------------------------------------------

_INVALID_TOKEN = "The security token included in the request is invalid."
_BAD_SIGNATURE = (
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key"
    " and signing method. Consult the service documentation for details."
)
_EXPIRED = "The security token included in the request is expired"
_MISSING = "Request is missing Authentication Token"
# kind -> (code, status) in each protocol of ERROR_PROTOCOLS ("query" also stands for the rest-xml services but S3).
ERROR_PROTOCOLS = ("ec2", "query", "json", "rest-json", "s3")
# fmt: off
ERRORS = {kind: dict(zip(ERROR_PROTOCOLS, row)) for kind, row in {
    "invalid-key": [("AuthFailure", 401), ("InvalidClientTokenId", 403), ("UnrecognizedClientException", 400),
                    ("UnrecognizedClientException", 403), ("InvalidAccessKeyId", 403)],
    "invalid-token": [("AuthFailure", 401), ("InvalidClientTokenId", 403), ("UnrecognizedClientException", 400),
                      ("UnrecognizedClientException", 403), ("InvalidToken", 400)],
    "signature": [("AuthFailure", 401), ("SignatureDoesNotMatch", 403), ("InvalidSignatureException", 400),
                  ("InvalidSignatureException", 403), ("SignatureDoesNotMatch", 403)],
    "expired": [("AuthFailure", 401), ("ExpiredToken", 403), ("ExpiredTokenException", 400),
                ("ExpiredTokenException", 403), ("ExpiredToken", 400)],
    "missing": [("AuthFailure", 401), ("MissingAuthenticationToken", 403), ("MissingAuthenticationTokenException", 400),
                ("MissingAuthenticationTokenException", 403), ("AccessDenied", 403)],
    "denied": [("UnauthorizedOperation", 403), ("AccessDenied", 403), ("AccessDeniedException", 400),
               ("AccessDeniedException", 403), ("AccessDenied", 403)],
}.items()}
# fmt: on
MESSAGES = {
    "invalid-key": _INVALID_TOKEN,
    "invalid-token": _INVALID_TOKEN,
    "signature": _BAD_SIGNATURE,
    "expired": _EXPIRED,
    "missing": _MISSING,
}
_S3_MESSAGES = {
    "invalid-key": "The AWS Access Key Id you provided does not exist in our records.",
    "invalid-token": "The provided token is malformed or otherwise invalid.",
    "expired": "The provided token has expired.",
    "missing": "Access Denied",
}
_EC2_MESSAGE = "AWS was not able to validate the provided access credentials"
_REASONS = {
    "explicit-identity": "with an explicit deny in an identity-based policy",
    "explicit-resource": "with an explicit deny in a resource-based policy",
    "implicit-identity": "because no identity-based policy allows the {action} action",
    "implicit-resource": "because no resource-based policy allows the {action} action",
}


def _error_kind_protocol(wire: faults.Wire) -> str:
    if wire.service == "s3":
        return "s3"
    if wire.protocol in ("ec2", "json", "rest-json"):
        return wire.protocol
    return "query"  # query, rest-xml (CloudFront, Route 53), smithy-rpc-v2-cbor (query-compatible)


def error(wire: faults.Wire, kind: str, message: str | None = None) -> faults.Error:
    """The service's error for a refusal of kind (see ERRORS)."""
    protocol = _error_kind_protocol(wire)
    code, status = ERRORS[kind][protocol]
    if kind == "denied" and wire.service == "sns":
        code = "AuthorizationError"  # SNS's own code for a refusal
    if wire.query_compatible:  # SQS, CloudWatch: botocore reports the query code of x-amzn-query-error
        code, status = ERRORS[kind]["query"]
    if message is None:
        message = _EC2_MESSAGE if protocol == "ec2" else (_S3_MESSAGES if protocol == "s3" else MESSAGES).get(kind)
    return faults.Error(code, status, message or "")


def denied_message(wire: faults.Wire, principal_arn: str, check: authorization.Check, reason: str) -> str:
    """AWS's access-denied message (EC2: with an encoded authorization failure message)."""
    on = f" on resource: {check.resource}" if check.resource != "*" else ""
    text = f"User: {principal_arn} is not authorized to perform: {check.action}{on} " + _REASONS[reason].format(
        action=check.action
    )
    if wire.protocol == "ec2":
        encoded = base64.b64encode(
            json.dumps(
                {
                    "allowed": False,
                    "explicitDeny": reason.startswith("explicit"),
                    "context": {
                        "principal": {"arn": principal_arn},
                        "action": check.action,
                        "resource": check.resource,
                    },
                }
            ).encode()
        ).decode()
        return f"You are not authorized to perform this operation. {text}. Encoded authorization failure message: {encoded}"
    return text


# --- who signed the request ------------------------------------------------------------------------------------------


@dataclass
class Identity:
    """The principal of an access key, its secret and session token, and its identity-based policies."""

    principal: policy.Principal
    secret: str
    token: str | None
    policies: list
    context: dict


class AuthenticationError(Exception):
    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def _managed_document(managed) -> str:
    version = next((version for version in managed.versions if version.is_default), managed.versions[-1])
    return version.document


def _entity_policies(entity) -> list:
    return list(entity.policies.values()) + [_managed_document(managed) for managed in entity.managed_policies.values()]


def identity_of(access_key_id: str, token: str | None) -> Identity:
    """The identity of an access key (IAM user or role session), or AuthenticationError."""
    from moto.iam.models import iam_backends
    from moto.sts.models import sts_backends
    from moto.utilities.utils import PARTITION_NAMES

    for account_id in list(iam_backends.keys()):
        for partition in PARTITION_NAMES:
            backend = iam_backends[account_id][partition]
            key = backend.access_keys.get(access_key_id)
            if key is None:
                continue
            if key.user_name is not None:
                user = backend.users.get(key.user_name)
                if user is None or key not in user.access_keys or key.status != "Active":
                    raise AuthenticationError("invalid-key")
                if token:
                    raise AuthenticationError("invalid-token")
                policies = _entity_policies(user)
                for group in backend.get_groups_for_user(user.name):
                    policies += _entity_policies(group)
                principal = policy.Principal(user.arn, account_id, "User")
                context = {"aws:username": user.name, "aws:userid": user.id}
                return Identity(principal, key.secret_access_key, None, policies, context)
            session = sts_backends[account_id][partition].get_assumed_role_from_access_key(access_key_id)
            if session is None:
                raise AuthenticationError("invalid-key")
            if token != session.session_token:
                raise AuthenticationError("invalid-token")
            if session.expiration.replace(tzinfo=None) < datetime.datetime.now(datetime.timezone.utc).replace(
                tzinfo=None
            ):
                raise AuthenticationError("expired")
            try:
                role = backend.get_role_by_arn(session.role_arn)
            except Exception:
                role = None
            policies = _entity_policies(role) if role is not None else []
            principal = policy.Principal(session.arn, account_id, "AssumedRole", role_arn=session.role_arn)
            context = {"aws:userid": session.user_id}
            return Identity(principal, session.secret_access_key, session.session_token, policies, context)
    raise AuthenticationError("invalid-key")


def _header(environ: dict, name: str) -> str | None:
    name = name.lower()
    if name == "content-type":
        return environ.get("CONTENT_TYPE")
    if name == "content-length":
        return environ.get("CONTENT_LENGTH")
    return environ.get("HTTP_" + name.upper().replace("-", "_"))


def _raw_uri(environ: dict) -> str:
    from urllib.parse import quote

    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return raw
    query = environ.get("QUERY_STRING", "")
    return quote(environ.get("PATH_INFO", "/")) + (f"?{query}" if query else "")


def signature_matches(
    environ: dict, body: bytes, identity: Identity, access_key_id: str, region: str, service: str
) -> bool:
    """Whether the request's SigV4 Authorization header is the one the key's secret gives."""
    from botocore.auth import S3SigV4Auth, SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    authorization_header = environ.get("HTTP_AUTHORIZATION", "")
    signature = _SIGNATURE.search(authorization_header)
    signed = _SIGNED_HEADERS.search(authorization_header)
    if not signature or not signed:
        return False
    headers = {}
    for name in signed.group(1).split(";"):
        value = _header(environ, name)
        if value is not None:
            headers[name] = value
    if "x-amz-date" not in headers:
        return False
    request = AWSRequest(
        method=environ.get("REQUEST_METHOD", "GET"),
        url=f"http://{environ.get('HTTP_HOST', 'localhost')}{_raw_uri(environ)}",
        data=body,
        headers=headers,
    )
    request.context["timestamp"] = headers["x-amz-date"]
    signer_class = S3SigV4Auth if service == "s3" else SigV4Auth
    signer = signer_class(Credentials(access_key_id, identity.secret, identity.token), service, region)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    return expected == signature.group(1)


# --- the middleware's part -------------------------------------------------------------------------------------------


def _read_body(environ: dict) -> bytes:
    """The request body, leaving an unread copy in wsgi.input for moto."""
    stream = environ["wsgi.input"]
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length:
        body = stream.read(length)
    elif environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _context(identity: Identity, region: str, environ: dict) -> dict:
    now = time.time()
    principal = identity.principal
    context = {
        "aws:principalarn": principal.role_arn or principal.arn,
        "aws:principalaccount": principal.account,
        "aws:principaltype": principal.kind,
        "aws:requestedregion": region,
        "aws:currenttime": datetime.datetime.fromtimestamp(now, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "aws:epochtime": str(int(now)),
        "aws:securetransport": "true",  # the emulator stands for AWS's TLS endpoints
        "aws:viaawsservice": "false",
        "aws:resourceaccount": principal.account,
    }
    if environ.get("REMOTE_ADDR"):
        context["aws:sourceip"] = environ["REMOTE_ADDR"]
    context.update(identity.context)
    return context


@dataclass
class Refusal:
    """A refused request: the error to answer and what the request log says about it."""

    error: faults.Error
    denied: dict


def decide(
    environ: dict, request: dict, form_body: str | None
) -> tuple[faults.Wire, Refusal | None, list[authorization.Check]]:
    """Authenticate and authorize one AWS request: (its wire, None if allowed or the Refusal, the checks allowed)."""
    if request["service"] is None:  # no SigV4 scope: SigV2 or unsigned, an S3 request unless it names an operation
        if request["action"] in PUBLIC_OPERATIONS:
            return faults.wire(environ, request, form_body), None, []
        if request["action"].startswith(f"{environ.get('REQUEST_METHOD', 'GET')} "):
            request = {**request, "service": "s3"}
    wire = faults.wire(environ, request, form_body)
    body = _read_body(environ)
    query = authorization.query_dict(_raw_uri(environ))
    authorization_header = environ.get("HTTP_AUTHORIZATION", "")
    credential = _CREDENTIAL.search(authorization_header)
    presigned = "X-Amz-Credential" in query or "AWSAccessKeyId" in query or authorization_header.startswith("AWS ")
    if credential:
        access_key_id, _, region, service = credential.groups()
        token = _header(environ, "x-amz-security-token")
    elif "X-Amz-Credential" in query:  # a SigV4 presigned URL
        parts = query["X-Amz-Credential"][0].split("/") + ["", "", "", ""]
        access_key_id, region, service = parts[0], parts[2] or "us-east-1", parts[3] or wire.service
        token = query.get("X-Amz-Security-Token", [None])[0]
    elif presigned:  # SigV2: a presigned S3 URL (AWSAccessKeyId=...) or an "AWS <key>:<signature>" header
        access_key_id = (
            query["AWSAccessKeyId"][0] if "AWSAccessKeyId" in query else authorization_header[4:].split(":")[0]
        )
        region, service = "us-east-1", wire.service
        token = query.get("x-amz-security-token", [None])[0] or _header(environ, "x-amz-security-token")
    else:
        missing = error(wire, "missing")
        return wire, Refusal(missing, {"code": missing.code, "action": f"{wire.service}:{wire.action}"}), []

    def refuse(kind: str, **details) -> tuple[faults.Wire, Refusal, list]:
        refused = error(wire, kind)
        return wire, Refusal(refused, {"code": refused.code, "action": f"{service}:{wire.action}", **details}), []

    try:
        identity = identity_of(access_key_id, token)
    except AuthenticationError as failure:
        return refuse(failure.kind)
    if not presigned and not signature_matches(environ, body, identity, access_key_id, region, service):
        return refuse("signature", principal=identity.principal.arn)
    call = authorization.Call(
        signing_name=service,
        operation=wire.action,
        params=authorization.parse_params(environ.get("CONTENT_TYPE", ""), body, environ.get("QUERY_STRING", "")),
        region=region,
        account=identity.principal.account,
        partition=identity.principal.arn.split(":")[1],
        method=environ.get("REQUEST_METHOD", "GET"),
        path=environ.get("PATH_INFO", "/"),
        query=query,
        headers={name.lower(): _header(environ, name) for name in _header_names(environ)},
        body=body,
    )
    if f"{call.prefix}:{call.operation}".lower() == "sts:getcalleridentity":
        return wire, None, []
    context = _context(identity, region, environ)
    allowed = authorization.checks(call)
    for check in allowed:
        request_context = {**context, **check.context}
        decision = policy.evaluate(
            policy.Request(check.action, check.resource, identity.principal, request_context),
            identity.policies,
            check.resource_policy,
            check.policy_required,
        )
        if not decision.allowed:
            message = denied_message(wire, identity.principal.arn, check, decision.reason)
            refused = error(wire, "denied", message)
            return wire, Refusal(
                refused,
                {
                    "code": refused.code,
                    "action": check.action,
                    "resource": check.resource,
                    "principal": identity.principal.arn,
                    "reason": decision.reason,
                },
            ), []
    return wire, None, allowed


def _header_names(environ: dict) -> list[str]:
    names = [key[5:].replace("_", "-").lower() for key in environ if key.startswith("HTTP_")]
    return names + [name for name in ("content-type", "content-length") if environ.get(name.upper().replace("-", "_"))]


def authorized_entries(checks: list[authorization.Check]) -> list[dict]:
    """What the request log says about the checks an allowed request passed: ``{"action", "resource", "context"?}``
    each (the condition keys the request or the resource added, lowercase), in order, without repeats."""
    entries = []
    for check in checks:
        entry = {"action": check.action, "resource": check.resource}
        if check.context:
            entry["context"] = check.context
        if entry not in entries:
            entries.append(entry)
    return entries


def handle_request(environ: dict, start_response, request: dict, form_body: str | None):
    """Answer a refused AWS request with the service's error: (response body, denied details), or None if allowed;
    an allowed request's checks go to ``request["authorized"]`` for the request log."""
    try:
        wire, refusal, allowed = decide(environ, request, form_body)
    except ValueError as failure:  # a policy we cannot read (PolicyError, bad JSON): refuse rather than guess
        wire = faults.wire(environ, request, form_body)
        refused = error(wire, "denied", f"atelier emulator: cannot evaluate a policy: {failure}")
        refusal = Refusal(
            refused, {"code": refused.code, "action": f"{wire.service}:{wire.action}", "error": str(failure)}
        )
    if refusal is None:
        if allowed:
            request["authorized"] = authorized_entries(allowed)
        return None
    ENFORCER.count_denied()
    status, headers, body = faults.render(wire, refusal.error, environ.get("REQUEST_METHOD", "POST"))
    start_response(status, headers)
    return [body], refusal.error.status, refusal.denied


# --- credentials of a role as its service hands them out ------------------------------------------------------------


def _respond(start_response, status: str, payload: dict):
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


class RoleCredentialsRefused(Exception):
    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status


def role_credentials(values: dict) -> dict:
    """Assume a role for a service principal (see the module docstring); RoleCredentialsRefused if refused."""
    from moto.iam.models import iam_backends
    from moto.sts.models import sts_backends

    if not isinstance(values, dict):
        raise RoleCredentialsRefused("400 Bad Request", "expected a JSON object")
    known = {
        "role_name",
        "role_arn",
        "service",
        "source_account",
        "source_arn",
        "region",
        "session_name",
        "duration_seconds",
        "account",
    }
    unknown = sorted(set(values) - known)
    if unknown:
        raise RoleCredentialsRefused(
            "400 Bad Request", f"unknown field {unknown[0]!r}; known: {', '.join(sorted(known))}"
        )
    service = values.get("service")
    if not isinstance(service, str) or not service.endswith(".amazonaws.com"):
        raise RoleCredentialsRefused(
            "400 Bad Request", f"service: expected a service principal such as ec2.amazonaws.com, got {service!r}"
        )
    role_arn, role_name = values.get("role_arn"), values.get("role_name")
    if bool(role_arn) == bool(role_name):
        raise RoleCredentialsRefused("400 Bad Request", "give exactly one of role_name and role_arn")
    region = values.get("region") or "us-east-1"
    account = values.get("account") or (role_arn.split(":")[4] if role_arn else DEFAULT_ACCOUNT)
    partition = role_arn.split(":")[1] if role_arn else "aws"
    backend = iam_backends[account][partition]
    try:
        role = backend.get_role_by_arn(role_arn) if role_arn else backend.get_role(role_name)
    except Exception:
        raise RoleCredentialsRefused(
            "404 Not Found", f"NoSuchEntity: the role {role_arn or role_name} cannot be found"
        ) from None
    context = {"aws:principalservicename": service, "aws:requestedregion": region}
    for name, key in (("source_account", "aws:sourceaccount"), ("source_arn", "aws:sourcearn")):
        if values.get(name):
            context[key] = str(values[name])
    principal = policy.Principal(f"service:{service}", account, "Service", service=service)
    decision = policy.evaluate(
        policy.Request("sts:AssumeRole", role.arn, principal, context),
        [],
        role.assume_role_policy_document,
        resource_policy_required=True,
    )
    if not decision.allowed:
        raise RoleCredentialsRefused(
            "403 Forbidden",
            f"AccessDenied: the trust policy of {role.arn} does not let {service} assume it"
            + (
                f" (context: {json.dumps({key: context[key] for key in sorted(context) if key.startswith('aws:source')})})"
                if any(key.startswith("aws:source") for key in context)
                else ""
            ),
        )
    duration = values.get("duration_seconds") or 3600
    if isinstance(duration, bool) or not isinstance(duration, int) or not 900 <= duration <= 43200:
        raise RoleCredentialsRefused("400 Bad Request", f"duration_seconds: expected 900 to 43200, got {duration!r}")
    session_name = values.get("session_name") or f"{service.split('.')[0]}-{int(time.time() * 1000) % 10**10}"
    session = sts_backends[account][partition].assume_role(
        region_name=region,
        role_session_name=session_name,
        role_arn=role.arn,
        policy=None,
        duration=duration,
        external_id=None,
    )
    return {
        "Code": "Success",
        "Type": "AWS-HMAC",
        "AccessKeyId": session.access_key_id,
        "SecretAccessKey": session.secret_access_key,
        "Token": session.session_token,
        "Expiration": session.expiration.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "LastUpdated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "RoleArn": role.arn,
        "AssumedRoleArn": session.arn,
    }


def handle_role_credentials(environ: dict, start_response):
    """Answer POST /_atelier/role-credentials."""
    if not ENFORCER.role_credentials_installed:
        return _respond(
            start_response,
            "404 Not Found",
            {"error": "role credentials are not available: the iam_service_role_credentials addition is disabled"},
        )
    if environ.get("REQUEST_METHOD") != "POST":
        return _respond(start_response, "405 Method Not Allowed", {"error": "use POST"})
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        values = json.loads(environ["wsgi.input"].read(length) or b"{}")
        return _respond(start_response, "200 OK", role_credentials(values))
    except RoleCredentialsRefused as refusal:
        return _respond(start_response, refusal.status, {"error": str(refusal)})
    except ValueError as failure:
        return _respond(start_response, "400 Bad Request", {"error": str(failure)})
