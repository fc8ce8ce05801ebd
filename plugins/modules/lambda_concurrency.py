#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: lambda_concurrency
version_added: 0.1.0
short_description: Set or remove the reserved concurrency of Lambda functions
description:
  - Converges the reserved concurrency (C(PutFunctionConcurrency) / C(DeleteFunctionConcurrency)) of each function
    given, in one module run; only a function whose reservation differs is changed.
  - Fills a gap of C(amazon.aws.lambda) (10.x), which has no reserved concurrency option.
author:
  - Atelier infra developers (@atelier-infra)
options:
  functions:
    description: The functions and their reservations.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: The function's name or ARN; it must exist (in check mode, a missing one is reported as to be set).
        type: str
        required: true
      reserved_concurrency:
        description:
          - The concurrent executions reserved for the function (V(0) stops it from running); not given, the function
            has no reservation (any is removed).
        type: int
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns each function's reservation before and after.
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Reserve 5 concurrent executions for one function and none for another
  atelier.infra.lambda_concurrency:
    functions:
      - {name: dev-app-presign, reserved_concurrency: 5}
      - {name: dev-app-notify}
"""

RETURN = r"""
functions:
  description: Each function with its reservation before and after (null for none).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The function.
      type: str
    before:
      description: The reservation found.
      type: int
    after:
      description: The reservation now (or, in check mode, that would be).
      type: int
    changed:
      description: Whether the reservation was (or would be) changed.
      type: bool
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.awslambda import MISSING
from ansible_collections.atelier.infra.plugins.module_utils.awslambda import AnsibleLambdaError
from ansible_collections.atelier.infra.plugins.module_utils.awslambda import delete_function_concurrency
from ansible_collections.atelier.infra.plugins.module_utils.awslambda import get_function_concurrency
from ansible_collections.atelier.infra.plugins.module_utils.awslambda import put_function_concurrency


def converge(module, client, function):
    name, wanted = function["name"], function.get("reserved_concurrency")
    current = get_function_concurrency(client, name)
    if current is MISSING:
        if not module.check_mode:
            module.fail_json(msg=f"lambda_concurrency: the function {name} does not exist; create it first")
        current = None
    changed = current != wanted
    if changed and not module.check_mode:
        if wanted is None:
            delete_function_concurrency(client, name)
        else:
            put_function_concurrency(client, name, wanted)
    return {"name": name, "before": current, "after": wanted, "changed": changed}


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            functions=dict(
                type="list", elements="dict", required=True,
                options=dict(name=dict(type="str", required=True), reserved_concurrency=dict(type="int")),
            ),
        ),
        supports_check_mode=True,
    )
    negative = [f["name"] for f in module.params["functions"] if (f.get("reserved_concurrency") or 0) < 0]
    if negative:
        module.fail_json(msg=f"lambda_concurrency: reserved_concurrency must be 0 or more ({', '.join(negative)})")
    client = module.client("lambda")
    try:
        results = [converge(module, client, function) for function in module.params["functions"]]
    except AnsibleLambdaError as e:
        module.fail_json_aws_error(e)
    changed = any(r["changed"] for r in results)
    diff = {"before": {r["name"]: r["before"] for r in results}, "after": {r["name"]: r["after"] for r in results}}
    module.exit_json(changed=changed, functions=results, diff=diff)


if __name__ == "__main__":
    main()
