"""Task definitions as AWS registers and describes them: Fargate sizes and network mode, awsvpc port mappings,
health-check defaults, and the latest ACTIVE revision of a family.

AWS: RegisterTaskDefinition for FARGATE requires network mode ``awsvpc`` ("Fargate only supports network mode
'awsvpc'."), a task-level CPU and memory, and a pair from the Fargate table ("No Fargate configuration exists for given
values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values."). In ``awsvpc`` mode a port
mapping's host port is its container port ("When networkMode=awsvpc, the host ports and container ports in port
mappings must match.") and is filled in when omitted, the protocol defaults to ``tcp``; a container health check gets
``interval`` 30, ``timeout`` 5 and ``retries`` 3 when omitted. DescribeTaskDefinition of a family without a revision
describes the latest ACTIVE revision, and fails (ClientException "Unable to describe task definition.") when the
family has none.

moto 5.2.5: ``ECSBackend.register_task_definition`` (moto/ecs/models.py) checks only the PID mode for Fargate, accepts
any network mode, size or port mapping and stores the definition as given; ``describe_task_definition`` of a family
returns its highest revision even when it is INACTIVE (deregistered).

What this addition does: wraps both methods with the rules above, before moto registers anything.

References: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
            https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
            https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
            https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html
"""

import copy

from moto.ecs.exceptions import EcsClientException
from moto.ecs.models import EC2ContainerServiceBackend

_ORIGINAL = {}

# Task CPU units -> the memory sizes (MiB) Fargate runs with it.
FARGATE_SIZES = {
    256: [512, 1024, 2048],
    512: list(range(1024, 4096 + 1, 1024)),
    1024: list(range(2048, 8192 + 1, 1024)),
    2048: list(range(4096, 16384 + 1, 1024)),
    4096: list(range(8192, 30720 + 1, 1024)),
    8192: list(range(16384, 61440 + 1, 4096)),
    16384: list(range(32768, 122880 + 1, 8192)),
}
HEALTH_CHECK_DEFAULTS = {"interval": 30, "timeout": 5, "retries": 3}


def _fargate_errors(network_mode, cpu, memory):
    if network_mode != "awsvpc":
        raise EcsClientException("Fargate only supports network mode 'awsvpc'.")
    if not cpu or not str(cpu).isdigit():
        raise EcsClientException("Invalid 'cpu' setting for task.")
    if not memory or not str(memory).isdigit() or int(memory) not in FARGATE_SIZES.get(int(cpu), []):
        raise EcsClientException(
            f"No Fargate configuration exists for given values: {cpu} CPU, {memory} memory. "
            "See the Amazon ECS documentation for the valid values."
        )


def _containers(container_definitions, network_mode):
    containers = copy.deepcopy(container_definitions or [])
    for container in containers:
        for mapping in container.get("portMappings") or []:
            mapping.setdefault("protocol", "tcp")
            if network_mode == "awsvpc":
                if mapping.get("hostPort") not in (None, mapping.get("containerPort")):
                    raise EcsClientException(
                        "When networkMode=awsvpc, the host ports and container ports in port mappings must match."
                    )
                if mapping.get("containerPort") is not None:
                    mapping["hostPort"] = mapping["containerPort"]
        if container.get("healthCheck"):
            for key, value in HEALTH_CHECK_DEFAULTS.items():
                container["healthCheck"].setdefault(key, value)
    return containers


def _register_task_definition(self, family, container_definitions, *args, **kwargs):
    network_mode = kwargs.get("network_mode")
    if kwargs.get("requires_compatibilities") and "FARGATE" in kwargs["requires_compatibilities"]:
        _fargate_errors(network_mode, kwargs.get("cpu"), kwargs.get("memory"))
    return _ORIGINAL["register_task_definition"](
        self, family, _containers(container_definitions, network_mode), *args, **kwargs
    )


def _describe_task_definition(self, task_definition_str):
    name = task_definition_str.split("/")[-1]
    if ":" not in name and name in self.task_definitions:
        active = [rev for rev, definition in self.task_definitions[name].items() if definition.status == "ACTIVE"]
        if not active:
            raise EcsClientException("Unable to describe task definition.")
        return self.task_definitions[name][max(active)]
    return _ORIGINAL["describe_task_definition"](self, task_definition_str)


def apply() -> None:
    """Wrap RegisterTaskDefinition and DescribeTaskDefinition."""
    for name in ("register_task_definition", "describe_task_definition"):
        _ORIGINAL[name] = getattr(EC2ContainerServiceBackend, name)
    EC2ContainerServiceBackend.register_task_definition = _register_task_definition
    EC2ContainerServiceBackend.describe_task_definition = _describe_task_definition
