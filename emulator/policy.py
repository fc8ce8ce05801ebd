"""IAM policy evaluation as AWS documents it, for one request: pure functions, no moto, no HTTP.

``evaluate()`` decides whether a principal may perform an action on a resource, from its identity-based policies and,
when the resource has one, the resource-based policy (a secret's resource policy, a bucket policy, a KMS key policy,
a role's trust policy), following the same-account part of the policy evaluation logic
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):

1. an explicit ``Deny`` in any of them denies;
2. else an ``Allow`` in an identity-based policy, or an ``Allow`` in the resource-based policy that names the principal
   itself (the user, the role or the role session; ``"*"``), allows;
3. a resource-based policy that is *required* (a KMS key policy, a role's trust policy) must allow: naming the principal
   it allows alone; naming the account (``arn:aws:iam::<account>:root`` or the account id) it delegates to the
   identity-based policies, which must then allow;
4. else the request is implicitly denied.

Matching (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html):
``Action`` / ``NotAction`` case-insensitively, ``Resource`` / ``NotResource`` and the ``Arn*`` operators segment by
segment for ARNs (the six colon-separated parts, the last one holding the rest), with ``*`` (any characters, none
included) and ``?`` (exactly one character) as the only wildcards: every other character is literal. Policy variables
(``${aws:username}``, ``${aws:PrincipalTag/team}``, ``${*}``, ``${?}``, ``${$}``) are replaced in ``Resource`` and
condition values of a ``2012-10-17`` policy; one whose key the request lacks matches nothing.

Conditions (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
the String, Numeric, Date, Bool, Binary, IpAddress, Arn and Null operators, ``...IfExists``, ``ForAnyValue:`` and
``ForAllValues:``. Operators AND together, keys of one operator AND together, values of one key OR together; a
negated operator (``StringNotEquals``, ``ArnNotLike``, ...) holds when no value matches, so also when the key is absent;
any other operator is false when the key is absent unless it ends with ``IfExists``. Condition key names are
case-insensitive; the context passed in uses lowercase keys (``context_key()``).
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import operator
import re
from dataclasses import dataclass, field

ALLOW, DENY = "Allow", "Deny"
_VARIABLE = re.compile(r"\$\{([^}]+)\}")
_NO_VALUE = "\x00"  # what an unresolved policy variable becomes: matches nothing a request carries
# In glob patterns: the wildcards, and the literal * and ? that the policy variables ${*} and ${?} put in.
_LITERAL_STAR, _LITERAL_QUESTION = "\x01", "\x02"
_GLOB = {"*": ".*", "?": ".", _LITERAL_STAR: re.escape("*"), _LITERAL_QUESTION: re.escape("?")}


def context_key(name: str) -> str:
    """The form of a condition key in a request context: lowercase (keys are case-insensitive)."""
    return name.lower()


def glob(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """Whether value matches pattern, in which ``*`` is any run of characters and ``?`` exactly one character."""
    regex = "".join(_GLOB.get(char) or re.escape(char) for char in pattern)
    return re.fullmatch(regex, value, re.DOTALL | (re.IGNORECASE if ignore_case else 0)) is not None


def arn_matches(pattern: str, arn: str) -> bool:
    """Whether an ARN matches a Resource or Arn* pattern: ``*`` matches everything; an ARN pattern matches segment by
    segment (a wildcard does not reach into the next of the first five segments)."""
    if pattern == "*":
        return True
    pattern_parts, arn_parts = pattern.split(":", 5), arn.split(":", 5)
    if len(pattern_parts) == 6 and len(arn_parts) == 6:
        return all(glob(part, value) for part, value in zip(pattern_parts, arn_parts))
    return glob(pattern, arn)


def _listed(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _substitute(text, context: dict, version: str):
    """text with the policy variables of a 2012-10-17 policy replaced from context (lowercase keys)."""
    if version != "2012-10-17" or not isinstance(text, str) or "${" not in text:
        return text

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in ("*", "?", "$"):
            return {"*": _LITERAL_STAR, "?": _LITERAL_QUESTION, "$": "$"}[name]
        value = context.get(context_key(name))
        if isinstance(value, list):
            value = value[0] if len(value) == 1 else None
        return str(value) if value is not None else _NO_VALUE

    return _VARIABLE.sub(replace, text)


# --- conditions --------------------------------------------------------------------------------------------------


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _date(value) -> datetime.datetime | None:
    if isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value)):
        return datetime.datetime.fromtimestamp(float(value), datetime.timezone.utc)
    try:
        parsed = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)


def _ip_in(policy_value: str, value: str) -> bool:
    try:
        return ipaddress.ip_address(value) in ipaddress.ip_network(policy_value, strict=False)
    except ValueError:
        return False


def _compare(cast, test):
    def compare(policy_value, value) -> bool:
        left, right = cast(value), cast(policy_value)
        return left is not None and right is not None and test(left, right)

    return compare


# base operator -> (matcher(policy value, request value), negated)
_OPERATORS = {
    "StringEquals": (lambda p, v: str(p) == str(v), False),
    "StringNotEquals": (lambda p, v: str(p) == str(v), True),
    "StringEqualsIgnoreCase": (lambda p, v: str(p).lower() == str(v).lower(), False),
    "StringNotEqualsIgnoreCase": (lambda p, v: str(p).lower() == str(v).lower(), True),
    "StringLike": (lambda p, v: glob(str(p), str(v)), False),
    "StringNotLike": (lambda p, v: glob(str(p), str(v)), True),
    "Bool": (lambda p, v: str(p).lower() == str(v).lower(), False),
    "BinaryEquals": (lambda p, v: str(p) == str(v), False),
    "IpAddress": (lambda p, v: _ip_in(str(p), str(v)), False),
    "NotIpAddress": (lambda p, v: _ip_in(str(p), str(v)), True),
    "ArnEquals": (lambda p, v: arn_matches(str(p), str(v)), False),
    "ArnLike": (lambda p, v: arn_matches(str(p), str(v)), False),
    "ArnNotEquals": (lambda p, v: arn_matches(str(p), str(v)), True),
    "ArnNotLike": (lambda p, v: arn_matches(str(p), str(v)), True),
}
_ORDERINGS = {
    "Equals": (operator.eq, False),
    "NotEquals": (operator.eq, True),
    "LessThan": (operator.lt, False),
    "LessThanEquals": (operator.le, False),
    "GreaterThan": (operator.gt, False),
    "GreaterThanEquals": (operator.ge, False),
}
for _family, _cast in (("Numeric", _number), ("Date", _date)):
    for _suffix, (_test, _negated) in _ORDERINGS.items():
        _OPERATORS[_family + _suffix] = (_compare(_cast, _test), _negated)


class PolicyError(ValueError):
    """A policy this evaluator cannot read (an unknown condition operator, a statement without Effect)."""


def condition_holds(operator: str, key: str, policy_values, context: dict, version: str = "2012-10-17") -> bool:
    """Whether one ``{operator: {key: policy_values}}`` condition holds for the request context (lowercase keys)."""
    qualifier, _, base = operator.rpartition(":")
    if_exists = base.endswith("IfExists")
    if if_exists:
        base = base[: -len("IfExists")]
    values = [_substitute(value, context, version) for value in _listed(policy_values)]
    present = context_key(key) in context and context[context_key(key)] is not None
    request_values = _listed(context.get(context_key(key)))
    if base == "Null":
        wanted = str(values[0]).lower() == "true" if values else True
        return (not present) == wanted
    if base not in _OPERATORS:
        raise PolicyError(f"unsupported condition operator {operator!r}")
    matcher, negated = _OPERATORS[base]

    def matches(value) -> bool:
        return any(matcher(policy_value, value) for policy_value in values)

    if qualifier == "ForAllValues":
        if not request_values:
            return True
        return all((not matches(value)) if negated else matches(value) for value in request_values)
    if qualifier == "ForAnyValue":
        if not request_values:
            return False
        return any((not matches(value)) if negated else matches(value) for value in request_values)
    if qualifier:
        raise PolicyError(f"unsupported condition qualifier {qualifier!r}")
    if not present:
        return if_exists or negated
    if negated:
        return not any(matches(value) for value in request_values)
    return any(matches(value) for value in request_values)


def conditions_hold(conditions: dict | None, context: dict, version: str = "2012-10-17") -> bool:
    """Whether every condition of a statement's Condition block holds."""
    for operator, keys in (conditions or {}).items():
        for key, values in keys.items():
            if not condition_holds(operator, key, values, context, version):
                return False
    return True


