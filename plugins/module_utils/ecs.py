# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The ECS calls of atelier.infra.ecs_task_definition and atelier.infra.ecs_cluster (one boto3 call each, with amazon.aws' retry decorator and an error
handler turning botocore exceptions into AnsibleECSError), and, without AWS, what the module decides:

* ``option_errors``: the mistakes found before any call (Fargate sizes, ports, secrets by ARN, names);
* ``request``: the RegisterTaskDefinition request the options describe;
* ``normalize``: a definition as ECS stores it, with the values ECS fills in (``essential``, a port mapping's host port
  and protocol, a health check's interval/timeout/retries, empty lists) made explicit and lists in a stable order,
  so that the definition described and the one requested compare equal when ECS would run the same task;
* ``differences``: the settings that differ between the latest ACTIVE revision and the request (none: no new
  revision);
* ``revisions_to_deregister``: the ACTIVE revisions beyond the number to keep;
* ``cluster_errors`` and ``cluster_changes``: a cluster's bad input, and what differs (Container Insights, capacity
  providers and their default strategy).
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

# Task CPU units -> the memory sizes (MiB) Fargate runs with it
# (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
FARGATE_SIZES = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4096 + 1, 1024)),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
}
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


@ECSErrorHandler.common_error_handler("tag the task definition")
@_retry()
def tag(client, arn: str, tags: Dict[str, str]) -> None:
    client.tag_resource(resourceArn=arn, tags=[{"key": k, "value": v} for k, v in sorted(tags.items())])


@ECSErrorHandler.common_error_handler("untag the task definition")
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
        if not 0 <= int(item.get("weight") or 0) <= 1000:
            errors.append(f"default_capacity_provider_strategy: the weight of {provider} must be 0 to 1000")
        if not 0 <= int(item.get("base") or 0) <= 100000:
            errors.append(f"default_capacity_provider_strategy: the base of {provider} must be 0 to 100000")
    if sum(1 for item in strategy if int(item.get("base") or 0) > 0) > 1:
        errors.append("default_capacity_provider_strategy: only one capacity provider may have a base")
    if strategy and not any(int(item.get("weight") or 0) > 0 for item in strategy):
        errors.append("default_capacity_provider_strategy: at least one capacity provider needs a weight above 0")
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
