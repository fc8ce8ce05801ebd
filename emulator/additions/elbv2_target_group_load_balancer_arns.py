"""Target group ``LoadBalancerArns``: each load balancer whose listeners or rules forward to it, once.

AWS: ``TargetGroup.LoadBalancerArns`` lists "the Amazon Resource Name (ARN) of the load balancer that routes traffic
to this target group": the load balancers with a listener default action or a listener rule that forwards to the
group, each once. Deleting the listener, the rule or the load balancer removes the association, and
DescribeTargetGroups with ``LoadBalancerArn`` lists the groups of that load balancer only while they are associated.

moto 5.2.5: ``ELBv2Backend.create_listener`` and ``create_rule`` (moto/elbv2/models.py) append the load balancer's
ARN to ``FakeTargetGroup.load_balancer_arns`` for every forward action, and nothing ever removes it: two listeners
forwarding to a group list the load balancer twice, and a deleted load balancer stays listed
(community.aws ``elb_target_group_info`` and ``elb_target_group`` return the stale ARNs). ``modify_listener`` and
``modify_rule`` don't add the load balancer of a new forward action.

What this addition does: replaces ``load_balancer_arns`` with a property computed from the current listeners and
rules of the region's load balancers (what moto appends to is a throw-away list).

References: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroup.html
            https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetGroups.html
"""

from moto.elbv2.models import FakeTargetGroup, elbv2_backends


def _forward_target_group_arns(action) -> list[str]:
    data = action.data
    arns = [data["TargetGroupArn"]] if data.get("TargetGroupArn") else []
    arns += [group.get("TargetGroupArn") for group in (data.get("ForwardConfig") or {}).get("TargetGroups") or []]
    return arns


def _load_balancer_arns(self) -> list[str]:
    backend = elbv2_backends[self.account_id][self.region_name]
    arns = []
    for balancer in backend.load_balancers.values():
        for listener in balancer.listeners.values():
            for rule in listener.rules.values():
                for action in rule.actions:
                    if action.type == "forward" and self.arn in _forward_target_group_arns(action):
                        if balancer.arn not in arns:
                            arns.append(balancer.arn)
    return arns


def _ignore(_self, _value) -> None:
    """moto assigns [] in FakeTargetGroup.__init__; the property computes the list instead."""


def apply() -> None:
    """Make FakeTargetGroup.load_balancer_arns a computed property."""
    FakeTargetGroup.load_balancer_arns = property(_load_balancer_arns, _ignore)
