"""CreateVpcEndpoint honours its idempotency token (``ClientToken``): a retried create returns the first endpoint.

AWS: CreateVpcEndpoint takes a ``ClientToken``. Repeating the request with the same token and the same arguments
returns the endpoint the first request made instead of making another one; the same token with other arguments is
``IdempotentParameterMismatch``.

moto 5.2.5: ``VPCs.create_vpc_endpoint`` (moto/ec2/responses/vpcs.py) passes the token to
``VPCBackend.create_vpc_endpoint`` (moto/ec2/models/vpcs.py), which only stores it on the endpoint: every retry makes
one more endpoint.

Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html
           https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
"""

from moto.ec2.responses.vpcs import VPCs

from ._client_token import idempotent

_CREATE = VPCs.create_vpc_endpoint


def apply() -> None:
    """Wrap the CreateVpcEndpoint response with the token check."""
    VPCs.create_vpc_endpoint = idempotent(_CREATE)
