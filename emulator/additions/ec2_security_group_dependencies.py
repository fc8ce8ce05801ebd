"""DeleteSecurityGroup refuses a group still in use: DependencyViolation.

AWS: "If you attempt to delete a security group that is associated with an instance or network interface, or is
referenced by another security group in the same VPC, the operation fails." The error is ``DependencyViolation``
(HTTP 400) "resource sg-... has a dependent object": for a group on the network interfaces of an EC2 instance, a load
balancer (until AWS has released them, minutes after DeleteLoadBalancer), a DB instance (also while it is
``deleting``), a Lambda function in a VPC or an interface VPC endpoint, and for a group another group's rule refers
to (a group's rules that refer to itself do not count).

moto 5.2.5: ``SecurityGroupBackend.delete_security_group`` / ``_delete_security_group``
(moto/ec2/models/security_groups.py) pop the group whatever uses it (the response has a "TODO this should raise an
error if there are instances in the group").

What this addition does: wraps ``SecurityGroups.delete_security_group`` (moto/ec2/responses/security_groups.py, the
DeleteSecurityGroup action: moto's own internal deletions, such as DeleteVpc's of the default group, are left alone)
with the check of ``_ec2_dependents.security_group_users``: instances not terminated (their groups and their
network interfaces' groups), load balancers (with the ones deleted less than
``ATELIER_EMULATOR_LOAD_BALANCER_DELETE_DELAY`` ago), DB instances' ``VpcSecurityGroupIds``, Lambda functions'
``VpcConfig.SecurityGroupIds``, interface endpoints' groups and other groups' rules.

Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSecurityGroup.html
           https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html (DependencyViolation)
"""

from moto.ec2.exceptions import DependencyViolationError, InvalidSecurityGroupNotFoundError
from moto.ec2.responses.security_groups import SecurityGroups

from emulator.additions._ec2_dependents import security_group_users

_originals: dict = {}


def _delete_security_group(self):
    wanted = self._get_param("GroupId") or self._get_param("GroupName")
    group = self.ec2_backend.get_security_group_by_name_or_id(wanted) if wanted else None
    if group is None and wanted:
        raise InvalidSecurityGroupNotFoundError(wanted)
    if group is not None and security_group_users(self.ec2_backend, group.id):
        raise DependencyViolationError(f"resource {group.id} has a dependent object")
    return _originals["delete_security_group"](self)


def apply() -> None:
    """Check the group's users before moto deletes it."""
    _originals.setdefault("delete_security_group", SecurityGroups.delete_security_group)
    SecurityGroups.delete_security_group = _delete_security_group
