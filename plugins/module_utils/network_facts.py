# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One network read per run: what the network layer's roles found or made in this run, shaped as the lookups of the
tier roles answer, so that a tier does not read its subnets and security groups again.

In a whole run the network layer (roles vpc and security_groups) runs on the control host before the tiers and
publishes ``vpc_outputs`` (the subnets by tier, with their ids) and ``security_groups_outputs`` (every group of the
stack, name to id). ``tier_network`` answers a tier role's two lookups from them - the subnets of one of the VPC's
tiers as ``amazon.aws.ec2_vpc_subnet_info`` answers them, the group as ``amazon.aws.ec2_security_group_info`` does -
or None when the layer did not run in this run (a run with ``--tags alb``, a role run alone) or could not give an id
(check mode on an account without the network): then the role reads them itself, as before.

Pure Python.
"""


def tier_network(vpc_outputs, security_groups_outputs, subnet_tier, group_name):
    """{subnets: {subnets: [...]}, groups: {security_groups: [...]}} for a tier's subnets (the VPC tier subnet_tier)
    and security group group_name, from this run's network layer outputs; None when they do not hold them whole."""
    if not isinstance(vpc_outputs, dict) or not isinstance(security_groups_outputs, dict):
        return None
    vpc_id = vpc_outputs.get("vpc_id")
    subnets = (vpc_outputs.get("subnets") or {}).get(subnet_tier) or []
    group_id = (security_groups_outputs.get("groups") or {}).get(group_name)
    if not vpc_id or not subnets or not group_id or not all(s.get("id") for s in subnets):
        return None
    if security_groups_outputs.get("vpc_id") not in (None, "", vpc_id):
        return None
    return {
        "subnets": {"subnets": [{"subnet_id": s["id"], "id": s["id"], "vpc_id": vpc_id, "availability_zone": s.get("az"),
                                 "cidr_block": s.get("cidr")} for s in subnets]},
        "groups": {"security_groups": [{"group_id": group_id, "group_name": group_name, "vpc_id": vpc_id}]},
    }


def tier_target_group(alb_outputs, tier_name, target_group):
    """The tier's target group as ``community.aws.elb_target_group_info`` answers its lookup by name
    ({target_groups: [{target_group_name, target_group_arn}]}), from the ``alb_outputs`` the alb role published for this
    tier in this run (on the tier's host, before the tier's runtime role); None when the alb role did not run for
    the tier in this run, names another group or has no ARN (check mode before the group exists): then the runtime
    role reads it itself."""
    if not isinstance(alb_outputs, dict) or alb_outputs.get("tier") != tier_name:
        return None
    arn = alb_outputs.get("target_group_arn") or ""
    if alb_outputs.get("target_group_name") != target_group or f":targetgroup/{target_group}/" not in arn:
        return None
    return {"target_groups": [{"target_group_name": target_group, "target_group_arn": arn}]}


def run_vpc_id(vpc_outputs, vpc_name, region):
    """The id of the VPC the vpc role converged in this run (its ``vpc_outputs``) when it is the VPC named vpc_name in
    region, else '': the security_groups role then finds its VPC by the stack's filters (one DescribeVpcs)."""
    if not isinstance(vpc_outputs, dict):
        return ""
    if vpc_outputs.get("vpc_name") != vpc_name or vpc_outputs.get("region") != region:
        return ""
    return vpc_outputs.get("vpc_id") or ""
