# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a Fargate tier (runtime fargate) is made of, derived from the tier's settings and the stack's names, as the
options of the modules that converge it:

* ``task_definition``: atelier.infra.ecs_task_definition's options (one container: image, port, environment,
  secrets by ARN, awslogs, health check, read-only root filesystem, runtime platform);
* ``execution_role``: the role ECS acts as to start the task (pull from the tier's ECR repository only, write its log
  group only, read exactly its secrets), trusted by ecs-tasks.amazonaws.com of this account only;
* ``task_role``: the role the application acts as (the tier's grants, plugins/module_utils/grants.py);
* ``service``: atelier.infra.ecs_service's options;
* ``scaling``: atelier.infra.application_autoscaling_target's options (the target and its target tracking policies).

Pure Python (no boto3): the filters of plugins/filter/fargate.py call it in templating.
"""

import re

from ansible_collections.atelier.infra.plugins.module_utils import grants
from ansible_collections.atelier.infra.plugins.module_utils import observability
from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils import tier_spec

ECS_TASKS = "ecs-tasks.amazonaws.com"
ECR_PULL = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
ECR_IMAGE = re.compile(r"^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?/([^:@]+)")
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html (the task role's permissions)
EXEC_ACTIONS = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel"]
# ECS's bounds of a container health check (ContainerDefinition healthCheck).
HEALTH_TIMEOUT_MAX = 60
START_PERIOD_MAX = 300
SCALABLE_DIMENSION = "ecs:service:DesiredCount"
METRICS = {
    "cpu": ("cpu_target", "ECSServiceAverageCPUUtilization"),
    "memory": ("memory_target", "ECSServiceAverageMemoryUtilization"),
    "requests": ("requests_per_target", "ALBRequestCountPerTarget"),
}


def _role_arn(partition, account, name):
    return f"arn:{partition}:iam::{account}:role/{name}"


def _log_group_arn(partition, region, account, group):
    return f"arn:{partition}:logs:{region}:{account}:log-group:{group}"


def secret_value_from(secret, account, region, partition="aws", secret_arns=None):
    """A container secret's valueFrom: the secret's full ARN (from secret_arns, {secret id: ARN}, the ARNs looked up,
    else the ARN given, else the partial ARN of a secret named in this account and region), then :<json key>:: when
    a JSON key is read. secret: one entry of tier_runtime's secrets ({env, secret_id, json_key, arn})."""
    secret_id = secret["secret_id"]
    arn = (secret_arns or {}).get(secret_id) or (
        secret_id if secret_id.startswith("arn:") else f"arn:{partition}:secretsmanager:{region}:{account}:secret:{secret_id}"
    )
    return f"{arn}:{secret['json_key']}::" if secret.get("json_key") else arn


def health_check(tier):
    """The container's health check: the tier's health_check path on app_port, from inside the container (curl, else
    wget: the image needs one), its interval, timeout (at most 60) and unhealthy threshold, after a start period of
    health_check_grace_period (at most 300)."""
    t = tier_spec.settings(tier)
    check = t["health_check"]
    url = f"http://127.0.0.1:{int(t['app_port'])}{check['path']}"
    return {
        "command": ["CMD-SHELL", f"curl -fsS -o /dev/null {url} || wget -q -O /dev/null {url} || exit 1"],
        "interval": int(check["interval"]),
        "timeout": min(int(check["timeout"]), HEALTH_TIMEOUT_MAX),
        "retries": int(check["unhealthy_threshold"]),
        "startPeriod": min(int(t["health_check_grace_period"]), START_PERIOD_MAX),
    }


def container_environment(tier, prefix, account, region, partition="aws", upstream_environment=None):
    """The container's variables: PORT (app_port), AWS_REGION, the variables of the tier's grants and of the tiers it
    calls (upstream_environment, tier_upstream_environment's), then the tier's environment, which wins; sorted."""
    t = tier_spec.settings(tier)
    env = {"PORT": str(t["app_port"]), "AWS_REGION": region}
    env.update(grants.grant_environment(t["grants"], prefix, account, region, partition))
    env.update(upstream_environment or {})
    env.update(t["environment"] or {})
    return [{"name": str(k), "value": str(v)} for k, v in sorted(env.items())]


def task_definition(tier, prefix, account, region, runtime, partition="aws", secret_arns=None, upstream_environment=None):
    """atelier.infra.ecs_task_definition's options (tags aside) of the tier. runtime: tier_runtime's answer for the
    tier (the image URI and its secrets)."""
    t = tier_spec.settings(tier)
    names = stack.stack_names(prefix, t["name"])
    container = {
        "name": t["name"],
        "image": runtime["image"],
        "essential": True,
        "portMappings": [{"containerPort": int(t["app_port"]), "protocol": "tcp"}],
        "environment": container_environment(tier, prefix, account, region, partition, upstream_environment),
        "secrets": [
            {"name": s["env"], "valueFrom": secret_value_from(s, account, region, partition, secret_arns)}
            for s in sorted(runtime["secrets"], key=lambda s: s["env"])
        ],
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {"awslogs-group": names["ecs_log_group"], "awslogs-region": region, "awslogs-stream-prefix": t["name"]},
        },
        "healthCheck": health_check(tier),
        "readonlyRootFilesystem": bool(t["read_only_root_filesystem"]),
    }
    return {
        "family": names["task_family"],
        "launch_type": "FARGATE",
        "network_mode": "awsvpc",
        "cpu": str(t["cpu"]),
        "memory": str(t["memory"]),
        "cpu_architecture": t["cpu_architecture"],
        "operating_system_family": "LINUX",
        "execution_role_arn": _role_arn(partition, account, names["execution_role"]),
        "task_role_arn": _role_arn(partition, account, names["task_role"]),
        "containers": [container],
        "keep_revisions": int(t["revisions_kept"]),
    }


