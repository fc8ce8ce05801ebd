"""Load balancers are ``provisioning`` for a while after CreateLoadBalancer; a deleted one holds its subnets and
security groups for a while.

AWS: CreateLoadBalancer answers ``State.Code: provisioning``; the load balancer is ``provisioning`` until ``active``,
typically a few minutes later (clients wait with the ``load_balancer_available`` waiter; amazon.aws
``elb_application_lb`` with ``wait: true``). DeleteLoadBalancer answers at once and DescribeLoadBalancers no longer
finds it, but its network interfaces are released over the next minutes: until then DeleteSecurityGroup of its
security groups and DeleteSubnet of its subnets fail with ``DependencyViolation`` (the reason teardown code retries
those).

moto 5.2.5: ``ELBv2Backend.create_load_balancer`` (moto/elbv2/models.py) makes it ``provisioning`` and the first
DescribeLoadBalancers (``FakeLoadBalancer.activate``) makes it ``active``, whatever the time; ``delete_load_balancer``
drops it at once and nothing in EC2 ever depended on it.

What this addition does: ``FakeLoadBalancer.state`` becomes a property: with
``ATELIER_EMULATOR_LOAD_BALANCER_CREATE_DELAY`` above 0 it answers ``provisioning`` until the load balancer is that
many seconds old and ``active`` from then on (a status never goes back); at 0 it is moto's (``provisioning`` in the
CreateLoadBalancer answer, ``active`` once described); ``delete_load_balancer`` is wrapped to keep the deleted load balancer, for
``ATELIER_EMULATOR_LOAD_BALANCER_DELETE_DELAY`` seconds, in a list of released ones that the EC2 dependency checks
(``ec2_security_group_dependencies``, ``ec2_subnet_dependencies``) count as still using its subnets and security
groups. Both delays default to 0 (moto's behaviour); the realistic-latency profile sets them.

Reference: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerState.html
           https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeleteLoadBalancer.html
"""

import threading
import time

from moto.elbv2.models import ELBv2Backend, FakeLoadBalancer

from emulator import knobs

CREATE_DELAY = "ATELIER_EMULATOR_LOAD_BALANCER_CREATE_DELAY"
DELETE_DELAY = "ATELIER_EMULATOR_LOAD_BALANCER_DELETE_DELAY"
RELEASED = "_atelier_released_load_balancers"

_lock = threading.Lock()
_originals: dict = {}


def released(backend: ELBv2Backend) -> list[FakeLoadBalancer]:
    """Load balancers deleted less than the delete delay ago (their network interfaces are not released yet)."""
    delay = knobs.get_float(DELETE_DELAY)
    now = time.time()
    with _lock:
        kept = [(balancer, at) for balancer, at in backend.__dict__.get(RELEASED, []) if now - at < delay]
        if RELEASED in backend.__dict__:
            backend.__dict__[RELEASED] = kept
    return [balancer for balancer, _at in kept]


def _read_state(self) -> str:
    values = self.__dict__
    stored = values.get("_atelier_state")
    if stored in ("provisioning", "active") and not values.get("_atelier_settled"):
        delay = knobs.get_float(CREATE_DELAY)
        if delay > 0:
            if time.time() - values["_atelier_created"] < delay:
                return "provisioning"
            values["_atelier_settled"] = True
            values["_atelier_state"] = stored = "active"
    return stored


def _write_state(self, value: str) -> None:
    self.__dict__.setdefault("_atelier_created", time.time())
    self.__dict__["_atelier_state"] = value


def _delete_load_balancer(self, arn: str) -> None:
    balancer = self.load_balancers.get(arn)
    _originals["delete_load_balancer"](self, arn)
    if balancer is not None and arn not in self.load_balancers and knobs.get_float(DELETE_DELAY) > 0:
        with _lock:
            self.__dict__.setdefault(RELEASED, []).append((balancer, time.time()))


def apply() -> None:
    """Time-scaled provisioning state; deleted load balancers kept as released for the delete delay."""
    FakeLoadBalancer.state = property(_read_state, _write_state)
    _originals.setdefault("delete_load_balancer", ELBv2Backend.delete_load_balancer)
    ELBv2Backend.delete_load_balancer = _delete_load_balancer
