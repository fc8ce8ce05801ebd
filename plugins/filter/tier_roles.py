# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of the tier roles (alb, cloudfront, asg_launch_template): their listeners, Auto Scaling plans, upstream URLs,
user data parts, what a tier's role may use (its grants and secrets) and input checks.

The logic is plugins/module_utils/tier_roles.py; each filter's documentation is the .yml of its name beside this file.
"""

from collections.abc import Mapping
from collections.abc import Iterable

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import tier_roles
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import plain


def _dict(value, what, name, empty_ok=False, copy=True):
    """value as a plain dict; with copy false, as it is (the read of every tier: each tier host looks up its own part
    of it at each use, and a copy of the whole each time grew with the square of the number of tiers)."""
    if empty_ok and value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise AnsibleFilterError(f"{name}: {what} must be a dict, got {type(value).__name__}")
    return plain(value) if copy else value


def _list(value, what, name):
    """value as plain data: a list (a generator, what Jinja's map gives, becomes one) or a dict (a lookup keyed by id)."""
    if value is None or isinstance(value, str) and not value:
        return []
    if isinstance(value, Mapping):
        return plain(value)
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise AnsibleFilterError(f"{name}: {what} must be a list, got {type(value).__name__}")
    return [plain(item) for item in value]


def tier_table_lookups(outputs, tables, region):
    """The granted tables' lookups from this run's dynamodb_global_outputs, or None when the role must read them."""
    return tier_roles.tier_table_lookups(_dict(outputs, "the outputs", "tier_table_lookups", empty_ok=True) if outputs else None,
                                         _list(tables, "the tables", "tier_table_lookups"), str(region))


def alb_rules_kept(found, wanted):
    """Whether the listeners found already carry exactly the rules of the listeners wanted (alb_listeners)."""
    return tier_roles.alb_rules_kept(_list(found, "the listeners found", "alb_rules_kept"), _list(wanted, "the listeners wanted", "alb_rules_kept"))


def alb_load_balancer_changes(found, settings, listeners):
    """What amazon.aws.elb_application_lb would change in the load balancer found (elb_application_lb_info): [] when
    nothing."""
    return tier_roles.alb_load_balancer_changes(_list(found, "the load balancers found", "alb_load_balancer_changes"),
                                                _dict(settings, "the settings", "alb_load_balancer_changes"),
                                                _list(listeners, "the listeners wanted", "alb_load_balancer_changes"))


def alb_listeners(tier, target_group, header_name="X-Origin-Verify", secret="", ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06"):
    """The listeners (with their rules) of the tier's ALB, as amazon.aws.elb_application_lb's listeners."""
    return tier_roles.alb_listeners(_dict(tier, "the tier", "alb_listeners"), str(target_group), str(header_name), str(secret or ""), str(ssl_policy))


def alb_errors(inputs, subnet_tiers=None):
    """What is wrong with the alb role's inputs beyond what its argument spec checks."""
    return tier_roles.alb_errors(_dict(inputs, "the inputs", "alb_errors"), plain(subnet_tiers) if subnet_tiers is not None else None)


def cloudfront_errors(inputs, subnet_tiers=None):
    """What is wrong with the cloudfront role's inputs beyond what its argument spec checks."""
    return tier_roles.cloudfront_errors(
        _dict(inputs, "the inputs", "cloudfront_errors"), plain(subnet_tiers) if subnet_tiers is not None else None
    )


def asg_launch_template_errors(inputs, subnet_tiers=None):
    """What is wrong with the asg_launch_template role's inputs beyond what its argument spec checks."""
    return tier_roles.asg_launch_template_errors(
        _dict(inputs, "the inputs", "asg_launch_template_errors"), plain(subnet_tiers) if subnet_tiers is not None else None
    )


def asg_desired_capacity(current, tier):
    """The group's desired capacity: the tier's for a new group, else the group's own moved into min..max."""
    return tier_roles.asg_desired_capacity(
        _dict(current, "the group found", "asg_desired_capacity", empty_ok=True), _dict(tier, "the tier", "asg_desired_capacity")
    )


def asg_drift(current, desired):
    """What differs between the Auto Scaling group found and the one described, one message per difference."""
    return tier_roles.asg_drift(_dict(current, "the group found", "asg_drift", empty_ok=True), _dict(desired, "the group described", "asg_drift"))


def asg_outdated_instances(current, version):
    """The instances of the group found that run another launch template version."""
    return tier_roles.asg_outdated_instances(_dict(current, "the group found", "asg_outdated_instances", empty_ok=True), version)


def asg_scaling_policies(tier, names, state="present"):
    """The three CPU scaling policies of the tier's group, each present or absent."""
    if state not in ("present", "absent"):
        raise AnsibleFilterError(f"asg_scaling_policies: state must be present or absent, got {state!r}")
    return tier_roles.asg_scaling_policies(_dict(tier, "the tier", "asg_scaling_policies"), _dict(names, "the names", "asg_scaling_policies"), state)


def asg_missing(tier, names, subnets=None, security_groups=None, target_groups=None):
    """What the tier's group needs and is not there, as words for a message."""
    return tier_roles.asg_missing(
        _dict(tier, "the tier", "asg_missing"),
        _dict(names, "the names", "asg_missing"),
        _list(subnets, "the subnets", "asg_missing"),
        _list(security_groups, "the security groups", "asg_missing"),
        _list(target_groups, "the target groups", "asg_missing"),
    )


def asg_user_data(tier, runtime, upstream_environment=None, grant_environment=None):
    """The variable parts of the tier's user data script (ECR login, secret reads, docker run --env options)."""
    return tier_roles.asg_user_data(
        _dict(tier, "the tier", "asg_user_data"),
        _dict(runtime, "the runtime", "asg_user_data"),
        _dict(upstream_environment, "the upstream environment", "asg_user_data", empty_ok=True),
        _dict(grant_environment, "the grant environment", "asg_user_data", empty_ok=True),
    )


def _prefix(prefix, name):
    if not isinstance(prefix, str) or not prefix:
        raise AnsibleFilterError(f"{name}: the name prefix must be a non-empty string, got {prefix!r}")
    return prefix


def tier_granted_tables(tier, prefix):
    """The stack's DynamoDB tables the tier is granted, each {name, table}: what the role looks up."""
    return tier_roles.tier_granted_tables(_dict(tier, "the tier", "tier_granted_tables"), _prefix(prefix, "tier_granted_tables"))


def tier_table_regions(lookups, region):
    """The regions each granted table lives in, from its lookup, and the granted tables that do not exist."""
    if not isinstance(region, str) or not region:
        raise AnsibleFilterError(f"tier_table_regions: the region must be a non-empty string, got {region!r}")
    return tier_roles.tier_table_regions(_list(lookups, "the lookups", "tier_table_regions"), region)


def tier_access(tier, prefix, account, region, partition="aws", table_regions=None, secret_arns=None):
    """The one inline policy of the tier's role (its grants with exact ARNs and its secrets) and the variables its
    grants give the container."""
    for what, value in (("account", account), ("region", region), ("partition", partition)):
        if not isinstance(value, str) or not value:
            raise AnsibleFilterError(f"tier_access: the {what} must be a non-empty string, got {value!r}")
    return tier_roles.tier_access(
        _dict(tier, "the tier", "tier_access"),
        _prefix(prefix, "tier_access"),
        account,
        region,
        partition,
        _dict(table_regions, "the table regions", "tier_access", empty_ok=True),
        _list(secret_arns, "the secret ARNs", "tier_access"),
    )


def tier_upstreams(tier, tiers, prefix):
    """The tiers the tier calls, with their <TIER>_URL variable and the names of their ALB and distribution."""
    return tier_roles.tier_upstreams(
        _dict(tier, "the tier", "tier_upstreams"), _list(tiers, "the tiers", "tier_upstreams"), _prefix(prefix, "tier_upstreams")
    )


def tier_upstream_environment(upstreams, load_balancers=None, distributions=None):
    """The <TIER>_URL variables of the upstream tiers from the load balancers and distributions found, and the
    upstreams that do not exist yet."""
    return tier_roles.tier_upstream_environment(
        _list(upstreams, "the upstreams", "tier_upstream_environment"),
        _list(load_balancers, "the load balancers", "tier_upstream_environment"),
        _list(distributions, "the distributions", "tier_upstream_environment"),
    )


def tier_upstream_distributions(upstreams, given=None, listed=None):
    """The distributions of the upstream tiers behind CloudFront from this run's cloudfront_outputs (given) and the
    ones listed, as tier_upstream_environment takes them, and the upstreams' distributions neither gives."""
    return tier_roles.tier_upstream_distributions(
        _list(upstreams, "the upstreams", "tier_upstream_distributions"),
        _list(given, "the distributions given", "tier_upstream_distributions"),
        _list(listed, "the distributions listed", "tier_upstream_distributions"),
    )


def run_distributions(hostvars, hosts):
    """The cloudfront_outputs of the hosts that have one in hostvars: the distributions this run converged."""
    if not isinstance(hostvars, Mapping):
        raise AnsibleFilterError(f"run_distributions: hostvars must be a dict, got {type(hostvars).__name__}")
    return [plain(d) for d in tier_roles.run_distributions(hostvars, _list(hosts, "the hosts", "run_distributions"))]


def tier_values_read(tiers, prefix, roles=None):
    """The options of atelier.infra.aws_values_info that read first, in one run, what the tier roles keep for every
    tier of tiers (a list, or one tier)."""
    if isinstance(tiers, Mapping):
        tiers = [tiers]
    tiers = _list(tiers, "the tiers", "tier_values_read")
    if not all(isinstance(t, Mapping) and t.get("name") for t in tiers):
        raise AnsibleFilterError("tier_values_read: each tier is a dict with a name")
    if isinstance(roles, str):
        roles = [roles]
    try:
        return tier_roles.tier_values_read(tiers, str(prefix), tuple(roles or tier_roles.VALUES_READ_ROLES))
    except ValueError as e:
        raise AnsibleFilterError(f"tier_values_read: {e}") from e


def tagged_distribution_id(resources, name):
    """The id of the one distribution tagged Name=name among tagged_resources_info's resources, else ''."""
    return tier_roles.tagged_distribution_id(_list(resources, "the tagged resources", "tagged_distribution_id"), str(name))


def alb_found(values, names):
    """The tier's target group and load balancer from a read of every tier, as the info modules register them, or None."""
    if values is None:
        return None
    found = tier_roles.alb_found(_dict(values, "the values read", "alb_found", copy=False), _dict(names, "the names", "alb_found"))
    return None if found is None else plain(found)


def aws_values_cover(values, read):
    """values when it answers every name of read (tier_values_read's options), else None."""
    result = tier_roles.aws_values_cover(_dict(values, "the values read", "aws_values_cover", empty_ok=True, copy=False),
                                         _dict(read, "what the role reads", "aws_values_cover"))
    return None if result is None else values


class FilterModule:
    """Tier role filters."""

    def filters(self):
        return {
            "alb_listeners": alb_listeners,
            "alb_rules_kept": alb_rules_kept,
            "alb_load_balancer_changes": alb_load_balancer_changes,
            "tier_table_lookups": tier_table_lookups,
            "alb_errors": alb_errors,
            "cloudfront_errors": cloudfront_errors,
            "asg_launch_template_errors": asg_launch_template_errors,
            "asg_desired_capacity": asg_desired_capacity,
            "asg_drift": asg_drift,
            "asg_outdated_instances": asg_outdated_instances,
            "asg_scaling_policies": asg_scaling_policies,
            "asg_missing": asg_missing,
            "asg_user_data": asg_user_data,
            "tier_upstreams": tier_upstreams,
            "tier_upstream_environment": tier_upstream_environment,
            "tier_upstream_distributions": tier_upstream_distributions,
            "run_distributions": run_distributions,
            "tier_granted_tables": tier_granted_tables,
            "tier_table_regions": tier_table_regions,
            "tier_access": tier_access,
            "tier_values_read": tier_values_read,
            "aws_values_cover": aws_values_cover,
            "alb_found": alb_found,
            "tagged_distribution_id": tagged_distribution_id,
        }
