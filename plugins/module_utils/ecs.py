# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The ECS calls of atelier.infra.ecs_task_definition, atelier.infra.ecs_cluster and atelier.infra.ecs_service (one
boto3 call each, with amazon.aws' retry decorator and an error handler turning botocore exceptions into
AnsibleECSError), and, without AWS, what the modules decide:

* ``option_errors``: the mistakes found before any call (Fargate sizes, ports, secrets by ARN, names);
* ``request``: the RegisterTaskDefinition request the options describe;
* ``normalize``: a definition as ECS stores it, with the values ECS fills in (``essential``, a port mapping's host port
  and protocol, a health check's interval/timeout/retries, empty lists) made explicit and lists in a stable order,
  so that the definition described and the one requested compare equal when ECS would run the same task;
* ``differences``: the settings that differ between the latest ACTIVE revision and the request (none: no new
  revision);
* ``revisions_to_deregister``: the ACTIVE revisions beyond the number to keep;
* ``cluster_errors`` and ``cluster_changes``: a cluster's bad input, and what differs (Container Insights, capacity
  providers and their default strategy);
* ``service_errors``, ``service_request``, ``service_update`` and ``steady`` (atelier.infra.ecs_service): a service's bad
  input, its CreateService request, the one UpdateService request carrying only what differs (none: no call), and
  whether a described service is in a steady state.
