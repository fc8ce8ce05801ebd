"""EC2 DescribeTags reports and filters on the AWS resource type names (``natgateway``, ``elastic-ip``, ...).

AWS: every ``TagDescription`` that DescribeTags returns carries ``ResourceType`` from the EC2 ``ResourceType``
enum, and the ``resource-type`` filter takes the same names: a NAT gateway is ``natgateway``, an Elastic IP
``elastic-ip``, a flow log ``vpc-flow-log``, a managed prefix list ``prefix-list``.

moto 5.2.5: ``TagBackend.describe_tags`` (moto/ec2/models/tags.py) derives the type from ``EC2_PREFIX_TO_RESOURCE``
(moto/ec2/utils.py, ``EC2_RESOURCE_TO_PREFIX`` reversed), moto's own id-prefix table, whose names differ from the
enum for several taggable resources: ``nat-gateway``, ``vpc-elastic-ip``, ``flow-logs``, ``managed-prefix-list``,
``dedicated_host``, ``spot-instance-request``, ``reserved-instance``. So DescribeTags returned
``ResourceType: nat-gateway`` and, filtered on ``resource-type=natgateway``, nothing: amazon.aws
``ec2_vpc_nat_gateway`` (``ensure_ec2_tags(..., resource_type="natgateway")``) saw no tags and re-tagged the
gateway on every run (changed=true); ``ec2_eip`` (``resource_type="elastic-ip"``) did the same.

This addition gives the tag backend the id prefix to AWS resource type table.

Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTags.html
           https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TagDescription.html
"""

import moto.ec2.models.tags as ec2_tags
from moto.ec2.utils import EC2_PREFIX_TO_RESOURCE

# moto id prefix -> AWS ResourceType, where moto's name for the resource is not the AWS one.
AWS_RESOURCE_TYPES = {
    "nat": "natgateway",
    "eipalloc": "elastic-ip",
    "fl": "vpc-flow-log",
    "pl": "prefix-list",
    "h": "dedicated-host",
    "sir": "spot-instances-request",
    "uuid4": "reserved-instances",
}


def apply() -> None:
    """Make describe_tags use the AWS resource type names (the module global it reads at call time)."""
    ec2_tags.EC2_PREFIX_TO_RESOURCE = {**EC2_PREFIX_TO_RESOURCE, **AWS_RESOURCE_TYPES}
