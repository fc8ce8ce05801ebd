# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
Wrappers around the Lambda API calls used by atelier.infra.lambda_concurrency.

Every function is one boto3 call with amazon.aws' retry decorator (plus the JSON-protocol throttling codes) and an
error handler that turns botocore exceptions into AnsibleLambdaError.
"""

from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

FUNCTION_NOT_FOUND = "ResourceNotFoundException"
# What get_function_concurrency answers for a function that does not exist.
MISSING = object()


class AnsibleLambdaError(AnsibleAWSError):
    pass


class LambdaErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleLambdaError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(FUNCTION_NOT_FOUND)


@LambdaErrorHandler.list_error_handler("get function concurrency", MISSING)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_function_concurrency(client, name: str) -> Optional[int]:
    """The function's reserved concurrency (None without a reservation), MISSING when there is no such function."""
    return client.get_function_concurrency(FunctionName=name).get("ReservedConcurrentExecutions")


@LambdaErrorHandler.common_error_handler("put function concurrency")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def put_function_concurrency(client, name: str, reserved: int) -> bool:
    client.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=reserved)
    return True


@LambdaErrorHandler.common_error_handler("delete function concurrency")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def delete_function_concurrency(client, name: str) -> bool:
    client.delete_function_concurrency(FunctionName=name)
    return True
