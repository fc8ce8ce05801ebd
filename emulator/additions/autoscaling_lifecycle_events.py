"""Auto Scaling sends its instance launch and terminate events to EventBridge.

AWS: Amazon EC2 Auto Scaling emits an event to the account's default event bus in the group's region for each
instance it launches or terminates, whatever the cause (scaling, a changed desired capacity, an unhealthy or
terminated instance replaced, an instance refresh, a deleted group): ``source`` ``aws.autoscaling``, ``detail-type``
``EC2 Instance Launch Successful`` / ``EC2 Instance Terminate Successful`` (``... Unsuccessful`` when it fails),
``resources`` the group's ARN and the instance's, and ``detail`` with ``AutoScalingGroupName``, ``EC2InstanceId``,
``ActivityId``, ``RequestId``, ``StatusCode`` (``InProgress``), ``Description``, ``Cause``, ``StartTime``, ``EndTime``
and ``Details`` (``Availability Zone``, ``Subnet ID``). Rules match them like any event ("Amazon EC2 Auto Scaling event
reference").

moto 5.2.5: Auto Scaling (moto/autoscaling/models.py) sends no event: rules on ``aws.autoscaling`` never match.

What this addition does: wraps ``FakeAutoScalingGroup.replace_autoscaling_group_instances`` (whichever is installed:
this module sorts after ``autoscaling_instance_launch_template_version``, which replaces it) to send a launch event for
each instance the call added to the group, and ``InstanceBackend.terminate_instances`` (moto/ec2/models/instances.py)
to send a terminate event for each running instance of a group it terminates (scale-in, refresh, replacement, group
deletion), through moto's EventBridge backend of the group's region (``EventsBackend.put_events``, so the rules'
targets receive them; see ``events_sns_target`` for SNS topics). Unsuccessful launches are not produced (the emulator
never fails a launch); ``Cause`` is ours.

References: https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html
            https://docs.aws.amazon.com/autoscaling/ec2/userguide/automating-ec2-auto-scaling-with-eventbridge.html
"""

import json
import uuid

from moto.autoscaling.models import FakeAutoScalingGroup
from moto.core.utils import iso_8601_datetime_with_milliseconds
from moto.ec2.models.instances import InstanceBackend
from moto.events.models import events_backends

LAUNCH = "EC2 Instance Launch Successful"
TERMINATE = "EC2 Instance Terminate Successful"
ENDED = ("shutting-down", "terminated")
_ORIGINAL = {}


def event_entry(detail_type: str, group, instance) -> dict:
    """The PutEvents entry Auto Scaling sends for an instance of group."""
    now = iso_8601_datetime_with_milliseconds()
    verb = "Launching a new" if detail_type == LAUNCH else "Terminating"
    instance_arn = f"arn:{group.arn.split(':')[1]}:ec2:{group.region}:{group.account_id}:instance/{instance.id}"
    detail = {
        "StatusCode": "InProgress",
        "Description": f"{verb} EC2 instance: {instance.id}",
        "AutoScalingGroupName": group.name,
        "ActivityId": str(uuid.uuid4()),
        "Details": {"Availability Zone": getattr(instance.placement, "zone", None) or "", "Subnet ID": instance.subnet_id or ""},
        "RequestId": str(uuid.uuid4()),
        "StatusMessage": "",
        "EndTime": now,
        "EC2InstanceId": instance.id,
        "StartTime": now,
        "Cause": f"At {now} the group {group.name} {'launched' if detail_type == LAUNCH else 'terminated'} an instance.",
    }
    return {
        "Source": "aws.autoscaling",
        "DetailType": detail_type,
        "Detail": json.dumps(detail),
        "Resources": [group.arn, instance_arn],
    }


def send(group, detail_type: str, instances: list) -> None:
    entries = [event_entry(detail_type, group, instance) for instance in instances]
    backend = events_backends[group.account_id][group.region]
    for start in range(0, len(entries), 10):
        backend.put_events(entries[start:start + 10])


def _replace_autoscaling_group_instances(self, count_needed: int, propagated_tags: dict) -> None:
    before = {state.instance.id for state in self.instance_states}
    _ORIGINAL["replace_autoscaling_group_instances"](self, count_needed, propagated_tags)
    send(self, LAUNCH, [state.instance for state in self.instance_states if state.instance.id not in before])


def _terminate_instances(self, instance_ids: list[str]):
    leaving = []
    for instance_id in instance_ids or []:
        instance = self.get_instance_by_id(instance_id)
        group = getattr(instance, "autoscaling_group", None)
        if group is not None and instance.state not in ENDED:
            leaving.append((group, instance))
    result = _ORIGINAL["terminate_instances"](self, instance_ids)
    for group, instance in leaving:
        send(group, TERMINATE, [instance])
    return result


def apply() -> None:
    """Send Auto Scaling's launch and terminate events."""
    _ORIGINAL["replace_autoscaling_group_instances"] = FakeAutoScalingGroup.replace_autoscaling_group_instances
    _ORIGINAL["terminate_instances"] = InstanceBackend.terminate_instances
    FakeAutoScalingGroup.replace_autoscaling_group_instances = _replace_autoscaling_group_instances
    InstanceBackend.terminate_instances = _terminate_instances
