"""ModifyLoadBalancerAttributes: logs go only to an existing bucket whose policy lets Elastic Load Balancing write.

AWS: enabling ``access_logs.s3`` (or ``connection_logs.s3`` / ``health_check_logs.s3``) of a load balancer, or
changing the bucket or prefix of enabled logs, makes ELB check that it can write to the bucket: "The bucket must
exist in the same region as the load balancer and have a bucket policy that grants Elastic Load Balancing
permissions to write to the bucket" (LoadBalancerAttribute). Otherwise ModifyLoadBalancerAttributes fails with
``InvalidConfigurationRequest`` "Access Denied for bucket: <bucket>. Please check S3bucket permission" (quoted from
AWS in aws/aws-cdk#5758 and kubernetes-sigs/aws-load-balancer-controller#1956) and no attribute changes. The policy
must allow ``s3:PutObject`` on ``arn:aws:s3:::<bucket>/<prefix>/AWSLogs/<account-id>/*`` to the ELB account of the
region (``arn:aws:iam::<elb-account-id>:root``, regions opened before August 2022) or to the service principal
``logdelivery.elasticloadbalancing.amazonaws.com``; a Network Load Balancer's access logs are delivered by
``delivery.logs.amazonaws.com``. The prefix can't start or end with ``/`` or contain ``AWSLogs``. Once access logs
are on, ELB writes a test object ``<prefix>/AWSLogs/<account-id>/ELBAccessLogTestFile`` to the bucket (so the
bucket is no longer empty).

moto 5.2.5: ``ELBv2Backend.modify_load_balancer_attributes`` (moto/elbv2/models.py) stores any bucket name,
existing or not, and never looks at S3.

What this addition does: wraps ``modify_load_balancer_attributes`` (after ``elbv2_load_balancer_attributes``, which
replaces it, in name order). For each kind of log that ends up enabled with a new bucket or prefix it checks the
prefix, that the bucket exists in the load balancer's region and that its policy has an ``Allow`` for one of the
principals above (or ``*``) with an action matching ``s3:PutObject`` and a resource matching the log path, and no
such ``Deny``, counting only the statements whose conditions hold for ELB's request (emulator/policy.py, with
``aws:SecureTransport`` true, ``aws:SourceAccount`` the load balancer's account and ``aws:SourceArn`` its ARN, so a
TLS-only ``Deny`` does not stop it); the service principal is accepted in every region. Then it applies
the attributes and, for access logs, writes the test object. The prefix message and the test object's content are
ours; a missing bucket gets the access-denied message.

References: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html
            https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
            https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html
"""

import json
import re

from moto.core.utils import iso_8601_datetime_with_milliseconds
from moto.elbv2.exceptions import InvalidConfigurationRequest, LoadBalancerNotFoundError
from moto.elbv2.models import ELBv2Backend
from moto.s3.exceptions import MissingBucket
from moto.s3.models import s3_backends
from moto.utilities.utils import get_partition

from emulator import policy

