# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
Wrappers around the Secrets Manager and SSM Parameter Store calls of atelier.infra.aws_values_info: one boto3 call each,
with amazon.aws' retry decorator (plus aws_retry.RETRY_CODES) and an error handler that turns botocore exceptions into
AnsibleAWSValuesError, following the pattern of amazon.aws module_utils/ec2.py. No error message here carries a
value: AWS's messages name the secret or parameter, never its value.
"""

import base64
import re
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

SECRET_NOT_FOUND = "ResourceNotFoundException"
# GetSecretValue of a secret scheduled for deletion: InvalidRequestException, "...because it was marked for deletion"
# (AWS), "...a secret that's currently marked deleted" (moto).
MARKED_FOR_DELETION = re.compile(r"marked (for )?delet")
# GetParameters takes at most 10 names per call.
MAX_PARAMETER_NAMES = 10


class AnsibleAWSValuesError(AnsibleAWSError):
    pass


class AWSValuesErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleAWSValuesError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(SECRET_NOT_FOUND)


@AWSValuesErrorHandler.list_error_handler("get the value of the secret", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_secret_value(client, secret_id: str) -> Optional[Dict[str, Any]]:
    """GetSecretValue's answer (SecretString or SecretBinary), None for a secret that does not exist."""
    return client.get_secret_value(SecretId=secret_id)


@AWSValuesErrorHandler.list_error_handler("describe the secret", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_secret(client, secret_id: str) -> Optional[Dict[str, Any]]:
    """DescribeSecret's answer, None for a secret that does not exist."""
    return client.describe_secret(SecretId=secret_id)


@AWSValuesErrorHandler.list_error_handler("get the resource policy of the secret", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_resource_policy(client, secret_id: str) -> Optional[Dict[str, Any]]:
    """GetResourcePolicy's answer (ResourcePolicy absent when the secret has none), None for a secret that does not
    exist."""
    return client.get_resource_policy(SecretId=secret_id)


@AWSValuesErrorHandler.common_error_handler("get the SSM parameters")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_parameters(client, names: List[str], with_decryption: bool = True) -> Dict[str, Any]:
    """GetParameters' answer for at most MAX_PARAMETER_NAMES names: Parameters and InvalidParameters (not found)."""
    return client.get_parameters(Names=names, WithDecryption=with_decryption)


@AWSValuesErrorHandler.common_error_handler("describe the SSM parameters")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_parameters(client, names: List[str]) -> List[Dict[str, Any]]:
    """DescribeParameters' entries of the parameters named (at most MAX_PARAMETER_NAMES), every page."""
    found: List[Dict[str, Any]] = []
    params: Dict[str, Any] = {"ParameterFilters": [{"Key": "Name", "Option": "Equals", "Values": names}]}
    while True:
        answer = client.describe_parameters(**params)
        found.extend(answer.get("Parameters", []))
        if not answer.get("NextToken"):
            return found
        params["NextToken"] = answer["NextToken"]


@AWSValuesErrorHandler.common_error_handler("list the tags of the SSM parameter")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_parameter_tags(client, name: str) -> Dict[str, str]:
    """The parameter's tags, key to value."""
    answer = client.list_tags_for_resource(ResourceType="Parameter", ResourceId=name)
    return {tag["Key"]: tag["Value"] for tag in answer.get("TagList") or []}


def marked_for_deletion(error: AnsibleAWSError) -> bool:
    """Whether the error is GetSecretValue's answer for a secret scheduled for deletion."""
    response = getattr(error.exception, "response", None) or {}
    details = response.get("Error", {})
    return details.get("Code") == "InvalidRequestException" and bool(MARKED_FOR_DELETION.search(details.get("Message", "")))


def secret_value(answer: Dict[str, Any]) -> str:
    """The value of a secret from GetSecretValue's answer: SecretString as it is, SecretBinary base64-encoded."""
    if "SecretString" in answer:
        return answer["SecretString"]
    return base64.b64encode(answer.get("SecretBinary") or b"").decode("ascii")


def chunks(names: List[str], size: int = MAX_PARAMETER_NAMES) -> List[List[str]]:
    """names in lists of at most size, in order, without duplicates."""
    unique = list(dict.fromkeys(names))
    return [unique[i:i + size] for i in range(0, len(unique), size)]


def secret_details(described: Dict[str, Any], policy: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """What aws_values_info returns of a secret beside its value: from DescribeSecret's and GetResourcePolicy's answers."""
    return {
        "arn": described.get("ARN", ""),
        "name": described.get("Name", ""),
        "description": described.get("Description", ""),
        "kms_key_id": described.get("KmsKeyId", ""),
        "tags": {tag["Key"]: tag["Value"] for tag in described.get("Tags") or []},
        "deleted": bool(described.get("DeletedDate")),
        "rotation_enabled": bool(described.get("RotationEnabled")),
        "replica_regions": sorted(r["Region"] for r in described.get("ReplicationStatus") or []),
        "resource_policy": (policy or {}).get("ResourcePolicy") or "",
    }


def _tags_differ(details: Dict[str, Any], tags: Optional[Dict[str, str]]) -> bool:
    """Whether the tags read (details["tags"]) are not exactly tags (as text, the way AWS keeps them); never when tags is
    None (not managed)."""
    return tags is not None and dict(details.get("tags") or {}) != {str(k): str(v) for k, v in tags.items()}


def secret_changes(details: Optional[Dict[str, Any]], tags: Optional[Dict[str, str]] = None) -> List[str]:
    """What community.aws.secretsmanager_secret (state present, overwrite false, no resource policy, no rotation, no
    replica regions given, its tags purged to tags) would change in a secret described by secret_details: ["create"]
    when there is none, else any of "restore", "rotation", "resource policy", "tags"; [] when it would change nothing.
    A role runs that module only when this is not empty."""
    if not details:
        return ["create"]
    changes = []
    if details.get("deleted"):
        changes.append("restore")
    if details.get("rotation_enabled"):
        changes.append("rotation")
    if details.get("resource_policy"):
        changes.append("resource policy")
    if _tags_differ(details, tags):
        changes.append("tags")
    return changes


def parameter_details(described: Dict[str, Any], tags: Dict[str, str]) -> Dict[str, Any]:
    """What aws_values_info returns of a parameter beside its value: from its DescribeParameters entry and its tags."""
    return {
        "name": described.get("Name", ""),
        "type": described.get("Type", ""),
        "description": described.get("Description", ""),
        "tier": described.get("Tier", ""),
        "data_type": described.get("DataType", ""),
        "key_id": described.get("KeyId", ""),
        "version": described.get("Version", 0),
        "tags": dict(tags),
    }


def parameter_changes(
    details: Optional[Dict[str, Any]],
    current_value: Optional[str],
    value: str,
    description: str = "",
    string_type: str = "String",
    tags: Optional[Dict[str, str]] = None,
) -> List[str]:
    """What community.aws.ssm_parameter (state present, overwrite_value changed, its tags purged to tags) would change
    in a parameter described by parameter_details whose value is current_value: ["create"] when there is none, else
    any of "type", "value", "description", "tags"; [] when it would change nothing. As that module: the description
    counts only when one is given, and the tier is not compared. A role runs the module only when this is not empty."""
    if not details:
        return ["create"]
    changes = []
    if details.get("type") != string_type:
        changes.append("type")
    if current_value != value:
        changes.append("value")
    if description and details.get("description") != description:
        changes.append("description")
    if _tags_differ(details, tags):
        changes.append("tags")
    return changes
