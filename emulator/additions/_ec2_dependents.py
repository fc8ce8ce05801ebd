"""What still uses a security group, a subnet or a VPC, across moto's backends (shared by the ``ec2_*_dependencies``
additions; not an addition itself).

Each ``*_users`` function returns a list of readable descriptions (``"DB instance app-db"``), empty when nothing uses
the resource. Only live objects count: EC2 instances not terminated, NAT gateways not deleted (``deleting`` counts),
load balancers (and those deleted less than the load balancer delete delay ago, whose network interfaces AWS has not
released yet), DB instances (``deleting`` ones too), Lambda functions with a VPC configuration, interface VPC
endpoints not deleted. moto's network interfaces are not used as such: moto leaves some behind (a deleted NAT
gateway's, for one) where AWS releases them.
"""

from moto.awslambda.models import lambda_backends
from moto.elbv2.models import elbv2_backends
from moto.rds.models import rds_backends

from emulator.additions import elbv2_load_balancer_state, rds_instance_state

_GONE_NAT_STATES = ("deleted", "failed")


def _regional(backends, account_id: str, region: str):
    """The region's backend if moto has made it already (nothing made there: nothing can use the resource)."""
    if account_id not in backends:
        return None
    account = backends[account_id]
    return account[region] if region in account.keys() else None


def _id(value) -> str:
    return getattr(value, "id", value)


def _instances(ec2_backend) -> list:
    return [instance for instance in ec2_backend.all_instances() if instance.state != "terminated"]


def _instance_groups(instance) -> set[str]:
    groups = {_id(group) for group in instance.security_groups or []}
    for interface in getattr(instance, "nics", {}).values():
        groups.update(_id(group) for group in getattr(interface, "group_set", []) or [])
    return groups


def _instance_subnets(instance) -> set[str]:
    subnets = {instance.subnet_id} if instance.subnet_id else set()
    for interface in getattr(instance, "nics", {}).values():
        subnet = getattr(interface, "subnet", None)
        if subnet is not None:
            subnets.add(_id(subnet))
    return subnets


def _load_balancers(ec2_backend) -> list:
    backend = _regional(elbv2_backends, ec2_backend.account_id, ec2_backend.region_name)
    if backend is None:
        return []
    return list(backend.load_balancers.values()) + elbv2_load_balancer_state.released(backend)


def _databases(ec2_backend) -> list:
    backend = _regional(rds_backends, ec2_backend.account_id, ec2_backend.region_name)
    if backend is None:
        return []
    rds_instance_state.settle(backend)
    return list(backend.databases.values())


def _database_subnets(database) -> set[str]:
    """The subnets of a DB instance's network interfaces: its subnet group's subnet in its Availability Zone (the
    group's first one if none is there), and for Multi-AZ one in another zone."""
    group = getattr(database, "db_subnet_group", None)
    subnets = list(getattr(group, "_subnets", None) or [])  # Subnet objects (moto's "subnets" are dicts)
    if not subnets:
        return set()
    zone = getattr(database, "availability_zone", None)
    primary = next((subnet for subnet in subnets if subnet.availability_zone == zone), subnets[0])
    used = {primary.id}
    if getattr(database, "multi_az", False):
        standby = next((subnet for subnet in subnets if subnet.availability_zone != primary.availability_zone), None)
        if standby is not None:
            used.add(standby.id)
    return used


def _functions(ec2_backend) -> list:
    backend = _regional(lambda_backends, ec2_backend.account_id, ec2_backend.region_name)
    if backend is None:
        return []
    return [function for function in backend._lambdas.all() if getattr(function, "_vpc_config", None)]


def _interface_endpoints(ec2_backend) -> list:
    return [
        endpoint
        for endpoint in getattr(ec2_backend, "vpc_end_points", {}).values()
        if str(endpoint.vpc_endpoint_type or "").lower() == "interface" and endpoint.state != "deleted"
    ]


def security_group_users(ec2_backend, group_id: str) -> list[str]:
    """What uses the security group: network interfaces of live resources and other groups' rules."""
    users = [
        f"instance {instance.id}" for instance in _instances(ec2_backend) if group_id in _instance_groups(instance)
    ]
    users += [
        f"load balancer {balancer.name}"
        for balancer in _load_balancers(ec2_backend)
        if group_id in (balancer.security_groups or [])
    ]
    users += [
        f"DB instance {database.db_instance_identifier}"
        for database in _databases(ec2_backend)
        if group_id in (getattr(database, "vpc_security_group_ids", None) or [])
    ]
    users += [
        f"Lambda function {function.function_name}"
        for function in _functions(ec2_backend)
        if group_id in (function._vpc_config.get("SecurityGroupIds") or [])
    ]
    users += [
        f"VPC endpoint {endpoint.id}"
        for endpoint in _interface_endpoints(ec2_backend)
        if group_id in (endpoint.security_group_ids or [])
    ]
    for groups in ec2_backend.groups.values():
        for group in groups.values():
            if group.id == group_id:
                continue
            for rule in list(group.ingress_rules) + list(group.egress_rules):
                if (rule.source_group or {}).get("GroupId") == group_id:
                    users.append(f"a rule of security group {group.id}")
                    break
    return users


def subnet_users(ec2_backend, subnet_id: str) -> list[str]:
    """What has network interfaces in the subnet."""
    users = [
        f"instance {instance.id}" for instance in _instances(ec2_backend) if subnet_id in _instance_subnets(instance)
    ]
    users += [
        f"NAT gateway {gateway.id}"
        for gateway in ec2_backend.nat_gateways.values()
        if gateway.subnet_id == subnet_id and gateway.state not in _GONE_NAT_STATES
    ]
    users += [
        f"load balancer {balancer.name}"
        for balancer in _load_balancers(ec2_backend)
        if subnet_id in {_id(subnet) for subnet in balancer.subnets or []}
    ]
    users += [
        f"DB instance {database.db_instance_identifier}"
        for database in _databases(ec2_backend)
        if subnet_id in _database_subnets(database)
    ]
    users += [
        f"Lambda function {function.function_name}"
        for function in _functions(ec2_backend)
        if subnet_id in (function._vpc_config.get("SubnetIds") or [])
    ]
    users += [
        f"VPC endpoint {endpoint.id}"
        for endpoint in _interface_endpoints(ec2_backend)
        if subnet_id in (endpoint.subnet_ids or [])
    ]
    return users


def vpc_users(ec2_backend, vpc_id: str) -> list[str]:
    """What DeleteVpc requires gone besides what moto checks (subnets, VPN gateways, route tables)."""
    users = [
        f"internet gateway {gateway.id}"
        for gateway in ec2_backend.internet_gateways.values()
        if gateway.vpc is not None and gateway.vpc.id == vpc_id
    ]
    users += [
        f"egress-only internet gateway {gateway.id}"
        for gateway in ec2_backend.egress_only_internet_gateways.values()
        if gateway.vpc_id == vpc_id
    ]
    users += [
        f"security group {group.id}" for group in ec2_backend.groups.get(vpc_id, {}).values() if group.name != "default"
    ]
    users += [
        f"VPC endpoint {endpoint.id}"
        for endpoint in getattr(ec2_backend, "vpc_end_points", {}).values()
        if endpoint.vpc_id == vpc_id and endpoint.state != "deleted"
    ]
    return users
