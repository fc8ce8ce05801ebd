# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the tier roles (alb, cloudfront, asg_launch_template) compute, as plain functions.

The roles' vars/ hold one-line views over these (through plugins/filter/tier_roles.py):

* ALB: ``alb_listeners`` (the listener documents of a tier: HTTP, HTTPS with the redirect, the origin-header guard),
  ``alb_rules_kept`` and ``alb_load_balancer_changes`` (what elb_application_lb would change in the listeners' rules
  and in the load balancer read first, which gate its passes);
* Auto Scaling: ``asg_desired_capacity``, ``asg_drift`` (what differs between the described group and the one found,
  which gates the autoscaling_group module), ``asg_outdated_instances``, ``asg_scaling_policies``;
* the container: ``tier_upstreams`` and ``tier_upstream_environment`` (the ``<TIER>_URL`` variables of the tiers a tier
  calls, and the upstreams that do not exist yet), ``tier_upstream_distributions`` (their distributions from this run's
  ``cloudfront_outputs``, gathered by ``run_distributions``, and whether they must be listed), ``asg_user_data`` (the
  variable parts of the user data script);
* what the tier's role may use: ``tier_granted_tables`` (the stack's tables a tier is granted, to look up),
  ``tier_table_regions`` (the regions each lives in, from those lookups) and ``tier_access`` (the one inline policy of
  the tier's role, module_utils/grants.py's grant_policy, and the variables its grants give the container);
* input checks: ``alb_errors``, ``cloudfront_errors``, ``asg_launch_template_errors`` (what the roles' argument specs
  cannot express; the tier itself is checked by tier_spec.tier_errors).

Names come from the stack contract (module_utils/stack.py). Pure Python: no boto3, no Ansible imports.
"""

import re
import shlex
from collections.abc import Mapping
from collections.abc import Sequence

from ansible_collections.atelier.infra.plugins.module_utils import grants
from ansible_collections.atelier.infra.plugins.module_utils import observability
from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils import tier_spec
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_config import option_errors as distribution_option_errors

HEADER_NAME = re.compile(r"^[A-Za-z0-9-]{1,40}$")
ELB_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$")
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
MIN_SECRET_LENGTH = 16
# The limits the tier roles check beyond stack.LIMITS (Auto Scaling group names: 255 in the API, 100 kept here so
# the policy and alarm names derived from it stay readable and within CloudWatch's limits).
GROUP_NAME_MAX = 100
ROLE_NAME_MAX = 64
ALB_NAME_MAX = 32
DISTRIBUTION_NAME_MAX = 128
# The runtime the asg_launch_template role converges (tier_spec.RUNTIMES).
EC2_RUNTIME = "ec2"
# The one inline policy of a tier's role: its grants and the secrets of its ``secrets`` key.
ACCESS_POLICY = "tier-access"
ENDED = ("Terminating", "Terminated")

_plain = tier_spec.plain
_as_int = tier_spec.as_int


# ---- inputs -------------------------------------------------------------------------------------------------------


def _tier_errors(tier, subnet_tiers):
    """The tier's own errors (tier_spec.tier_errors, its distribution included)."""
    return tier_spec.tier_errors(
        _plain(tier), _plain(subnet_tiers) if subnet_tiers is not None else None, distribution_option_errors
    )


def _tier_names(inputs, prefix_key, tier):
    """The stack contract's names of the tier, or None when the prefix or the tier's name is not usable (the argument
    spec or tier_errors reports that)."""
    prefix = inputs.get(prefix_key)
    name = tier.get("name") if isinstance(tier, Mapping) else None
    if not isinstance(prefix, str) or not prefix or not isinstance(name, str) or not name:
        return None
    return stack.tier_names(prefix, name)


def _rate_limit_errors(errors, inputs, name):
    """The web ACL's rate limit (inputs[name]) where AWS WAF refuses it; a missing value is the role default's."""
    if inputs.get(name) is not None:
        try:
            observability.web_acl_rules(inputs[name])
        except ValueError as e:
            errors.append(f"{name}: {e}")


def _header_errors(errors, inputs, role, what_if_empty):
    header = inputs.get(f"{role}_origin_header_name")
    if isinstance(header, str) and not HEADER_NAME.match(header):
        errors.append(f"{role}_origin_header_name must be an HTTP header name (letters, digits, hyphens), got {header}")
    secret = inputs.get(f"{role}_origin_secret")
    if isinstance(secret, str) and 0 < len(secret) < MIN_SECRET_LENGTH:
        errors.append(f"{role}_origin_secret must be at least {MIN_SECRET_LENGTH} characters (or empty to {what_if_empty})")


def alb_errors(inputs, subnet_tiers=None):
    """What is wrong with the alb role's inputs (a dict of the role's variables), beyond types and choices."""
    tier = inputs.get("alb_tier")
    errors = _tier_errors(tier, subnet_tiers) if isinstance(tier, Mapping) else []
    names = _tier_names(inputs, "alb_name_prefix", tier)
    for what, key in (("ALB", "alb"), ("target group", "target_group")):
        name = names[key] if names else None
        if name is not None and (len(name) > ALB_NAME_MAX or not ELB_NAME.match(name) or name.startswith("internal-")):
            errors.append(
                f"{what} name {name} must be 1-{ALB_NAME_MAX} letters, digits and inner hyphens, not starting with "
                "internal-; shorten alb_name_prefix or the tier name"
            )
    idle = _as_int(inputs.get("alb_idle_timeout"))
    if idle is not None and not 1 <= idle <= 4000:
        errors.append(f"alb_idle_timeout must be between 1 and 4000 seconds, got {idle}")
    _header_errors(errors, inputs, "alb", "generate one")
    bucket = inputs.get("alb_access_logs_bucket")
    if isinstance(bucket, str) and bucket and not BUCKET.match(bucket):
        errors.append(f"alb_access_logs_bucket {bucket} is not an S3 bucket name")
    _rate_limit_errors(errors, inputs, "alb_waf_rate_limit")
    return errors


