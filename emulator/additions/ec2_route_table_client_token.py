"""CreateRouteTable honours its idempotency token (``ClientToken``): a retried create returns the first route table.

AWS: CreateRouteTable takes a ``ClientToken``. Repeating the request with the same token and the same arguments
returns the route table the first request made instead of making another one; the same token with other arguments
is ``IdempotentParameterMismatch``.

moto 5.2.5: ``RouteTables.create_route_table`` (moto/ec2/responses/route_tables.py) ignores ``ClientToken``, so every
retry makes one more route table: the duplicate that amazon.aws ``ec2_vpc_route_table`` (``lookup: tag``) then
refuses forever with "Tags provided do not identify a unique route table".

Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRouteTable.html
           https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
"""

from moto.ec2.responses.route_tables import RouteTables

from ._client_token import idempotent

_CREATE = RouteTables.create_route_table


def apply() -> None:
    """Wrap the CreateRouteTable response with the token check."""
    RouteTables.create_route_table = idempotent(_CREATE)