"""

import re
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES
# Task CPU units -> the memory sizes (MiB) Fargate runs with it: the tier specification's table.
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import FARGATE_SIZES

HEALTH_CHECK_DEFAULTS = {"interval": 30, "timeout": 5, "retries": 3}
# A task definition family and a cluster name alike.
NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
ARN = re.compile(r"^arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]+:\d{12}:(secret:|parameter/)\S+$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/\S+$")
# The settings of a task definition the module manages, as RegisterTaskDefinition names them.
TASK_KEYS = (
    "cpu", "memory", "networkMode", "requiresCompatibilities", "executionRoleArn", "taskRoleArn", "runtimePlatform",
    "ephemeralStorage", "volumes", "containerDefinitions",
)
# Container keys holding lists of dicts ECS may return in another order, and the key that identifies an item.
ORDERLESS = {"environment": "name", "secrets": "name", "ulimits": "name", "mountPoints": "containerPath"}


class AnsibleECSError(AnsibleAWSError):
    pass


class ECSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleECSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ClientException")


class ECSClusterErrorHandler(ECSErrorHandler):
    """A call in a cluster: a cluster that does not exist holds nothing (ClusterNotFoundException reads as missing)."""

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ClientException", "ClusterNotFoundException"])


def _retry():
    return AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)


# ---------------------------------------------------------------- calls


@ECSErrorHandler.list_error_handler("describe the task definition", None)
@_retry()
def describe_latest(client, family: str) -> Optional[Dict[str, Any]]:
    """The family's latest ACTIVE revision with its tags (``{"taskDefinition": ..., "tags": [...]}``), None when the
    family has none (ECS answers ClientException)."""
    answer = client.describe_task_definition(taskDefinition=family, include=["TAGS"])
    return {"taskDefinition": answer["taskDefinition"], "tags": answer.get("tags") or []}


@ECSErrorHandler.common_error_handler("register the task definition")
@_retry()
def register(client, params: Dict[str, Any]) -> Dict[str, Any]:
    return client.register_task_definition(**params)["taskDefinition"]


@ECSErrorHandler.list_error_handler("list the task definitions", [])
@_retry()
def list_active(client, family: str) -> List[str]:
    paginator = client.get_paginator("list_task_definitions")
    return paginator.paginate(familyPrefix=family, status="ACTIVE").build_full_result()["taskDefinitionArns"]


@ECSErrorHandler.common_error_handler("deregister the task definition")
@_retry()
def deregister(client, arn: str) -> None:
    client.deregister_task_definition(taskDefinition=arn)


@ECSErrorHandler.common_error_handler("tag the ECS resource")
@_retry()
def tag(client, arn: str, tags: Dict[str, str]) -> None:
    client.tag_resource(resourceArn=arn, tags=[{"key": k, "value": v} for k, v in sorted(tags.items())])


@ECSErrorHandler.common_error_handler("untag the ECS resource")
@_retry()
def untag(client, arn: str, keys: List[str]) -> None:
    client.untag_resource(resourceArn=arn, tagKeys=sorted(keys))


# ---------------------------------------------------------------- decisions


def option_errors(params: Dict[str, Any]) -> List[str]:
    """What is wrong with the module's options, each naming the option and the mistake."""
    errors = []
    family = params.get("family") or ""
    if not NAME.match(family):
        errors.append(f"family must be 1-255 letters, digits, hyphens and underscores, got {family!r}")
    if params.get("state", "present") == "absent":
        return errors
    launch_type = params.get("launch_type", "FARGATE")
    cpu, memory = str(params.get("cpu") or ""), str(params.get("memory") or "")
    if launch_type == "FARGATE":
        if params.get("network_mode", "awsvpc") != "awsvpc":
            errors.append(f"network_mode must be awsvpc on Fargate, got {params.get('network_mode')!r}")
        if not cpu.isdigit() or int(cpu) not in FARGATE_SIZES:
            errors.append(f"cpu must be one of Fargate's sizes {', '.join(map(str, FARGATE_SIZES))}, got {cpu or None!r}")
        elif not memory.isdigit() or int(memory) not in FARGATE_SIZES[int(cpu)]:
            sizes = FARGATE_SIZES[int(cpu)]
            errors.append(
                f"memory {memory or None!r} does not exist on Fargate with cpu {cpu}: "
                f"{sizes[0]} to {sizes[-1]} MiB ({', '.join(map(str, sizes))})"
            )
    for option in ("execution_role_arn", "task_role_arn"):
        value = params.get(option)
        if value and not ROLE_ARN.match(value):
            errors.append(f"{option} must be an IAM role ARN, got {value!r}")
    containers = params.get("containers") or []
    if not containers:
        errors.append("containers must list at least one container")
    names = [c.get("name") for c in containers if isinstance(c, dict)]
    if len(set(names)) != len(names):
        errors.append(f"containers: names must be unique, got {names}")
    awsvpc = params.get("network_mode", "awsvpc") == "awsvpc"
    for index, container in enumerate(containers):
        where = f"containers[{index}]" + (f" ({container.get('name')})" if isinstance(container, dict) and container.get("name") else "")
        if not isinstance(container, dict):
            errors.append(f"{where} must be a dictionary")
            continue
        for key in ("name", "image"):
            if not container.get(key):
                errors.append(f"{where}: {key} is required")
        for mapping in container.get("portMappings") or []:
            port, host = mapping.get("containerPort"), mapping.get("hostPort")
            if not isinstance(port, int) or not 1 <= port <= 65535:
                errors.append(f"{where}: portMappings containerPort must be a port (1-65535), got {port!r}")
            elif awsvpc and host not in (None, port):
                errors.append(f"{where}: portMappings hostPort {host} must equal containerPort {port} in awsvpc mode")
        for secret in container.get("secrets") or []:
            if not ARN.match(str(secret.get("valueFrom", ""))):
                errors.append(
                    f"{where}: secret {secret.get('name')!r} must come from a Secrets Manager secret or SSM parameter "
                    f"ARN (valueFrom), got {secret.get('valueFrom')!r}"
                )
    return errors


def request(params: Dict[str, Any]) -> Dict[str, Any]:
    """The RegisterTaskDefinition request (without tags) the options describe."""
    compatibilities = [params.get("launch_type", "FARGATE")]
    found = {
        "family": params["family"],
        "networkMode": params.get("network_mode", "awsvpc"),
        "requiresCompatibilities": compatibilities,
        "containerDefinitions": [dict(c) for c in params.get("containers") or []],
        "cpu": str(params["cpu"]) if params.get("cpu") else None,
        "memory": str(params["memory"]) if params.get("memory") else None,
        "executionRoleArn": params.get("execution_role_arn") or None,
        "taskRoleArn": params.get("task_role_arn") or None,
        "volumes": params.get("volumes") or None,
    }
    if params.get("cpu_architecture") or params.get("operating_system_family"):
        found["runtimePlatform"] = {
            "cpuArchitecture": params.get("cpu_architecture") or "X86_64",
            "operatingSystemFamily": params.get("operating_system_family") or "LINUX",
        }
    if params.get("ephemeral_storage"):
        found["ephemeralStorage"] = {"sizeInGiB": int(params["ephemeral_storage"])}
    return {k: v for k, v in found.items() if v is not None}


