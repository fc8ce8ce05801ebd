"""CloudWatch Logs: encrypting a log group with a KMS key (CreateLogGroup ``kmsKeyId``, AssociateKmsKey,
DisassociateKmsKey), allowed only when the key's policy lets CloudWatch Logs use it for that log group.

AWS: a log group is encrypted with a customer managed KMS key given by its ARN, when it is created (CreateLogGroup
``kmsKeyId``) or later (AssociateKmsKey; DisassociateKmsKey goes back to CloudWatch Logs' own encryption). CloudWatch
Logs uses the key as the service principal ``logs.<region>.amazonaws.com`` with the encryption context
``aws:logs:arn`` = the log group's ARN (``arn:<partition>:logs:<region>:<account>:log-group:<name>``), so the key
policy must allow that principal ``kms:Encrypt*``, ``kms:Decrypt*``, ``kms:ReEncrypt*``, ``kms:GenerateDataKey*`` and
``kms:Describe*``, usually under the condition ``kms:EncryptionContext:aws:logs:arn`` (ArnEquals / ArnLike) naming
the log groups ("Encrypt log data in CloudWatch Logs using AWS KMS", step 2). When the key does not exist, is not
enabled, or its policy does not allow CloudWatch Logs for this log group, both calls fail with
``AccessDeniedException`` "The specified KMS key does not exist or is not allowed to be used with Arn '<log group
ARN>'" (HTTP 400; quoted in hashicorp/terraform-provider-aws#29282 for CreateLogGroup and
ministryofjustice/modernisation-platform#7870 for AssociateKmsKey) and the log group is not created or not changed.
Writers (PutLogEvents) need no KMS permission: CloudWatch Logs encrypts on their behalf.

moto 5.2.5: ``LogsResponse.create_log_group`` (moto/logs/responses.py) stores any ``kmsKeyId``, existing key or not,
and ``LogsResponse`` has no ``associate_kms_key`` / ``disassociate_kms_key``: both calls answer HTTP 500.

What this addition does: before CreateLogGroup with a ``kmsKeyId`` and in AssociateKmsKey, looks the key up by its ARN
in moto's KMS backend of the log group's region and evaluates its key policy (emulator/policy.py, the key policy
required) for the principal ``logs.<region>.amazonaws.com`` performing ``kms:GenerateDataKey`` and ``kms:Decrypt`` on
the key with the context ``kms:EncryptionContext:aws:logs:arn``; refuses with AWS's error as above. AssociateKmsKey
then sets the group's key (DescribeLogGroups shows ``kmsKeyId``), DisassociateKmsKey removes it; an unknown log group
is ``ResourceNotFoundException``. The key ARN is compared as given (AWS keeps the ARN sent).

References: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
            https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_AssociateKmsKey.html
            https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DisassociateKmsKey.html
            https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
"""

from moto.core.exceptions import JsonRESTError
from moto.kms.models import kms_backends
from moto.logs.exceptions import ResourceNotFoundException
from moto.logs.models import LogsBackend
from moto.logs.responses import LogsResponse
from moto.utilities.utils import get_partition

from emulator import policy

# What CloudWatch Logs does with the key: encrypt new data keys, and read them back.
ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")
_ORIGINAL = {}


class KeyNotAllowed(JsonRESTError):
    code = 400

    def __init__(self, log_group_arn: str):
        super().__init__(
            "AccessDeniedException",
            f"The specified KMS key does not exist or is not allowed to be used with Arn '{log_group_arn}'",
        )


def log_group_arn(backend: LogsBackend, name: str) -> str:
    """The ARN of a log group as the encryption context names it (without the ``:*`` DescribeLogGroups adds)."""
    return f"arn:{get_partition(backend.region_name)}:logs:{backend.region_name}:{backend.account_id}:log-group:{name}"


def key_allows_logs(backend: LogsBackend, key_arn: str, group_arn: str) -> bool:
    """Whether key_arn names an enabled key of the region whose policy lets CloudWatch Logs use it for group_arn."""
    if not isinstance(key_arn, str) or not key_arn.startswith("arn:") or ":key/" not in key_arn:
        return False
    kms = kms_backends[backend.account_id][backend.region_name]
    key = kms.keys.get(key_arn.split(":key/", 1)[1])
    if key is None or key.arn != key_arn or key.key_state != "Enabled":
        return False
    service = f"logs.{backend.region_name}.amazonaws.com"
    principal = policy.Principal(f"service:{service}", backend.account_id, "Service", service=service)
    context = {policy.context_key("kms:EncryptionContext:aws:logs:arn"): group_arn}
    try:
        return all(
            policy.evaluate(policy.Request(action, key.arn, principal, context), [], key.policy, True).allowed
            for action in ACTIONS
        )
    except (policy.PolicyError, ValueError):
        return False


def _check(backend: LogsBackend, name: str, key_arn: str) -> None:
    group_arn = log_group_arn(backend, name)
    if not key_allows_logs(backend, key_arn, group_arn):
        raise KeyNotAllowed(group_arn)


def _create_log_group(self, log_group_name: str, tags: dict, **kwargs):
    if kwargs.get("kmsKeyId") and log_group_name not in self.groups:
        _check(self, log_group_name, kwargs["kmsKeyId"])
    return _ORIGINAL["create_log_group"](self, log_group_name, tags, **kwargs)


def _group(backend: LogsBackend, name: str):
    group = backend.groups.get(name)
    if group is None:
        raise ResourceNotFoundException()
    return group


def _associate_kms_key(self, log_group_name: str, kms_key_id: str) -> None:
    group = _group(self, log_group_name)
    _check(self, log_group_name, kms_key_id)
    group.kms_key_id = kms_key_id


def _disassociate_kms_key(self, log_group_name: str) -> None:
    _group(self, log_group_name).kms_key_id = None


def _associate_kms_key_response(self) -> str:
    self.logs_backend.associate_kms_key(self._get_param("logGroupName"), self._get_param("kmsKeyId"))
    return ""


def _disassociate_kms_key_response(self) -> str:
    self.logs_backend.disassociate_kms_key(self._get_param("logGroupName"))
    return ""


def apply() -> None:
    """Check the key of CreateLogGroup; add AssociateKmsKey and DisassociateKmsKey."""
    _ORIGINAL["create_log_group"] = LogsBackend.create_log_group
    LogsBackend.create_log_group = _create_log_group
    LogsBackend.associate_kms_key = _associate_kms_key
    LogsBackend.disassociate_kms_key = _disassociate_kms_key
    LogsResponse.associate_kms_key = _associate_kms_key_response
    LogsResponse.disassociate_kms_key = _disassociate_kms_key_response
