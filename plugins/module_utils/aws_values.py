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


@AWSValuesErrorHandler.common_error_handler("get the SSM parameters")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_parameters(client, names: List[str], with_decryption: bool = True) -> Dict[str, Any]:
    """GetParameters' answer for at most MAX_PARAMETER_NAMES names: Parameters and InvalidParameters (not found)."""
    return client.get_parameters(Names=names, WithDecryption=with_decryption)


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
