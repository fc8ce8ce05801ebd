#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: sns_lambda_subscriptions
version_added: 0.1.0
short_description: Converge the SNS topics a Lambda function is subscribed to
description:
  - Subscribes the function to each topic of O(topics) where it is not yet (protocol C(lambda)), and removes its
    subscriptions from the topics of O(known) it should not be subscribed to; the topics' other subscriptions are
    left alone. Reads only when nothing differs.
  - Fills a gap of C(amazon.aws.sns_topic) (10.x), which converges a whole topic (its attributes, policy and, with
    purge, every subscription), so a function cannot subscribe to a topic another role owns without taking over
    the topic; and amazon.aws has no module for one subscription.
  - SNS invokes the function only if its policy lets C(sns.amazonaws.com) do it (C(amazon.aws.lambda_policy)).
author:
  - Atelier infra developers (@atelier-infra)
options:
  endpoint:
    description: The function's ARN.
    type: str
    required: true
  topics:
    description: The topics (ARNs) the function is subscribed to. A missing topic fails (in check mode, it is reported).
    type: list
    elements: str
    default: []
  known:
    description: Topics (ARNs) where a subscription of the function not in O(topics) is removed; missing ones are skipped.
    type: list
    elements: str
    default: []
attributes:
  check_mode:
    description: Reads only, and returns what would change.
    support: full
  diff_mode:
    description: The topics before and after.
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Subscribe the notifier to the processed-images topic only
  atelier.infra.sns_lambda_subscriptions:
    endpoint: arn:aws:lambda:us-east-1:123456789012:function:dev-app-notify
    topics: [arn:aws:sns:us-east-1:123456789012:dev-app-processed]
    known: [arn:aws:sns:us-east-1:123456789012:dev-app-processed, arn:aws:sns:us-east-1:123456789012:dev-app-alarms]
"""

RETURN = r"""
topics:
  description: The topics the function is subscribed to after the run (in check mode, would be).
  returned: always
  type: list
  elements: str
actions:
  description: What changed (C(create|delete sns subscription <topic name>/<function name>)).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils import sns_subscriptions as s
from ansible_collections.atelier.infra.plugins.module_utils.sns_subscriptions import AnsibleSNSSubscriptionsError


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            endpoint=dict(type="str", required=True),
            topics=dict(type="list", elements="str", default=[]),
            known=dict(type="list", elements="str", default=[]),
        ),
        supports_check_mode=True,
    )
    endpoint, wanted = module.params["endpoint"], set(module.params["topics"])
    bad = sorted(t for t in wanted | set(module.params["known"]) if not t.startswith("arn:") or ":sns:" not in t)
    if bad or not endpoint.startswith("arn:"):
        module.fail_json(msg=f"sns_lambda_subscriptions: the endpoint and topics must be ARNs (got {', '.join(bad) or endpoint})")
    client = module.client("sns")
    name = endpoint.rsplit(":", 1)[-1]
    lines, before, after = [], [], []
    try:
        for topic in sorted(wanted | set(module.params["known"])):
            found = s.list_subscriptions(client, topic)
            if found is None:
                if topic in wanted and not module.check_mode:
                    module.fail_json(msg=f"sns_lambda_subscriptions: the topic {topic} does not exist; create it first")
                if topic in wanted:
                    lines.append(f"create sns subscription {topic.rsplit(':', 1)[-1]}/{name}")
                    after.append(topic)
                continue
            mine = s.function_subscriptions(found, endpoint)
            if mine:
                before.append(topic)
            if topic in wanted:
                after.append(topic)
                if not mine:
                    lines.append(f"create sns subscription {topic.rsplit(':', 1)[-1]}/{name}")
                    if not module.check_mode:
                        s.subscribe(client, topic, endpoint)
            elif mine:
                lines.append(f"delete sns subscription {topic.rsplit(':', 1)[-1]}/{name}")
                if not module.check_mode:
                    for arn in mine:
                        s.unsubscribe(client, arn)
    except AnsibleSNSSubscriptionsError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=bool(lines), topics=after, actions=lines, diff={"before": {"topics": before}, "after": {"topics": after}})


if __name__ == "__main__":
    main()
