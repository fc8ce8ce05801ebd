# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How the roles reach AWS: the module_defaults of group/atelier.infra.stack (connection, region, botocore retries),
why a hidden task failed, and what keeping a secret, an SSM parameter, an SNS topic, an EventBridge rule or a launch
template would change.

The logic is plugins/module_utils/aws_retry.py, plugins/module_utils/failures.py and plugins/module_utils/aws_values.py;
the documentation of each filter is beside this file (aws_module_defaults.yml, aws_failure.yml, secret_changes.yml,
parameter_changes.yml, topic_changes.yml, event_rule_changes.yml, launch_template_changes.yml).
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import aws_retry
from ansible_collections.atelier.infra.plugins.module_utils import aws_values
from ansible_collections.atelier.infra.plugins.module_utils import failures
from ansible_collections.atelier.infra.plugins.module_utils import tier_spec


def aws_module_defaults(aws, region=None, retries=None):
    """atelier_aws plus region and aws_config.retries (from atelier_aws_retries), for a role's module_defaults."""
    try:
        return aws_retry.module_defaults(aws, region, retries)
    except ValueError as e:
        raise AnsibleFilterError(f"aws_module_defaults: {e}") from e


def aws_failure(result, module, action, secrets=None):
    """One line saying why a hidden task failed (module, action, AWS error code and message), without the secrets."""
    return failures.failure_reason(result, module, action, secrets or ())


def secret_changes(details, tags=None):
    """What community.aws.secretsmanager_secret (overwrite false) would change in a secret aws_values_info described."""
    if details is not None and not isinstance(details, dict):
        raise AnsibleFilterError(f"secret_changes: expected a secret's details (a dict) or none, got {type(details).__name__}")
    if tags is not None and not isinstance(tags, dict):
        raise AnsibleFilterError(f"secret_changes: expected the tags as a dict, got {type(tags).__name__}")
    return aws_values.secret_changes(details, tags)


def parameter_changes(read, name, value, description="", string_type="String", tags=None):
    """What community.aws.ssm_parameter (overwrite_value changed) would change in the parameter name, from what
    aws_values_info read of it (with parameter_details)."""
    if not isinstance(read, dict):
        raise AnsibleFilterError(f"parameter_changes: expected the result of atelier.infra.aws_values_info, got {type(read).__name__}")
    if tags is not None and not isinstance(tags, dict):
        raise AnsibleFilterError(f"parameter_changes: expected the tags as a dict, got {type(tags).__name__}")
    details = (read.get("parameter_details") or {}).get(name)
    current = (read.get("parameters") or {}).get(name)
    return aws_values.parameter_changes(details, current, value, description, string_type, tags)


def _read(name, read):
    if not isinstance(read, dict):
        raise AnsibleFilterError(f"{name}: expected the result of atelier.infra.aws_values_info, got {type(read).__name__}")


def topic_changes(read, arn, policy=None, subscriptions=None, tags=None):
    """What community.aws.sns_topic (purge_subscriptions, purge_tags) would change in the topic arn, from what
    aws_values_info read of it (with topics)."""
    _read("topic_changes", read)
    if policy is not None and not isinstance(policy, dict):
        raise AnsibleFilterError(f"topic_changes: expected the policy as a dict, got {type(policy).__name__}")
    if not isinstance(subscriptions or [], list) or not all(isinstance(s, dict) and {"protocol", "endpoint"} <= set(s) for s in subscriptions or []):
        raise AnsibleFilterError("topic_changes: expected the subscriptions as a list of {protocol, endpoint}")
    if tags is not None and not isinstance(tags, dict):
        raise AnsibleFilterError(f"topic_changes: expected the tags as a dict, got {type(tags).__name__}")
    return aws_values.topic_changes((read.get("topic_details") or {}).get(arn), policy, subscriptions, tags)


def event_rule_changes(read, rule):
    """What amazon.aws.cloudwatchevent_rule would change in the rule rule.name, from what aws_values_info read of it
    (with event_rules)."""
    _read("event_rule_changes", read)
    if not isinstance(rule, dict) or not rule.get("name"):
        raise AnsibleFilterError("event_rule_changes: expected the rule as a dict with its name")
    if rule.get("state", "present") not in ("present", "disabled", "absent"):
        raise AnsibleFilterError(f"event_rule_changes: state must be present, disabled or absent, got {rule.get('state')}")
    return aws_values.event_rule_changes((read.get("event_rule_details") or {}).get(rule["name"]), rule)


def launch_template_changes(read, name, options, description="", tags=None, instance_profile_arn=""):
    """What amazon.aws.ec2_launch_template (default_version latest, purge_tags) would change in the template name, from
    what aws_values_info read of it (with launch_templates)."""
    _read("launch_template_changes", read)
    if not isinstance(options, dict):
        raise AnsibleFilterError(f"launch_template_changes: expected the template options as a dict, got {type(options).__name__}")
    if tags is not None and not isinstance(tags, dict):
        raise AnsibleFilterError(f"launch_template_changes: expected the tags as a dict, got {type(tags).__name__}")
    details = (read.get("launch_template_details") or {}).get(name)
    return aws_values.launch_template_changes(tier_spec.plain(details), tier_spec.plain(options), description, tags, instance_profile_arn or "")


class FilterModule:
    """AWS access filters."""

    def filters(self):
        return {
            "aws_module_defaults": aws_module_defaults,
            "aws_failure": aws_failure,
            "secret_changes": secret_changes,
            "parameter_changes": parameter_changes,
            "topic_changes": topic_changes,
            "event_rule_changes": event_rule_changes,
            "launch_template_changes": launch_template_changes,
        }
