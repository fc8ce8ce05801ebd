"""SNS additions of the emulator, seen through boto3.

Each test fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=sns_email_pending_confirmation
pytest tests/emulator/test_emulator_sns.py``.
"""

import uuid


def _topic(sns) -> str:
    return sns.create_topic(Name=f"alarms-{uuid.uuid4().hex[:8]}")["TopicArn"]


def test_email_subscription_stays_pending_until_confirmed(emulator):
    """sns_email_pending_confirmation: Subscribe answers 'pending confirmation'; the lists say PendingConfirmation."""
    sns = emulator.client("sns")
    topic = _topic(sns)
    queue = emulator.client("sqs").create_queue(QueueName=f"q-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    queue_arn = emulator.client("sqs").get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]

    assert sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")["SubscriptionArn"] == (
        "pending confirmation"
    )
    # subscribing the same address again while it is pending answers the same
    assert sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")["SubscriptionArn"] == (
        "pending confirmation"
    )
    real_arn = sns.subscribe(
        TopicArn=topic, Protocol="email-json", Endpoint="json@example.com", ReturnSubscriptionArn=True
    )["SubscriptionArn"]
    assert real_arn.startswith(topic + ":")
    sqs_arn = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
    assert sqs_arn.startswith(topic + ":")

    listed = {
        s["Endpoint"]: s["SubscriptionArn"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    }
    assert listed == {
        "ops@example.com": "PendingConfirmation",
        "json@example.com": "PendingConfirmation",
        queue_arn: sqs_arn,
    }
    everywhere = {
        s["Endpoint"]: s["SubscriptionArn"] for s in sns.list_subscriptions()["Subscriptions"] if s["TopicArn"] == topic
    }
    assert everywhere == listed

    assert sns.get_subscription_attributes(SubscriptionArn=real_arn)["Attributes"]["PendingConfirmation"] == "true"
    assert sns.get_subscription_attributes(SubscriptionArn=sqs_arn)["Attributes"]["PendingConfirmation"] == "false"

    attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert (attributes["SubscriptionsPending"], attributes["SubscriptionsConfirmed"]) == ("2", "1")

    # deleting the topic deletes its pending subscriptions too
    sns.delete_topic(TopicArn=topic)
    assert [s for s in sns.list_subscriptions()["Subscriptions"] if s["TopicArn"] == topic] == []
