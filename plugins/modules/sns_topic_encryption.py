#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: sns_topic_encryption
version_added: 0.1.0
short_description: Set or remove the server-side encryption (KMS key) of an SNS topic
description:
  - Converges the C(KmsMasterKeyId) attribute of an existing SNS topic (C(GetTopicAttributes), then
    C(SetTopicAttributes) only when it differs), so that the topic's messages are encrypted at rest with that KMS key,
    or not at all when O(kms_key) is empty.
  - Fills a gap of C(community.aws.sns_topic) (10.x), which has no encryption option; make the topic with it first.
author:
  - Atelier infra developers (@atelier-infra)
options:
  topic_arn:
    description: The topic's ARN. The topic must exist (in check mode, a missing one is reported as to be set).
    type: str
    required: true
  kms_key:
    description:
      - The KMS key that encrypts the topic's messages, as SNS takes it (C(alias/<name>), an alias or key ARN, a key
        id); when empty, the topic is not encrypted. C(alias/aws/sns) is the AWS managed key of SNS.
      - Compared as written; SNS stores what it is given.
    type: str
    default: ""
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns the key before and after.
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Encrypt the processed-images topic with the stack's key
  atelier.infra.sns_topic_encryption:
    topic_arn: "{{ topic.sns_arn }}"
    kms_key: alias/dev-app-data
"""

RETURN = r"""
topic_arn:
  description: The topic.
  returned: always
  type: str
kms_key:
  description: The key now (or, in check mode, that would be); empty for none.
  returned: always
  type: str
before:
  description: The key found; empty for none.
  returned: always
  type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.sns import MISSING
from ansible_collections.atelier.infra.plugins.module_utils.sns import AnsibleSNSError
from ansible_collections.atelier.infra.plugins.module_utils.sns import get_topic_attributes
from ansible_collections.atelier.infra.plugins.module_utils.sns import set_topic_attribute


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(topic_arn=dict(type="str", required=True), kms_key=dict(type="str", default="", no_log=False)),
        supports_check_mode=True,
    )
    topic_arn, wanted = module.params["topic_arn"], module.params["kms_key"] or ""
    if not topic_arn.startswith("arn:") or ":sns:" not in topic_arn:
        module.fail_json(msg=f"sns_topic_encryption: topic_arn must be an SNS topic ARN, got {topic_arn!r}")
    client = module.client("sns")
    try:
        attributes = get_topic_attributes(client, topic_arn)
        if attributes is MISSING:
            if not module.check_mode:
                module.fail_json(msg=f"sns_topic_encryption: the topic {topic_arn} does not exist; create it first")
            attributes = {}
        current = attributes.get("KmsMasterKeyId") or ""
        changed = current != wanted
        if changed and not module.check_mode:
            set_topic_attribute(client, topic_arn, "KmsMasterKeyId", wanted)
    except AnsibleSNSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, topic_arn=topic_arn, kms_key=wanted, before=current,
                     diff={"before": {"kms_key": current}, "after": {"kms_key": wanted}})


if __name__ == "__main__":
    main()
