#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudwatch_dashboard
version_added: 0.1.0
short_description: Manage a CloudWatch dashboard
description:
  - Create, update or delete a CloudWatch dashboard.
  - Neither the C(amazon.aws) nor the C(community.aws) collection (10.x) ships a module for
    CloudWatch dashboards. This module fills that gap in the style of the amazon.aws modules.
  - The body AWS holds (C(GetDashboard)) is parsed and compared with O(body) as data, so key order
    and white space never cause a change; C(PutDashboard) is called only when they differ.
  - The options are validated before any AWS call.
author:
  - Atelier infra developers (@atelier-infra)
options:
  name:
    description:
      - The name of the dashboard, 1 to 255 letters, digits, hyphens and underscores.
    required: true
    type: str
  body:
    description:
      - The dashboard body, a dictionary or a JSON string holding an object, usually with a
        C(widgets) list. See the CloudWatch dashboard body structure in the AWS documentation.
      - Required with O(state=present).
    type: raw
  state:
    description:
      - Whether the dashboard should exist.
    default: present
    choices: ['present', 'absent']
    type: str
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns the dashboard body before and after the change when run with C(--diff).
    support: full
notes:
  - Dashboards are global to the account; the region only picks the API endpoint. A metric widget
    names the region of its metrics in its C(properties.region).
  - Dashboards have no tags in this module.
  - The messages AWS returns for a body it accepts (C(DashboardValidationMessages)) are reported as
    warnings; a body AWS refuses fails the module with them.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: A dashboard with the CPU of the web tier
  atelier.infra.cloudwatch_dashboard:
    name: dev-overview
    body:
      widgets:
        - type: metric
          x: 0
          y: 0
          width: 12
          height: 6
          properties:
            title: Web CPU
            region: eu-west-1
            stat: Average
            period: 300
            metrics:
              - [AWS/EC2, CPUUtilization, AutoScalingGroupName, dev-web]

- name: The same from a JSON file
  atelier.infra.cloudwatch_dashboard:
    name: dev-overview
    body: "{{ lookup('ansible.builtin.file', 'dashboard.json') }}"

- name: Remove the dashboard
  atelier.infra.cloudwatch_dashboard:
    name: dev-overview
    state: absent
"""

RETURN = r"""
actions:
  description:
    - The change, or in check mode the change it would make, as one line (C(create), C(update) with the top-level
      keys of the body that differ, or C(delete), then the dashboard). Empty when nothing changes.
  returned: always
  type: list
  elements: str
  sample: ["update cloudwatch dashboard prod-atelier: widgets"]
name:
  description: The name of the dashboard.
  returned: always
  type: str
  sample: dev-overview
arn:
  description: The ARN of the dashboard.
  returned: when O(state=present), except in check mode when the dashboard would be created
  type: str
  sample: arn:aws:cloudwatch::123456789012:dashboard/dev-overview
body:
  description: The dashboard body, parsed.
  returned: when O(state=present)
  type: dict
  sample: {"widgets": []}
msg:
  description: What the module did, or would have done in check mode.
  returned: when something changed or would change, and when there is nothing to delete
  type: str
  sample: "Would have updated dashboard dev-overview if not in check mode."
diff:
  description: The dashboard body before and after the change.
  returned: when run with C(--diff)
  type: dict
  contains:
    before:
      description: The body before the change, empty when there was no dashboard.
      type: dict
    after:
      description: The body after the change, empty when the dashboard is deleted.
      type: dict
