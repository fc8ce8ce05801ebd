"""E-mail subscriptions stay pending until the recipient confirms them.

AWS: Subscribe with the ``email`` or ``email-json`` protocol mails a confirmation link to the address; until the
recipient follows it the subscription is pending. Subscribe answers ``SubscriptionArn`` ``"pending confirmation"``
(the real ARN only with ``ReturnSubscriptionArn=true``), ListSubscriptions and ListSubscriptionsByTopic list the
subscription with ``SubscriptionArn`` ``"PendingConfirmation"``, GetSubscriptionAttributes (by the real ARN) says
``PendingConfirmation`` ``"true"``, and GetTopicAttributes counts it in ``SubscriptionsPending`` (confirmed ones in
``SubscriptionsConfirmed``). Subscribing the same address again while pending answers ``"pending confirmation"``
again. Deleting the topic deletes its pending subscriptions too.

moto 5.2.5 (moto/sns/models.py, ``SNSBackend.subscribe``; moto/sns/responses.py, ``SNSResponse.subscribe`` and
``get_topic_attributes``): every subscription is confirmed at once (``PendingConfirmation`` false, its ARN in every
answer), and the topic counts are always 0 (``Topic.subscriptions_pending`` / ``subscriptions_confimed`` are never
updated). So the path of community.aws ``sns_topic`` that skips ``PendingConfirmation`` entries when purging and
deleting is never exercised.

What this addition does: marks new ``email`` / ``email-json`` subscriptions pending (``PendingConfirmation`` "true"
in their attributes); a ``subscription_arn`` property on ``Subscription`` (which moto's serializer reads before
``arn``) answers ``PendingConfirmation`` for them in the list calls; Subscribe answers ``pending confirmation`` unless
``ReturnSubscriptionArn`` is true; ``Topic.subscriptions_pending`` / ``subscriptions_confimed`` count the topic's
pending and confirmed subscriptions when read. Confirmation itself stays moto's (ConfirmSubscription does not check
the token and confirms nothing): the emulator sends no mail, so no test can hold a token. Other protocols that need
confirmation on AWS (``http``, ``https``) are left confirmed, as moto has them.

Reference: https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html,
https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html,
https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html,
https://docs.aws.amazon.com/sns/latest/api/API_GetSubscriptionAttributes.html,
https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html
"""

from typing import Any

from moto.sns.models import SNSBackend, Subscription, Topic
from moto.sns.responses import SNSResponse

PENDING_PROTOCOLS = frozenset(["email", "email-json"])
PENDING_ARN = "PendingConfirmation"
PENDING_ANSWER = "pending confirmation"

_originals: dict = {}


def _is_pending(subscription: Subscription) -> bool:
    return bool(getattr(subscription, "_atelier_pending", False))


def _subscription_arn(self: Subscription) -> str:
    return PENDING_ARN if _is_pending(self) else self.arn


def _subscribe(self: SNSBackend, topic_arn: str, endpoint: str, protocol: str) -> Subscription:
    known = set(self.subscriptions)
    subscription = _originals["subscribe"](self, topic_arn, endpoint, protocol)
    if subscription.arn not in known and protocol in PENDING_PROTOCOLS:
        subscription._atelier_pending = True
        subscription.attributes["PendingConfirmation"] = "true"
        subscription.attributes["ConfirmationWasAuthenticated"] = "false"
    return subscription


def _subscribe_response(self: SNSResponse) -> Any:
    answer = _originals["subscribe_response"](self)
    result = getattr(answer, "result", None)
    wants_arn = str(self._get_param("ReturnSubscriptionArn", "false")).lower() == "true"
    if isinstance(result, dict) and not wants_arn:
        subscription = self.backend.subscriptions.get(result.get("SubscriptionArn"))
        if subscription is not None and _is_pending(subscription):
            result["SubscriptionArn"] = PENDING_ANSWER
    return answer


def _topic_subscriptions(topic: Topic) -> list:
    return [sub for sub in topic.sns_backend.subscriptions.values() if sub.topic is topic]


def _count(pending: bool) -> property:
    def getter(self: Topic) -> int:
        return sum(1 for sub in _topic_subscriptions(self) if _is_pending(sub) == pending)

    def setter(self: Topic, _value: int) -> None:
        """moto's Topic.__init__ sets 0; the count is computed when read."""

    return property(getter, setter)


def apply() -> None:
    """Wrap moto's subscribe (backend and response) and compute the topic's subscription counts."""
    _originals["subscribe"] = SNSBackend.subscribe
    _originals["subscribe_response"] = SNSResponse.subscribe
    SNSBackend.subscribe = _subscribe
    SNSResponse.subscribe = _subscribe_response
    Subscription.subscription_arn = property(_subscription_arn)
    Topic.subscriptions_pending = _count(pending=True)
    Topic.subscriptions_confimed = _count(pending=False)
