#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: dynamodb_global_table
version_added: 0.1.0
short_description: Manage a DynamoDB table and its replicas in other regions (global table)
description:
  - Create, update or delete a DynamoDB table in the region the module connects to (its home
    region) together with its replicas in other regions (global tables version 2019.11.21),
    global and local secondary indexes, TTL, stream, encryption at rest, point-in-time recovery,
    deletion protection, table class and tags.
  - This module fills the gaps of community.aws's C(dynamodb_table) and C(dynamodb_ttl) modules.
    C(dynamodb_table) manages no replicas, streams, point-in-time recovery, KMS encryption or
    deletion protection, never removes a global secondary index and fails against moto with
    C(KeyError 'table_id'); C(dynamodb_ttl) manages TTL apart and without check mode.
  - The module compares the table's normalised configuration with the requested one (indexes by
    name, replicas by region, tags as a dictionary, whatever the order) and plans the changes as
    a list of steps, returned as RV(plan) in every mode, including check mode.
  - DynamoDB accepts one index change and one replica change per C(UpdateTable) call and refuses
    the next while the previous one is in progress. The module adds, updates and removes global
    secondary indexes one per call and adds and removes replicas one region per call, waiting
    after each until the index or the replica is C(ACTIVE) or gone.
  - A global secondary index whose key schema or projection changes (or the type of one of its
    key attributes) is removed, then added again; the plan says so.
  - Nothing is lost. A change DynamoDB can only make by replacing the table (hash or range key,
    the type of a key attribute, local secondary indexes) fails with a message saying that it
    requires replacing the table, which would delete its items, and nothing is changed.
  - A table still changing when the module reads it (a run with O(wait=false) or O(defer_replicas), the job that
    finishes such a run, another operator's run) is waited for, then read again, and the plan is made from what it
    became, so that a replica another run added meanwhile is not added again. C(CreateTable) and C(UpdateTable)
    take no idempotency token. A table create or a replica add whose answer was lost is retried by botocore and
    refused, although its first request did the work, and so is a replica add that another run made after this
    one planned. The module carries on with that table or replica instead of failing.
  - The parameters are checked before any AWS call (replica regions, capacities, attribute
    definitions, TTL attribute, stream for replicas, index names and counts), and against the
    existing table before any change; every problem found is reported at once.
  - Options left out are not managed, except O(billing_mode) which defaults to V(PAY_PER_REQUEST)
    when the table is created.
  - Stack isolation. When O(tags) carries the ownership tags C(atelier:env) and C(atelier:stack), the
    module refuses to change or delete an existing table whose own ownership tags name another stack or
    environment, before any change (in check mode too, and with O(state=absent), where O(tags) serves only
    this check). A table without ownership tags is adopted.
author:
  - Atelier infra developers (@atelier-infra)
options:
  name:
    description:
      - The name of the table, in the home region and in every replica region.
    required: true
    type: str
  state:
    description:
      - Whether the table should exist.
      - With V(absent), the replicas are removed one by one, then the table is deleted. The
        module refuses while deletion protection is on in any region, and says how to lift it.
    default: present
    choices: ['present', 'absent']
    type: str
  hash_key:
    description:
      - The partition (hash) key attribute of the table.
      - Required to create the table. On an existing table, when set, O(hash_key) and
        O(range_key) describe the whole key schema (leaving out O(range_key) means no range key);
        a different key schema is refused, since it requires replacing the table.
    type: str
  range_key:
    description:
      - The sort (range) key attribute of the table.
    type: str
  attribute_definitions:
    description:
      - The type of every key attribute of the table and of its indexes.
      - Required to create the table. DynamoDB refuses definitions of attributes that are not
        keys, and so does the module.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The attribute name.
        required: true
        type: str
      type:
        description:
          - The attribute type, V(S) string, V(N) number or V(B) binary.
        required: true
        choices: ['S', 'N', 'B']
        type: str
  billing_mode:
    description:
      - V(PAY_PER_REQUEST) (on demand) or V(PROVISIONED) (then O(read_capacity) and
        O(write_capacity) are required).
      - When left out, a new table is V(PAY_PER_REQUEST) and an existing table keeps its mode.
    choices: ['PAY_PER_REQUEST', 'PROVISIONED']
    type: str
  read_capacity:
    description:
      - The provisioned read capacity units of the table, with O(billing_mode=PROVISIONED) only.
    type: int
  write_capacity:
    description:
      - The provisioned write capacity units of the table, with O(billing_mode=PROVISIONED) only.
    type: int
  table_class:
    description:
      - The table class of the table (and of the replicas that do not set their own).
      - When left out, a new table is V(STANDARD) and an existing table keeps its class.
    choices: ['STANDARD', 'STANDARD_INFREQUENT_ACCESS']
    type: str
  global_secondary_indexes:
    description:
      - The global secondary indexes of the table. DynamoDB allows at most 20.
      - Indexes are compared by name. When left out, the indexes are not managed.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The name of the index, unique among the table's indexes.
        required: true
        type: str
      hash_key:
        description:
          - The partition key attribute of the index.
        required: true
        type: str
      range_key:
        description:
          - The sort key attribute of the index.
        type: str
      projection_type:
        description:
          - The attributes copied into the index.
        default: ALL
        choices: ['ALL', 'KEYS_ONLY', 'INCLUDE']
        type: str
      non_key_attributes:
        description:
          - The non-key attributes copied into the index, with O(global_secondary_indexes[].projection_type=INCLUDE) only.
        type: list
        elements: str
      read_capacity:
        description:
          - The read capacity units of the index, with O(billing_mode=PROVISIONED) only.
          - When left out, an existing index keeps its capacity and a new one gets the table's.
        type: int
      write_capacity:
        description:
          - The write capacity units of the index, with O(billing_mode=PROVISIONED) only.
          - When left out, an existing index keeps its capacity and a new one gets the table's.
        type: int
  purge_global_secondary_indexes:
    description:
      - Remove the global secondary indexes that are not in O(global_secondary_indexes).
      - Has no effect when O(global_secondary_indexes) is left out.
    default: true
    type: bool
  local_secondary_indexes:
    description:
      - The local secondary indexes of the table, at most 5; the table needs a O(range_key).
      - DynamoDB creates them with the table only. On an existing table a different list is
        refused, since it requires replacing the table. When left out, they are not managed.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The name of the index, unique among the table's indexes.
        required: true
        type: str
      range_key:
        description:
          - The sort key attribute of the index (its partition key is the table's).
        required: true
        type: str
      projection_type:
        description:
          - The attributes copied into the index.
        default: ALL
        choices: ['ALL', 'KEYS_ONLY', 'INCLUDE']
        type: str
      non_key_attributes:
        description:
          - The non-key attributes copied into the index, with O(local_secondary_indexes[].projection_type=INCLUDE) only.
        type: list
        elements: str
  ttl_attribute:
    description:
      - When set, time to live is enabled on this attribute (epoch seconds, a number); V("")
        disables TTL; when left out, TTL is not managed.
      - DynamoDB replicates the TTL setting to the replicas.
      - The hash or range key of the table is refused. AWS does not document a rule against it,
        but items would then expire by their key value, and a key can't be updated to push an
        item's expiry back.
      - DynamoDB refuses a second TTL change within an hour of the previous one, so moving TTL to
        another attribute is refused; disable it (V("")) in one run and enable it in a later one.
    type: str
  stream_enabled:
    description:
      - Whether the table's stream is enabled. Setting O(stream_view_type) alone enables it.
      - Replicas require the stream enabled with O(stream_view_type=NEW_AND_OLD_IMAGES).
      - When left out together with O(stream_view_type), the stream is not managed.
    type: bool
  stream_view_type:
    description:
      - What the stream records carry. Changing the view type of an enabled stream disables it
        and enables it again (a new stream, with a new ARN).
    choices: ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY']
    type: str
  sse_type:
    description:
      - How the table is encrypted at rest, with an AWS owned key (V(AWS_OWNED), DynamoDB's
        default) or a KMS key (V(KMS)).
      - When left out, a new table uses an AWS owned key and an existing table keeps its encryption.
    choices: ['AWS_OWNED', 'KMS']
    type: str
  kms_key_id:
    description:
      - With O(sse_type=KMS), the key ID or key ARN of a customer managed KMS key in the home
        region. Aliases are refused (DynamoDB reports the key ARN, which an alias can't be
        compared with).
      - When left out, a new table uses the AWS managed key C(alias/aws/dynamodb) and an existing
        KMS-encrypted table keeps its key.
      - KMS keys belong to one region, so every new replica then needs its own
        O(replicas[].kms_key_id).
    type: str
  point_in_time_recovery:
    description:
      - Whether point-in-time recovery (continuous backups) is enabled in the home region.
    type: bool
  deletion_protection:
    description:
      - Whether the table in the home region has deletion protection.
    type: bool
  replicas:
    description:
      - The replicas of the table, one per region other than the home region (global tables
        version 2019.11.21). Replicas are compared by region.
      - Replicas are added and removed one region per call, waiting for each. A replica with
        deletion protection is not removed; lift its protection first.
      - Settings of a replica left out are not managed (a new replica gets DynamoDB's defaults,
        the table's class, the AWS managed key, no point-in-time recovery, no deletion
        protection). Deletion protection, point-in-time recovery, table class and KMS key of an
        existing replica are set in the replica's region.
      - When left out, the replicas are not managed.
    type: list
    elements: dict
    suboptions:
      region:
        description:
          - The region of the replica, a DynamoDB region in the partition of the home region,
            not the home region itself.
        required: true
        type: str
      kms_key_id:
        description:
          - The key ID or key ARN of the KMS key of the replica, a key of the replica's region.
        type: str
      table_class:
        description:
          - The table class of the replica, when it differs from the table's.
        choices: ['STANDARD', 'STANDARD_INFREQUENT_ACCESS']
        type: str
      deletion_protection:
        description:
          - Whether the replica has deletion protection.
        type: bool
      point_in_time_recovery:
        description:
          - Whether point-in-time recovery is enabled for the replica.
        type: bool
      global_secondary_indexes:
        description:
          - Read capacity overrides of the replica's global secondary indexes, with
            O(billing_mode=PROVISIONED) only.
        type: list
        elements: dict
        suboptions:
          name:
            description:
              - The name of the global secondary index.
            required: true
            type: str
          read_capacity:
            description:
              - The read capacity units of the index in this replica.
            type: int
  purge_replicas:
    description:
      - Remove the replicas whose region is not in O(replicas).
      - Has no effect when O(replicas) is left out.
    default: true
    type: bool
  wait:
    description:
      - Wait for the last change to complete (table, indexes and replicas C(ACTIVE), or the table
        gone).
      - The module always waits between two changes that DynamoDB requires to be sequential
        (index and replica changes); V(false) only skips the wait after the last one.
    default: true
    type: bool
  wait_timeout:
    description:
      - How long to wait for each change, in seconds. Adding a replica of a large table can take
        much longer than the default.
    default: 1200
    type: int
  defer_replicas:
    description:
      - Start adding the first new replica and return without waiting for it (minutes on AWS). What comes after it,
        its own settings and any other new replica, is left to the next run, which waits for the table to settle
        first. RV(settled) is then V(false) and RV(deferred) lists what is left.
      - The dynamodb_global role uses it in playbooks/site.yml, so that a new replica is made while the other layers
        converge; the last play runs the module again without it (the role's C(tasks_from=wait)).
      - With nothing to change and a table still changing (a run with it before), a run without it waits when
        O(wait=true).
    default: false
    type: bool
    version_added: 0.2.0
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target; the plan is returned.
    support: full
  diff_mode:
    description: Returns the normalised configuration of the table, replicas included, before and after the change.
    support: full
notes:
  - Tags are those of the table in the home region; DynamoDB does not copy them to the replicas.
  - Besides C(dynamodb:DescribeTable), C(UpdateTable), C(CreateTable), C(DeleteTable),
    C(DescribeTimeToLive), C(UpdateTimeToLive), C(DescribeContinuousBackups),
    C(UpdateContinuousBackups), C(ListTagsOfResource), C(TagResource) and C(UntagResource), the
    replicas need the permissions listed in the DynamoDB guide for global tables (including
    C(iam:CreateServiceLinkedRole) the first time).
seealso:
  - module: atelier.infra.dynamodb_global_table_info
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Create the Atelier stack's table AtelierDB in eu-central-1 with replicas in af-south-1 and eu-west-1
  atelier.infra.dynamodb_global_table:
    region: eu-central-1
    name: AtelierDB
    hash_key: PK
    range_key: SK
    attribute_definitions:
      - {name: PK, type: S}
      - {name: SK, type: S}
      - {name: ProductKey, type: S}
      - {name: ProductName, type: S}
      - {name: Category, type: S}
      - {name: Price, type: N}
      - {name: UserId, type: S}
      - {name: OrderDate, type: S}
      - {name: OrderMonth, type: S}
    billing_mode: PAY_PER_REQUEST
    global_secondary_indexes:
      - {name: GSI_AllProducts, hash_key: ProductKey, range_key: ProductName}
      - {name: GSI_Category, hash_key: Category, range_key: ProductName}
      - {name: GSI_CategoryPrice, hash_key: Category, range_key: Price}
      - {name: GSI_UserOrders, hash_key: UserId, range_key: OrderDate}
      - {name: GSI_OrdersByDate, hash_key: OrderMonth, range_key: OrderDate}
    ttl_attribute: ExpiresAt
    stream_enabled: true
    stream_view_type: NEW_AND_OLD_IMAGES
    sse_type: KMS
    point_in_time_recovery: true
    deletion_protection: true
    replicas:
      - region: af-south-1
        point_in_time_recovery: true
        deletion_protection: true
      - region: eu-west-1
        point_in_time_recovery: true
        deletion_protection: true
    tags:
      Name: AtelierDB
  register: atelier_db

- name: Show what was done, in order
  ansible.builtin.debug:
    var: atelier_db.plan

- name: Preview the removal of a replica (check mode returns the plan, changes nothing)
  atelier.infra.dynamodb_global_table:
    region: eu-central-1
    name: AtelierDB
    replicas:
      - region: af-south-1
  check_mode: true
  register: preview

- name: Lift deletion protection everywhere before deleting the table
  atelier.infra.dynamodb_global_table:
    region: eu-central-1
    name: AtelierDB
    deletion_protection: false
    replicas:
      - {region: af-south-1, deletion_protection: false}
      - {region: eu-west-1, deletion_protection: false}
    purge_replicas: false

- name: Remove the replicas, then the table
  atelier.infra.dynamodb_global_table:
    region: eu-central-1
    name: AtelierDB
    state: absent
"""

RETURN = r"""
settled:
  description:
    - Whether the table is what was asked and done changing (table, indexes and replicas C(ACTIVE)) when the module
      returns; V(true) when there is no table. V(false) after O(defer_replicas) left something to the next run, or
      after the last change with O(wait=false), or in check mode for a table still changing.
  returned: always
  type: bool
  sample: false
  version_added: 0.2.0
deferred:
  description: The changes O(defer_replicas) left to the next run, in the order it will make them.
  returned: always
  type: list
  elements: str
  sample: ["enable point-in-time recovery in eu-west-1"]
  version_added: 0.2.0
actions:
  description:
    - The plan as one line, C(create) or C(delete) the table, or C(update) it with the settings that change
      (C(replicas) for a replica and its settings). Empty when nothing changes.
  returned: always
  type: list
  elements: str
  sample: ["update dynamodb table prod-atelier-AtelierDB: replicas, tags"]
plan:
  description:
    - The changes, in the order they are (or in check mode would be) made, one per API call.
    - Empty when nothing changes.
  returned: always
  type: list
  elements: str
  sample: ["add GSI GSI_Category", "enable TTL on ExpiresAt", "add replica af-south-1", "enable point-in-time recovery in af-south-1"]
replicas_added:
  description: The regions where a replica was (in check mode, would be) added.
  returned: always
  type: list
  elements: str
  sample: ["af-south-1"]
replicas_removed:
  description: The regions whose replica was (in check mode, would be) removed.
  returned: always
  type: list
  elements: str
  sample: []
msg:
  description: What the module did or, in check mode, would have done.
  returned: when the table is deleted or absent, and in check mode when something would change
  type: str
  sample: "Would have made 3 changes if not in check mode."
problems:
  description: Everything wrong with the parameters or the requested change, when the module refuses it.
  returned: on failure, when the parameters are refused
  type: list
  elements: str
table:
  description:
    - The table as DynamoDB describes it, with snake_case keys, plus the settings the module
      manages under stable names.
    - In check mode, the table as it is now. Empty when there is no table.
  returned: always
  type: dict
  contains:
    table_name:
      description: The name of the table.
      type: str
      sample: AtelierDB
    table_arn:
      description: The ARN of the table in the home region.
      type: str
      sample: arn:aws:dynamodb:eu-central-1:123456789012:table/AtelierDB
    table_status:
      description: The status of the table.
      type: str
      sample: ACTIVE
    latest_stream_arn:
      description: The ARN of the table's latest stream.
      type: str
    name:
      description: The name of the table.
      type: str
    hash_key:
      description: The hash key attribute.
      type: str
      sample: PK
    range_key:
      description: The range key attribute, null when there is none.
      type: str
      sample: SK
    attribute_definitions:
      description: The attribute definitions, as DynamoDB reports them.
      type: list
      elements: dict
    billing_mode:
      description: V(PAY_PER_REQUEST) or V(PROVISIONED).
      type: str
    read_capacity:
      description: The provisioned read capacity, null when on demand.
      type: int
    write_capacity:
      description: The provisioned write capacity, null when on demand.
      type: int
    table_class:
      description: The table class.
      type: str
      sample: STANDARD
    global_secondary_indexes:
      description: The global secondary indexes, as DynamoDB reports them.
      type: list
      elements: dict
    tags:
      description: The tags of the table in the home region.
      type: dict
      sample: {"Name": "AtelierDB"}
    ttl:
      description: Time to live.
      type: dict
      contains:
        enabled:
          description: Whether TTL is enabled (or being enabled).
          type: bool
        attribute_name:
          description: The TTL attribute.
          type: str
          sample: ExpiresAt
        status:
          description: The TTL status as DynamoDB reports it.
          type: str
          sample: ENABLED
    point_in_time_recovery:
      description: Whether point-in-time recovery is enabled in the home region.
      type: bool
    deletion_protection:
      description: Whether the table in the home region has deletion protection.
      type: bool
    sse:
      description: Encryption at rest, under the names of the module's options.
      type: dict
      contains:
        sse_type:
          description: V(AWS_OWNED) or V(KMS).
          type: str
          sample: KMS
        kms_key_id:
          description: The ARN of the KMS key, with V(KMS).
          type: str
        status:
          description: The encryption status as DynamoDB reports it.
          type: str
    stream:
      description: The table's stream, under the names of the module's options.
      type: dict
      contains:
        stream_enabled:
          description: Whether the stream is enabled.
          type: bool
        stream_view_type:
          description: The stream view type.
          type: str
          sample: NEW_AND_OLD_IMAGES
        latest_stream_arn:
          description: The ARN of the stream.
          type: str
    replicas:
      description: The replicas in other regions, sorted by region.
      type: list
      elements: dict
      contains:
        region_name:
          description: The region of the replica.
          type: str
          sample: af-south-1
        replica_status:
          description: The status of the replica.
          type: str
          sample: ACTIVE
        kms_key_id:
          description: The KMS key ARN of the replica, if any.
          type: str
        table_class:
          description: The table class of the replica.
          type: str
        deletion_protection:
          description: Whether the replica has deletion protection; null when its region did not answer.
          type: bool
        point_in_time_recovery:
          description: Whether point-in-time recovery is enabled for the replica; null when its region did not answer.
          type: bool
diff:
  description: The normalised configuration before and after the change.
  returned: when run with C(--diff)
  type: dict
  contains:
    before:
      description: The configuration before the change, empty when there was no table.
      type: dict
    after:
      description: The configuration after the change (in check mode, the one planned), empty when the table is deleted.
      type: dict
"""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import AnsibleDynamoDBError
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import check_desired
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import create_table
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import current_config
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import delete_table
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import describe_table
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import deletion_protection_blockers
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import desired_config
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import diff_view
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import get_table_state
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import known_dynamodb_regions
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import normalize_table
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import plan_absent
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import plan_present
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import replica_active
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import replica_gone
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import table_settled
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import tag_resource
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import untag_resource
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import update_continuous_backups
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import update_table
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import update_time_to_live
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import validate_parameters
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import wait_for_table
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import wait_table_exists
from ansible_collections.atelier.infra.plugins.module_utils.dynamodb import wait_table_not_exists
from ansible_collections.atelier.infra.plugins.module_utils.ownership import foreign_owner


class RegionalClients:
    """DynamoDB clients by region, created once each; None is the home region."""

    def __init__(self, module: AnsibleAWSModule, home_client):
        self.module = module
        self.home_region = module.region
        self._clients = {None: home_client, self.home_region: home_client}

    def get(self, region: Optional[str]):
        if region not in self._clients:
            self._clients[region] = self.module.client("dynamodb", region=region)
        return self._clients[region]


def fail_with_problems(module: AnsibleAWSModule, problems: List[str], **result) -> None:
    if len(problems) == 1:
        msg = problems[0]
    else:
        msg = f"{len(problems)} problems: " + " ".join(f"({n}) {p}" for n, p in enumerate(problems, 1))
    module.fail_json(msg=msg, problems=problems, changed=False, **result)


def validate(module: AnsibleAWSModule) -> None:
    """Refuse wrong parameters before any AWS call."""
    problems = validate_parameters(module.params, module.region, known_dynamodb_regions())
    if problems:
        fail_with_problems(module, problems, plan=[])


def find_table(module: AnsibleAWSModule, clients: RegionalClients) -> Optional[Dict[str, Any]]:
    try:
        return get_table_state(clients.get(None), module.params["name"], clients.home_region, clients.get)
    except AnsibleDynamoDBError as e:
        module.fail_json_aws_error(e)


def refuse_foreign_table(module: AnsibleAWSModule, state: Optional[Dict[str, Any]]) -> None:
    """Fail, before any change, when the caller's ownership tags name another stack than the existing table's."""
    if not state:
        return
    refusal = foreign_owner(module.params["tags"], state.get("tags"), f"Table {module.params['name']} in {module.region}")
    if refusal:
        module.fail_json(msg=refusal, changed=False, plan=[], table=normalize_table(state, module.region))


def _replica_regions(steps: List[Dict[str, Any]], kind: str) -> List[str]:
    return [step["target"] for step in steps if step["kind"] == kind]


# What a step changes, in action lines: replicas and their settings, indexes, tags; other kinds name themselves.
STEP_ATTRIBUTES = {"add_gsi": "global_secondary_indexes", "remove_gsi": "global_secondary_indexes",
                   "update_gsi": "global_secondary_indexes", "tag": "tags", "untag": "tags", "billing": "billing_mode",
                   "pitr": "point_in_time_recovery", "sse": "sse_type"}


def actions(name: str, steps: List[Dict[str, Any]]) -> List[str]:
    """The steps as one line: create or delete the table, or update it with the settings they change."""
    kinds = [step["kind"] for step in steps]
    if "create_table" in kinds:
        return [f"create dynamodb table {name}"]
    if "delete_table" in kinds:
        return [f"delete dynamodb table {name}"]
    changed = sorted({"replicas" if "replica" in kind else STEP_ATTRIBUTES.get(kind, kind) for kind in kinds})
    return [f"update dynamodb table {name}: {', '.join(changed)}"] if changed else []


def exit_with(module: AnsibleAWSModule, changed: bool, before: Dict[str, Any], after: Dict[str, Any], **result) -> None:
    result.setdefault("settled", True)
    result.setdefault("deferred", [])
    if module._diff:
        result["diff"] = dict(before=diff_view(before), after=diff_view(after))
    module.exit_json(changed=changed, **result)


def wait_after(module: AnsibleAWSModule, clients: RegionalClients, step: Dict[str, Any]) -> None:
    name, timeout = module.params["name"], module.params["wait_timeout"]
    client = clients.get(step["region"])
    where = f" in {step['region']}" if step["region"] else ""
    if step["wait"] == "created":
        wait_table_exists(client, name, timeout)
        wait_for_table(client, name, table_settled, timeout, f"wait for table {name} and its indexes to become active")
    elif step["wait"] == "settled":
        wait_for_table(client, name, table_settled, timeout, f"wait for table {name}{where} to become active")
    elif step["wait"] == "replica_active":
        wait_for_table(
            client, name, replica_active(step["target"]), timeout, f"wait for replica {step['target']} to become active"
        )
    elif step["wait"] == "replica_gone":
        wait_for_table(
            client, name, replica_gone(step["target"]), timeout, f"wait for replica {step['target']} to be removed"
        )
    elif step["wait"] == "deleted":
        wait_table_not_exists(client, name, timeout)


def apply_step(
    module: AnsibleAWSModule, clients: RegionalClients, step: Dict[str, Any], table_arn: Optional[str]
) -> Optional[str]:
    """Make the step's API call; return the table ARN (known once the table is created)."""
    name = module.params["name"]
    client = clients.get(step["region"])
    params = step["params"]
    if step["call"] == "create_table":
        try:
            return create_table(client, **params)["TableArn"]
        except AnsibleDynamoDBError as e:
            # CreateTable takes no idempotency token: a create whose answer was lost is retried by botocore and refused
            # (ResourceInUseException), although its first request made the table. Carry on with that table.
            table = describe_table(client, name) if _error_code(e) == "ResourceInUseException" else None
            if not table:
                raise
            return table["TableArn"]
    if step["call"] == "update_table":
        try:
            update_table(client, name, **params)
        except AnsibleDynamoDBError as e:
            # UpdateTable takes no token either. Adding a replica whose answer was lost is retried by botocore and
            # refused (the table is changing: ResourceInUseException; the replica exists: ValidationException), although
            # the first request started the replica; so is adding one that another run started since this one read the
            # table (two runs that saw the table settled at once). Carry on with that replica; fail on anything else.
            if step["kind"] != "add_replica" or _error_code(e) not in ("ResourceInUseException", "ValidationException"):
                raise
            table = describe_table(client, name)
            if not table or not any(r.get("RegionName") == step["target"] for r in table.get("Replicas") or []):
                raise
    elif step["call"] == "update_time_to_live":
        update_time_to_live(client, name, params["attribute_name"], params["enabled"])
    elif step["call"] == "update_continuous_backups":
        update_continuous_backups(client, name, params["enabled"])
    elif step["call"] == "tag_resource":
        tag_resource(client, table_arn, params["tags"])
    elif step["call"] == "untag_resource":
        untag_resource(client, table_arn, params["tag_keys"])
    elif step["call"] == "delete_table":
        delete_table(client, name)
    return table_arn


def _error_code(error: AnsibleDynamoDBError) -> str:
    response = getattr(error.exception, "response", None) or {}
    return response.get("Error", {}).get("Code", "")


def _settled(table: Dict[str, Any]) -> bool:
    try:
        return table_settled(table)
    except ValueError:
        return True  # A replica that failed: the steps will meet it, waiting would not help.


def wait_settled(module: AnsibleAWSModule, clients: RegionalClients) -> None:
    """Wait for a table still changing (an earlier run with wait=false or defer_replicas) to be done."""
    name = module.params["name"]
    try:
        wait_for_table(clients.get(None), name, table_settled, module.params["wait_timeout"], f"wait for table {name} to settle")
    except AnsibleDynamoDBError as e:
        module.fail_json_aws_error(e)


def run_plan(
    module: AnsibleAWSModule, clients: RegionalClients, steps: List[Dict[str, Any]], state: Optional[Dict[str, Any]]
) -> List[str]:
    """Make the calls in order. After each one, wait as it says; with wait=false, not after the
    last. A table still changing (an earlier run with wait=false or defer_replicas) is waited for
    first. With defer_replicas, stop right after starting the first new replica: the steps left are
    returned (the next run makes them)."""
    table_arn = state["table"]["TableArn"] if state else None
    if state and not _settled(state["table"]):
        wait_settled(module, clients)
    completed = []
    for number, step in enumerate(steps, 1):
        try:
            table_arn = apply_step(module, clients, step, table_arn)
            if step["kind"] == "add_replica" and module.params["defer_replicas"]:
                completed.append(step["description"])
                return [s["description"] for s in steps[number:]]
            if step["wait"] and (module.params["wait"] or number < len(steps)):
                wait_after(module, clients, step)
        except AnsibleDynamoDBError as e:
            result = dict(
                plan=[s["description"] for s in steps],
                completed=completed,
                failed_step=step["description"],
                replicas_added=[s["target"] for s in steps[: number - 1] if s["kind"] == "add_replica"],
                replicas_removed=[s["target"] for s in steps[: number - 1] if s["kind"] == "remove_replica"],
                changed=bool(completed),
            )
            msg = f"{e.message} (step {number} of {len(steps)}: {step['description']})"
            if e.exception:
                module.fail_json_aws(e.exception, msg=msg, **result)
            module.fail_json(msg=msg, **result)
        completed.append(step["description"])
    return []


def plan_from(module: AnsibleAWSModule, state: Optional[Dict[str, Any]], home_region: str):
    """The table as it is, as asked, and the steps between; fails (before any change) on what DynamoDB would refuse."""
    current = current_config(state, home_region)
    desired = desired_config(module.params, current)
    problems = check_desired(current, desired, module.params, home_region)
    if problems:
        fail_with_problems(module, problems, plan=[], table=normalize_table(state, home_region))
    return current, desired, plan_present(current, desired)


def ensure_present(module: AnsibleAWSModule, clients: RegionalClients, state: Optional[Dict[str, Any]]) -> None:
    home_region = clients.home_region
    current, desired, steps = plan_from(module, state, home_region)
    if steps and state and not module.check_mode and not _settled(state["table"]):
        # The table is still changing (a run with wait=false or defer_replicas, its job, another operator's run): wait,
        # then plan from what it became. What was under way may be one of these steps - the next replica, added by the
        # job of the run that started the first one - and DynamoDB refuses a replica that exists already.
        wait_settled(module, clients)
        state = find_table(module, clients)
        current, desired, steps = plan_from(module, state, home_region)

    plan = [step["description"] for step in steps]
    result = dict(
        plan=plan,
        actions=actions(module.params["name"], steps),
        replicas_added=_replica_regions(steps, "add_replica"),
        replicas_removed=_replica_regions(steps, "remove_replica"),
    )
    if not steps:
        if state and module.params["wait"] and not module.params["defer_replicas"] and not module.check_mode and not _settled(state["table"]):
            # What a run with defer_replicas (or wait=false) started and left nothing after: waited for, unchanged.
            wait_settled(module, clients)
            state = find_table(module, clients)
        settled = not state or _settled(state["table"])
        exit_with(module, False, current, current, table=normalize_table(state, home_region), settled=settled, **result)
    if module.check_mode:
        exit_with(
            module,
            True,
            current,
            desired,
            table=normalize_table(state, home_region),
            msg=f"Would have made {len(steps)} change{'s' if len(steps) > 1 else ''} if not in check mode.",
            **result,
        )

    deferred = run_plan(module, clients, steps, state)
    state = find_table(module, clients)
    settled = not deferred and (not state or _settled(state["table"]))
    exit_with(
        module, True, current, current_config(state, home_region), table=normalize_table(state, home_region),
        settled=settled, deferred=deferred, **result
    )


def ensure_absent(module: AnsibleAWSModule, clients: RegionalClients, state: Optional[Dict[str, Any]]) -> None:
    name, home_region = module.params["name"], clients.home_region
    result = dict(plan=[], actions=[], replicas_added=[], replicas_removed=[], table={})
    if not state:
        exit_with(
            module, False, {}, {}, msg=f"Table {name} does not exist in {home_region}, nothing to delete.", **result
        )

    current = current_config(state, home_region)
    blockers = deletion_protection_blockers(current, home_region)
    if blockers:
        replicas = [region for region in blockers if region != home_region]
        how = []
        if home_region in blockers:
            how.append("deletion_protection: false")
        if replicas:
            listed = ", ".join(f"{{region: {region}, deletion_protection: false}}" for region in replicas)
            how.append(f"replicas: [{listed}] and purge_replicas: false")
        module.fail_json(
            msg=(
                f"Table {name} has deletion protection in {', '.join(blockers)}, so DynamoDB refuses to delete it."
                f" Lift it first: run this module with state=present and {' and '.join(how)}, then state=absent."
                " Nothing was changed."
            ),
            changed=False,
            plan=[],
            table=normalize_table(state, home_region),
        )

    steps = plan_absent(current)
    result.update(
        plan=[step["description"] for step in steps],
        actions=actions(name, steps),
        replicas_removed=_replica_regions(steps, "remove_replica"),
    )
    if module.check_mode:
        exit_with(module, True, current, {}, msg=f"Would have deleted table {name} if not in check mode.", **result)
    run_plan(module, clients, steps, state)
    exit_with(module, True, current, {}, msg=f"Deleted table {name}.", **result)


def main():
    index_options = dict(
        name=dict(type="str", required=True),
        projection_type=dict(type="str", default="ALL", choices=["ALL", "KEYS_ONLY", "INCLUDE"]),
        non_key_attributes=dict(type="list", elements="str", no_log=False),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        hash_key=dict(type="str", no_log=False),
        range_key=dict(type="str", no_log=False),
        attribute_definitions=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                type=dict(type="str", required=True, choices=["S", "N", "B"]),
            ),
        ),
        billing_mode=dict(type="str", choices=["PAY_PER_REQUEST", "PROVISIONED"]),
        read_capacity=dict(type="int"),
        write_capacity=dict(type="int"),
        table_class=dict(type="str", choices=["STANDARD", "STANDARD_INFREQUENT_ACCESS"]),
        global_secondary_indexes=dict(
            type="list",
            elements="dict",
            options=dict(
                index_options,
                hash_key=dict(type="str", required=True, no_log=False),
                range_key=dict(type="str", no_log=False),
                read_capacity=dict(type="int"),
                write_capacity=dict(type="int"),
            ),
        ),
        purge_global_secondary_indexes=dict(type="bool", default=True),
        local_secondary_indexes=dict(
            type="list",
            elements="dict",
            options=dict(index_options, range_key=dict(type="str", required=True, no_log=False)),
        ),
        ttl_attribute=dict(type="str", no_log=False),
        stream_enabled=dict(type="bool"),
        stream_view_type=dict(type="str", choices=["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"]),
        sse_type=dict(type="str", choices=["AWS_OWNED", "KMS"]),
        kms_key_id=dict(type="str", no_log=False),
        point_in_time_recovery=dict(type="bool"),
        deletion_protection=dict(type="bool"),
        replicas=dict(
            type="list",
            elements="dict",
            options=dict(
                region=dict(type="str", required=True),
                kms_key_id=dict(type="str", no_log=False),
                table_class=dict(type="str", choices=["STANDARD", "STANDARD_INFREQUENT_ACCESS"]),
                deletion_protection=dict(type="bool"),
                point_in_time_recovery=dict(type="bool"),
                global_secondary_indexes=dict(
                    type="list",
                    elements="dict",
                    options=dict(name=dict(type="str", required=True), read_capacity=dict(type="int")),
                ),
            ),
        ),
        purge_replicas=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=1200),
        defer_replicas=dict(type="bool", default=False),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    clients = RegionalClients(module, module.client("dynamodb"))

    state = find_table(module, clients)
    refuse_foreign_table(module, state)

    if module.params["state"] == "present":
        ensure_present(module, clients, state)
    else:
        ensure_absent(module, clients, state)


if __name__ == "__main__":
    main()
