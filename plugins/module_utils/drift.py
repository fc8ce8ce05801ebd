# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Drift: the stack's resources that no declaration owns (the filter atelier.infra.stack_orphans).

A tier's resources carry the tag ``atelier:tier=<tier>`` (load balancer, target group, origin secret, distribution,
launch template, Auto Scaling group, log group, security groups); its instance role and log group are also named by
the stack contract (``<prefix>-<tier>-instance``, ``/aws/ec2/<prefix>/<tier>``). Those of a tier that
``atelier_tiers`` no longer declares are orphans. What removing such a tier does to each kind (``fate``): the tier
roles with state absent remove the stateless ones, keep the log group (its data), and leave the security groups to
the security_groups role.

A tier still declared can leave resources too: those of the runtime it ran on before (its launch template and Auto
Scaling group after a move from ec2 to fargate, its ECS service after the move back) and that runtime's target group
(a target group's type cannot change). ``retired`` names them per tier, for the tier play to remove once the new
runtime runs.

A static tier (runtime ``static``, role static_site) has no load balancer: its distribution (found by its tags in
us-east-1, where the tagging API lists CloudFront) says it exists, its site bucket ``<prefix>-<tier>-site`` (its data:
kept unless the data-deletion confirmation) that it ran on ``static``, and its origin access control (untaggable) is
named like its distribution. A tier moved to ``static`` retires its load balancer (with its target groups and origin
secret) besides its former runtime; a tier moved from ``static`` retires the static runtime (its origin access
control; the distribution, same name, is the cloudfront role's now; the bucket is kept). Pure Python.
"""

import re

from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils.static_site import site_names
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import STATIC

REMOVED, KEPT, LEFT = "removed", "kept", "left"
# Resource types of ARNs -> (type in words, what removing the tier does with it).
TIER_TYPES = {
    "elasticloadbalancing:loadbalancer": ("load balancer", REMOVED),
    "elasticloadbalancing:targetgroup": ("target group", REMOVED),
    "secretsmanager:secret": ("secret", REMOVED),
    "cloudfront:distribution": ("cloudfront distribution", REMOVED),
    "ec2:launch-template": ("launch template", REMOVED),
    "autoscaling:autoScalingGroup": ("auto scaling group", REMOVED),
    "ecs:service": ("ecs service", REMOVED),
    "logs:log-group": ("log group", KEPT),
    "ec2:security-group": ("security group", LEFT),
    "s3:bucket": ("s3 bucket", KEPT),
}
# Types of which only the tier's own resource counts (by its contract name): other roles' buckets may carry the tag.
SITE_BUCKET = "s3:bucket"
DISTRIBUTION = "cloudfront:distribution"
# What a static tier's role (static_site) removes itself.
STATIC_KINDS = ("cloudfront distribution", "cloudfront origin access control")
# What the load balancer of a tier served by one (ec2, fargate) consists of, by type.
LOAD_BALANCER_TYPES = ("elasticloadbalancing:loadbalancer", "elasticloadbalancing:targetgroup", "secretsmanager:secret")
# The types the tier-removal play asks the tagging API for (one call): those of the tier's own region that say a tier
# exists (distributions are global, groups are not in the API on AWS; their tiers show by their load balancer).
LOOKUP_TYPES = [
    "elasticloadbalancing:loadbalancer",
    "elasticloadbalancing:targetgroup",
    "secretsmanager:secret",
    "ec2:launch-template",
    "ecs:service",
    "logs:log-group",
    "s3",
]
# The same for the global types, asked for in us-east-1 (the one region where the tagging API lists distributions).
GLOBAL_LOOKUP_TYPES = [DISTRIBUTION]
# The resource type that shows a tier runs (or ran) on a runtime.
RUNTIME_TYPES = {"ec2:launch-template": "ec2", "ecs:service": "fargate", SITE_BUCKET: STATIC}


def _tier_from_name(name, prefix):
    """The tier a contract name of an instance role or log group belongs to, or None."""
    p = re.escape(prefix)
    for pattern in (rf"^{p}-(?P<tier>[a-z0-9-]+)-(instance|execution|task)$", rf"^/aws/(ec2|ecs)/{p}/(?P<tier>[a-z0-9-]+)$"):
        found = re.match(pattern, str(name))
        if found:
            return found.group("tier")
    return None


def _site_bucket(resource, prefix, tier):
    """Whether a found resource is the tier's site bucket (static_site's, by the contract's name)."""
    return resource.get("resource_type") == SITE_BUCKET and str(resource.get("name") or "") == site_names(prefix, tier)["bucket"]


def orphans(found, prefix, tiers, roles=None, log_groups=None):
    """{tiers, static, served, resources: [{tier, type, name, arn, fate}], lines, retired} of the tiers found and not
    declared.

    found: tagged_resources_info's resources (the stack's tags); tiers: atelier_tiers (dicts with a name); roles and
    log_groups: names of IAM roles and log groups found by the contract's prefix (the tagging API does not list IAM
    roles). static: the undeclared tiers that ran on the static runtime (their site bucket is found), whose
    static_site role removes their distribution and origin access control; served: those with resources the other
    tier roles (cloudfront, asg_launch_template, fargate, alb) remove."""
    declared = {str(t.get("name")): t.get("runtime") or "ec2" for t in tiers or [] if isinstance(t, dict)}
    # Names the network layer owns although tagged with a subnet tier (the database and bastion groups).
    reserved = set(stack.network_names(prefix).values())
    out, static = {}, set()
    for resource in found or []:
        if not isinstance(resource, dict):
            continue
        kind = TIER_TYPES.get(resource.get("resource_type"))
        tier = (resource.get("tags") or {}).get(stack.TAG_TIER)
        name = str(resource.get("name") or "")
        if not kind or not tier or tier in declared or name in reserved:
            continue
        if resource.get("resource_type") == SITE_BUCKET:
            if not _site_bucket(resource, prefix, tier):
                continue
            static.add(tier)
        if kind[0] == "secret":
            name = re.sub(r"-[A-Za-z0-9]{6}$", "", name)
        out[(kind[0], name)] = {"tier": tier, "type": kind[0], "name": name, "arn": resource.get("arn", ""), "fate": kind[1]}
    for rtype, names, fate in (("iam role", roles, REMOVED), ("log group", log_groups, KEPT)):
        for name in names or []:
            tier = _tier_from_name(name, prefix)
            if tier and tier not in declared and (rtype, name) not in out:
                out[(rtype, name)] = {"tier": tier, "type": rtype, "name": name, "arn": "", "fate": fate}
    # A static tier's origin access control carries no tags: it goes with its distribution (named like it).
    distributions = {r["tier"] for r in out.values() if r["type"] == "cloudfront distribution"}
    for tier in sorted(static & distributions):
        control = site_names(prefix, tier)["origin_access_control"]
        out[("cloudfront origin access control", control)] = {
            "tier": tier, "type": "cloudfront origin access control", "name": control, "arn": "", "fate": REMOVED}
    resources = sorted(out.values(), key=lambda r: (r["tier"], r["type"], r["name"]))
    removed = sorted({r["tier"] for r in resources if r["fate"] == REMOVED})
    # The tiers with something the served runtimes' roles remove (their distribution aside, which static_site removes).
    served = sorted({r["tier"] for r in resources if r["fate"] == REMOVED and r["type"] not in STATIC_KINDS})
    return {"tiers": removed, "static": [t for t in removed if t in static], "served": [t for t in removed if t in served or t not in static],
            "resources": resources, "lines": lines(resources), "retired": retired(found, prefix, declared)}


def retired(found, prefix, declared):
    """{tier: {runtimes, target_groups, load_balancer}} of the declared tiers (declared: {name: runtime}) that still
    have resources of another runtime (found: tagged_resources_info's resources): the runtimes whose role must remove
    them (static: its site bucket is found), the target groups of those runtimes and, for a tier now static, whether
    its load balancer (with its target groups and origin secret) must go; tiers with nothing retired are left out."""
    out = {}
    for resource in found or []:
        if not isinstance(resource, dict):
            continue
        tier = (resource.get("tags") or {}).get(stack.TAG_TIER)
        if tier not in declared:
            continue
        runtime = declared[tier]
        names = stack.tier_names(prefix, tier, runtime if runtime in stack.TARGET_GROUPS else None)
        kind, name = resource.get("resource_type"), str(resource.get("name") or "")
        if kind == SITE_BUCKET and not _site_bucket(resource, prefix, tier):
            continue
        entry = {"runtimes": [], "target_groups": [], "load_balancer": False}
        if RUNTIME_TYPES.get(kind, runtime) != runtime:
            entry["runtimes"].append(RUNTIME_TYPES[kind])
        if runtime == STATIC:
            # No load balancer at all: the alb role's removal takes every target group and the origin secret with it.
            entry["load_balancer"] = kind in LOAD_BALANCER_TYPES
        elif kind == "elasticloadbalancing:targetgroup" and name in names["target_groups"] and name != names["target_group"]:
            entry["target_groups"].append(name)
        if entry["runtimes"] or entry["target_groups"] or entry["load_balancer"]:
            mine = out.setdefault(tier, {"runtimes": [], "target_groups": [], "load_balancer": False})
            for key in ("runtimes", "target_groups"):
                mine[key] = sorted(set(mine[key]) | set(entry[key]))
            mine["load_balancer"] = mine["load_balancer"] or entry["load_balancer"]
    return out


def lines(resources):
    """The orphans for a reader, one line each, with what removing its tier does with it."""
    words = {REMOVED: "removed with the tier", KEPT: "kept (its data)", LEFT: "left to the security_groups role"}
    return [f"tier {r['tier']}: {r['type']} {r['name']} ({words[r['fate']]})" for r in resources]
