"""DescribeNatGateways honours the ``tag:<key>`` and ``tag-key`` filters.

AWS: DescribeNatGateways filters on ``nat-gateway-id``, ``state``, ``subnet-id``, ``vpc-id``, ``tag:<key>`` and
``tag-key``; a gateway whose tags do not match is left out.

moto 5.2.5: ``NatGatewayBackend.describe_nat_gateways`` (moto/ec2/models/nat_gateways.py) applies only the first four
and ignores the tag filters, so a lookup by ``tag:Name`` (how the roles find what another role made) returned every
NAT gateway in the region.

Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNatGateways.html
"""

from moto.ec2.models.nat_gateways import NatGatewayBackend
from moto.ec2.utils import is_tag_filter, tag_filter_matches

_DESCRIBE = NatGatewayBackend.describe_nat_gateways


def _describe_nat_gateways(self, filters, nat_gateway_ids):
    """moto's describe with the filters it knows, then the tag filters."""
    filters = dict(filters or {})
    tag_filters = {name: filters.pop(name) for name in list(filters) if is_tag_filter(name)}
    gateways = _DESCRIBE(self, filters, nat_gateway_ids)
    return [
        gateway
        for gateway in gateways
        if all(tag_filter_matches(gateway, name, values) for name, values in tag_filters.items())
    ]


def apply() -> None:
    """Patch the EC2 backend's describe_nat_gateways."""
    NatGatewayBackend.describe_nat_gateways = _describe_nat_gateways
