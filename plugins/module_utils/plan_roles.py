# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the tier roles tell the plan callback (plugins/callback/plan.py) about the resources it cannot see by itself
(the filters of plugins/filter/plan.py), as ``atelier_plan`` records:

* ``alb_plan``: community.aws.elb_target_group has no check mode, so the alb role compares the target group found
  (community.aws.elb_target_group_info) with the one the tier describes, the way that module does; the load
  balancer's and the origin secret's results are hidden (no_log), so it names them (identities); and where the
  network does not exist yet (check mode on an empty account) it says what it would create;
* ``asg_plan``: where the tier's network or target group does not exist yet (check mode), the instance role, log
  group, launch template, group, scaling policies and their alarms it would create; else the group's drift;
* ``rds_postgres_plan``, ``bastion_plan``, ``monitoring_plan``: what those roles would create where check mode cannot
  run their modules (the network or the alarm topic does not exist yet), and whether a resource whose module's result
  cannot tell a creation from an update existed before.

A record is ``{action, type, name, attributes, diff}`` (plugins/module_utils/plan.py) or an identity ``{module, type,
name, exists}``. Pure Python.
"""

from ansible_collections.atelier.infra.plugins.module_utils import plan
from ansible_collections.atelier.infra.plugins.module_utils import tier_spec

ALB_MODULE = "amazon.aws.elb_application_lb"
SECRET_MODULE = "community.aws.secretsmanager_secret"


def _record(action, rtype, name, diff=None):
    diff = diff or {}
    return {"action": action, "type": rtype, "name": name, "attributes": sorted(diff), "diff": diff}


def _differences(found, wanted):
    """{key: {before, after}} of the wanted keys whose found value differs."""
    return {key: {"before": found.get(key), "after": value} for key, value in wanted.items() if found.get(key) != value}


def target_group_settings(tier, tags):
    """The target group the alb role converges, as elb_target_group_info describes one (the keys the role sets)."""
    t = tier_spec.settings(tier)
    check = t["health_check"]
    wanted = {
        "protocol": "HTTP",
        "port": int(t["app_port"]),
        "health_check_protocol": "HTTP",
        "health_check_port": "traffic-port",
        "health_check_path": check["path"],
        "health_check_interval_seconds": int(check["interval"]),
        "health_check_timeout_seconds": int(check["timeout"]),
        "healthy_threshold_count": int(check["healthy_threshold"]),
        "unhealthy_threshold_count": int(check["unhealthy_threshold"]),
        "matcher": {"http_code": str(check["matcher"])},
        "deregistration_delay_timeout_seconds": str(t["deregistration_delay"]),
        "tags": dict(tags),
    }
    # elb_target_group turns stickiness on, never off, and sets its type and duration only when asked.
    if int(t["stickiness_seconds"]) > 0:
        wanted.update(stickiness_enabled="true", stickiness_type="lb_cookie",
                      stickiness_lb_cookie_duration_seconds=str(t["stickiness_seconds"]))
    else:
        wanted["stickiness_type"] = "lb_cookie"
    return wanted


def alb_target_group_kept(found, tier, names, tags):
    """The target group found (elb_target_group_info's target_groups) when it already has every setting the alb role
    gives it (target_group_settings: protocol, port, health check, deregistration delay, stickiness, tags), else {}.
    The role then takes it as it is: community.aws.elb_target_group would read it again to change nothing."""
    current = next((g for g in found or [] if isinstance(g, dict) and g.get("target_group_name") == names["target_group"]), None)
    if current is None or not current.get("target_group_arn") or _differences(current, target_group_settings(tier, tags)):
        return {}
    return current


def alb_plan(found, tier, names, tags, network_found=True, generated_secret=True):
    """The alb role's records: the target group's change (found: elb_target_group_info's target_groups, [] when
    missing; tags: the group's, Name included), and the identities of the load balancer and the origin secret; where
    the network is missing, the creations instead."""
    t = tier_spec.settings(tier)
    secret = generated_secret and bool(t["cloudfront"])
    if not network_found:
        records = [_record(plan.CREATE, "secret", names["origin_secret"])] if secret else []
        return records + [_record(plan.CREATE, "target group", names["target_group"]),
                          _record(plan.CREATE, "load balancer", names["alb"])]
    current = next((g for g in found or [] if g.get("target_group_name") == names["target_group"]), None)
    if current is None:
        records = [_record(plan.CREATE, "target group", names["target_group"])]
        alb_exists = False
    else:
        differing = _differences(current, target_group_settings(tier, tags))
        records = [_record(plan.UPDATE if differing else plan.KEEP, "target group", names["target_group"], differing)]
        marker = f":loadbalancer/app/{names['alb']}/"
        # Attached: the load balancer exists; not attached: the callback asks the stack's tags.
        alb_exists = True if any(marker in arn for arn in current.get("load_balancer_arns") or []) else None
    records.append({"module": ALB_MODULE, "type": "load balancer", "name": names["alb"], "exists": alb_exists})
    if secret:
        records.append({"module": SECRET_MODULE, "type": "secret", "name": names["origin_secret"], "exists": None})
    return records


def asg_plan(tier, names, missing, wanted_policies, current=None, drift=None):
    """The asg_launch_template role's records: with prerequisites missing (check mode before the network, the
    security group or the target group exist), every resource it would create (instance role, log group, the
    CloudWatch agent's parameter, launch template, group, the present scaling policies and the alarms of step policies); else the group's drift as its
    change (current: the group found, {} when none)."""
    group = names["group"]
    if missing:
        records = [
            _record(plan.CREATE, "iam role", names["instance_role"]),
            _record(plan.CREATE, "log group", names["log_group"]),
            _record(plan.CREATE, "ssm parameter", names["cloudwatch_agent_parameter"]),
            _record(plan.CREATE, "launch template", names["launch_template"]),
            _record(plan.CREATE, "auto scaling group", group),
        ]
        for policy in wanted_policies or []:
            if policy.get("state", "present") == "present":
                records.append(_record(plan.CREATE, "scaling policy", policy["name"]))
                if policy.get("alarm"):
                    records.append(_record(plan.CREATE, "cloudwatch alarm", policy["name"]))
        return records
    if not drift:
        return []
    if not current:
        return [_record(plan.CREATE, "auto scaling group", group)]
    return [{"action": plan.UPDATE, "type": "auto scaling group", "name": group,
             "attributes": sorted({str(line).split(" is ", 1)[0] for line in drift}), "diff": {}}]


RDS_SUBNET_GROUP_MODULE = "amazon.aws.rds_subnet_group"
RDS_PARAMETER_GROUP_MODULE = "amazon.aws.rds_instance_param_group"


def rds_postgres_plan(names, network_found=True, instance_found=False, secret_found=False):
    """The rds_postgres role's records. names: {secret, subnet_group, parameter_group, monitoring_role ('' without
    enhanced monitoring), instance}. Without the network (check mode on an empty account): every resource it would
    create. Else identities: the secret's (its results are hidden by no_log) and those of the subnet group and the
    parameter group, whose results cannot tell a creation from an update: they are made with the instance and named
    by it, so they exist when the instance does (a group left by an earlier run that failed before its instance counts
    as added again)."""
    if not network_found:
        records = [_record(plan.CREATE, "secret", names["secret"]),
                   _record(plan.CREATE, "db subnet group", names["subnet_group"]),
                   _record(plan.CREATE, "db parameter group", names["parameter_group"])]
        if names.get("monitoring_role"):
            records.append(_record(plan.CREATE, "iam role", names["monitoring_role"]))
        return records + [_record(plan.CREATE, "db instance", names["instance"])]
    return [
        {"module": SECRET_MODULE, "type": "secret", "name": names["secret"], "exists": bool(secret_found)},
        {"module": RDS_SUBNET_GROUP_MODULE, "type": "db subnet group", "name": names["subnet_group"], "exists": bool(instance_found)},
        {"module": RDS_PARAMETER_GROUP_MODULE, "type": "db parameter group", "name": names["parameter_group"],
         "exists": bool(instance_found)},
    ]


def bastion_plan(names, missing, key_wanted=False):
    """The bastion role's records where its network is missing (check mode on an empty account): the instance role
    (with its instance profile), the key pair when one is wanted, and the instance. names: {role, key, instance}."""
    if not missing:
        return []
    records = [_record(plan.CREATE, "iam role", names["role"])]
    if key_wanted:
        records.append(_record(plan.CREATE, "key pair", names["key"]))
    return records + [_record(plan.CREATE, "ec2 instance", names["instance"])]


def monitoring_plan(topic, topic_found, rule, rule_wanted):
    """The monitoring role's records: the alarm topic it would create (community.aws.sns_topic fails in check mode on
    a missing topic, so the role skips it) and the scaling-events rule (amazon.aws.cloudwatchevent_rule has no check
    mode and its result cannot tell a creation from an update). The rule is made right after the topic and names it
    as its target: without the topic it is new; with it, the module's result says (a rule deleted by hand while its
    topic stayed counts as changed)."""
    if topic_found:
        return []
    return [_record(plan.CREATE, "sns topic", topic)] + ([_record(plan.CREATE, "eventbridge rule", rule)] if rule_wanted else [])
