# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A Lambda function's subscriptions to SNS topics (atelier.infra.sns_lambda_subscriptions): the boto3 wrappers, with
amazon.aws' retries, that list a topic's subscriptions, subscribe and unsubscribe."""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES


class AnsibleSNSSubscriptionsError(AnsibleAWSError):
    pass


class SNSSubscriptionsErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleSNSSubscriptionsError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFound")


@SNSSubscriptionsErrorHandler.list_error_handler("list subscriptions by topic", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_subscriptions(client, topic_arn: str) -> Optional[List[Dict[str, Any]]]:
    """The topic's subscriptions; None when there is no such topic."""
    paginator = client.get_paginator("list_subscriptions_by_topic")
    return paginator.paginate(TopicArn=topic_arn).build_full_result()["Subscriptions"]


@SNSSubscriptionsErrorHandler.common_error_handler("subscribe")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def subscribe(client, topic_arn: str, endpoint: str) -> str:
    return client.subscribe(TopicArn=topic_arn, Protocol="lambda", Endpoint=endpoint, ReturnSubscriptionArn=True)["SubscriptionArn"]


@SNSSubscriptionsErrorHandler.deletion_error_handler("unsubscribe")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def unsubscribe(client, subscription_arn: str) -> bool:
    client.unsubscribe(SubscriptionArn=subscription_arn)
    return True


def function_subscriptions(subscriptions: Optional[List[Dict[str, Any]]], endpoint: str) -> List[str]:
    """The ARNs of the subscriptions of the function endpoint among a topic's (confirmed ones: a Lambda subscription
    needs no confirmation)."""
    return [s["SubscriptionArn"] for s in subscriptions or []
            if s.get("Protocol") == "lambda" and s.get("Endpoint") == endpoint and s.get("SubscriptionArn", "").startswith("arn:")]
