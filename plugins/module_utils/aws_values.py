# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
Wrappers around the Secrets Manager, SSM Parameter Store, EventBridge, EC2 launch template and Auto Scaling calls of
atelier.infra.aws_values_info (its SNS calls are in sns.py): one boto3 call each,
with amazon.aws' retry decorator (plus aws_retry.RETRY_CODES) and an error handler that turns botocore exceptions into
AnsibleAWSValuesError, following the pattern of amazon.aws module_utils/ec2.py. No error message here carries a
value: AWS's messages name the secret or parameter, never its value.
"""

import base64
import json
import re
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible.module_utils.common.dict_transformations import snake_dict_to_camel_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.elb_utils import ELBv2ErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.elb_utils import ELBv2TargetGroupErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications
from ansible_collections.amazon.aws.plugins.module_utils.transformation import scrub_none_parameters

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

SECRET_NOT_FOUND = "ResourceNotFoundException"
# EventBridge answers DescribeRule of a rule that does not exist with the same code.
RULE_NOT_FOUND = SECRET_NOT_FOUND
# Subscriptions SNS lists that community.aws.sns_topic never unsubscribes.
UNCONFIRMED_SUBSCRIPTIONS = ("PendingConfirmation", "Deleted")
# GetSecretValue of a secret scheduled for deletion: InvalidRequestException, "...because it was marked for deletion"
# (AWS), "...a secret that's currently marked deleted" (moto).
MARKED_FOR_DELETION = re.compile(r"marked (for )?delet")
# GetParameters takes at most 10 names per call.
MAX_PARAMETER_NAMES = 10
# Elastic Load Balancing's DescribeTags takes at most 20 ARNs per call.
MAX_ELB_TAG_ARNS = 20


def all_pages(call, key: str, _token: str = "NextToken", _request_token: str = "", **params) -> List[Dict[str, Any]]:
    """The items under key of every page of a call that pages with NextToken (or _token, the marker's name in the
    answer, given back as _request_token, by default the same name: WAFv2's NextMarker; Elastic Load Balancing's
    NextMarker is given back as Marker), the call as given: a boto3 client method, wrapped by the caller's retry and
    error handling."""
    found: List[Dict[str, Any]] = []
    while True:
        answer = call(**params)
        found.extend(answer.get(key) or [])
        if not answer.get(_token):
            return found
        params[_request_token or _token] = answer[_token]


class AnsibleAWSValuesError(AnsibleAWSError):
    pass


class AWSValuesErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleAWSValuesError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(SECRET_NOT_FOUND)


@AWSValuesErrorHandler.list_error_handler("get the value of the secret", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_secret_value(client, secret_id: str) -> Optional[Dict[str, Any]]:
    """GetSecretValue's answer (SecretString or SecretBinary), None for a secret that does not exist."""
    return client.get_secret_value(SecretId=secret_id)


