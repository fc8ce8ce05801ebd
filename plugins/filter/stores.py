# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of the stores role: the checks of its inputs, its declared buckets, queues and topics as the modules take
them, and what it publishes.

The logic is plugins/module_utils/stores_role.py; the documentation of each filter is beside this file
(stores_errors.yml, stores_declared.yml, stores_plan.yml, stores_outputs.yml, stores_kept.yml).
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import stores_role
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import plain


def _inputs(name, inputs):
    if not isinstance(inputs, Mapping):
        raise AnsibleFilterError(f"{name}: the role's inputs are a dict of stores_* names to values, got {type(inputs).__name__}")
    return plain(inputs)


def stores_errors(inputs):
    """What is wrong with the stores role's inputs; empty when all is well."""
    return stores_role.errors(_inputs("stores_errors", inputs))


def stores_declared(inputs, env, stack_name, partition="aws", account="", region=""):
    """The declared stores as the modules take them: {buckets, queues, topics} (checked inputs only); partition,
    account and region make their ARNs."""
    inputs = _inputs("stores_declared", inputs)
    mistakes = stores_role.errors(inputs)
    if mistakes:
        raise AnsibleFilterError("stores_declared: " + "; ".join(mistakes))
    return {
        "buckets": stores_role.buckets(inputs, env, stack_name, partition),
        "queues": stores_role.queues(inputs, env, stack_name, partition, str(account), region),
        "topics": stores_role.topics(inputs, env, stack_name, partition, str(account), region),
    }


def stores_plan(declared, existing_topic_arns):
    """The plan's records of the topics check mode would create (the role skips community.aws.sns_topic for them)."""
    if not isinstance(declared, Mapping):
        raise AnsibleFilterError("stores_plan: expected the declared stores (atelier.infra.stores_declared)")
    return stores_role.plan(plain(declared.get("topics") or []), plain(existing_topic_arns or []))


def stores_outputs(declared, region=""):
    """stores_outputs: names, ARNs and URLs by logical name, and the summary lines."""
    if not isinstance(declared, Mapping):
        raise AnsibleFilterError("stores_outputs: expected the declared stores (atelier.infra.stores_declared)")
    return stores_role.outputs(plain(declared), str(region))


def stores_kept(bucket_results, delete_data=False):
    """stores_kept: the buckets a teardown keeps because they hold objects."""
    return stores_role.kept(plain(bucket_results or []), bool(delete_data))


class FilterModule:
    """stores role filters."""

    def filters(self):
        return {
            "stores_errors": stores_errors,
            "stores_declared": stores_declared,
            "stores_plan": stores_plan,
            "stores_outputs": stores_outputs,
            "stores_kept": stores_kept,
        }