def ecr_repository_arn(image, partition="aws"):
    """The ARN of the ECR repository an image URI names, None for an image of another registry."""
    found = ECR_IMAGE.match(image or "")
    if not found:
        return None
    account, region, _cn, repository = found.groups()
    return f"arn:{partition}:ecr:{region}:{account}:repository/{repository}"


def execution_role(tier, prefix, account, region, runtime, partition="aws"):
    """The tier's execution role: {name, trust_policy, policy}. The policy pulls from the image's ECR repository only
    (GetAuthorizationToken has no resource: *), writes the tier's log group only and reads exactly the tier's secrets
    (runtime's secret_arns: a secret named without an ARN is matched with AWS's six-character suffix)."""
    t = tier_spec.settings(tier)
    names = stack.stack_names(prefix, t["name"])
    group = _log_group_arn(partition, region, account, names["ecs_log_group"])
    statements = []
    repository = ecr_repository_arn(runtime["image"], partition)
    if repository:
        statements.append({"Sid": "PullTheTierImage", "Effect": "Allow", "Action": ECR_PULL, "Resource": [repository]})
        statements.append({"Sid": "LogInToEcr", "Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": "*"})
    statements.append({
        "Sid": "WriteTheTierLogs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": [group, f"{group}:log-stream:*"],
    })
    if runtime["secret_arns"]:
        statements.append({
            "Sid": "ReadTheTierSecretsOnly", "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
            "Resource": sorted(runtime["secret_arns"]),
        })
    return {
        "name": names["execution_role"],
        "trust_policy": observability.service_trust_policy(ECS_TASKS, account, partition, region),
        "policy": {"Version": "2012-10-17", "Statement": statements},
    }


def task_role(tier, prefix, account, region, partition="aws", table_regions=None):
    """The tier's task role: {name, trust_policy, policy}: the tier's grants (grants.grant_policy), plus the SSM
    channels of ECS Exec when enable_execute_command; policy None when there is nothing to allow."""
    t = tier_spec.settings(tier)
    names = stack.stack_names(prefix, t["name"])
    policy = grants.grant_policy(t["grants"], prefix, partition, account, region, table_regions, tracing=t["tracing"])
    if t["enable_execute_command"]:
        policy = policy or {"Version": "2012-10-17", "Statement": []}
        policy["Statement"].append({"Sid": "EcsExec", "Effect": "Allow", "Action": EXEC_ACTIONS, "Resource": "*"})
    return {
        "name": names["task_role"],
        "trust_policy": observability.service_trust_policy(ECS_TASKS, account, partition, region),
        "policy": policy,
    }


def capacity_provider_strategy(tier):
    """The service's capacity provider strategy: FARGATE with its base and weight, FARGATE_SPOT with its weight;
    a provider with neither is left out."""
    s = tier_spec.settings(tier)["capacity_provider_strategy"]
    strategy = []
    if s["fargate_weight"] or s["fargate_base"]:
        strategy.append({"capacity_provider": "FARGATE", "weight": int(s["fargate_weight"]), "base": int(s["fargate_base"])})
    if s["spot_weight"]:
        strategy.append({"capacity_provider": "FARGATE_SPOT", "weight": int(s["spot_weight"]), "base": 0})
    return strategy


