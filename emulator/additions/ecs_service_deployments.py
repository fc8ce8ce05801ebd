"""ECS services as AWS keeps them: their deployment settings, and a new deployment that rolls out on each change of
what the tasks run.

AWS: CreateService stores ``deploymentConfiguration`` (``maximumPercent`` 200, ``minimumHealthyPercent`` 100 and a
``deploymentCircuitBreaker`` ``{enable: false, rollback: false}`` when not given), ``healthCheckGracePeriodSeconds``,
``enableExecuteCommand`` (false when not given), either a ``launchType`` or a ``capacityProviderStrategy`` (a service
with a strategy has no launch type) and, on Fargate, a ``platformVersion`` (``LATEST`` when not given); DescribeServices
returns them. The service starts with one ``PRIMARY`` deployment whose ``rolloutState`` is ``IN_PROGRESS`` until its
tasks run, then ``COMPLETED``. UpdateService with a new task definition, network configuration, platform version,
load balancers or service registries, or with ``forceNewDeployment``, starts a new ``PRIMARY`` deployment
(``IN_PROGRESS``) while the previous one stays ``ACTIVE`` with its running tasks until the new one has replaced them;
then only the new one is left, ``COMPLETED``. The service's ``taskDefinition`` is always the ARN, whatever form the
request named it in. A changed ``desiredCount`` alone starts no deployment. A capacity provider strategy replaces the
launch type; an empty strategy (``capacityProviderStrategy: []``) goes back to the launch type.

moto 5.2.5: ``ECSBackend.create_service`` (moto/ecs/models.py) ignores ``deploymentConfiguration``,
``healthCheckGracePeriodSeconds``, ``enableExecuteCommand`` and ``capacityProviderStrategy`` (the response handler
does not read them), sets the launch type to ``EC2`` when none is given (even with a strategy), leaves
``platformVersion`` empty, and its one deployment stays ``IN_PROGRESS`` forever unless ``MOTO_ECS_SERVICE_RUNNING``
is set; ``update_service`` stores the task definition as the string given (``family:2``), never starts a deployment
(``forceNewDeployment`` only renames the one there is) and sets ``runningCount`` to the new desired count at once.

What this addition does: wraps the CreateService response handler to store the settings above on the service and give
it a PRIMARY deployment ``IN_PROGRESS``; wraps ``update_service`` to resolve the task definition to its ARN, merge the
deployment configuration, switch launch type and strategy, and start a new PRIMARY deployment (the previous PRIMARY
becomes ACTIVE) when what the tasks run changed; wraps ``describe_services`` so that a deployment ``IN_PROGRESS`` for
``ATELIER_EMULATOR_ECS_DEPLOYMENT_DELAY`` seconds (a knob of ``emulator.knobs``, default 0: at the next describe)
completes - its tasks all run, the ACTIVE deployments are gone, ``runningCount`` is the desired count.

References: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html
            https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html
            https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html
"""

import copy
import time

from moto.core.utils import utcnow
from moto.ecs.models import EC2ContainerServiceBackend
from moto.ecs.responses import EC2ContainerServiceResponse
from moto.moto_api._internal import mock_random

from emulator import knobs

DELAY = "ATELIER_EMULATOR_ECS_DEPLOYMENT_DELAY"
DEPLOYMENT_CONFIGURATION = {
    "deploymentCircuitBreaker": {"enable": False, "rollback": False},
    "maximumPercent": 200,
    "minimumHealthyPercent": 100,
}
# What the tasks run: a change starts a new deployment.
REDEPLOY = ("task_definition", "network_configuration", "platform_version", "capacity_provider_strategy",
            "load_balancers", "service_registries")

_ORIGINAL = {}
_started: dict = {}


def _new_deployment(service) -> dict:
    identifier = f"ecs-svc/{mock_random.randint(0, 32**12)}"
    now = utcnow()
    _started[identifier] = time.time()
    deployment = {
        "id": identifier,
        "status": "PRIMARY",
        "taskDefinition": service.task_definition,
        "desiredCount": service.desired_count,
        "pendingCount": service.desired_count,
        "runningCount": 0,
        "failedTasks": 0,
        "createdAt": now,
        "updatedAt": now,
        "platformVersion": service.platform_version,
        "platformFamily": "Linux",
        "networkConfiguration": service.network_configuration or None,
        "rolloutState": "IN_PROGRESS",
        "rolloutStateReason": f"ECS deployment {identifier} in progress.",
    }
    if getattr(service, "capacity_provider_strategy", None):
        deployment["capacityProviderStrategy"] = copy.deepcopy(service.capacity_provider_strategy)
    else:
        deployment["launchType"] = service.launch_type
    return deployment


