"""NAT gateways are ``pending`` for a while after CreateNatGateway and ``deleting`` for a while after DeleteNatGateway.

AWS: CreateNatGateway answers ``State: pending``; the gateway is ``pending`` ("being created and is not ready to
process traffic") until it is ``available``, typically a minute or two later. DeleteNatGateway puts it in ``deleting``
("in the process of being terminated and may still be processing traffic"), then ``deleted``. Clients wait with the
``nat_gateway_available`` / ``nat_gateway_deleted`` waiters (amazon.aws ``ec2_vpc_nat_gateway`` with ``wait: true``).

moto 5.2.5: ``NatGateway.__init__`` (moto/ec2/models/nat_gateways.py) sets ``state = "available"`` and
``NatGatewayBackend.delete_nat_gateway`` sets ``"deleted"``: both at once.

What this addition does: ``NatGateway.state`` becomes a property that stores what moto assigns and answers ``pending``
while the gateway is younger than ``ATELIER_EMULATOR_NAT_GATEWAY_CREATE_DELAY`` seconds and ``deleting`` for
``ATELIER_EMULATOR_NAT_GATEWAY_DELETE_DELAY`` seconds after the deletion (both default 0: moto's behaviour; the
realistic-latency profile sets them, see ``emulator.latency``). Computed when read, so DescribeNatGateways (and its
``state`` filter) and CreateNatGateway's answer follow the clock.

Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NatGateway.html
           https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html
           https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteNatGateway.html
"""

from moto.ec2.models.nat_gateways import NatGateway

from emulator.additions._lifecycle import timed_status

CREATE_DELAY = "ATELIER_EMULATOR_NAT_GATEWAY_CREATE_DELAY"
DELETE_DELAY = "ATELIER_EMULATOR_NAT_GATEWAY_DELETE_DELAY"


def apply() -> None:
    """Replace NatGateway.state with the time-scaled property."""
    NatGateway.state = timed_status("state", CREATE_DELAY, "pending", "available", DELETE_DELAY, "deleting", "deleted")