# --- principals and statements -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Principal:
    """Who makes a request: an IAM user, a role session (``role_arn`` the role, ``arn`` the session's
    ``arn:aws:sts::<account>:assumed-role/<name>/<session>``) or an AWS service (``service``, such as
    ``ec2.amazonaws.com``, for a role's trust policy)."""

    arn: str
    account: str
    kind: str  # "User", "AssumedRole" or "Service"
    role_arn: str | None = None
    service: str | None = None

    def root_arn(self) -> str:
        partition = self.arn.split(":")[1] if self.arn.startswith("arn:") else "aws"
        return f"arn:{partition}:iam::{self.account}:root"


def principal_match(element, principal: Principal) -> str | None:
    """How a Principal element names principal: ``"direct"`` (the principal itself, its role, or everyone),
    ``"account"`` (its account: the account's policies decide) or None."""
    if element == "*":
        return "direct"
    if not isinstance(element, dict):
        return None
    if principal.kind == "Service":
        return "direct" if principal.service in _listed(element.get("Service")) else None
    found = None
    for value in _listed(element.get("AWS")):
        if value == "*":
            return "direct"
        if value in (principal.arn, principal.role_arn):
            return "direct"
        if value in (principal.account, principal.root_arn()):
            found = "account"
    return found


@dataclass(frozen=True)
class Request:
    """What a statement is matched against: the action (``service:Action``), the resource ARN (``"*"`` for an action
    without a resource type), the principal and the condition context (lowercase keys, see ``context_key``)."""

    action: str
    resource: str
    principal: Principal
    context: dict = field(default_factory=dict)