def _empty(value) -> bool:
    return value in (None, "", [], {})


def _container(container: Dict[str, Any], awsvpc: bool) -> Dict[str, Any]:
    found = {k: v for k, v in container.items() if not _empty(v) and not (k == "cpu" and v == 0)}
    found.setdefault("essential", True)
    mappings = []
    for mapping in found.get("portMappings") or []:
        mapping = {k: v for k, v in mapping.items() if not _empty(v)}
        mapping.setdefault("protocol", "tcp")
        if awsvpc and "containerPort" in mapping:
            mapping["hostPort"] = mapping["containerPort"]
        mappings.append(mapping)
    if mappings:
        found["portMappings"] = sorted(mappings, key=lambda m: (m.get("containerPort", 0), m.get("protocol", "")))
    if found.get("healthCheck"):
        found["healthCheck"] = {**HEALTH_CHECK_DEFAULTS, **{k: v for k, v in found["healthCheck"].items() if not _empty(v)}}
    for key, ident in ORDERLESS.items():
        if key in found:
            found[key] = sorted(found[key], key=lambda item: str(item.get(ident, "")))
    return found


def normalize(definition: Dict[str, Any]) -> Dict[str, Any]:
    """The settings of a task definition (described or requested) as ECS would run them, comparable with ==."""
    awsvpc = definition.get("networkMode", "awsvpc") == "awsvpc"
    found = {k: definition.get(k) for k in TASK_KEYS if not _empty(definition.get(k))}
    if "cpu" in found:
        found["cpu"] = str(found["cpu"])
    if "memory" in found:
        found["memory"] = str(found["memory"])
    if "requiresCompatibilities" in found:
        found["requiresCompatibilities"] = sorted(found["requiresCompatibilities"])
    found["containerDefinitions"] = sorted(
        (_container(c, awsvpc) for c in definition.get("containerDefinitions") or []), key=lambda c: c.get("name", "")
    )
    return found


def differences(existing: Optional[Dict[str, Any]], wanted: Dict[str, Any]) -> List[str]:
    """The settings (task keys, and ``container <name>: <key>``) that differ; every key when nothing exists."""
    if not existing:
        return sorted(normalize(wanted))
    before, after = normalize(existing), normalize(wanted)
    changed = [k for k in TASK_KEYS if k != "containerDefinitions" and before.get(k) != after.get(k)]
    old = {c.get("name"): c for c in before["containerDefinitions"]}
    new = {c.get("name"): c for c in after["containerDefinitions"]}
    for name in sorted(set(old) | set(new), key=str):
        if name not in old or name not in new:
            changed.append(f"container {name}")
            continue
        keys = sorted(k for k in set(old[name]) | set(new[name]) if old[name].get(k) != new[name].get(k))
        changed.extend(f"container {name}: {k}" for k in keys)
    return changed


def revision_of(arn: str) -> int:
    return int(str(arn).rsplit(":", 1)[1])


def revisions_to_deregister(arns: List[str], keep: int, current: str) -> List[str]:
    """The ACTIVE revisions beyond the ``keep`` newest, oldest first; never the current one. keep 0 keeps all."""
    if keep <= 0:
        return []
    newest_first = sorted(arns, key=revision_of, reverse=True)
    return sorted((arn for arn in newest_first[keep:] if arn != current), key=revision_of)


def tag_changes(tags: List[Dict[str, str]], wanted: Optional[Dict[str, str]], purge: bool):
    """(tags to set, keys to remove) to bring ECS's tag list (``key``/``value``) to ``wanted``; none when wanted is
    None (the module's tags option not given)."""
    if wanted is None:
        return {}, []
    to_set, to_remove = compare_aws_tags(boto3_tag_list_to_ansible_dict(tags or [], "key", "value"), wanted, purge)
    return to_set, sorted(to_remove)


# ---------------------------------------------------------------- clusters (atelier.infra.ecs_cluster)

PROVIDERS = ("FARGATE", "FARGATE_SPOT")


