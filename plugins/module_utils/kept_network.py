# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The network parts a teardown keeps for the data it keeps.

A teardown without data deletion keeps the database; AWS refuses to delete the subnets and the security group it
still uses (DependencyViolation). The vpc role asks atelier.infra.vpc_network to keep the subnets of the databases'
DB subnet groups (``db_subnets``, from amazon.aws.rds_instance_info's answer), the security_groups role asks
atelier.infra.ec2_security_group_set to keep the groups still in use; both modules return what they kept, which
``kept_lines`` turns into the teardown's list of what it kept and why.
"""

from collections.abc import Mapping


def db_subnets(instances):
    """{subnet id: why} of the subnets of the DB subnet groups of the DB instances (as amazon.aws.rds_instance_info
    returns them, snake_case): the subnets a removal of the network must keep while those instances exist."""
    keep = {}
    for instance in instances or []:
        if not isinstance(instance, Mapping):
            continue
        group = instance.get("db_subnet_group") or {}
        why = f"in the DB subnet group {group.get('db_subnet_group_name')} of the DB instance {instance.get('db_instance_identifier')}"
        for subnet in group.get("subnets") or []:
            subnet_id = subnet.get("subnet_identifier")
            if subnet_id:
                keep[subnet_id] = f"{keep[subnet_id]}; {why}" if subnet_id in keep else why
    return keep


def kept_lines(items, kind=None, hint=""):
    """One sentence per kept part ({"name", "id", "reason"} and "kind" unless given), as the teardown lists them:
    ``name (kind id: reason; hint)``."""
    lines = []
    for item in items or []:
        what = " ".join(str(part) for part in (kind or item.get("kind"), item.get("id")) if part)
        reason = "; ".join(str(part) for part in (item.get("reason"), hint) if part)
        lines.append(f"{item.get('name') or item.get('id')} ({what}: {reason})")
    return lines
