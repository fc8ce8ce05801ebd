"""DescribeScalingPolicies describes only the policies named in ``PolicyNames``.

AWS: DescribeScalingPolicies with ``PolicyNames`` returns only the policies of those names (of the namespace, and of
the resource id and scalable dimension when given): a name that has no policy returns none.

moto 5.2.5: ``ApplicationAutoScalingResponse.describe_scaling_policies`` (moto/applicationautoscaling/responses.py)
ignores ``PolicyNames`` and returns every policy of the resource, so community.aws.application_autoscaling_policy
compares a wanted policy with another one (and with state absent deletes a policy that does not exist, which fails).

What this addition does: with ``PolicyNames``, the response keeps the policies of those names before it takes
``MaxResults`` of them (a name filter applied to a page would miss a policy on another page).

Reference: https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScalingPolicies.html
"""

import json

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.applicationautoscaling.responses import _build_policy

_ORIGINAL = {}


def _describe_scaling_policies(self):
    names = self._get_param("PolicyNames")
    if not names:
        return _ORIGINAL["describe_scaling_policies"](self)
    _token, policies = self.applicationautoscaling_backend.describe_scaling_policies(
        service_namespace=self._get_param("ServiceNamespace"),
        resource_id=self._get_param("ResourceId"),
        scalable_dimension=self._get_param("ScalableDimension"),
        max_results=1000000,
        next_token=None,
    )
    named = [policy for policy in policies if policy.policy_name in names]
    start = int(self._get_param("NextToken") or 0)
    end = start + (self._get_int_param("MaxResults") or 100)
    return json.dumps({
        "ScalingPolicies": [_build_policy(policy) for policy in named[start:end]],
        "NextToken": str(end) if end < len(named) else None,
    })


def apply() -> None:
    """Wrap DescribeScalingPolicies with the PolicyNames filter."""
    _ORIGINAL["describe_scaling_policies"] = ApplicationAutoScalingResponse.describe_scaling_policies
    ApplicationAutoScalingResponse.describe_scaling_policies = _describe_scaling_policies