def cloudfront_errors(inputs, subnet_tiers=None):
    """What is wrong with the cloudfront role's inputs (a dict of the role's variables), beyond types and choices."""
    tier = inputs.get("cloudfront_tier")
    errors = _tier_errors(tier, subnet_tiers) if isinstance(tier, Mapping) else []
    _header_errors(errors, inputs, "cloudfront", "read the generated one")
    names = _tier_names(inputs, "cloudfront_name_prefix", tier)
    if names and len(names["distribution"]) > DISTRIBUTION_NAME_MAX:
        errors.append(f"the distribution name {names['distribution']} is longer than {DISTRIBUTION_NAME_MAX} characters")
    policies = inputs.get("cloudfront_policies")
    for policy in policies if isinstance(policies, list) else []:
        if (
            not isinstance(policy, Mapping)
            or policy.get("type") not in ("cache", "origin_request")
            or not isinstance(policy.get("name"), str)
            or not policy.get("name")
        ):
            errors.append(f"cloudfront_policies entries need a type (cache or origin_request) and a name, got {_plain(policy)}")
    timeout = _as_int(inputs.get("cloudfront_wait_timeout"))
    if timeout is not None and timeout < 1:
        errors.append("cloudfront_wait_timeout must be a positive number of seconds")
    _rate_limit_errors(errors, inputs, "cloudfront_waf_rate_limit")
    return errors


def asg_launch_template_errors(inputs, subnet_tiers=None):
    """What is wrong with the asg_launch_template role's inputs (a dict of the role's variables), beyond types and
    choices: the tier's errors, what the ec2 runtime needs to deploy (the tier's runtime is ec2, it has an image; removing
    needs neither, so that a tier moved to another runtime can be removed), names too long for IAM or Auto Scaling,
    and the instance refresh's healthy percentage."""
    tier = inputs.get("asg_launch_template_tier")
    if not isinstance(tier, Mapping):
        return []
    errors = _tier_errors(tier, subnet_tiers)
    name = tier.get("name")
    runtime = tier.get("runtime") or EC2_RUNTIME
    if inputs.get("asg_launch_template_state", "present") != "absent":
        if runtime != EC2_RUNTIME:
            errors.append(
                f"tier {name}: runtime is {runtime}; the asg_launch_template role deploys the tiers whose runtime is "
                f"{EC2_RUNTIME} (run it only for them)"
            )
        if not tier.get("image"):
            errors.append(f"tier {name}: image is required (an ECR repository[:tag] or a registry URI)")
    names = _tier_names(inputs, "asg_launch_template_name_prefix", tier)
    if names and len(names["group"]) > GROUP_NAME_MAX:
        errors.append(f"group name {names['group']} is longer than {GROUP_NAME_MAX} characters")
    if names and len(names["instance_role"]) > ROLE_NAME_MAX:
        errors.append(
            f"IAM role name {names['instance_role']} is longer than {ROLE_NAME_MAX} characters; shorten "
            "asg_launch_template_name_prefix"
        )
    healthy = _as_int(inputs.get("asg_launch_template_refresh_min_healthy_percentage"))
    if healthy is not None and not 0 <= healthy <= 100:
        errors.append("asg_launch_template_refresh_min_healthy_percentage must be between 0 and 100")
    return errors


# ---- ALB ----------------------------------------------------------------------------------------------------------


