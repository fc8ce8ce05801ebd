"""DeregisterScalableTarget deletes the target's scaling policies and scheduled actions with it.

AWS: "Deregistering a scalable target deletes the scaling policies and the scheduled actions that are associated with
it" (the CloudWatch alarms of its target tracking policies go with the policies); a target that does not exist is
``ObjectNotFoundException``.

moto 5.2.5: ``ApplicationAutoscalingBackend.deregister_scalable_target`` (moto/applicationautoscaling/models.py)
removes the target only: its policies (and their alarms) and scheduled actions stay, described by
DescribeScalingPolicies / DescribeScheduledActions for a resource that has no target, so a teardown that deregisters
the target (atelier.infra.application_autoscaling_target, state absent) looks as if it left policies behind; a missing
target is ``ValidationException``.

What this addition does: after moto removes the target, the policies of the same namespace, resource id and scalable
dimension are deleted with their alarms, and so are the scheduled actions; a missing target answers
``ObjectNotFoundException`` as AWS does.

Reference: https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DeregisterScalableTarget.html
"""

from moto.applicationautoscaling.exceptions import AWSValidationException
from moto.applicationautoscaling.models import ApplicationAutoscalingBackend
from moto.core.exceptions import JsonRESTError

_ORIGINAL = {}


class ObjectNotFoundException(JsonRESTError):
    def __init__(self, message: str):
        super().__init__("ObjectNotFoundException", message)


def _deregister_scalable_target(self, namespace, r_id, dimension):
    try:
        _ORIGINAL["deregister_scalable_target"](self, namespace, r_id, dimension)
    except AWSValidationException as error:
        raise ObjectNotFoundException(error.message) from error
    for key, policy in list(self.policies.items()):
        if (policy.service_namespace, policy.resource_id, policy.scalable_dimension) == (namespace, r_id, dimension):
            policy.delete_alarms(self.account_id, self.region_name)
            del self.policies[key]
    self.scheduled_actions = [
        action for action in self.scheduled_actions
        if (action.service_namespace, action.resource_id, action.scalable_dimension) != (namespace, r_id, dimension)
    ]


def apply() -> None:
    """Wrap DeregisterScalableTarget so that it deletes the target's policies and scheduled actions."""
    _ORIGINAL["deregister_scalable_target"] = ApplicationAutoscalingBackend.deregister_scalable_target
    ApplicationAutoscalingBackend.deregister_scalable_target = _deregister_scalable_target
