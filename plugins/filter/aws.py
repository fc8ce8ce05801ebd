# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How the roles reach AWS: the module_defaults of group/atelier.infra.stack (connection, region, botocore retries),
why a hidden task failed, and what keeping a secret, an SSM parameter, an SNS topic, an EventBridge rule or a launch
template, an IAM role, a log group or a group's scaling policies would change.

The logic is plugins/module_utils/aws_retry.py, plugins/module_utils/failures.py and plugins/module_utils/aws_values.py;
the documentation of each filter is beside this file (aws_module_defaults.yml, aws_failure.yml, secret_changes.yml,
parameter_changes.yml, topic_changes.yml, event_rule_changes.yml, launch_template_changes.yml, iam_role_changes.yml,
log_group_changes.yml, scaling_policy_changes.yml).
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import aws_retry
from ansible_collections.atelier.infra.plugins.module_utils import autoscaling
from ansible_collections.atelier.infra.plugins.module_utils import aws_values
from ansible_collections.atelier.infra.plugins.module_utils import cloudwatch_logs
from ansible_collections.atelier.infra.plugins.module_utils import iam_roles
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


def iam_role_changes(read, role, tags=None):
    """What atelier.infra.iam_role_set would change in one present role (role as its roles option takes it, tags its
    tags option), from what aws_values_info read of it (with iam_roles): its plan lines, [] when nothing differs."""
    _read("iam_role_changes", read)
    if not isinstance(role, dict) or not role.get("name") or not isinstance(role.get("trust_policy"), dict):
        raise AnsibleFilterError("iam_role_changes: expected the role as a dict with its name and trust_policy")
    if role.get("state", "present") != "present":
        raise AnsibleFilterError("iam_role_changes: only a present role can be compared")
    if tags is not None and not isinstance(tags, dict):
        raise AnsibleFilterError(f"iam_role_changes: expected the tags as a dict, got {type(tags).__name__}")
    role = tier_spec.plain(role)
    current = tier_spec.plain((read.get("iam_role_details") or {}).get(role["name"]))
    try:
        return iam_roles.role_changes(current, role, tier_spec.plain(tags))
    except ValueError as e:
        raise AnsibleFilterError(f"iam_role_changes: role {role['name']}: {e}") from e


def log_group_changes(read, name, retention=None, kms_key=None, tags=None, purge_tags=True):
    """What atelier.infra.cloudwatch_log_group would change in the log group name, from what aws_values_info read of it
    (with log_groups): its steps (create, put_retention, delete_retention, associate_key, disassociate_key, untag, tag),
    [] when nothing differs. A kms_key given as an alias or key id cannot be compared without KMS: the answer is then
    [resolve_key], so the module runs."""
    _read("log_group_changes", read)
    if tags is not None and not isinstance(tags, dict):
        raise AnsibleFilterError(f"log_group_changes: expected the tags as a dict, got {type(tags).__name__}")
    if kms_key not in (None, "") and not cloudwatch_logs.is_key_arn(kms_key):
        return ["resolve_key"]
    current = tier_spec.plain((read.get("log_group_details") or {}).get(name)) or {}
    tags = None if tags is None else {str(k): str(v) for k, v in tier_spec.plain(tags).items()}
    after = cloudwatch_logs.desired_view(current, name, None if retention is None else int(retention), kms_key, tags, purge_tags)
    return cloudwatch_logs.plan(current, after)


def scaling_policy_changes(read, group, policies, purge_policies=True):
    """What atelier.infra.autoscaling_policy_set would change in the scaling policies of group (policies and
    purge_policies as its options), from what aws_values_info read of them (with scaling_policies): its plan lines, []
    when nothing differs; None when the read does not hold the group (then the module must run)."""
    _read("scaling_policy_changes", read)
    if not isinstance(policies, list) or not all(isinstance(p, dict) for p in policies):
        raise AnsibleFilterError("scaling_policy_changes: expected the policies as a list of dicts")
    found = (read.get("scaling_policy_details") or {}).get(group)
    if not isinstance(found, list):
        return None
    params = {"group_name": group, "policies": tier_spec.plain(policies), "purge_policies": purge_policies}
    alarms = tier_spec.plain(read.get("scaling_alarm_details") or {})
    try:
        return autoscaling.policy_set_changes(params, tier_spec.plain(found), alarms, read.get("missing_scaling_alarms") or [])
    except ValueError as e:
        raise AnsibleFilterError(f"scaling_policy_changes: {e}") from e


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
            "iam_role_changes": iam_role_changes,
            "log_group_changes": log_group_changes,
            "scaling_policy_changes": scaling_policy_changes,
        }