def _statements(document) -> tuple[str, list[dict]]:
    if isinstance(document, str):
        document = json.loads(document)
    version = str(document.get("Version", "2008-10-17"))
    statements = document.get("Statement", [])
    return version, statements if isinstance(statements, list) else [statements]


def statement_applies(statement: dict, request: Request, version: str, resource_based: bool) -> str | None:
    """None if the statement does not apply to request; else ``"direct"`` or, in a resource-based policy whose
    Principal names only the principal's account, ``"account"``."""
    if "NotAction" in statement:
        if any(glob(pattern, request.action, ignore_case=True) for pattern in _listed(statement["NotAction"])):
            return None
    elif not any(glob(pattern, request.action, ignore_case=True) for pattern in _listed(statement.get("Action"))):
        return None
    if "NotResource" in statement:
        patterns = [_substitute(pattern, request.context, version) for pattern in _listed(statement["NotResource"])]
        if any(arn_matches(pattern, request.resource) for pattern in patterns):
            return None
    elif "Resource" in statement or not resource_based:
        patterns = [_substitute(pattern, request.context, version) for pattern in _listed(statement.get("Resource"))]
        if not any(arn_matches(pattern, request.resource) for pattern in patterns):
            return None
    how = "direct"
    if resource_based:
        if "NotPrincipal" in statement:
            if principal_match(statement["NotPrincipal"], request.principal) is not None:
                return None
        else:
            how = principal_match(statement.get("Principal"), request.principal)
            if how is None:
                return None
    if not conditions_hold(statement.get("Condition"), request.context, version):
        return None
    return how


@dataclass
class Effects:
    """What the statements of some policies say about one request."""

    deny: bool = False
    allow: bool = False  # an Allow naming the principal itself (or, in identity-based policies, any Allow)
    allow_account: bool = False  # an Allow in a resource-based policy naming only the principal's account


def effects(documents, request: Request, resource_based: bool = False) -> Effects:
    """The Deny and Allow statements of documents (JSON strings or dicts) that apply to request."""
    found = Effects()
    for document in documents:
        version, statements = _statements(document)
        for statement in statements:
            effect = statement.get("Effect")
            if effect not in (ALLOW, DENY):
                raise PolicyError(f"statement without a valid Effect: {statement!r}")
            how = statement_applies(statement, request, version, resource_based)
            if how is None:
                continue
            if effect == DENY:
                found.deny = True
            elif how == "direct":
                found.allow = True
            else:
                found.allow_account = True
    return found


@dataclass(frozen=True)
class Decision:
    """``allowed``; else ``reason``: ``"explicit-identity"``, ``"explicit-resource"``, ``"implicit-identity"`` (no
    identity-based policy allows) or ``"implicit-resource"`` (a required resource-based policy does not allow)."""

    allowed: bool
    reason: str | None = None


def evaluate(
    request: Request,
    identity_policies: list,
    resource_policy=None,
    resource_policy_required: bool = False,
) -> Decision:
    """Decide request from the principal's identity-based policies and the resource's resource-based policy (a JSON
    string or dict, or None); resource_policy_required for KMS key policies and role trust policies."""
    identity = effects(identity_policies, request)
    resource = effects([resource_policy], request, resource_based=True) if resource_policy else Effects()
    if identity.deny:
        return Decision(False, "explicit-identity")
    if resource.deny:
        return Decision(False, "explicit-resource")
    if resource_policy_required:
        if resource.allow or (resource.allow_account and identity.allow):
            return Decision(True)
        return Decision(False, "implicit-resource" if identity.allow else "implicit-identity")
    if identity.allow or resource.allow:
        return Decision(True)
    return Decision(False, "implicit-identity")