def _progress(service) -> None:
    """Complete a PRIMARY deployment IN_PROGRESS for the delay; keep the service's counts consistent."""
    deployments = getattr(service, "deployments", None) or []
    primary = next((d for d in deployments if d.get("status") == "PRIMARY"), None)
    if primary is None:
        return
    primary["desiredCount"] = service.desired_count
    started = _started.get(primary["id"], 0.0)
    if primary.get("rolloutState") == "IN_PROGRESS" and time.time() - started >= knobs.get_float(DELAY):
        primary.update(
            rolloutState="COMPLETED", rolloutStateReason=f"ECS deployment {primary['id']} completed.",
            runningCount=service.desired_count, pendingCount=0, updatedAt=utcnow(),
        )
        service.deployments = [primary]
    elif primary.get("rolloutState") == "COMPLETED":
        primary.update(runningCount=service.desired_count, pendingCount=0)
    else:
        primary.update(runningCount=0, pendingCount=service.desired_count)
    service.running_count = sum(d.get("runningCount") or 0 for d in service.deployments)
    service.pending_count = primary.get("pendingCount") or 0


def _create_service_response(self):
    result = _ORIGINAL["create_service_response"](self)
    service = self.ecs_backend._get_service(self._get_param("cluster", "default"), self._get_param("serviceName"))
    strategy = self._get_param("capacityProviderStrategy") or []
    service.capacity_provider_strategy = strategy
    if strategy:
        service.launch_type = None
    service.deployment_configuration = {**copy.deepcopy(DEPLOYMENT_CONFIGURATION), **(self._get_param("deploymentConfiguration") or {})}
    service.health_check_grace_period_seconds = self._get_int_param("healthCheckGracePeriodSeconds")
    service.enable_execute_command = bool(self._get_param("enableExecuteCommand", False))
    fargate = service.launch_type == "FARGATE" or any(s.get("capacityProvider", "").startswith("FARGATE") for s in strategy)
    if fargate and not service.platform_version:
        service.platform_version = "LATEST"
    if service.deployment_controller.get("type") == "ECS":
        service.running_count, service.pending_count = 0, service.desired_count
        service.deployments = [_new_deployment(service)]
    return result


def _update_service(self, service_properties):
    cluster = service_properties.get("cluster", "default")
    service = self._get_service(cluster, service_properties["service"].split("/")[-1])
    before = {key: copy.deepcopy(getattr(service, key, None)) for key in REDEPLOY}
    configuration = copy.deepcopy(getattr(service, "deployment_configuration", None) or DEPLOYMENT_CONFIGURATION)
    force = service_properties.get("force_new_deployment")
    definition = service_properties.get("task_definition")
    strategy = service_properties.get("capacity_provider_strategy")
    service = _ORIGINAL["update_service"](self, service_properties)
    if definition:
        service.task_definition = self.describe_task_definition(definition).arn
    if service_properties.get("deployment_configuration") is not None:
        service.deployment_configuration = {**configuration, **service_properties["deployment_configuration"]}
    if strategy is not None:
        service.capacity_provider_strategy = strategy
        if strategy:
            service.launch_type = None
        else:
            fargate = any(s.get("capacityProvider", "").startswith("FARGATE") for s in before["capacity_provider_strategy"] or [])
            service.launch_type = "FARGATE" if fargate else "EC2"
    if service.deployment_controller.get("type") != "ECS":
        return service
    redeploy = force or any(before[key] != getattr(service, key, None) for key in REDEPLOY)
    if redeploy:
        for deployment in service.deployments:
            deployment["status"] = "ACTIVE"
        service.deployments = [_new_deployment(service)] + [d for d in service.deployments if d.get("runningCount")]
    _progress(service)
    return service


def _describe_services(self, cluster_str, service_names_or_arns):
    services, failures = _ORIGINAL["describe_services"](self, cluster_str, service_names_or_arns)
    for service in services:
        if service.status == "ACTIVE":
            _progress(service)
    return services, failures


def apply() -> None:
    """Wrap CreateService's handler, update_service and describe_services."""
    _ORIGINAL["create_service_response"] = EC2ContainerServiceResponse.create_service
    _ORIGINAL["update_service"] = EC2ContainerServiceBackend.update_service
    _ORIGINAL["describe_services"] = EC2ContainerServiceBackend.describe_services
    EC2ContainerServiceResponse.create_service = _create_service_response
    EC2ContainerServiceBackend.update_service = _update_service
    EC2ContainerServiceBackend.describe_services = _describe_services