@ECSErrorHandler.list_error_handler("describe the cluster", None)
@_retry()
def describe_cluster(client, name: str) -> Optional[Dict[str, Any]]:
    """The ACTIVE cluster with its settings and tags, None when there is none (or it is INACTIVE: deleted)."""
    answer = client.describe_clusters(clusters=[name], include=["SETTINGS", "TAGS"])
    found = [c for c in answer.get("clusters") or [] if c.get("status") != "INACTIVE"]
    return found[0] if found else None


@ECSErrorHandler.common_error_handler("create the cluster")
@_retry()
def create_cluster(client, params: Dict[str, Any]) -> Dict[str, Any]:
    return client.create_cluster(**params)["cluster"]


@ECSErrorHandler.common_error_handler("update the cluster's settings")
@_retry()
def update_cluster_settings(client, name: str, settings: List[Dict[str, str]]) -> None:
    client.update_cluster_settings(cluster=name, settings=settings)


@ECSErrorHandler.common_error_handler("put the cluster's capacity providers")
@_retry()
def put_capacity_providers(client, name: str, providers: List[str], strategy: List[Dict[str, Any]]) -> None:
    client.put_cluster_capacity_providers(cluster=name, capacityProviders=providers, defaultCapacityProviderStrategy=strategy)


@ECSErrorHandler.deletion_error_handler("delete the cluster")
@_retry()
def delete_cluster(client, name: str) -> bool:
    client.delete_cluster(cluster=name)
    return True


