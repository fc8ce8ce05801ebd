"""DescribeLoadBalancers fails when any of the names or ARNs asked for does not exist.

AWS: DescribeLoadBalancers with ``Names`` (or ``LoadBalancerArns``) answers ``LoadBalancerNotFound`` (400) when one
of them names no load balancer, even if the others exist; it never returns a partial list.

moto 5.2.5 (moto/elbv2/models.py, ``ELBv2Backend.describe_load_balancers``): the loop keeps ``matched_balancer`` from
the previous name or ARN, so a missing name after one that exists is silently left out and the others are returned;
only a missing first name fails. A caller that falls back when the lookup fails (as the monitoring role does for a
tier whose ALB does not exist yet) is then never exercised.

What this addition does: wraps ``describe_load_balancers`` to raise ``LoadBalancerNotFound`` when any name or ARN
given matches no load balancer, before calling moto's.

Reference: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeLoadBalancers.html
"""

from typing import Any

from moto.elbv2.exceptions import LoadBalancerNotFoundError
from moto.elbv2.models import ELBv2Backend

_originals: dict = {}


def _describe_load_balancers(self: ELBv2Backend, arns: Any, names: Any) -> Any:
    balancers = list(self.load_balancers.values())
    known_arns = {balancer.arn for balancer in balancers}
    known_names = {balancer.name for balancer in balancers}
    if any(arn not in known_arns for arn in arns or []) or any(name not in known_names for name in names or []):
        raise LoadBalancerNotFoundError()
    return _originals["describe_load_balancers"](self, arns, names)


def apply() -> None:
    """Wrap moto's describe_load_balancers."""
    _originals["describe_load_balancers"] = ELBv2Backend.describe_load_balancers
    ELBv2Backend.describe_load_balancers = _describe_load_balancers
