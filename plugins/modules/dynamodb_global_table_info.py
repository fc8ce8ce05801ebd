#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: dynamodb_global_table_info
version_added: 0.1.0
short_description: Describe a DynamoDB table and its replicas
description:
  - Tell whether a DynamoDB table exists in the region the module connects to and describe it
    in the shape atelier.infra.dynamodb_global_table returns, replicas included with their
    status, deletion protection and point-in-time recovery (read in each replica's region),
    with its TTL, point-in-time recovery, encryption, stream and tags.
  - community.aws's C(dynamodb_table) has no info counterpart and reports neither replicas,
    TTL nor point-in-time recovery; this module fills that gap.
author:
  - Atelier infra developers (@atelier-infra)
options:
  name:
    description:
      - The name of the table.
    required: true
    type: str
attributes:
  check_mode:
    description: Can run in check mode; the module only reads.
    support: full
seealso:
  - module: atelier.infra.dynamodb_global_table
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Describe the Atelier stack's table
  atelier.infra.dynamodb_global_table_info:
    region: eu-central-1
    name: AtelierDB
  register: atelier_db

- name: List the regions of its replicas
  ansible.builtin.debug:
    msg: "{{ atelier_db.table.replicas | map(attribute='region_name') | list }}"
  when: atelier_db.exists
"""

RETURN = r"""
exists:
  description: Whether the table exists in the region.
  returned: always
  type: bool
  sample: true
table:
  description:
    - The table as DynamoDB describes it, with snake_case keys, plus C(name), C(hash_key),
      C(range_key), C(billing_mode), C(read_capacity), C(write_capacity), C(table_class),
      C(tags) (a dictionary), C(ttl), C(point_in_time_recovery), C(deletion_protection),
      C(sse), C(stream) and C(replicas), as documented for atelier.infra.dynamodb_global_table.
    - Empty when the table does not exist.
  returned: always
  type: dict
  contains:
    table_arn:
      description: The ARN of the table.
      type: str
      sample: arn:aws:dynamodb:eu-central-1:123456789012:table/AtelierDB
    table_status:
      description: The status of the table.
      type: str
      sample: ACTIVE
    tags:
      description: The tags of the table.
      type: dict
    ttl:
      description: Time to live, with C(enabled), C(attribute_name) and C(status).
      type: dict
    point_in_time_recovery:
      description: Whether point-in-time recovery is enabled in the home region.
      type: bool
    deletion_protection:
      description: Whether the table in the home region has deletion protection.
      type: bool
    replicas:
      description:
        - The replicas in other regions, sorted by region, each with C(region_name),
          C(replica_status), C(kms_key_id), C(table_class), C(deletion_protection) and
          C(point_in_time_recovery).
      type: list
      elements: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import AnsibleDynamoDBError
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import get_table_state
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import normalize_table


def describe(module: AnsibleAWSModule, client) -> None:
    home_region = module.region
    clients = {home_region: client}

    def regional_client(region):
        if region not in clients:
            clients[region] = module.client("dynamodb", region=region)
        return clients[region]

    try:
        state = get_table_state(client, module.params["name"], home_region, regional_client)
    except AnsibleDynamoDBError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, exists=state is not None, table=normalize_table(state, home_region))


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    client = module.client("dynamodb")

    describe(module, client)


if __name__ == "__main__":
    main()
