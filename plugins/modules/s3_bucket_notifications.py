#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_bucket_notifications
version_added: 0.1.0
short_description: Converge the Lambda event notifications one owner has on an S3 bucket, in one call
description:
  - A bucket's notification configuration is one document that C(PutBucketNotificationConfiguration) replaces whole.
    This module reads it, replaces the Lambda notifications whose C(Id) starts with O(owner) by O(functions), keeps
    every other notification (other Ids, queues, topics, EventBridge) as found, and writes the document in ONE call,
    only when the owner's notifications differ.
  - Fills a gap of C(amazon.aws.s3_bucket_notification) (10.x), which converges one notification per call (several
    functions on one bucket take several replacing writes, each validated alone) and has no owner, so it cannot
    remove the notifications of a function no longer declared without knowing their Ids.
  - S3 checks each function's resource policy (C(lambda:InvokeFunction) for C(s3.amazonaws.com) from this bucket,
    C(amazon.aws.lambda_policy)) and refuses overlapping notifications; give the permissions first.
author:
  - Atelier infra developers (@atelier-infra)
options:
  bucket:
    description: The bucket. A missing bucket with no O(functions) is nothing to do; with some, a failure.
    type: str
    required: true
  owner:
    description: The Id prefix of the notifications this module manages on the bucket; every Id in O(functions) starts with it.
    type: str
    required: true
  functions:
    description: The owner's Lambda notifications; V([]) removes them all.
    type: list
    elements: dict
    default: []
    suboptions:
      id:
        description: The notification's Id.
        type: str
        required: true
      function_arn:
        description: The function invoked.
        type: str
        required: true
      events:
        description: The S3 event types (V(s3:ObjectCreated:*), ...).
        type: list
        elements: str
        required: true
      prefix:
        description: The key prefix filter (none when empty).
        type: str
        default: ''
      suffix:
        description: The key suffix filter (none when empty).
        type: str
        default: ''
attributes:
  check_mode:
    description: Reads only, and returns what would change.
    support: full
  diff_mode:
    description: The owner's notifications before and after.
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Invoke the thumbnail function for JPEGs under avatars/ (and keep the bucket's other notifications)
  atelier.infra.s3_bucket_notifications:
    bucket: dev-app-uploads
    owner: atelier/dev-app/
    functions:
      - id: atelier/dev-app/thumbnail/0
        function_arn: arn:aws:lambda:us-east-1:123456789012:function:dev-app-thumbnail
        events: ["s3:ObjectCreated:*"]
        prefix: avatars/
        suffix: .jpg
"""

RETURN = r"""
functions:
  description: The owner's notifications now (in check mode, as they would be), in the form of the option.
  returned: always
  type: list
  elements: dict
actions:
  description: What changed, one line per notification (C(create|update|delete s3 notification <bucket>/<id>)).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils import s3_notifications as n
from ansible_collections.atelier.infra.plugins.module_utils.s3_notifications import AnsibleS3NotificationsError
from ansible_collections.atelier.infra.plugins.module_utils.s3_notifications import get_notifications
from ansible_collections.atelier.infra.plugins.module_utils.s3_notifications import put_notifications


def actions(bucket, before, after):
    """The action lines from the owner's notifications before and after (lists of options by Id)."""
    old, new = {c["id"]: c for c in before}, {c["id"]: c for c in after}
    lines = []
    for key in sorted(set(old) | set(new)):
        if key not in old:
            lines.append(f"create s3 notification {bucket}/{key}")
        elif key not in new:
            lines.append(f"delete s3 notification {bucket}/{key}")
        elif old[key] != new[key]:
            changed = [k for k in ("function_arn", "events", "prefix", "suffix") if old[key][k] != new[key][k]]
            lines.append(f"update s3 notification {bucket}/{key}: {', '.join(changed)}")
    return lines


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            bucket=dict(type="str", required=True),
            owner=dict(type="str", required=True),
            functions=dict(
                type="list", elements="dict", default=[],
                options=dict(
                    id=dict(type="str", required=True),
                    function_arn=dict(type="str", required=True),
                    events=dict(type="list", elements="str", required=True),
                    prefix=dict(type="str", default=""),
                    suffix=dict(type="str", default=""),
                ),
            ),
        ),
        supports_check_mode=True,
    )
    bucket, owner, functions = module.params["bucket"], module.params["owner"], module.params["functions"]
    if not owner:
        module.fail_json(msg="s3_bucket_notifications: owner must not be empty (it would own every notification)")
    problems = n.errors(functions, owner)
    if problems:
        module.fail_json(msg=f"s3_bucket_notifications: {'; '.join(problems)}")
    client = module.client("s3")
    try:
        current = get_notifications(client, bucket)
        if current is None and functions and not module.check_mode:
            module.fail_json(msg=f"s3_bucket_notifications: the bucket {bucket} does not exist; create it first")
        before, after = n.owned(current, owner), n.wanted(functions)
        lines = actions(bucket, before, after)
        if lines and not module.check_mode:
            put_notifications(client, bucket, n.merged(current, owner, functions))
    except AnsibleS3NotificationsError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=bool(lines), functions=after, actions=lines,
                     diff={"before": {"functions": before}, "after": {"functions": after}})


if __name__ == "__main__":
    main()
