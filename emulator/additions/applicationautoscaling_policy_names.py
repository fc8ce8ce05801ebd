"""DescribeScalingPolicies describes only the policies named in ``PolicyNames``.

AWS: DescribeScalingPolicies with ``PolicyNames`` returns only the policies of those names (of the namespace, and of
the resource id and scalable dimension when given): a name that has no policy returns none.

moto 5.2.5: ``ApplicationAutoScalingResponse.describe_scaling_policies`` (moto/applicationautoscaling/responses.py)
ignores ``PolicyNames`` and returns every policy of the resource, so community.aws.application_autoscaling_policy
compares a wanted policy with another one (and with state absent deletes a policy that does not exist, which fails).

What this addition does: wraps the response; with ``PolicyNames`` it keeps the policies of those names.

Reference: https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScalingPolicies.html
"""

import json

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse

_ORIGINAL = {}


def _describe_scaling_policies(self):
    body = _ORIGINAL["describe_scaling_policies"](self)
    names = self._get_param("PolicyNames")
    if not names:
        return body
    answer = json.loads(body)
    answer["ScalingPolicies"] = [p for p in answer.get("ScalingPolicies", []) if p.get("PolicyName") in names]
    return json.dumps(answer)


def apply() -> None:
    """Wrap DescribeScalingPolicies with the PolicyNames filter."""
    _ORIGINAL["describe_scaling_policies"] = ApplicationAutoScalingResponse.describe_scaling_policies
    ApplicationAutoScalingResponse.describe_scaling_policies = _describe_scaling_policies