LOG_KINDS = ("access_logs", "connection_logs", "health_check_logs")
LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com"
NLB_LOG_DELIVERY_SERVICE = "delivery.logs.amazonaws.com"
# The ELB account of each region opened before August 2022 (enable-access-logging.html).
ELB_ACCOUNTS = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
}
_ORIGINAL = {}


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _wildcard(pattern: str, value: str, ignore_case: bool = False) -> bool:
    regex = "".join(".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE if ignore_case else 0) is not None


def _principals(balancer, region: str) -> set[tuple[str, str]]:
    allowed = {("Service", LOG_DELIVERY_SERVICE)}
    if balancer.type == "network":
        allowed.add(("Service", NLB_LOG_DELIVERY_SERVICE))
    if region in ELB_ACCOUNTS:
        allowed |= {("AWS", ELB_ACCOUNTS[region]), ("AWS", f"arn:aws:iam::{ELB_ACCOUNTS[region]}:root")}
    return allowed


def _statement_applies(statement: dict, principals: set, resource: str, context: dict | None = None) -> bool:
    principal = statement.get("Principal")
    if principal == "*":
        principal_ok = True
    elif isinstance(principal, dict):
        principal_ok = any(
            value == "*" or (kind, value) in principals
            for kind, values in principal.items()
            for value in _as_list(values)
        )
    else:
        principal_ok = False
    actions = _as_list(statement.get("Action", []))
    resources = _as_list(statement.get("Resource", []))
    return (
        principal_ok
        and any(_wildcard(action, "s3:PutObject", ignore_case=True) for action in actions)
        and any(_wildcard(pattern, resource) for pattern in resources)
        and policy.conditions_hold(statement.get("Condition"), context or {})
    )


def can_write(bucket_policy: bytes | None, principals: set, resource: str, context: dict | None = None) -> bool:
    """Whether the bucket policy allows (and does not deny) s3:PutObject on resource to one of principals, with the
    request context (lowercase condition keys) ELB's write carries."""
    if not bucket_policy:
        return False
    try:
        statements = _as_list(json.loads(bucket_policy).get("Statement", []))
        applying = [statement for statement in statements if _statement_applies(statement, principals, resource, context)]
    except (ValueError, AttributeError, policy.PolicyError):
        return False
    return any(s.get("Effect") == "Allow" for s in applying) and not any(s.get("Effect") == "Deny" for s in applying)


def _log_path(prefix: str, account_id: str) -> str:
    return f"{prefix}/AWSLogs/{account_id}" if prefix else f"AWSLogs/{account_id}"


def _check(backend, balancer, kind: str, bucket_name: str, prefix: str):
    """The bucket the logs of this kind can go to; AWS's error otherwise."""
    if prefix.startswith("/") or prefix.endswith("/") or "AWSLogs" in prefix:
        raise InvalidConfigurationRequest(
            f"The value of '{kind}.s3.prefix' can't start or end with '/' or contain 'AWSLogs'"
        )
    denied = InvalidConfigurationRequest(f"Access Denied for bucket: {bucket_name}. Please check S3bucket permission")
    try:
        bucket = s3_backends[backend.account_id][get_partition(backend.region_name)].get_bucket(bucket_name)
    except MissingBucket as error:
        raise denied from error
    resource = f"arn:aws:s3:::{bucket_name}/{_log_path(prefix, backend.account_id)}/ELBAccessLogTestFile"
    context = {
        policy.context_key("aws:SecureTransport"): "true",
        policy.context_key("aws:SourceAccount"): backend.account_id,
        policy.context_key("aws:SourceArn"): balancer.arn,
    }
    if bucket.region_name != backend.region_name or not can_write(
        bucket.policy, _principals(balancer, backend.region_name), resource, context
    ):
        raise denied
    return bucket


def _modify_load_balancer_attributes(self, arn: str, attrs: dict):
    balancer = self.load_balancers.get(arn)
    if balancer is None:
        raise LoadBalancerNotFoundError()
    before = dict(balancer.attrs)
    merged = {**before, **{key: "" if value is None else str(value) for key, value in attrs.items()}}
    checked = {}
    for kind in LOG_KINDS:
        keys = [f"{kind}.s3.{part}" for part in ("enabled", "bucket", "prefix")]
        if merged.get(keys[0]) != "true" or not merged.get(keys[1]):
            continue
        if [before.get(key) for key in keys] != [merged.get(key) for key in keys]:
            checked[kind] = _check(self, balancer, kind, merged[keys[1]], merged.get(keys[2]) or "")
    result = _ORIGINAL["modify_load_balancer_attributes"](self, arn, attrs)
    if "access_logs" in checked:
        prefix = merged.get("access_logs.s3.prefix") or ""
        key = f"{_log_path(prefix, self.account_id)}/ELBAccessLogTestFile"
        body = f"Enable AccessLog for ELB: {balancer.name} at {iso_8601_datetime_with_milliseconds()}".encode()
        s3_backends[self.account_id][get_partition(self.region_name)].put_object(checked["access_logs"].name, key, body)
    return result


def apply() -> None:
    """Wrap ModifyLoadBalancerAttributes with the log bucket checks."""
    _ORIGINAL["modify_load_balancer_attributes"] = ELBv2Backend.modify_load_balancer_attributes
    ELBv2Backend.modify_load_balancer_attributes = _modify_load_balancer_attributes
