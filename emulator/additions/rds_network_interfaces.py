"""A DB instance's network interfaces are listed by DescribeNetworkInterfaces, as on AWS.

AWS: RDS places a requester-managed network interface in the VPC for a DB instance (in its subnet group's subnet of
its Availability Zone; for Multi-AZ also one for the standby in another zone), with the instance's VPC security
groups, ``Description`` "RDSNetworkInterface", ``RequesterId`` "amazon-rds", ``RequesterManaged`` true and
``Status`` "in-use". DescribeNetworkInterfaces lists it (filters ``subnet-id``, ``vpc-id``, ``group-id``, ...), which is
how a tool tells, before deleting anything, that a security group or subnet is still used by a database. The
interface goes when the instance is deleted.

moto 5.2.5: ``RDSBackend.create_db_instance`` (moto/rds/models.py) makes no network interface, so
DescribeNetworkInterfaces (``NetworkInterfaceBackend.get_all_network_interfaces``, moto/ec2/models/
elastic_network_interfaces.py) never shows a database: ``atelier.infra.ec2_security_group_set`` with
``state: absent`` could not see that the database's group was in use and stripped its rules before AWS (here
``ec2_security_group_dependencies``) refused to delete it.

What this addition does: ``get_all_network_interfaces`` also answers one interface per DB instance subnet in use (the
subnets ``ec2_subnet_dependencies`` counts, ``deleting`` instances included), made when first asked for and kept
with the same id while the instance uses that subnet, with the instance's current security groups. They are not in
moto's own list of interfaces, so nothing else of moto (deletes, instances) sees them.

Reference: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html
           https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html
"""

from moto.ec2.exceptions import InvalidSubnetIdError
from moto.ec2.models.elastic_network_interfaces import NetworkInterface, NetworkInterfaceBackend
from moto.ec2.utils import generic_filter

from . import _ec2_dependents

_originals: dict = {}
_STORE = "_atelier_rds_network_interfaces"
DESCRIPTION = "RDSNetworkInterface"
REQUESTER = "amazon-rds"


def _database_interfaces(backend) -> list:
    """The interfaces of the region's DB instances: (identifier, subnet id) -> NetworkInterface, kept on the backend."""
    store = backend.__dict__.setdefault(_STORE, {})
    wanted = {}
    for database in _ec2_dependents._databases(backend):
        groups = sorted(getattr(database, "vpc_security_group_ids", None) or [])
        for subnet_id in sorted(_ec2_dependents._database_subnets(database)):
            wanted[(database.db_instance_identifier, subnet_id)] = groups
    for key in [key for key in store if key not in wanted]:
        del store[key]
    for (identifier, subnet_id), groups in wanted.items():
        interface = store.get((identifier, subnet_id))
        if interface is None or sorted(group.id for group in interface._group_set) != groups:
            try:
                interface = NetworkInterface(
                    backend, subnet_id, private_ip_address=None, group_ids=groups or None, description=DESCRIPTION
                )
            except InvalidSubnetIdError:  # the subnet is gone (it can't be deleted while the instance lives)
                continue
            interface.requester_id = REQUESTER
            interface.requester_managed = True
            interface.status = "in-use"
            store[(identifier, subnet_id)] = interface
    return list(store.values())


def _get_all_network_interfaces(self, eni_ids=None, filters=None):
    interfaces = _database_interfaces(self)
    if eni_ids:
        ours = [interface for interface in interfaces if interface.id in eni_ids]
        others = [eni_id for eni_id in eni_ids if eni_id not in {interface.id for interface in ours}]
        found = _originals["get_all_network_interfaces"](self, others, filters) if others else []
        return found + generic_filter(filters, ours)
    return _originals["get_all_network_interfaces"](self, eni_ids, filters) + generic_filter(filters, interfaces)


def apply() -> None:
    """List the DB instances' network interfaces."""
    _originals.setdefault("get_all_network_interfaces", NetworkInterfaceBackend.get_all_network_interfaces)
    NetworkInterfaceBackend.get_all_network_interfaces = _get_all_network_interfaces
