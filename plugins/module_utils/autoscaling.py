# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The Auto Scaling API call of atelier.infra.autoscaling_policy_info: one boto3 call, paginated inside, with amazon.aws'
retry decorator (plus the JSON-protocol throttling codes) and an error handler that turns botocore exceptions into
AnsibleAutoScalingError, the pattern of amazon.aws module_utils/ec2.py.
"""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES


class AnsibleAutoScalingError(AnsibleAWSError):
    pass


class AutoScalingErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleAutoScalingError


@AutoScalingErrorHandler.common_error_handler("describe scaling policies")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_policies(client, group_name: str, policy_names: Optional[List[str]] = None) -> List[Dict[str, Any]]:
    """Every ScalingPolicy of the Auto Scaling group (those named, when names are given)."""
    params = {"AutoScalingGroupName": group_name}
    if policy_names:
        params["PolicyNames"] = list(policy_names)
    return client.get_paginator("describe_policies").paginate(**params).build_full_result().get("ScalingPolicies", [])
