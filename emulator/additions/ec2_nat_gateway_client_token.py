"""CreateNatGateway honours its idempotency token (``ClientToken``): a retried create returns the first NAT gateway.

AWS: CreateNatGateway takes a ``ClientToken``. Repeating the request with the same token and the same arguments
returns the NAT gateway the first request made (in its current state) instead of making another one; the same token
with other arguments is ``IdempotentParameterMismatch``. A client whose create response was lost can retry safely.

moto 5.2.5: ``NatGateways.create_nat_gateway`` (moto/ec2/responses/nat_gateways.py) ignores ``ClientToken``, so every
retry makes one more NAT gateway (and allocates one more network interface), which AWS never does.

Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html
           https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
"""

from moto.ec2.responses.nat_gateways import NatGateways

from ._client_token import idempotent

_CREATE = NatGateways.create_nat_gateway


def apply() -> None:
    """Wrap the CreateNatGateway response with the token check."""
    NatGateways.create_nat_gateway = idempotent(_CREATE)
