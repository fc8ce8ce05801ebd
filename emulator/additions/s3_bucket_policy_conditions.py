"""S3 bucket policies: a statement applies only when its conditions hold, as AWS evaluates them.

AWS: a bucket policy statement applies to a request only when every condition of its ``Condition`` block holds; the
usual TLS-only statement (``Deny`` ``"*"`` ``s3:*`` when ``aws:SecureTransport`` is ``false``) therefore denies nothing
to a request over HTTPS, and a statement whose condition key the request lacks (``aws:SourceArn`` of CloudFront origin
access control, for another caller) does not apply.

moto 5.2.5: ``FakeBucket.get_permission`` (moto/s3/models.py), which ``S3Response._key_response``
(moto/s3/responses.py) consults before every object request (a ``DENIED`` answers HTTP 403 with an empty body),
evaluates the policy with ``moto.iam.access_control.IAMPolicyStatement``, whose conditions
(moto/iam/policy_conditions.py) know only ``StringEquals`` and hold for any other operator (``Bool``, ``ArnLike``, ...)
and for a key the request lacks: the TLS-only statement denies every PutObject / GetObject / DeleteObject, so a
bucket with AWS's recommended policy cannot be written to.

What this addition does: replaces ``FakeBucket.get_permission`` with emulator.policy's evaluation of the statements
that name everyone (``"*"`` or ``{"AWS": "*"}``; moto ignores the others too) with the emulator's context
(``aws:SecureTransport`` ``true``: the emulator stands for AWS's TLS endpoints, as emulator/iam.py): an applying
``Deny`` is ``DENIED``, an applying ``Allow`` ``PERMITTED``, else ``NEUTRAL``. A policy the evaluator cannot read keeps
moto's answer. Who may call is IAM evaluation's business (emulator/iam.py), which reads bucket policies itself.

References: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
            https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html (aws:SecureTransport)
"""

from moto.iam.access_control import PermissionResult
from moto.s3.models import FakeBucket

from emulator import policy

_ORIGINAL: dict = {}
_ANYONE = policy.Principal(arn="arn:aws:iam::123456789012:user/anyone", account="123456789012", kind="User")


def _get_permission(self, action: str, resource: str):
    if self.policy is None:
        return PermissionResult.NEUTRAL
    document = self.policy.decode() if isinstance(self.policy, bytes) else self.policy
    request = policy.Request(action, resource, _ANYONE, {policy.context_key("aws:SecureTransport"): "true"})
    try:
        found = policy.effects([document], request, resource_based=True)
    except (policy.PolicyError, ValueError, TypeError, AttributeError):
        return _ORIGINAL["get_permission"](self, action, resource)
    if found.deny:
        return PermissionResult.DENIED
    if found.allow:
        return PermissionResult.PERMITTED
    return PermissionResult.NEUTRAL


def apply() -> None:
    """Evaluate bucket policy conditions before object requests."""
    _ORIGINAL["get_permission"] = FakeBucket.get_permission
    FakeBucket.get_permission = _get_permission
