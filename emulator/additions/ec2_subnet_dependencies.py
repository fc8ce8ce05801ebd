"""DeleteSubnet refuses a subnet that still has network interfaces: DependencyViolation.

AWS: "You must terminate all running instances in the subnet before you can delete the subnet." More generally the
subnet cannot be deleted while any network interface is in it: an EC2 instance's, a NAT gateway's (until it is
``deleted``), a load balancer's (until AWS has released them, minutes after DeleteLoadBalancer), a DB instance's (its
subnet group's subnet in its zone, and the standby's for Multi-AZ; also while ``deleting``), a Lambda function's in a
VPC, an interface VPC endpoint's. The error is ``DependencyViolation`` (HTTP 400) "The subnet 'subnet-...' has
dependencies and cannot be deleted."

moto 5.2.5: ``SubnetBackend.delete_subnet`` (moto/ec2/models/subnets.py) pops the subnet whatever is in it.

What this addition does: wraps ``Subnets.delete_subnet`` (moto/ec2/responses/subnets.py, the DeleteSubnet action)
with the check of ``_ec2_dependents.subnet_users``.

Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSubnet.html
           https://docs.aws.amazon.com/vpc/latest/userguide/subnet-deleting.html
"""

from moto.ec2.exceptions import DependencyViolationError
from moto.ec2.responses.subnets import Subnets

from emulator.additions._ec2_dependents import subnet_users

_originals: dict = {}


def _delete_subnet(self):
    subnet_id = self._get_param("SubnetId")
    if subnet_id and subnet_users(self.ec2_backend, subnet_id):
        raise DependencyViolationError(f"The subnet '{subnet_id}' has dependencies and cannot be deleted.")
    return _originals["delete_subnet"](self)


def apply() -> None:
    """Check the subnet's users before moto deletes it."""
    _originals.setdefault("delete_subnet", Subnets.delete_subnet)
    Subnets.delete_subnet = _delete_subnet