def autoscaled(tier):
    """Whether Application Auto Scaling owns the service's task count."""
    return tier_spec.settings(tier)["scaling"]["policy"] != "none"


def service(tier, prefix, task_definition_arn, subnets, security_groups, target_group_arn, wait=False):
    """atelier.infra.ecs_service's options (tags aside): the tier's service in the stack's cluster, in subnets with
    security_groups and no public IP, behind target_group_arn (an ip target group) on the container's app_port."""
    t = tier_spec.settings(tier)
    names = stack.stack_names(prefix, t["name"])
    deployment = t["deployment"]
    return {
        "cluster": names["ecs_cluster"],
        "name": names["service"],
        "task_definition": task_definition_arn,
        "desired_count": int(t["desired_capacity"]),
        "autoscaled": autoscaled(tier),
        "capacity_provider_strategy": capacity_provider_strategy(tier),
        "subnets": list(subnets),
        "security_groups": list(security_groups),
        "assign_public_ip": False,
        "load_balancers": [{"target_group_arn": target_group_arn, "container_name": t["name"], "container_port": int(t["app_port"])}],
        "health_check_grace_period_seconds": int(t["health_check_grace_period"]),
        "minimum_healthy_percent": int(deployment["minimum_healthy_percent"]),
        "maximum_percent": int(deployment["maximum_percent"]),
        "circuit_breaker": {"enable": bool(deployment["circuit_breaker"]), "rollback": bool(deployment["rollback"])},
        "enable_execute_command": bool(t["enable_execute_command"]),
        "propagate_tags": "SERVICE",
        "wait": bool(wait),
    }


def request_count_label(load_balancer_arn, target_group_arn):
    """ALBRequestCountPerTarget's resource label: app/<alb>/<id>/targetgroup/<tg>/<id>."""
    return f"{stack.cloudwatch_dimension(load_balancer_arn)}/{stack.cloudwatch_dimension(target_group_arn)}"


def scaling_policy_names(tier, prefix):
    """The names of the tier's target tracking policies (none with scaling.policy none), without ARNs."""
    t = tier_spec.settings(tier)
    names = stack.stack_names(prefix, t["name"])
    s = t["scaling"]
    return [f"{names['service_scaling_policy_prefix']}{suffix}" for suffix, (key, _metric) in METRICS.items()
            if s["policy"] != "none" and s[key]]


def scaling(tier, prefix, load_balancer_arn="", target_group_arn="", state="present"):
    """atelier.infra.application_autoscaling_target's options for the tier's service: {state, resource_id,
    scalable_dimension, minimum_tasks, maximum_tasks, policies}. policies: every target tracking policy the tier asks
    for (CPU at scaling.cpu_target; memory at scaling.memory_target and requests per task at
    scaling.requests_per_target when above 0); the module deletes the others. state is absent (the scalable target
    deregistered with its policies, as Terraform's aws_appautoscaling_target removed) when the role removes the tier
    or its scaling.policy is none. The request count policy needs the ALB's and target group's ARNs."""
    t = tier_spec.settings(tier)
    names = stack.stack_names(prefix, t["name"])
    s = t["scaling"]
    present = state == "present" and s["policy"] != "none"
    policies = []
    for suffix, (key, metric) in METRICS.items():
        if not present or not s[key]:
            continue
        specification = {"PredefinedMetricType": metric}
        if suffix == "requests":
            if not load_balancer_arn or not target_group_arn:
                raise ValueError(f"tier {t['name']}: scaling requests_per_target needs the load balancer's and target group's ARNs")
            specification["ResourceLabel"] = request_count_label(load_balancer_arn, target_group_arn)
        policies.append({
            "policy_name": f"{names['service_scaling_policy_prefix']}{suffix}",
            "policy_type": "TargetTrackingScaling",
            "target_tracking_scaling_policy_configuration": {
                "TargetValue": float(s[key]),
                "PredefinedMetricSpecification": specification,
                "ScaleOutCooldown": int(s["cooldown"]),
                "ScaleInCooldown": int(s["cooldown"]),
                "DisableScaleIn": False,
            },
        })
    return {
        "state": "present" if present else "absent",
        "resource_id": f"service/{names['ecs_cluster']}/{names['service']}",
        "scalable_dimension": SCALABLE_DIMENSION,
        "minimum_tasks": int(t["min_size"]),
        "maximum_tasks": int(t["max_size"]),
        "policies": policies,
    }
