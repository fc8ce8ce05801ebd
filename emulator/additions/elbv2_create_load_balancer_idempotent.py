"""CreateLoadBalancer is idempotent by name: the same settings answer the existing load balancer, other settings are
DuplicateLoadBalancerName.

AWS: "This operation is idempotent, which means that it completes at most one time. If you attempt to create
multiple load balancers with the same settings, each call succeeds." A load balancer of the same name with other
settings (type, scheme, subnets, security groups, IP address type) is ``DuplicateLoadBalancerName`` (HTTP 400) "A load
balancer with the same name '<name>' exists, but with different settings". This is what makes a retried
CreateLoadBalancer (a lost response, see ``emulator.faults``) harmless.

moto 5.2.5: ``ELBv2Backend.create_load_balancer`` (moto/elbv2/models.py) builds the ARN from a random id, so its
``DuplicateLoadBalancerName`` check (ARN already known) never fires: every call makes another load balancer of the
same name.

What this addition does: wraps ``create_load_balancer``: with a load balancer of that name in the region, it answers
that one when the settings are the same (tags are not applied again), else raises ``DuplicateLoadBalancerName``.

Reference: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
"""

from moto.elbv2.exceptions import DuplicateLoadBalancerName
from moto.elbv2.models import ELBv2Backend

_originals: dict = {}
DEFAULT_SCHEME = "internet-facing"
DEFAULT_TYPE = "application"


def _settings(balancer_type, scheme, subnets, security_groups, ip_address_type) -> tuple:
    return (
        balancer_type or DEFAULT_TYPE,
        scheme or DEFAULT_SCHEME,
        frozenset(subnets),
        frozenset(security_groups or []),
        ip_address_type or "ipv4",
    )


def _create_load_balancer(
    self,
    name,
    security_groups,
    subnet_ids,
    subnet_mappings=None,
    scheme=DEFAULT_SCHEME,
    loadbalancer_type=None,
    ip_address_type="ipv4",
    tags=None,
):
    existing = next((balancer for balancer in self.load_balancers.values() if balancer.name == name), None)
    if existing is not None:
        wanted = _settings(
            loadbalancer_type,
            scheme,
            list(subnet_ids or []) + [mapping["SubnetId"] for mapping in subnet_mappings or []],
            security_groups,
            ip_address_type,
        )
        current = _settings(
            existing.type,
            existing.scheme,
            [subnet.id for subnet in existing.subnets],
            existing.security_groups,
            existing.ip_address_type,
        )
        if wanted == current:
            return existing
        raise DuplicateLoadBalancerName(
            f"A load balancer with the same name '{name}' exists, but with different settings"
        )
    return _originals["create_load_balancer"](
        self,
        name=name,
        security_groups=security_groups,
        subnet_ids=subnet_ids,
        subnet_mappings=subnet_mappings,
        scheme=scheme,
        loadbalancer_type=loadbalancer_type,
        ip_address_type=ip_address_type,
        tags=tags,
    )


def apply() -> None:
    """Make CreateLoadBalancer idempotent by name."""
    _originals.setdefault("create_load_balancer", ELBv2Backend.create_load_balancer)
    ELBv2Backend.create_load_balancer = _create_load_balancer