def strategy_request(strategy: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The module's default_capacity_provider_strategy as the API names it (base 0 and weight 0 made explicit)."""
    return [
        {"capacityProvider": item["capacity_provider"], "weight": int(item.get("weight") or 0), "base": int(item.get("base") or 0)}
        for item in strategy or []
    ]


def cluster_errors(params: Dict[str, Any]) -> List[str]:
    """What is wrong with atelier.infra.ecs_cluster's options."""
    errors = []
    name = params.get("name") or ""
    if not NAME.match(name):
        errors.append(f"name must be 1-255 letters, digits, hyphens and underscores, got {name!r}")
    if params.get("state", "present") == "absent":
        return errors
    providers = params.get("capacity_providers") or []
    strategy = params.get("default_capacity_provider_strategy") or []
    for item in strategy:
        provider = item.get("capacity_provider")
        if provider not in providers:
            errors.append(f"default_capacity_provider_strategy: {provider!r} is not one of capacity_providers {providers}")
    return errors + strategy_errors("default_capacity_provider_strategy", strategy)


def strategy_errors(option: str, strategy: List[Dict[str, Any]]) -> List[str]:
    """What is wrong with a capacity provider strategy (weights, bases), each naming the option."""
    errors = []
    for item in strategy or []:
        provider = item.get("capacity_provider")
        if not 0 <= int(item.get("weight") or 0) <= 1000:
            errors.append(f"{option}: the weight of {provider} must be 0 to 1000")
        if not 0 <= int(item.get("base") or 0) <= 100000:
            errors.append(f"{option}: the base of {provider} must be 0 to 100000")
    if sum(1 for item in strategy or [] if int(item.get("base") or 0) > 0) > 1:
        errors.append(f"{option}: only one capacity provider may have a base")
    if strategy and not any(int(item.get("weight") or 0) > 0 for item in strategy):
        errors.append(f"{option}: at least one capacity provider needs a weight above 0")
    return errors


def cluster_changes(cluster: Optional[Dict[str, Any]], insights: str, providers: List[str],
                    strategy: List[Dict[str, Any]]) -> List[str]:
    """What differs between the cluster found and the one described: settings, capacity providers."""
    if not cluster:
        return ["cluster"]
    changes = []
    settings = {s.get("name"): s.get("value") for s in cluster.get("settings") or []}
    if settings.get("containerInsights", "disabled") != insights:
        changes.append("container insights")
    have = sorted(strategy_request([
        {"capacity_provider": s.get("capacityProvider"), "weight": s.get("weight"), "base": s.get("base")}
        for s in cluster.get("defaultCapacityProviderStrategy") or []
    ]), key=lambda s: s["capacityProvider"])
    if sorted(cluster.get("capacityProviders") or []) != sorted(providers) or have != sorted(
        strategy_request(strategy), key=lambda s: s["capacityProvider"]
    ):
        changes.append("capacity providers")
    return changes


# ---------------------------------------------------------------- services (atelier.infra.ecs_service)

TASK_DEFINITION = re.compile(r"^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition/)?[A-Za-z0-9_-]{1,255}:\d+$")
DEPLOYMENT_DEFAULTS = {"maximumPercent": 200, "minimumHealthyPercent": 100}


@ECSClusterErrorHandler.list_error_handler("describe the service", None)
@_retry()
def describe_service(client, cluster: str, name: str) -> Optional[Dict[str, Any]]:
    """The service with its tags, None when there is none, it is INACTIVE (deleted) or its cluster does not exist."""
    answer = client.describe_services(cluster=cluster, services=[name], include=["TAGS"])
    found = [s for s in answer.get("services") or [] if s.get("status") != "INACTIVE"]
    return found[0] if found else None


@ECSErrorHandler.common_error_handler("create the service")
@_retry()
def create_service(client, params: Dict[str, Any]) -> Dict[str, Any]:
    return client.create_service(**params)["service"]


@ECSErrorHandler.common_error_handler("update the service")
@_retry()
def update_service(client, params: Dict[str, Any]) -> Dict[str, Any]:
    return client.update_service(**params)["service"]


@ECSErrorHandler.deletion_error_handler("delete the service")
@_retry()
def delete_service(client, cluster: str, name: str) -> bool:
    client.delete_service(cluster=cluster, service=name, force=True)
    return True


def _strategy_key(strategy: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return sorted(strategy_request(strategy), key=lambda s: s["capacityProvider"])


def _described_strategy(service: Dict[str, Any]) -> List[Dict[str, Any]]:
    return _strategy_key([
        {"capacity_provider": s.get("capacityProvider"), "weight": s.get("weight"), "base": s.get("base")}
        for s in service.get("capacityProviderStrategy") or []
    ])


def load_balancers_request(load_balancers: Optional[List[Dict[str, Any]]]) -> List[Dict[str, Any]]:
    return sorted(
        ({"targetGroupArn": lb["target_group_arn"], "containerName": lb["container_name"], "containerPort": int(lb["container_port"])}
         for lb in load_balancers or []),
        key=lambda lb: (lb["targetGroupArn"], lb["containerName"], lb["containerPort"]),
    )


def _described_load_balancers(service: Dict[str, Any]) -> List[Dict[str, Any]]:
    return sorted(
        ({"targetGroupArn": lb.get("targetGroupArn"), "containerName": lb.get("containerName"), "containerPort": lb.get("containerPort")}
         for lb in service.get("loadBalancers") or []),
        key=lambda lb: (str(lb["targetGroupArn"]), str(lb["containerName"]), lb["containerPort"] or 0),
    )


def network_request(params: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """The awsvpc network configuration the options describe (None when subnets are not given: not managed)."""
    if not params.get("subnets"):
        return None
    return {"awsvpcConfiguration": {
        "subnets": sorted(params["subnets"]),
        "securityGroups": sorted(params.get("security_groups") or []),
        "assignPublicIp": "ENABLED" if params.get("assign_public_ip") else "DISABLED",
    }}


def _described_network(service: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    found = (service.get("networkConfiguration") or {}).get("awsvpcConfiguration")
    if not found:
        return None
    return {"awsvpcConfiguration": {
        "subnets": sorted(found.get("subnets") or []),
        "securityGroups": sorted(found.get("securityGroups") or []),
        "assignPublicIp": found.get("assignPublicIp") or "DISABLED",
    }}


def deployment_request(params: Dict[str, Any], existing: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The deploymentConfiguration: the existing one (or ECS's defaults) with the options given over it."""
    kept = ("maximumPercent", "minimumHealthyPercent", "deploymentCircuitBreaker")
    found = {**DEPLOYMENT_DEFAULTS, **{k: v for k, v in (existing or {}).items() if k in kept}}
    if params.get("maximum_percent") is not None:
        found["maximumPercent"] = int(params["maximum_percent"])
    if params.get("minimum_healthy_percent") is not None:
        found["minimumHealthyPercent"] = int(params["minimum_healthy_percent"])
    breaker = params.get("circuit_breaker")
    if breaker is not None:
        found["deploymentCircuitBreaker"] = {"enable": bool(breaker.get("enable")), "rollback": bool(breaker.get("rollback"))}
    return found


def same_task_definition(described: Optional[str], wanted: str) -> bool:
    """Whether the service's task definition ARN is the one wanted (family:revision or ARN)."""
    return bool(described) and (described == wanted or str(described).endswith(f":task-definition/{wanted}"))


def service_errors(params: Dict[str, Any]) -> List[str]:
    """What is wrong with atelier.infra.ecs_service's options."""
    errors = []
    for option in ("cluster", "name"):
        value = params.get(option) or ""
        if not NAME.match(value.rsplit("/", 1)[-1]):
            errors.append(f"{option} must be 1-255 letters, digits, hyphens and underscores (or an ARN), got {value!r}")
    if params.get("state", "present") == "absent":
        return errors
    definition = params.get("task_definition")
    if not definition:
        errors.append("task_definition is required with state=present")
    elif not TASK_DEFINITION.match(definition):
        errors.append(f"task_definition must be family:revision or a task definition ARN, got {definition!r}")
    if params.get("desired_count") is None:
        errors.append("desired_count is required with state=present")
    elif params["desired_count"] < 0:
        errors.append(f"desired_count must be 0 or more, got {params['desired_count']}")
    strategy = params.get("capacity_provider_strategy")
    if strategy and params.get("launch_type"):
        errors.append("launch_type and capacity_provider_strategy are mutually exclusive: give one")
    errors.extend(strategy_errors("capacity_provider_strategy", strategy))
    maximum, minimum = params.get("maximum_percent"), params.get("minimum_healthy_percent")
    if maximum is not None and maximum < 100:
        errors.append(f"maximum_percent must be 100 or more (ECS keeps the desired count running), got {maximum}")
    if minimum is not None and not 0 <= minimum <= 100:
        errors.append(f"minimum_healthy_percent must be 0 to 100, got {minimum}")
    if maximum is not None and minimum is not None and maximum <= minimum:
        errors.append(f"maximum_percent ({maximum}) must be above minimum_healthy_percent ({minimum}) or a deployment cannot start")
    for index, lb in enumerate(params.get("load_balancers") or []):
        for key in ("target_group_arn", "container_name", "container_port"):
            if lb.get(key) in (None, ""):
                errors.append(f"load_balancers[{index}]: {key} is required")
        port = lb.get("container_port")
        if port not in (None, "") and not 1 <= int(port) <= 65535:
            errors.append(f"load_balancers[{index}]: container_port must be a port (1-65535), got {port}")
    grace = params.get("health_check_grace_period_seconds")
    if grace is not None and not 0 <= grace <= 2147483647:
        errors.append(f"health_check_grace_period_seconds must be 0 or more, got {grace}")
    if grace and not params.get("load_balancers"):
        errors.append("health_check_grace_period_seconds needs load_balancers (ECS uses it only behind a load balancer)")
    if (params.get("launch_type") or "FARGATE") == "FARGATE" and not params.get("subnets"):
        errors.append("subnets is required on Fargate (awsvpc network mode)")
    if params.get("security_groups") and not params.get("subnets"):
        errors.append("security_groups needs subnets")
    return errors


def service_request(params: Dict[str, Any]) -> Dict[str, Any]:
    """The CreateService request (without tags) the options describe."""
    found = {
        "cluster": params["cluster"],
        "serviceName": params["name"],
        "taskDefinition": params["task_definition"],
        "desiredCount": int(params["desired_count"]),
        "deploymentConfiguration": deployment_request(params),
        "enableExecuteCommand": bool(params.get("enable_execute_command")),
    }
    if params.get("capacity_provider_strategy"):
        found["capacityProviderStrategy"] = strategy_request(params["capacity_provider_strategy"])
    else:
        found["launchType"] = params.get("launch_type") or "FARGATE"
    optional = {
        "platformVersion": params.get("platform_version"),
        "networkConfiguration": network_request(params),
        "loadBalancers": load_balancers_request(params.get("load_balancers")) or None,
        "healthCheckGracePeriodSeconds": params.get("health_check_grace_period_seconds"),
        "propagateTags": params.get("propagate_tags"),
    }
    found.update({k: v for k, v in optional.items() if v is not None})
    return found


def service_update(service: Dict[str, Any], params: Dict[str, Any]):
    """``(changes, request, refusals)``: the names of what differs, the one UpdateService request carrying only that
    (None when nothing differs) and what ECS cannot change in place. Options not given are not compared; desired_count
    is not compared when ``autoscaled`` (Application Auto Scaling owns it once the service exists)."""
    changes, update, refusals = [], {}, []
    if not same_task_definition(service.get("taskDefinition"), params["task_definition"]):
        changes.append("task definition")
        update["taskDefinition"] = params["task_definition"]
    if not params.get("autoscaled") and service.get("desiredCount") != int(params["desired_count"]):
        changes.append("desired count")
        update["desiredCount"] = int(params["desired_count"])
    wanted_strategy = params.get("capacity_provider_strategy")
    have_strategy = _described_strategy(service)
    if wanted_strategy:
        if have_strategy != _strategy_key(wanted_strategy):
            changes.append("capacity provider strategy")
            # A new strategy moves no task by itself: a new deployment does (as Terraform's force_new_deployment).
            update.update(capacityProviderStrategy=strategy_request(wanted_strategy), forceNewDeployment=True)
    else:
        launch_type = params.get("launch_type") or "FARGATE"
        if have_strategy:
            if any(s["capacityProvider"] not in PROVIDERS for s in have_strategy) or launch_type != "FARGATE":
                refusals.append(f"the service runs on capacity providers {[s['capacityProvider'] for s in have_strategy]}: "
                                f"ECS cannot move it to launch type {launch_type} in place (delete and recreate it)")
            else:
                changes.append("launch type")
                update.update(capacityProviderStrategy=[], forceNewDeployment=True)
        elif service.get("launchType") and service["launchType"] != launch_type:
            refusals.append(f"launch_type: the service runs with launch type {service['launchType']}; ECS cannot change "
                            f"it to {launch_type} in place (delete and recreate it)")
    if params.get("platform_version") and service.get("platformVersion") != params["platform_version"]:
        changes.append("platform version")
        update["platformVersion"] = params["platform_version"]
    network = network_request(params)
    if network is not None and _described_network(service) != network:
        changes.append("network configuration")
        update["networkConfiguration"] = network
    if params.get("load_balancers") is not None:
        wanted = load_balancers_request(params["load_balancers"])
        if _described_load_balancers(service) != wanted:
            changes.append("load balancers")
            update["loadBalancers"] = wanted
    grace = params.get("health_check_grace_period_seconds")
    if grace is not None and int(service.get("healthCheckGracePeriodSeconds") or 0) != grace:
        changes.append("health check grace period")
        update["healthCheckGracePeriodSeconds"] = grace
    existing = service.get("deploymentConfiguration") or {}
    deployment = deployment_request(params, existing)
    if {k: existing.get(k) for k in deployment} != deployment:
        changes.append("deployment configuration")
        update["deploymentConfiguration"] = deployment
    execute = params.get("enable_execute_command")
    if execute is not None and bool(service.get("enableExecuteCommand")) != execute:
        changes.append("execute command")
        update["enableExecuteCommand"] = execute
    if params.get("propagate_tags") and (service.get("propagateTags") or "NONE") != params["propagate_tags"]:
        changes.append("propagate tags")
        update["propagateTags"] = params["propagate_tags"]
    if update:
        update = {"cluster": params["cluster"], "service": params["name"], **update}
    return changes, (update or None), refusals


def primary_deployment(service: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    found = [d for d in (service or {}).get("deployments") or [] if d.get("status") == "PRIMARY"]
    return found[0] if found else {}


def steady(service: Optional[Dict[str, Any]]) -> bool:
    """The PRIMARY deployment rolled out (COMPLETED) and as many tasks running as desired."""
    if not service:
        return False
    primary = primary_deployment(service)
    return primary.get("rolloutState", "COMPLETED") == "COMPLETED" and service.get("runningCount") == service.get("desiredCount")


def run(module, errors: List[str], ensure_present, ensure_absent) -> None:
    """The end of every ECS module's main(): fail with every input error before any AWS call, then converge to the
    state asked; an ECS error fails the module with its AWS code and message."""
    if errors:
        module.fail_json(msg="; ".join(errors), errors=errors)
    client = module.client("ecs")
    try:
        (ensure_present if module.params["state"] == "present" else ensure_absent)(module, client)
    except AnsibleECSError as e:
        module.fail_json_aws_error(e)
