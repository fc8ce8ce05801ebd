"""DeleteVpc refuses a VPC with an internet gateway attached, security groups or VPC endpoints: DependencyViolation.

AWS: "You must detach or delete all gateways and resources that are associated with the VPC before you can delete
it. For example, you must terminate all instances running in the VPC, delete all security groups associated with the
VPC (except the default one), delete all route tables associated with the VPC (except the default one), and so on."
The error is ``DependencyViolation`` (HTTP 400) "The vpc 'vpc-...' has dependencies and cannot be deleted."

moto 5.2.5: ``VPCBackend.delete_vpc`` (moto/ec2/models/vpcs.py) refuses subnets, attached VPN gateways and route
tables other than the main one, but not an attached internet gateway ("TODO: Refuse to delete if there are dependent
IGW"), an egress-only internet gateway, security groups other than the default one (they are left behind, orphaned)
or VPC endpoints.

What this addition does: wraps ``VPCs.delete_vpc`` (moto/ec2/responses/vpcs.py, the DeleteVpc action) with the check
of ``_ec2_dependents.vpc_users``, before moto's own checks.

Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpc.html
"""

from moto.ec2.exceptions import DependencyViolationError
from moto.ec2.responses.vpcs import VPCs

from emulator.additions._ec2_dependents import vpc_users

_originals: dict = {}


def _delete_vpc(self):
    vpc_id = self._get_param("VpcId")
    if vpc_id in self.ec2_backend.vpcs and vpc_users(self.ec2_backend, vpc_id):
        raise DependencyViolationError(f"The vpc '{vpc_id}' has dependencies and cannot be deleted.")
    return _originals["delete_vpc"](self)


def apply() -> None:
    """Check the VPC's remaining gateways, groups and endpoints before moto deletes it."""
    _originals.setdefault("delete_vpc", VPCs.delete_vpc)
    VPCs.delete_vpc = _delete_vpc
