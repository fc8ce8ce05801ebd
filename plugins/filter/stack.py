# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The stack contract as filters: names, tags and lookup filters every role derives from the stack's identity.

The logic is plugins/module_utils/stack.py; the documentation of each filter is beside this file
(stack_names.yml, stack_tags.yml, stack_filters.yml, stack_errors.yml, stack_summary.yml, stack_kept.yml).
"""

from collections.abc import Mapping
from collections.abc import Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils import summary


def stack_names(prefix, tier=None, runtime=None):
    """Every name the stack contract derives from the name prefix (and the tier's, when given, with its runtime's
    target group)."""
    if not isinstance(prefix, str) or not prefix:
        raise AnsibleFilterError(f"stack_names: the name prefix must be a non-empty string, got {prefix!r}")
    try:
        return stack.stack_names(prefix, tier, runtime)
    except ValueError as e:
        raise AnsibleFilterError(f"stack_names: {e}") from e


def stack_tags(env, stack_name, *extra, name=None, tier=None):
    """The stack's ownership tags (atelier:env, atelier:stack) over the extra tag dicts, plus Name and atelier:tier."""
    for more in extra:
        if more and not isinstance(more, Mapping):
            raise AnsibleFilterError(f"stack_tags: extra tags must be dicts, got {type(more).__name__}")
    return stack.stack_tags(env, stack_name, *extra, name=name, tier=tier)


def stack_filters(env, stack_name, **more):
    """EC2-style describe filters selecting the stack's resources (and a tier's, a Name, any other filter)."""
    return stack.ec2_filters(env, stack_name, **more)


def stack_errors(env, stack_name, prefix=None, region=None, retries=None):
    """What is wrong with the stack's identity (atelier_env, atelier_stack, atelier_name_prefix), its region
    (atelier_region) and its retry settings (atelier_aws_retries)."""
    return stack.stack_errors(env, stack_name, prefix, region, retries)


def stack_resources(prefix, dynamodb_table=None, rds=False, env=None, buckets=None, queues=None, topics=None, tiers=None):
    """What the stack creates that a tier may be granted: {prefix, env, resources: {kind: [logical names]}}, the
    argument tier_errors checks the tiers' grants and secrets (and prod's rules) against. buckets, queues, topics: the
    stack's declared stores (atelier_buckets, atelier_queues, atelier_topics: lists of dicts with a name); tiers: the
    stack's tiers (atelier_tiers), whose static tiers' buckets may be granted too."""
    for what, value in (("buckets", buckets), ("queues", queues), ("topics", topics), ("tiers", tiers)):
        if value is not None and (isinstance(value, (str, Mapping)) or not isinstance(value, Sequence)):
            raise AnsibleFilterError(f"stack_resources: {what} must be a list of declarations (dicts with a name), got {value!r}")
    resources = stack.stack_resources(dynamodb_table or None, bool(rds), buckets, queues, topics, tiers)
    return {"prefix": prefix, "env": env, "resources": resources}


def stack_summary(hostvars, hosts, header=""):
    """The end-of-run summary: header, then the summary lines of every <role>_outputs of the hosts, in layer order."""
    return summary.stack_summary(hostvars, hosts, header)


def stack_kept(hostvars, hosts):
    """What a teardown kept and why: every <role>_kept list of the hosts."""
    return summary.stack_kept(hostvars, hosts)


class FilterModule:
    """Stack contract filters."""

    def filters(self):
        return {
            "stack_names": stack_names,
            "stack_tags": stack_tags,
            "stack_filters": stack_filters,
            "stack_errors": stack_errors,
            "stack_summary": stack_summary,
            "stack_resources": stack_resources,
            "stack_kept": stack_kept,
        }