@AWSValuesErrorHandler.list_error_handler("describe the secret", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_secret(client, secret_id: str) -> Optional[Dict[str, Any]]:
    """DescribeSecret's answer, None for a secret that does not exist."""
    return client.describe_secret(SecretId=secret_id)


@AWSValuesErrorHandler.list_error_handler("get the resource policy of the secret", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_resource_policy(client, secret_id: str) -> Optional[Dict[str, Any]]:
    """GetResourcePolicy's answer (ResourcePolicy absent when the secret has none), None for a secret that does not
    exist."""
    return client.get_resource_policy(SecretId=secret_id)


@AWSValuesErrorHandler.common_error_handler("get the SSM parameters")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_parameters(client, names: List[str], with_decryption: bool = True) -> Dict[str, Any]:
    """GetParameters' answer for at most MAX_PARAMETER_NAMES names: Parameters and InvalidParameters (not found)."""
    return client.get_parameters(Names=names, WithDecryption=with_decryption)


@AWSValuesErrorHandler.common_error_handler("describe the SSM parameters")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_parameters(client, names: List[str]) -> List[Dict[str, Any]]:
    """DescribeParameters' entries of the parameters named (at most MAX_PARAMETER_NAMES), every page."""
    return all_pages(client.describe_parameters, "Parameters", ParameterFilters=[{"Key": "Name", "Option": "Equals", "Values": names}])


@AWSValuesErrorHandler.common_error_handler("list the tags of the SSM parameter")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_parameter_tags(client, name: str) -> Dict[str, str]:
    """The parameter's tags, key to value."""
    answer = client.list_tags_for_resource(ResourceType="Parameter", ResourceId=name)
    return {tag["Key"]: tag["Value"] for tag in answer.get("TagList") or []}


@AWSValuesErrorHandler.list_error_handler("describe the EventBridge rule", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_rule(client, name: str) -> Optional[Dict[str, Any]]:
    """DescribeRule's answer, None for a rule that does not exist."""
    return client.describe_rule(Name=name)


@AWSValuesErrorHandler.common_error_handler("list the targets of the EventBridge rule")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_rule_targets(client, name: str) -> List[Dict[str, Any]]:
    """ListTargetsByRule's targets, every page."""
    return all_pages(client.list_targets_by_rule, "Targets", Rule=name)


@AWSValuesErrorHandler.common_error_handler("describe the launch templates")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_launch_templates(client, names: List[str]) -> List[Dict[str, Any]]:
    """DescribeLaunchTemplates' entries of the templates named, every page (a filter: a name that does not exist is
    left out, where LaunchTemplateNames would fail the call)."""
    return all_pages(client.describe_launch_templates, "LaunchTemplates", Filters=[{"Name": "launch-template-name", "Values": names}])


@AWSValuesErrorHandler.common_error_handler("describe the latest version of the launch template")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_latest_version(client, template_id: str) -> Dict[str, Any]:
    """The template's latest version (DescribeLaunchTemplateVersions, $Latest)."""
    return client.describe_launch_template_versions(LaunchTemplateId=template_id, Versions=["$Latest"])["LaunchTemplateVersions"][0]


@AWSValuesErrorHandler.common_error_handler("describe the Auto Scaling groups")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_auto_scaling_groups(client, names: List[str]) -> List[Dict[str, Any]]:
    """DescribeAutoScalingGroups' entries of the groups named (a name that does not exist is left out), every page."""
    return all_pages(client.describe_auto_scaling_groups, "AutoScalingGroups", AutoScalingGroupNames=names)


@ELBv2ErrorHandler.list_error_handler("describe the load balancers", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_load_balancers(client, names: List[str]) -> List[Dict[str, Any]]:
    """The load balancers of names; [] when one of them does not exist (ELB fails the whole call)."""
    return all_pages(client.describe_load_balancers, "LoadBalancers", _token="NextMarker", _request_token="Marker", Names=names)


@ELBv2ErrorHandler.common_error_handler("describe the load balancer's attributes")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_load_balancer_attributes(client, arn: str) -> List[Dict[str, str]]:
    return client.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]


@ELBv2ErrorHandler.common_error_handler("describe the listeners")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_listeners(client, arn: str) -> List[Dict[str, Any]]:
    return all_pages(client.describe_listeners, "Listeners", _token="NextMarker", _request_token="Marker", LoadBalancerArn=arn)


@ELBv2ErrorHandler.common_error_handler("describe the listener's rules")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_rules(client, arn: str) -> List[Dict[str, Any]]:
    return all_pages(client.describe_rules, "Rules", _token="NextMarker", _request_token="Marker", ListenerArn=arn)


@ELBv2TargetGroupErrorHandler.list_error_handler("describe the target groups", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_target_groups(client, names: List[str]) -> List[Dict[str, Any]]:
    """The target groups of names; [] when one of them does not exist (ELB fails the whole call)."""
    return all_pages(client.describe_target_groups, "TargetGroups", _token="NextMarker", _request_token="Marker", Names=names)


@ELBv2TargetGroupErrorHandler.common_error_handler("describe the target group's attributes")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_target_group_attributes(client, arn: str) -> List[Dict[str, str]]:
    return client.describe_target_group_attributes(TargetGroupArn=arn)["Attributes"]


@ELBv2ErrorHandler.common_error_handler("describe the tags")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_elb_tags(client, arns: List[str]) -> Dict[str, Dict[str, str]]:
    """The tags of each load balancer or target group of arns (at most MAX_ELB_TAG_ARNS), by ARN."""
    return {d["ResourceArn"]: {t["Key"]: t.get("Value", "") for t in d.get("Tags") or []}
            for d in client.describe_tags(ResourceArns=arns)["TagDescriptions"]}


def all_or_each(describe, names: List[str]) -> List[Dict[str, Any]]:
    """describe(names) in one call; when that finds nothing for several names (ELB fails a describe by names whole when
    one name does not exist), one call per name, so that the ones that exist are still found."""
    found = describe(names)
    if not found and len(names) > 1:
        found = [item for name in names for item in describe([name])]
    return found


def elb_attributes(attributes: List[Dict[str, str]]) -> Dict[str, str]:
    """Load balancer or target group attributes as the amazon.aws/community.aws info modules return them: keys with
    '_' for '.'."""
    return {a["Key"].replace(".", "_"): a.get("Value", "") for a in attributes}


@AWSValuesErrorHandler.common_error_handler("list the web ACLs")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_web_acls(client, scope: str) -> List[Dict[str, Any]]:
    return all_pages(client.list_web_acls, "WebACLs", _token="NextMarker", Scope=scope, Limit=100)


def marked_for_deletion(error: AnsibleAWSError) -> bool:
    """Whether the error is GetSecretValue's answer for a secret scheduled for deletion."""
    response = getattr(error.exception, "response", None) or {}
    details = response.get("Error", {})
    return details.get("Code") == "InvalidRequestException" and bool(MARKED_FOR_DELETION.search(details.get("Message", "")))


def secret_value(answer: Dict[str, Any]) -> str:
    """The value of a secret from GetSecretValue's answer: SecretString as it is, SecretBinary base64-encoded."""
    if "SecretString" in answer:
        return answer["SecretString"]
    return base64.b64encode(answer.get("SecretBinary") or b"").decode("ascii")


def chunks(names: List[str], size: int = MAX_PARAMETER_NAMES) -> List[List[str]]:
    """names in lists of at most size, in order, without duplicates."""
    unique = list(dict.fromkeys(names))
    return [unique[i:i + size] for i in range(0, len(unique), size)]


def secret_details(described: Dict[str, Any], policy: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """What aws_values_info returns of a secret beside its value: from DescribeSecret's and GetResourcePolicy's answers."""
    return {
        "arn": described.get("ARN", ""),
        "name": described.get("Name", ""),
        "description": described.get("Description", ""),
        "kms_key_id": described.get("KmsKeyId", ""),
        "tags": {tag["Key"]: tag["Value"] for tag in described.get("Tags") or []},
        "deleted": bool(described.get("DeletedDate")),
        "rotation_enabled": bool(described.get("RotationEnabled")),
        "replica_regions": sorted(r["Region"] for r in described.get("ReplicationStatus") or []),
        "resource_policy": (policy or {}).get("ResourcePolicy") or "",
    }


def _tags_differ(details: Dict[str, Any], tags: Optional[Dict[str, str]]) -> bool:
    """Whether the tags read (details["tags"]) are not exactly tags (as text, the way AWS keeps them); never when tags is
    None (not managed)."""
    return tags is not None and dict(details.get("tags") or {}) != {str(k): str(v) for k, v in tags.items()}


def secret_changes(details: Optional[Dict[str, Any]], tags: Optional[Dict[str, str]] = None) -> List[str]:
    """What community.aws.secretsmanager_secret (state present, overwrite false, no resource policy, no rotation, no
    replica regions given, its tags purged to tags) would change in a secret described by secret_details: ["create"]
    when there is none, else any of "restore", "rotation", "resource policy", "tags"; [] when it would change nothing.
    A role runs that module only when this is not empty."""
    if not details:
        return ["create"]
    changes = []
    if details.get("deleted"):
        changes.append("restore")
    if details.get("rotation_enabled"):
        changes.append("rotation")
    if details.get("resource_policy"):
        changes.append("resource policy")
    if _tags_differ(details, tags):
        changes.append("tags")
    return changes


def parameter_details(described: Dict[str, Any], tags: Dict[str, str]) -> Dict[str, Any]:
    """What aws_values_info returns of a parameter beside its value: from its DescribeParameters entry and its tags."""
    return {
        "name": described.get("Name", ""),
        "type": described.get("Type", ""),
        "description": described.get("Description", ""),
        "tier": described.get("Tier", ""),
        "data_type": described.get("DataType", ""),
        "key_id": described.get("KeyId", ""),
        "version": described.get("Version", 0),
        "tags": dict(tags),
    }


def parameter_changes(
    details: Optional[Dict[str, Any]],
    current_value: Optional[str],
    value: str,
    description: str = "",
    string_type: str = "String",
    tags: Optional[Dict[str, str]] = None,
) -> List[str]:
    """What community.aws.ssm_parameter (state present, overwrite_value changed, its tags purged to tags) would change
    in a parameter described by parameter_details whose value is current_value: ["create"] when there is none, else
    any of "type", "value", "description", "tags"; [] when it would change nothing. As that module: the description
    counts only when one is given, and the tier is not compared. A role runs the module only when this is not empty."""
    if not details:
        return ["create"]
    changes = []
    if details.get("type") != string_type:
        changes.append("type")
    if current_value != value:
        changes.append("value")
    if description and details.get("description") != description:
        changes.append("description")
    if _tags_differ(details, tags):
        changes.append("tags")
    return changes


def topic_details(attributes: Dict[str, str], subscriptions: List[Dict[str, Any]], tags: Dict[str, str]) -> Dict[str, Any]:
    """What aws_values_info returns of an SNS topic: from GetTopicAttributes, ListSubscriptionsByTopic and
    ListTagsForResource."""
    return {
        "arn": attributes.get("TopicArn", ""),
        "display_name": attributes.get("DisplayName", ""),
        "policy": json.loads(attributes["Policy"]) if attributes.get("Policy") else {},
        "kms_master_key_id": attributes.get("KmsMasterKeyId", ""),
        "subscriptions": [
            {"protocol": sub.get("Protocol", ""), "endpoint": sub.get("Endpoint", ""), "subscription_arn": sub.get("SubscriptionArn", "")}
            for sub in subscriptions
        ],
        "tags": dict(tags),
    }


def _sms_endpoint(protocol: str, endpoint: str) -> str:
    """The endpoint as SNS keeps it: an SMS number in E.164 digits (community.aws sns canonicalize_endpoint)."""
    return re.sub("[^0-9+]*", "", endpoint) if protocol == "sms" else endpoint


def topic_changes(
    details: Optional[Dict[str, Any]],
    policy: Optional[Dict[str, Any]] = None,
    subscriptions: Optional[List[Dict[str, str]]] = None,
    tags: Optional[Dict[str, str]] = None,
) -> List[str]:
    """What community.aws.sns_topic (state present, purge_subscriptions and purge_tags true, no display name, delivery
    policy or subscription attributes) would change in a topic described by topic_details: ["create"] when there is
    none, else any of "policy", "subscriptions", "tags"; [] when it would change nothing. As that module: the policy
    is compared with amazon.aws compare_policies and only when one is given, a subscription is its protocol and
    endpoint, and one SNS lists as pending confirmation is never removed. A role runs the module only when this is not
    empty."""
    if not details:
        return ["create"]
    changes = []
    if policy and compare_policies(policy, details.get("policy") or {}):
        changes.append("policy")
    wanted = {(sub["protocol"], _sms_endpoint(sub["protocol"], sub["endpoint"])) for sub in subscriptions or []}
    found = details.get("subscriptions") or []
    existing = {(sub["protocol"], sub["endpoint"]) for sub in found}
    stray = [
        sub for sub in found if (sub["protocol"], sub["endpoint"]) not in wanted and sub["subscription_arn"] not in UNCONFIRMED_SUBSCRIPTIONS
    ]
    if stray or wanted - existing:
        changes.append("subscriptions")
    if _tags_differ(details, tags):
        changes.append("tags")
    return changes


def event_rule_details(described: Dict[str, Any], targets: List[Dict[str, Any]]) -> Dict[str, Any]:
    """What aws_values_info returns of an EventBridge rule: from DescribeRule and ListTargetsByRule."""
    return {
        "name": described.get("Name", ""),
        "arn": described.get("Arn", ""),
        "state": described.get("State", ""),
        "description": described.get("Description", ""),
        "event_pattern": described.get("EventPattern", ""),
        "schedule_expression": described.get("ScheduleExpression", ""),
        "role_arn": described.get("RoleArn", ""),
        "targets": [{"id": target.get("Id", ""), "arn": target.get("Arn", ""), "role_arn": target.get("RoleArn", "")} for target in targets],
        # The targets' other settings (input, input transformer, ECS parameters, ...): a target that has any is one the
        # role did not make as it is.
        "targets_with_settings": sorted(target.get("Id", "") for target in targets if set(target) - {"Id", "Arn", "RoleArn"}),
    }


def event_rule_changes(details: Optional[Dict[str, Any]], rule: Dict[str, Any]) -> List[str]:
    """What amazon.aws.cloudwatchevent_rule would change in a rule described by event_rule_details, for rule
    ``{state, description, event_pattern (JSON text), schedule_expression, role_arn, targets: [{id, arn, role_arn}]}``
    (absent keys: not given): state present or disabled: ["create"] when there is none, else any of "rule", "targets",
    "state"; state absent: ["delete"] when it exists. [] when it would change nothing. As that module: the rule's fields
    are compared as given (the event pattern as the text EventBridge keeps), a target by all its settings, and targets
    of other ids are removed. A role runs the module only when this is not empty."""
    state = rule.get("state", "present")
    if state == "absent":
        return ["delete"] if details else []
    if not details:
        return ["create"]
    changes = []
    fields = ("description", "event_pattern", "schedule_expression", "role_arn")
    if any((rule.get(field) or "") != (details.get(field) or "") for field in fields):
        changes.append("rule")
    wanted = {(t["id"], t["arn"], t.get("role_arn") or "") for t in rule.get("targets") or []}
    found = {(t["id"], t["arn"], t.get("role_arn") or "") for t in details.get("targets") or []}
    if wanted != found or set(details.get("targets_with_settings") or []) & {t[0] for t in wanted}:
        changes.append("targets")
    if details.get("state") != ("ENABLED" if state == "present" else "DISABLED"):
        changes.append("state")
    return changes


def launch_template_details(template: Dict[str, Any], latest: Dict[str, Any]) -> Dict[str, Any]:
    """What aws_values_info returns of a launch template: from DescribeLaunchTemplates and its latest version."""
    return {
        "id": template.get("LaunchTemplateId", ""),
        "name": template.get("LaunchTemplateName", ""),
        "default_version": template.get("DefaultVersionNumber", 0),
        "latest_version": template.get("LatestVersionNumber", 0),
        "tags": {tag["Key"]: tag["Value"] for tag in template.get("Tags") or []},
        "version_description": latest.get("VersionDescription", ""),
        "data": latest.get("LaunchTemplateData") or {},
    }


def launch_template_data(options: Dict[str, Any], instance_profile_arn: str = "") -> Dict[str, Any]:
    """The LaunchTemplateData amazon.aws.ec2_launch_template makes of its template options (snake case, as the module
    takes them; tag_specifications and iam_instance_profile among them): its params_to_launch_data, the tag
    specifications, then scrub_none_parameters. iam_instance_profile becomes {Arn} (instance_profile_arn, the ARN the
    module would look up for the name)."""
    params = {k: v for k, v in options.items() if v is not None and k not in ("tag_specifications", "iam_instance_profile")}
    if instance_profile_arn:
        params["iam_instance_profile"] = {"arn": instance_profile_arn}
    for interface in params.get("network_interfaces") or []:
        if interface.get("ipv6_addresses"):
            interface["ipv6_addresses"] = [{"ipv6_address": x} for x in interface["ipv6_addresses"]]
    data = snake_dict_to_camel_dict(params, capitalize_first=True)
    specifications = []
    for spec in options.get("tag_specifications") or []:
        specifications.extend(boto3_tag_specifications(spec["tags"], types=spec.get("resource_type", "instance")))
    if specifications:
        data["TagSpecifications"] = specifications
    return scrub_none_parameters(data, descend_into_lists=True)


def launch_template_changes(
    details: Optional[Dict[str, Any]],
    options: Dict[str, Any],
    description: str = "",
    tags: Optional[Dict[str, str]] = None,
    instance_profile_arn: str = "",
) -> List[str]:
    """What amazon.aws.ec2_launch_template (default_version latest, purge_tags true) would change in a template described
    by launch_template_details, for the template options options: ["create"] when there is none, else any of "version"
    (the latest version's data or description differ: a new version), "default version" (not the latest) and "tags";
    [] when it would change nothing. An instance profile given by name is compared by instance_profile_arn (unknown,
    empty: a new version). A role runs the module only when this is not empty."""
    if not details:
        return ["create"]
    changes = []
    if options.get("iam_instance_profile") and not instance_profile_arn:
        changes.append("version")
    elif launch_template_data(options, instance_profile_arn) != details.get("data") or description != details.get("version_description", ""):
        changes.append("version")
    if details.get("default_version") != details.get("latest_version"):
        changes.append("default version")
    if _tags_differ(details, tags):
        changes.append("tags")
    return changes


def auto_scaling_group_details(group: Dict[str, Any]) -> Dict[str, Any]:
    """What aws_values_info returns of an Auto Scaling group: its DescribeAutoScalingGroups entry in snake case, as
    amazon.aws.autoscaling_group_info returns it (target_group_arns included), without the lifecycle hooks and target
    group names that module reads besides."""
    details = camel_dict_to_snake_dict(group)
    details["target_group_arns"] = list(group.get("TargetGroupARNs") or [])
    details.pop("target_group_ar_ns", None)
    return details
