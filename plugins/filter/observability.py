# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of plugins/module_utils/observability.py: the stack's scaling-events rule and alarm topic policy, a tier's
CloudWatch agent configuration and container health parts of its user data, and service roles' trust policies, and the rules of the web ACLs.

The documentation of each filter is beside this file (monitoring_scaling_events.yml, asg_observability.yml,
service_trust_policy.yml, web_acl_rules.yml).
"""

import json
from collections.abc import Mapping
from collections.abc import Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import observability
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import plain


def monitoring_scaling_events(resources, inputs, caller=None):
    """The scaling-events rule of the stack's EC2 tiers (amazon.aws.cloudwatchevent_rule's options) and the alarm
    topic's policy, from tagged_resources_info's resources (their ARNs give the account) or the caller's identity."""
    if isinstance(resources, (str, bytes)) or not isinstance(resources, Sequence):
        raise AnsibleFilterError(f"monitoring_scaling_events: expected tagged_resources_info's resources, got {type(resources).__name__}")
    if not isinstance(inputs, Mapping) or not all(k in inputs for k in ("monitoring_name_prefix", "monitoring_tiers", "monitoring_region")):
        raise AnsibleFilterError("monitoring_scaling_events: the inputs are a dict of the monitoring_* variables "
                                 "(monitoring_name_prefix, monitoring_tiers, monitoring_region)")
    inputs = plain(inputs)
    arns = [r.get("arn", "") for r in plain(resources) if isinstance(r, Mapping)]
    partition, account = observability.account_of(arns, plain(caller) if isinstance(caller, Mapping) else None)
    result = observability.scaling_events(inputs["monitoring_name_prefix"], inputs["monitoring_tiers"],
                                          inputs["monitoring_region"], partition, account)
    result["account"] = account
    return result


def asg_observability(tier, prefix):
    """A tier's CloudWatch agent configuration (``agent_config``, JSON text for SSM Parameter Store, and
    ``agent_parameter``, its name) and the user data's container health parts (``health_options``, ``watchdog``,
    ``agent``)."""
    if not isinstance(tier, Mapping) or not tier.get("name"):
        raise AnsibleFilterError(f"asg_observability: expected a tier (a dict with a name), got {type(tier).__name__}")
    tier = plain(tier)
    result = observability.container_health(tier, str(prefix))
    result["agent_config"] = json.dumps(observability.cloudwatch_agent_config(tier, str(prefix)), sort_keys=True)
    return result


def service_trust_policy(service, account="", partition="aws", region="", source_arn=None):
    """The trust policy of a role the service assumes, with aws:SourceAccount / aws:SourceArn where AWS documents
    them for that service."""
    try:
        return observability.service_trust_policy(str(service), str(account or ""), str(partition or "aws"),
                                                  str(region or ""), source_arn or None)
    except ValueError as e:
        raise AnsibleFilterError(f"service_trust_policy: {e}") from e


def web_acl_rules(rate_limit):
    """The rules of the collection's web ACLs: AWS's managed common rule set, then a rate limit per IP address."""
    try:
        return observability.web_acl_rules(rate_limit)
    except ValueError as e:
        raise AnsibleFilterError(f"web_acl_rules: {e}") from e


class FilterModule:
    """Observability and trust filters."""

    def filters(self):
        return {
            "monitoring_scaling_events": monitoring_scaling_events,
            "asg_observability": asg_observability,
            "service_trust_policy": service_trust_policy,
            "web_acl_rules": web_acl_rules,
        }