def alb_listeners(tier, target_group, header_name="X-Origin-Verify", secret="", ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06"):
    """The listeners of the tier's ALB, as amazon.aws.elb_application_lb's ``listeners`` (each with its ``Rules``).

    HTTP :80 forwards to the target group; with the tier's certificate_arn, HTTP :80 redirects (301) to HTTPS :443,
    which forwards with ssl_policy. With cloudfront, the forwarding listener answers 403 by default and one rule
    (priority 1) forwards the requests whose header_name header carries secret.
    """
    t = tier_spec.settings(tier)
    forward = [{"Type": "forward", "TargetGroupName": target_group}]
    if t["cloudfront"]:
        app = {
            "DefaultActions": [
                {
                    "Type": "fixed-response",
                    "FixedResponseConfig": {"StatusCode": "403", "ContentType": "text/plain", "MessageBody": "Forbidden"},
                }
            ],
            "Rules": [
                {
                    "Priority": 1,
                    "Conditions": [{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": header_name, "Values": [secret]}}],
                    "Actions": forward,
                }
            ],
        }
    else:
        app = {"DefaultActions": forward, "Rules": []}
    if not t["certificate_arn"]:
        return [dict({"Protocol": "HTTP", "Port": 80}, **app)]
    redirect = {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}
    return [
        {"Protocol": "HTTP", "Port": 80, "DefaultActions": [redirect], "Rules": []},
        dict({"Protocol": "HTTPS", "Port": 443, "SslPolicy": ssl_policy, "Certificates": [{"CertificateArn": t["certificate_arn"]}]}, **app),
    ]


def _rule_key(priority, conditions, actions):
    """A rule as (priority, conditions, actions) of plain tuples; None for a condition or an action of a kind
    alb_rules_kept does not compare (the role's rules are http-header conditions and forward actions only)."""
    try:
        conds = []
        for c in conditions or []:
            field = c.get("Field", c.get("field"))
            config = c.get("HttpHeaderConfig", c.get("http_header_config")) or {}
            if field != "http-header" or not config:
                return None
            conds.append((field, str(config.get("HttpHeaderName", config.get("http_header_name"))),
                          tuple(str(v) for v in config.get("Values", config.get("values")) or [])))
        acts = []
        for a in actions or []:
            kind = a.get("Type", a.get("type"))
            group = a.get("TargetGroupName") or a.get("TargetGroupArn") or a.get("target_group_arn") or ""
            if kind != "forward" or not group:
                return None
            # A target group ARN ends with targetgroup/<name>/<id>: the name is what the role gives.
            acts.append((kind, group.split(":targetgroup/", 1)[1].split("/", 1)[0] if ":targetgroup/" in group else group))
        return (str(priority), tuple(sorted(conds)), tuple(sorted(acts)))
    except (AttributeError, IndexError, TypeError):
        return None


def alb_rules_kept(found, wanted):
    """Whether the listeners found (amazon.aws.elb_application_lb's ``listeners`` after its pass without rules:
    snake_case, each with its ``rules``) already carry exactly the rules of the listeners wanted (alb_listeners: each
    with its ``Rules``): then the alb role's second pass (the listeners with their rules) would change nothing and
    is not run.

    True only when every wanted listener is found by its port with the same non-default rules (priority, http-header
    conditions, forward actions by target group name) and no other listener is found; anything else, a rule of a
    kind this does not compare included, is False (the second pass runs and converges the rules)."""
    if not isinstance(found, Sequence) or isinstance(found, str) or not isinstance(wanted, Sequence) or isinstance(wanted, str):
        return False
    try:
        by_port = {int(listener.get("port")): listener for listener in found}
        wanted_ports = {int(listener["Port"]) for listener in wanted}
    except (AttributeError, KeyError, TypeError, ValueError):
        return False
    if set(by_port) != wanted_ports or len(by_port) != len(found):
        return False
    for listener in wanted:
        have = [r for r in by_port[int(listener["Port"])].get("rules") or [] if not r.get("is_default")]
        keys_have = [_rule_key(r.get("priority"), r.get("conditions"), r.get("actions")) for r in have]
        keys_want = [_rule_key(r.get("Priority"), r.get("Conditions"), r.get("Actions")) for r in listener.get("Rules") or []]
        if None in keys_have or None in keys_want or sorted(keys_have) != sorted(keys_want):
            return False
    return True


# The load balancer's attributes amazon.aws.elb_application_lb sets, by its option: the attribute as
# elb_application_lb_info names it, and whether the option is a boolean (compared lowercased, as the module does).
ALB_ATTRIBUTES = {
    "access_logs_enabled": ("access_logs_s3_enabled", True),
    "access_logs_s3_bucket": ("access_logs_s3_bucket", False),
    "access_logs_s3_prefix": ("access_logs_s3_prefix", False),
    "deletion_protection": ("deletion_protection_enabled", True),
    "idle_timeout": ("idle_timeout_timeout_seconds", False),
    "http2": ("routing_http2_enabled", True),
    "http_desync_mitigation_mode": ("routing_http_desync_mitigation_mode", True),
    "http_drop_invalid_header_fields": ("routing_http_drop_invalid_header_fields_enabled", True),
}
# What AWS fills in for a redirect's keys left out.
REDIRECT_DEFAULTS = {"Protocol": "#{protocol}", "Port": "#{port}", "Host": "#{host}", "Path": "/#{path}", "Query": "#{query}"}


def _either(config, camel, snake):
    """config[camel] as the role writes it, else config[snake] as elb_application_lb_info returns it."""
    return config.get(camel, config.get(snake)) if isinstance(config, Mapping) else None


def _target_group_name(group):
    """A target group's name from its ARN (…:targetgroup/<name>/<id>), or the name given."""
    group = str(group or "")
    return group.split(":targetgroup/", 1)[1].split("/", 1)[0] if ":targetgroup/" in group else group


def _default_action_key(action):
    """A listener's default action as a plain tuple; None for one this does not compare (then it differs)."""
    if not isinstance(action, Mapping):
        return None
    kind = _either(action, "Type", "type")
    if kind == "forward":
        group = action.get("TargetGroupName") or _either(action, "TargetGroupArn", "target_group_arn")
        forward = _either(action, "ForwardConfig", "forward_config") or {}
        groups = _either(forward, "TargetGroups", "target_groups") or []
        stickiness = _either(forward, "TargetGroupStickinessConfig", "target_group_stickiness_config") or {}
        if len(groups) > 1 or _either(stickiness, "Enabled", "enabled"):
            return None
        if groups:
            in_config = _target_group_name(_either(groups[0], "TargetGroupArn", "target_group_arn"))
            if group and _target_group_name(group) != in_config:
                return None
            group = group or in_config
        return (kind, _target_group_name(group)) if group else None
    if kind == "fixed-response":
        config = _either(action, "FixedResponseConfig", "fixed_response_config") or {}
        return (kind,) + tuple(str(_either(config, k, s) or "") for k, s in
                               (("StatusCode", "status_code"), ("ContentType", "content_type"), ("MessageBody", "message_body")))
    if kind == "redirect":
        config = _either(action, "RedirectConfig", "redirect_config") or {}
        keys = (("Protocol", "protocol"), ("Port", "port"), ("Host", "host"), ("Path", "path"), ("Query", "query"),
                ("StatusCode", "status_code"))
        return (kind,) + tuple(str(_either(config, k, s) or REDIRECT_DEFAULTS.get(k, "")) for k, s in keys)
    return None


def _listener_changes(found, wanted):
    """What elb_application_lb would modify in the listener found (elb_application_lb_info's) to make it the one
    wanted (alb_listeners'), both on the same port: protocol, SSL policy and certificate (HTTPS), default actions."""
    port = wanted.get("Port")
    changes = []
    if found.get("protocol") != wanted.get("Protocol"):
        changes.append(f"listener {port} protocol")
    if wanted.get("Protocol") in ("HTTPS", "TLS"):
        if wanted.get("SslPolicy") and found.get("ssl_policy") != wanted["SslPolicy"]:
            changes.append(f"listener {port} ssl_policy")
        certificates, have = wanted.get("Certificates") or [], found.get("certificates") or []
        if certificates and (not have or have[0].get("certificate_arn") != certificates[0].get("CertificateArn")):
            changes.append(f"listener {port} certificates")
    keys_have = [_default_action_key(a) for a in found.get("default_actions") or []]
    keys_want = [_default_action_key(a) for a in wanted.get("DefaultActions") or []]
    if None in keys_have or None in keys_want or sorted(keys_have) != sorted(keys_want):
        changes.append(f"listener {port} default_actions")
    return changes


def alb_load_balancer_changes(found, settings, listeners):
    """What the alb role's passes of amazon.aws.elb_application_lb (tasks/load_balancer.yml) would change in the load
    balancer found (amazon.aws.elb_application_lb_info's ``load_balancers``, read with its attributes, listeners and
    their rules): [] when nothing, then the role takes the load balancer as read and runs neither pass.

    settings: the module's options as the role gives them (``name``, ``subnets``, ``security_groups`` (IDs),
    ``ip_address_type``, ``tags`` (purged: exactly these), and the attributes of ALB_ATTRIBUTES); listeners:
    alb_listeners' (purged: exactly these ports, each with exactly its ``Rules``: alb_rules_kept).

    Compared as the module compares them: the subnets and the security groups as sets, each attribute given as the
    module writes it, the IP address type, the tags, each listener's protocol, SSL policy and first certificate
    (HTTPS) and default actions (a forward by target group name, a redirect with AWS's defaults for the keys left
    out), and the rules. The scheme is not: the module cannot change it. Returns the names of what differs (never a
    value: a rule holds the origin secret), ``["load balancer"]`` when it is missing; anything this does not compare
    (a listener action or rule of another kind) counts as a difference, so the module runs and converges it."""
    name = settings.get("name") if isinstance(settings, Mapping) else None
    lb = next((b for b in found or [] if isinstance(b, Mapping) and b.get("load_balancer_name") == name), None)
    if lb is None or not lb.get("load_balancer_arn"):
        return ["load balancer"]
    changes = []
    subnets = {_either(az, "SubnetId", "subnet_id") for az in lb.get("availability_zones") or []}
    if subnets != set(settings.get("subnets") or []):
        changes.append("subnets")
    if set(lb.get("security_groups") or []) != set(settings.get("security_groups") or []):
        changes.append("security_groups")
    for option, (attribute, lowered) in ALB_ATTRIBUTES.items():
        value = settings.get(option)
        if value is not None and (str(value).lower() if lowered else str(value)) != lb.get(attribute):
            changes.append(option)
    if settings.get("ip_address_type") and lb.get("ip_address_type") != settings["ip_address_type"]:
        changes.append("ip_address_type")
    tags = {str(k): str(v) for k, v in (settings.get("tags") or {}).items()}
    if {str(k): str(v) for k, v in (lb.get("tags") or {}).items()} != tags:
        changes.append("tags")
    try:
        have = {int(listener.get("port")): listener for listener in lb.get("listeners") or []}
        wanted = {int(listener["Port"]): listener for listener in listeners or []}
    except (AttributeError, KeyError, TypeError, ValueError):
        return changes + ["listeners"]
    if set(have) != set(wanted):
        changes.append("listeners")
    for port in sorted(set(have) & set(wanted)):
        changes.extend(_listener_changes(have[port], wanted[port]))
    if not alb_rules_kept(list(have.values()), list(wanted.values())):
        changes.append("rules")
    return changes


# ---- Auto Scaling -------------------------------------------------------------------------------------------------


def asg_desired_capacity(current, tier):
    """The group's desired capacity: the tier's when the group is new, else the group's own moved into min..max
    (scaling owns it once the group exists)."""
    t = tier_spec.settings(tier)
    if not current:
        return _as_int(t["desired_capacity"])
    low, high = _as_int(t["min_size"]), _as_int(t["max_size"])
    return min(max(_as_int(current.get("desired_capacity")) or 0, low), high)


def _tag_dict(tags):
    if isinstance(tags, Mapping):
        return {str(k): str(v) for k, v in tags.items()}
    return {str(t.get("key", t.get("Key"))): str(t.get("value", t.get("Value"))) for t in tags or []}


def asg_drift(current, desired):
    """What differs between the group found (an autoscaling_group_info result, {} when there is none) and the group
    described (amazon.aws.autoscaling_group's options: launch_template {launch_template_name, version},
    vpc_zone_identifier, target_group_arns, min_size, max_size, desired_capacity, health_check_type,
    health_check_period, default_cooldown, metrics_collection, tags as a dict), one message per difference."""
    if not current:
        return ["the group does not exist"]
    have_lt = current.get("launch_template") or {}
    want_lt = desired.get("launch_template") or {}
    checks = [
        (
            "launch template",
            f"{have_lt.get('launch_template_name', '')}:{have_lt.get('version', '')}",
            f"{want_lt.get('launch_template_name', '')}:{want_lt.get('version', '')}",
        ),
        ("subnets", sorted((current.get("vpc_zone_identifier") or "").split(",")), sorted(desired.get("vpc_zone_identifier") or [])),
        ("target groups", sorted(current.get("target_group_arns") or []), sorted(desired.get("target_group_arns") or [])),
        ("min_size", current.get("min_size"), _as_int(desired.get("min_size"))),
        ("max_size", current.get("max_size"), _as_int(desired.get("max_size"))),
        ("desired_capacity", current.get("desired_capacity"), _as_int(desired.get("desired_capacity"))),
        ("health_check_type", current.get("health_check_type"), desired.get("health_check_type")),
        ("health_check_grace_period", current.get("health_check_grace_period"), _as_int(desired.get("health_check_period"))),
        ("default_cooldown", current.get("default_cooldown"), _as_int(desired.get("default_cooldown"))),
        ("metrics collection", len(current.get("enabled_metrics") or []) > 0, bool(desired.get("metrics_collection"))),
        ("tags", _tag_dict(current.get("tags")), _tag_dict(desired.get("tags"))),
    ]
    return [f"{what} is {have}, wants {want}" for what, have, want in checks if have != want]


def asg_outdated_instances(current, version):
    """The ids of the group's instances (as found before this run) that run another launch template version than
    version; instances on their way out are not counted."""
    outdated = []
    for instance in (current or {}).get("instances") or []:
        if str(instance.get("lifecycle_state", "")).startswith(ENDED):
            continue
        if str((instance.get("launch_template") or {}).get("version", "")) != str(version):
            outdated.append(instance.get("instance_id"))
    return outdated


def asg_scaling_policies(tier, names, state="present"):
    """The three scaling policies the role manages, as community.aws.autoscaling_policy options plus ``alarm`` (the
    CloudWatch alarm of a step policy): ``<group>-cpu-target`` (target tracking), ``<group>-cpu-high`` and
    ``<group>-cpu-low`` (step scaling); each present when the role is and the tier's scaling policy is its kind."""
    t = tier_spec.settings(tier)
    scaling = t["scaling"]
    group, prefix = names["group"], names["scaling_policy_prefix"]
    cooldown = _as_int(scaling["cooldown"])

    def status(kind):
        return "present" if state == "present" and scaling["policy"] == kind else "absent"

    policies = [
        {
            "name": f"{prefix}target",
            "state": status("target_tracking"),
            "policy_type": "TargetTrackingScaling",
            "target_tracking_config": {
                "predefined_metric_spec": {"predefined_metric_type": "ASGAverageCPUUtilization"},
                "target_value": float(scaling["cpu_target"]),
            },
        },
        {
            "name": f"{prefix}high",
            "state": status("step"),
            "policy_type": "StepScaling",
            "adjustment_type": "ChangeInCapacity",
            "metric_aggregation": "Average",
            "step_adjustments": [{"lower_bound": 0, "scaling_adjustment": 1}],
            "alarm": {
                "description": f"Scale {group} out: average CPU above {scaling['scale_out_cpu']} %",
                "comparison": "GreaterThanThreshold",
                "threshold": float(scaling["scale_out_cpu"]),
                "evaluation_periods": 1,
                "unit": "Percent",
            },
        },
        {
            "name": f"{prefix}low",
            "state": status("step"),
            "policy_type": "StepScaling",
            "adjustment_type": "ChangeInCapacity",
            "metric_aggregation": "Average",
            "step_adjustments": [{"upper_bound": 0, "scaling_adjustment": -1}],
            "alarm": {
                "description": f"Scale {group} in: average CPU below {scaling['scale_in_cpu']} %",
                "comparison": "LessThanThreshold",
                "threshold": float(scaling["scale_in_cpu"]),
                "evaluation_periods": 2,
                "unit": "Percent",
            },
        },
    ]
    for policy in policies:
        if policy["state"] == "present":
            policy["estimated_instance_warmup"] = cooldown
    return policies


# ---- the container: upstream URLs and user data -------------------------------------------------------------------


def tier_upstreams(tier, tiers, prefix):
    """The tiers this tier calls (it is in their ``clients``), each {tier, variable, cloudfront, https, alb,
    distribution}: its name, the ``<TIER>_URL`` variable, whether it answers through its CloudFront distribution, whether
    its ALB speaks HTTPS, and the names of its ALB and distribution (stack contract)."""
    name = tier_spec.settings(tier)["name"]
    upstreams = []
    for other in tiers or []:
        if not isinstance(other, Mapping) or name not in (other.get("clients") or []):
            continue
        u = tier_spec.settings(other)
        names = stack.tier_names(prefix, u["name"])
        upstreams.append(
            {
                "tier": u["name"],
                "variable": names["env_url"],
                "cloudfront": bool(u["cloudfront"]),
                "https": bool(u["certificate_arn"]),
                "alb": names["alb"],
                "distribution": names["distribution"],
            }
        )
    return upstreams


def _values(found):
    """The items of a lookup result: a list (lists of lists flattened), or a dict's values (cloudfront_distribution_info
    keys one distribution by its id and by each alias)."""
    if isinstance(found, Mapping):
        found = list(found.values())
    items = []
    for item in found or []:
        if isinstance(item, Mapping):
            items.append(item)
        elif isinstance(item, Sequence) and not isinstance(item, str):
            items.extend(_values(item))
    return items


def tier_upstream_environment(upstreams, load_balancers=None, distributions=None):
    """The ``<TIER>_URL`` variables of the upstream tiers (tier_upstreams) from the load balancers (elb_application_lb_info
    entries: load_balancer_name, dns_name) and the distributions (cloudfront_distribution_info's list: Comment,
    DomainName) found.

    An upstream behind CloudFront answers only through its distribution: ``https://<its domain name>``; another through
    its ALB: ``http(s)://<its DNS name>``. Returns {environment, missing}: an upstream whose ALB or distribution does not
    exist yet is not in the environment but in missing, {tier, variable, resource, name, needs, would_be}.
    """
    albs = {lb.get("load_balancer_name"): lb.get("dns_name") for lb in _values(load_balancers)}
    cdns = {d.get("Comment"): d.get("DomainName") for d in _values(distributions)}
    environment, missing = {}, []
    for u in upstreams or []:
        if u["cloudfront"]:
            resource, name, host, scheme = "distribution", u["distribution"], cdns.get(u["distribution"]), "https"
        else:
            resource, name, host, scheme = "ALB", u["alb"], albs.get(u["alb"]), "https" if u["https"] else "http"
        if host:
            environment[u["variable"]] = f"{scheme}://{host}"
        else:
            missing.append(
                {
                    "tier": u["tier"],
                    "variable": u["variable"],
                    "resource": resource,
                    "name": name,
                    "needs": f"{u['variable']} needs {u['tier']}'s {resource} {name}",
                    "would_be": f"{u['variable']} would be known once {u['tier']}'s {resource} exists",
                }
            )
    return {"environment": environment, "missing": missing}


def tier_upstream_distributions(upstreams, given=None, listed=None):
    """The distributions of the upstream tiers behind CloudFront (tier_upstreams), as tier_upstream_environment takes
    them: the ones given (this run's cloudfront_outputs, run_distributions: name, domain_name) whose domain name is
    known, as {Comment, DomainName}, then the ones listed (cloudfront_distribution_info's list, keyed or not), which win.

    Returns {distributions, unknown}: unknown holds the names of the upstreams' distributions neither given with a
    domain name nor listed (the role lists the distributions when there is one).
    """
    wanted = [u["distribution"] for u in upstreams or [] if u.get("cloudfront")]
    found = [
        {"Comment": d["name"], "DomainName": d["domain_name"]}
        for d in _values(given)
        if d.get("name") in wanted and isinstance(d.get("domain_name"), str) and d["domain_name"]
    ]
    found.extend(_values(listed))
    known = {d.get("Comment") for d in found if d.get("DomainName")}
    return {"distributions": found, "unknown": [name for name in wanted if name not in known]}


def run_distributions(hostvars, hosts):
    """The distributions this run converged: the ``cloudfront_outputs`` (a dict with a name) of each of hosts that has
    one in hostvars (set only where the cloudfront or static_site role ran in this run), in the order of hosts."""
    distributions = []
    for host in hosts or []:
        if host not in hostvars:
            continue
        outputs = hostvars[host].get("cloudfront_outputs")
        if isinstance(outputs, Mapping) and outputs.get("name"):
            distributions.append(outputs)
    return distributions


# What each tier role reads first with atelier.infra.aws_values_info (tier_values_read), and where the module's result
# answers for each name: found in one key, or listed as missing (or deleted) in another.
VALUES_READ_ROLES = ("asg_launch_template", "alb")
# The cloudfront role reads apart (CloudFront's web ACLs are of another scope than the load balancers', in us-east-1).
VALUES_READ_APART = ("cloudfront",)
_VALUES_ANSWERS = {
    "auto_scaling_groups": ("auto_scaling_group_details", "missing_auto_scaling_groups"),
    "launch_templates": ("launch_template_details", "missing_launch_templates"),
    "parameters": ("parameters", "missing_parameters"),
    "secrets": ("secrets", "missing_secrets", "deleted_secrets"),
    "web_acls": ("web_acl_details", "missing_web_acls"),
    "distributions": ("distribution_details", "missing_distributions"),
    "load_balancers": ("load_balancer_details", "missing_load_balancers"),
    "target_groups": ("target_group_details", "missing_target_groups"),
    "iam_roles": ("iam_role_details", "missing_iam_roles"),
    "log_groups": ("log_group_details", "missing_log_groups"),
    "scaling_policies": ("scaling_policy_details",),
    "scaling_alarms": ("scaling_alarm_details", "missing_scaling_alarms"),
}


def tier_values_read(tiers, prefix, roles=VALUES_READ_ROLES):
    """The options of atelier.infra.aws_values_info that read first what the tier roles of ``roles`` keep, for every
    tier of tiers at once: an EC2 tier's Auto Scaling group, launch template, CloudWatch agent parameter (with its
    details), the AMI's parameter (unless the tier gives ami_id), instance role, log group and scaling policies for
    asg_launch_template; for alb, the load balancer,
    the target group (of the tier's runtime) and the web ACL (named after the load balancer) of each tier that has a
    load balancer, and the origin secret (with its details) of those behind CloudFront; for cloudfront (alone: its web
    ACLs are of the CLOUDFRONT scope), the distribution and its web ACL of each tier that has a load balancer. Each name
    once, in the tiers' order."""
    unknown = [role for role in roles if role not in VALUES_READ_ROLES + VALUES_READ_APART]
    if unknown:
        raise ValueError(f"unknown role {', '.join(map(str, unknown))}: one of {', '.join(VALUES_READ_ROLES + VALUES_READ_APART)}")
    if set(roles) & set(VALUES_READ_APART) and len(set(roles)) > 1:
        raise ValueError("cloudfront is read apart: its web ACLs are of the CLOUDFRONT scope")
    read = {"auto_scaling_groups": [], "launch_templates": [], "parameters": [], "parameter_details": [], "secrets": [],
            "web_acls": [], "load_balancers": [], "target_groups": [], "iam_roles": [], "log_groups": [],
            "scaling_policies": [], "scaling_alarms": [], "distributions": []}
    for tier in tiers:
        settings = tier_spec.settings(tier)
        if settings["runtime"] not in stack.TARGET_GROUPS:
            continue  # a static tier: neither load balancer nor Auto Scaling group
        names = stack.tier_names(prefix, settings["name"], settings["runtime"])
        if "asg_launch_template" in roles and settings["runtime"] == "ec2":
            read["auto_scaling_groups"].append(names["group"])
            read["launch_templates"].append(names["launch_template"])
            if not settings.get("ami_id"):
                read["parameters"].append(settings["ami_ssm_parameter"])
            read["parameters"].append(names["cloudwatch_agent_parameter"])
            read["parameter_details"].append(names["cloudwatch_agent_parameter"])
            read["iam_roles"].append(names["instance_role"])
            read["log_groups"].append(names["log_group"])
            read["scaling_policies"].append(names["group"])
            read["scaling_alarms"].extend(policy["name"] for policy in asg_scaling_policies(tier, names))
        if "cloudfront" in roles:
            read["distributions"].append(names["distribution"])
            read["web_acls"].append(names["distribution"])
        if "alb" in roles:
            read["load_balancers"].append(names["alb"])
            read["target_groups"].append(names["target_group"])
            read["web_acls"].append(names["alb"])
            if settings.get("cloudfront"):
                read["secrets"].append(names["origin_secret"])
    read = {key: list(dict.fromkeys(names)) for key, names in read.items()}
    read["secret_details"] = bool(read["secrets"])
    return read


def tagged_distribution_id(resources, name):
    """The id of the one CloudFront distribution of tagged_resources_info's resources whose Name tag is name; '' when
    none or more than one has it (atelier.infra.cloudfront_distribution then lists the distributions, and refuses
    two of one name)."""
    found = [r.get("name") or "" for r in resources or []
             if isinstance(r, Mapping) and r.get("resource_type") == "cloudfront:distribution"
             and (r.get("tags") or {}).get("Name") == name]
    return found[0] if len(found) == 1 else ""


def alb_found(values, names):
    """The tier's target group and load balancer from a read of every tier (aws_values_info's target_group_details and
    load_balancer_details), shaped as community.aws.elb_target_group_info and amazon.aws.elb_application_lb_info
    register them: {target_groups: [it] or [], load_balancers: [it] or []}; None without a read."""
    if not isinstance(values, Mapping):
        return None
    groups = values.get("target_group_details") or {}
    balancers = values.get("load_balancer_details") or {}
    return {
        "target_groups": [groups[names["target_group"]]] if names["target_group"] in groups else [],
        "load_balancers": [balancers[names["alb"]]] if names["alb"] in balancers else [],
    }


def aws_values_cover(values, read):
    """values (an atelier.infra.aws_values_info result) when it answers every name of read (tier_values_read's options
    for one tier: each name found or listed missing, with the details asked for), else None: a role then reads itself
    rather than take a name it did not read as missing."""
    if not isinstance(values, Mapping) or values.get("skipped") or values.get("failed"):
        return None
    for key, names in read.items():
        if key == "secret_details":
            if names and not isinstance(values.get("secret_details"), Mapping):
                return None
            continue
        if key == "parameter_details":
            details = values.get("parameter_details")
            if names and not isinstance(details, Mapping):
                return None
            if any(name not in details and name not in values.get("missing_parameters", []) for name in names):
                return None
            continue
        answers = [values.get(answer) for answer in _VALUES_ANSWERS[key]]
        if any(not any(isinstance(a, (Mapping, list)) and name in a for a in answers) for name in names):
            return None
    return values


def _quote(value):
    """As Ansible's quote filter: shell-quoted text (None is empty)."""
    return shlex.quote("" if value is None else str(value))


SECRET_FUNCTIONS = """
secret_string() {
  aws secretsmanager get-secret-value --region "${REGION}" --secret-id "$1" --query SecretString --output text
}

json_field() {
  python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}
"""


def asg_user_data(tier, runtime, upstream_environment=None, grant_environment=None):
    """The variable parts of the user data script (roles/asg_launch_template/templates/user_data.sh.j2 prints them):

    * ``ecr_login``: the ECR login function and its call when the image is in ECR, else empty;
    * ``read_secrets``: the functions that read a secret and each secret read into a shell variable and exported (the
      value stays in this shell's memory: never a file, a command-line argument or the log), else empty;
    * ``env_options``: the ``docker run`` options of the container's environment: PORT, the tier's environment merged
      with the variables of its grants (``DYNAMODB_TABLE``, ``AWS_REGION``, ...: tier_access's environment) and the
      upstream URLs (the URLs win, then the grants), sorted and shell-quoted, then each secret by name only
      (``--env NAME``: docker takes the value from the environment).

    runtime is tier_runtime's output for the tier.
    """
    t = tier_spec.settings(tier)
    ecr_login = ""
    if runtime.get("ecr_login"):
        ecr_login = (
            "\nlogin_to_ecr() {\n"
            '  aws ecr get-login-password --region "${REGION}" | docker login --username AWS --password-stdin '
            f"{_quote(runtime['registry'])}\n"
            "}\nretry login_to_ecr\n"
        )
    secrets = runtime.get("secrets") or []
    read_secrets = ""
    if secrets:
        lines = [SECRET_FUNCTIONS]
        for s in secrets:
            key = f" | json_field {_quote(s['json_key'])}" if s.get("json_key") else ""
            lines.append(f"{s['env']}=$(retry secret_string {_quote(s['secret_id'])}{key})\nexport {s['env']}\n")
        read_secrets = "".join(lines)
    environment = dict(t["environment"] or {})
    environment.update(grant_environment or {})
    environment.update(upstream_environment or {})
    options = ['  --env "PORT=${APP_PORT}" \\']
    options += [f"  --env {_quote(f'{name}={value}')} \\" for name, value in sorted(environment.items(), key=lambda kv: str(kv[0]).lower())]
    options += [f"  --env {s['env']} \\" for s in secrets]
    return {"ecr_login": ecr_login, "read_secrets": read_secrets, "env_options": "\n".join(options)}


def asg_missing(tier, names, subnets=None, security_groups=None, target_groups=None):
    """What the group needs and is not there (the lookups' results): the tier's subnets, its instance security group
    and its target group, as words for a message; empty when everything exists."""
    t = tier_spec.settings(tier)
    missing = []
    if not subnets:
        missing.append(f"{t['subnets']} subnets")
    if not security_groups:
        missing.append(f"security group {names['security_group']}")
    if not target_groups:
        missing.append(f"target group {names['target_group']}")
    return missing


# ---- what the tier's role may use: its grants and its secrets ----------------------------------------------------


def tier_granted_tables(tier, prefix):
    """The stack's DynamoDB tables the tier is granted (its ``dynamodb_table`` grants), each {name, table}: the
    logical name and the table's name (stack.table_name), once each, in the order of the grants. The role looks each
    up to find the regions it lives in."""
    tables = []
    for grant in tier_spec.settings(tier)["grants"] or []:
        if isinstance(grant, Mapping) and grant.get("kind") == "dynamodb_table" and grant.get("name") not in [t["name"] for t in tables]:
            tables.append({"name": grant["name"], "table": stack.table_name(prefix, grant["name"])})
    return tables


def _arn_region(arn):
    parts = str(arn or "").split(":")
    return parts[3] if len(parts) > 5 else ""


def tier_table_lookups(outputs, tables, region):
    """The lookups of the tables a tier is granted (tier_granted_tables, or table names), shaped as the role's loop of
    atelier.infra.dynamodb_global_table_info registers them ({results: [{item, exists, table: {table_arn, replicas}}]}),
    from the ``dynamodb_global_outputs`` the dynamodb_global role published in this run (its table's name, region, ARN
    and replica regions); None when a granted table is not the one of the outputs, lives in another region or has no
    ARN (the role did not run in this run, or check mode before the table exists): then the role reads them."""
    results = []
    for item in tables or []:
        # An entry of tier_granted_tables, or a table's name (the monitoring role's loop over the tables it found).
        name = item.get("table") if isinstance(item, Mapping) else item
        if not isinstance(outputs, Mapping) or not isinstance(name, str):
            return None
        if outputs.get("table_name") != name or outputs.get("region") != region or not outputs.get("table_arn"):
            return None
        replicas = [{"region_name": r} for r in outputs.get("replicas") or [] if isinstance(r, str) and r]
        table = {"name": name, "table_arn": outputs["table_arn"], "replicas": replicas}
        results.append({"item": dict(item) if isinstance(item, Mapping) else item, "exists": True, "table": table})
    return {"results": results}


def tier_table_regions(lookups, region):
    """The regions of each granted table from the lookups (atelier.infra.dynamodb_global_table_info results, each with
    ``item`` - a tier_granted_tables entry -, ``exists`` and ``table``): the table's own region (its ARN's) and its
    replicas' (the module lists those not being deleted), sorted. A table that does not exist counts in region only (the stack's home
    region) and is listed in ``missing`` by name. Returns {regions: {logical name: [regions]}, missing: [table names]}.
    """
    regions, missing = {}, []
    for lookup in lookups or []:
        if not isinstance(lookup, Mapping) or not isinstance(lookup.get("item"), Mapping):
            continue
        item, table = lookup["item"], lookup.get("table") or {}
        if not lookup.get("exists") or not table:
            regions[item["name"]] = [region]
            missing.append(item["table"])
            continue
        found = {_arn_region(table.get("table_arn")) or region}
        # The module lists the live replicas only (not those being deleted).
        found.update(r["region_name"] for r in table.get("replicas") or [] if isinstance(r, Mapping) and r.get("region_name"))
        regions[item["name"]] = sorted(found)
    return {"regions": regions, "missing": missing}


def tier_access(tier, prefix, account, region, partition="aws", table_regions=None, secret_arns=None):
    """What the tier's role may use and what its container is told:

    * ``policy_name``: the one inline policy of the tier's role (ACCESS_POLICY);
    * ``policy``: its document (grants.grant_policy: the tier's grants with exact ARNs, a table in every region of
      table_regions ({logical name: [regions]}, its home region when absent), and reading the secrets of
      secret_arns, the tier's ``secrets`` as tier_runtime resolves them), None when there is nothing to allow;
    * ``state``: ``present``, or ``absent`` when there is no policy (an old one is removed);
    * ``environment``: the container's variables naming what was granted (grants.grant_environment: DYNAMODB_TABLE,
      AWS_REGION, ...).
    """
    t = tier_spec.settings(tier)
    granted = [g for g in t["grants"] or [] if isinstance(g, Mapping)]
    policy = grants.grant_policy(granted, prefix, partition, account, region, table_regions or {}, list(secret_arns or []),
                                 tracing=t["tracing"])
    return {
        "policy_name": ACCESS_POLICY,
        "policy": policy,
        "state": "present" if policy else "absent",
        "environment": grants.grant_environment(granted, prefix, account, region, partition),
    }
