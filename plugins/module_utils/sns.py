# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
Wrappers around the SNS API calls used by atelier.infra.sns_topic_encryption and atelier.infra.aws_values_info.

Every function is one boto3 call with amazon.aws' retry decorator (plus the other protocols' throttling codes) and an
error handler that turns botocore exceptions into AnsibleSNSError.
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import all_pages

TOPIC_NOT_FOUND = "NotFound"
# What get_topic_attributes answers for a topic that does not exist.
MISSING = object()


class AnsibleSNSError(AnsibleAWSError):
    pass


class SNSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleSNSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(TOPIC_NOT_FOUND)


@SNSErrorHandler.list_error_handler("get topic attributes", MISSING)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_topic_attributes(client, topic_arn):
    """The topic's attributes (a dict of strings), MISSING when there is no such topic."""
    return client.get_topic_attributes(TopicArn=topic_arn)["Attributes"]


@SNSErrorHandler.common_error_handler("set topic attributes")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def set_topic_attribute(client, topic_arn, name, value):
    client.set_topic_attributes(TopicArn=topic_arn, AttributeName=name, AttributeValue=value)
    return True


@SNSErrorHandler.list_error_handler("list the subscriptions of the topic", MISSING)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_topic_subscriptions(client, topic_arn):
    """ListSubscriptionsByTopic's subscriptions, every page; MISSING when there is no such topic."""
    return all_pages(client.list_subscriptions_by_topic, "Subscriptions", TopicArn=topic_arn)


@SNSErrorHandler.list_error_handler("list the tags of the topic", MISSING)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_topic_tags(client, topic_arn):
    """The topic's tags, key to value; MISSING when there is no such topic."""
    return {tag["Key"]: tag["Value"] for tag in client.list_tags_for_resource(ResourceArn=topic_arn).get("Tags") or []}