"""

import json
import re
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import AnsibleCloudWatchError
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import delete_dashboard
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import get_dashboard
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import put_dashboard

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,255}$")


def parse_body(body: Any) -> Optional[Dict[str, Any]]:
    """The body as a dict (a JSON string is parsed); raises ValueError when it is not a JSON object."""
    if body is None:
        return None
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError as e:
            raise ValueError(f"body is not valid JSON: {e}") from e
    if not isinstance(body, dict):
        raise ValueError(f"body must be a JSON object (a dictionary), not {type(body).__name__}.")
    # Round trip through JSON: the body AWS would hold, with only JSON types in it.
    try:
        return json.loads(json.dumps(body))
    except (TypeError, ValueError) as e:
        raise ValueError(f"body cannot be written as JSON: {e}") from e


def canonical_json(body: Dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def validation_errors(params: Dict[str, Any]) -> List[str]:
    errors = []
    if not NAME_PATTERN.match(params.get("name") or ""):
        errors.append("name must be 1 to 255 letters, digits, hyphens and underscores.")
    if params.get("state") == "present":
        if params.get("body") is None:
            errors.append("body is required with state=present.")
        else:
            try:
                parse_body(params["body"])
            except ValueError as e:
                errors.append(str(e))
    return errors


def actions(name: str, changed: bool, before: Dict[str, Any], after: Dict[str, Any]) -> List[str]:
    """The change as one line: create, delete, or update with the top-level keys of the body that differ."""
    if not changed:
        return []
    if not before:
        return [f"create cloudwatch dashboard {name}"]
    if not after:
        return [f"delete cloudwatch dashboard {name}"]
    keys = sorted(key for key in set(before) | set(after) if canonical_json({key: before.get(key)}) != canonical_json({key: after.get(key)}))
    return [f"update cloudwatch dashboard {name}: {', '.join(keys) or 'body'}"]


def exit_with(module: AnsibleAWSModule, changed: bool, before: Dict[str, Any], after: Dict[str, Any], **result):
    if module._diff:
        result["diff"] = dict(before=before, after=after)
    name = module.params["name"]
    module.exit_json(changed=changed, name=name, actions=actions(name, changed, before, after), **result)


def find_existing(module: AnsibleAWSModule, client) -> Optional[Dict[str, Any]]:
    """{'arn', 'body'} of the dashboard, or None."""
    try:
        dashboard = get_dashboard(client, module.params["name"])
    except AnsibleCloudWatchError as e:
        module.fail_json_aws_error(e)
    if not dashboard:
        return None
    try:
        body = json.loads(dashboard.get("DashboardBody") or "{}")
    except ValueError:
        body = {"_unparsable": dashboard.get("DashboardBody")}
    return dict(arn=dashboard.get("DashboardArn"), body=body)


def ensure_present(module: AnsibleAWSModule, client, existing: Optional[Dict[str, Any]]) -> None:
    name = module.params["name"]
    desired = parse_body(module.params["body"])
    before = existing["body"] if existing else {}
    if existing and canonical_json(before) == canonical_json(desired):
        exit_with(module, False, before, before, arn=existing["arn"], body=before)

    verb = "updated" if existing else "created"
    if module.check_mode:
        result = dict(body=desired, msg=f"Would have {verb} dashboard {name} if not in check mode.")
        if existing:
            result["arn"] = existing["arn"]
        exit_with(module, True, before, desired, **result)

    try:
        messages = put_dashboard(client, name, json.dumps(desired))
    except AnsibleCloudWatchError as e:
        module.fail_json_aws_error(e)
    for message in messages:
        module.warn(f"PutDashboard {name}: {message.get('DataPath', '')} {message.get('Message', '')}".strip())

    arn = existing["arn"] if existing else None
    if not arn:
        after = find_existing(module, client)
        arn = after["arn"] if after else None
    exit_with(module, True, before, desired, arn=arn, body=desired, msg=f"The dashboard {name} was {verb}.")


def ensure_absent(module: AnsibleAWSModule, client, existing: Optional[Dict[str, Any]]) -> None:
    name = module.params["name"]
    if not existing:
        exit_with(module, False, {}, {}, msg=f"No dashboard {name}, nothing to delete.")
    if module.check_mode:
        exit_with(module, True, existing["body"], {}, msg=f"Would have deleted dashboard {name} if not in check mode.")
    try:
        delete_dashboard(client, name)
    except AnsibleCloudWatchError as e:
        module.fail_json_aws_error(e)
    exit_with(module, True, existing["body"], {}, msg=f"Deleted dashboard {name}.")


def validate(module: AnsibleAWSModule) -> None:
    """Fail on invalid options before any AWS call."""
    errors = validation_errors(module.params)
    if errors:
        module.fail_json(msg=" ".join(errors), errors=errors)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        body=dict(type="raw"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    validate(module)

    client = module.client("cloudwatch")

    existing = find_existing(module, client)

    if module.params["state"] == "present":
        ensure_present(module, client, existing)
    else:
        ensure_absent(module, client, existing)


if __name__ == "__main__":
    main()
