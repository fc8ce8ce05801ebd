"""EventBridge delivers a matching event to an SNS topic target when the topic's access policy lets EventBridge
publish for that rule; disabled rules deliver nothing.

AWS: a rule whose target is an SNS topic publishes each matching event (the event as JSON, or the target's
``Input`` / ``InputPath`` / ``InputTransformer`` result) to the topic. EventBridge publishes as the service principal
``events.amazonaws.com`` with the rule as ``aws:SourceArn`` and its account as ``aws:SourceAccount``, so the topic's
access policy must allow that principal ``sns:Publish`` ("Amazon SNS permissions": the example statement has
``"Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:events:<region>:<account>:rule/<rule>"}}``); otherwise the
invocation fails (the rule's ``FailedInvocations`` metric) and the topic receives nothing. A rule in state
``DISABLED`` does not match events.

moto 5.2.5: ``Rule.send_to_targets`` (moto/events/models.py) supports CloudWatch Logs, archives, SQS, event buses and
API destinations and raises ``NotImplementedError`` for any other target, so PutEvents answers HTTP 500 as soon as a
matching rule has an SNS target; it also sends to disabled rules' targets.

What this addition does: wraps ``Rule.send_to_targets``: a disabled rule sends nothing; an SNS target gets the event
(the whole event, the target's constant ``Input`` or its ``InputTransformer`` result) published to the topic through moto's SNS backend of the
topic's account and region (so its SQS subscriptions receive it) when the topic exists and its policy allows
``sns:Publish`` to ``events.amazonaws.com`` with ``aws:SourceArn`` = the rule's ARN and ``aws:SourceAccount`` = its
account (emulator/policy.py), and is dropped otherwise (the emulator keeps no FailedInvocations metric); the other
targets are moto's. Events that AWS services emit (``autoscaling_instance_events``) go through the same path.

References: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
            https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-sns.html
"""

import json

from moto.core.utils import iso_8601_datetime_without_milliseconds, utcfromtimestamp
from moto.events.models import Rule
from moto.events.utils import EventTemplateParser
from moto.sns.models import sns_backends
from moto.utilities.arns import parse_arn

from emulator import policy

SERVICE = "events.amazonaws.com"
_ORIGINAL = {}


def publish_allowed(topic_policy, topic_arn: str, rule_arn: str, account_id: str) -> bool:
    """Whether a topic policy lets EventBridge publish to topic_arn for the rule rule_arn of account_id."""
    principal = policy.Principal(f"service:{SERVICE}", account_id, "Service", service=SERVICE)
    context = {policy.context_key("aws:SourceArn"): rule_arn, policy.context_key("aws:SourceAccount"): account_id}
    try:
        return policy.evaluate(policy.Request("sns:Publish", topic_arn, principal, context), [], topic_policy).allowed
    except (policy.PolicyError, ValueError):
        return False


def _is_sns(target: dict) -> bool:
    return parse_arn(target["Arn"]).service == "sns"


def _message(target: dict, event: dict, transform_input: bool) -> str:
    """What the topic receives: the target's constant Input, its InputTransformer's result, else the whole event
    (with its time as AWS writes it)."""
    if transform_input and target.get("Input"):
        return target["Input"]
    if transform_input and target.get("InputTransformer"):
        transformer = target["InputTransformer"]
        message = EventTemplateParser.parse(
            input_template=transformer.get("InputTemplate"),
            input_paths_map=transformer.get("InputPathsMap", {}),
            event=event,
        )
        return message if isinstance(message, str) else json.dumps(message)
    whole = dict(event)
    if isinstance(whole.get("time"), (int, float)):
        whole["time"] = iso_8601_datetime_without_milliseconds(utcfromtimestamp(whole["time"]))
    whole.pop("ingestion-time", None)
    return json.dumps(whole)


def _publish(rule: Rule, target: dict, event: dict, transform_input: bool) -> None:
    arn = parse_arn(target["Arn"])
    topic = sns_backends[arn.account][arn.region].topics.get(target["Arn"])
    if topic is None or not publish_allowed(topic.policy, topic.arn, rule.arn, rule.account_id):
        return
    topic.publish(_message(target, event, transform_input))


def _send_to_targets(self, original_event, transform_input: bool = True) -> None:
    if self.state == "DISABLED":
        return
    topics = [target for target in self.targets if _is_sns(target)]
    if not topics:
        _ORIGINAL["send_to_targets"](self, original_event, transform_input)
        return
    if not self.event_pattern.matches_event(original_event):
        return
    for target in topics:
        _publish(self, target, original_event, transform_input)
    everything = self.targets
    self.targets = [target for target in everything if not _is_sns(target)]
    try:
        _ORIGINAL["send_to_targets"](self, original_event, transform_input)
    finally:
        self.targets = everything


def apply() -> None:
    """Deliver to SNS topic targets; skip disabled rules."""
    _ORIGINAL["send_to_targets"] = Rule.send_to_targets
    Rule.send_to_targets = _send_to_targets
