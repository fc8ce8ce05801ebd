#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: aws_values_info
version_added: 0.1.0
short_description: Read secrets, SSM parameters and the resources a role keeps first, in one run
description:
  - Reads the current value of each secret of O(secrets) (Secrets Manager C(GetSecretValue)) and of each parameter of
    O(parameters) (SSM Parameter Store C(GetParameters), ten names per call) in one module run.
  - In the same run it describes the SNS topics of O(topics), the EventBridge rules of O(event_rules), the EC2
    launch templates of O(launch_templates), the Auto Scaling groups of O(auto_scaling_groups), the load balancers of
    O(load_balancers), the target groups of O(target_groups), the web ACLs of O(web_acls), the CloudFront
    distributions of O(distributions), the IAM roles of
    O(iam_roles), the log groups of O(log_groups), the scaling policies of O(scaling_policies) and the alarms of
    O(scaling_alarms), so that a role reads everything it keeps first and runs the module of a resource only when the
    resource differs (filters P(atelier.infra.topic_changes#filter), P(atelier.infra.event_rule_changes#filter),
    P(atelier.infra.launch_template_changes#filter), P(atelier.infra.iam_role_changes#filter),
    P(atelier.infra.log_group_changes#filter) and P(atelier.infra.scaling_policy_changes#filter)).
  - amazon.aws reads these values only with lookups (P(amazon.aws.secretsmanager_secret#lookup),
    P(amazon.aws.ssm_parameter#lookup)); no module of amazon.aws or community.aws returns a secret's value. A lookup
    runs in the controller process, where C(module_defaults) do not apply, so it gets neither the play's credentials,
    endpoint and region nor its botocore retry settings (C(aws_config)). This module runs like any other AWS module,
    with all of them.
  - The values are returned to the caller, so run the task with C(no_log) when it reads a secret. The module's error
    messages name the secret or parameter and the AWS error, never a value.
author:
  - Atelier infra developers (@atelier-infra)
options:
  secrets:
    description:
      - The names or ARNs of the Secrets Manager secrets to read (their C(AWSCURRENT) version).
    type: list
    elements: str
    default: []
  parameters:
    description:
      - The names of the SSM parameters to read.
    type: list
    elements: str
    default: []
  decrypt:
    description:
      - Decrypt C(SecureString) parameters (C(WithDecryption)).
    type: bool
    default: true
  on_missing:
    description:
      - What to do when a secret or parameter does not exist.
      - V(error) fails, naming what is missing. V(skip) leaves it out of RV(secrets) or RV(parameters) and lists it in
        RV(missing_secrets) or RV(missing_parameters).
    type: str
    choices: [error, skip]
    default: error
  on_deleted:
    description:
      - What to do when a secret is scheduled for deletion (AWS refuses to read it until it is restored).
      - V(error) fails. V(skip) leaves it out of RV(secrets) and lists it in RV(deleted_secrets).
    type: str
    choices: [error, skip]
    default: error
  secret_details:
    description:
      - Also return what each secret of O(secrets) is beside its value, in RV(secret_details), read with
        C(DescribeSecret) and C(GetResourcePolicy). That is its ARN, description, KMS key, tags, rotation, replica
        regions and resource policy, and whether it is scheduled for deletion.
      - A role that keeps a secret with M(community.aws.secretsmanager_secret) reads it first this way and runs that
        module only when the secret differs (filter P(atelier.infra.secret_changes#filter)); the value of a secret
        scheduled for deletion is not read.
    type: bool
    default: false
    version_added: 0.2.0
  parameter_details:
    description:
      - The parameters of O(parameters) to also describe, in RV(parameter_details), read with C(DescribeParameters)
        (ten names per call) and C(ListTagsForResource) (one call each). That is their type, description, tier, data
        type, KMS key, version and tags.
      - A role that keeps a parameter with M(community.aws.ssm_parameter) reads it first this way and runs that module
        only when the parameter differs (filter P(atelier.infra.parameter_changes#filter)).
    type: list
    elements: str
    default: []
    version_added: 0.2.0
  topics:
    description:
      - The ARNs of the SNS topics to describe, in RV(topic_details), read with C(GetTopicAttributes),
        C(ListSubscriptionsByTopic) and C(ListTagsForResource). A topic that does not exist is listed in
        RV(missing_topics), whatever O(on_missing).
      - M(community.aws.sns_topic) finds a topic by listing every topic of the region (C(ListTopics)), several times
        a run; the ARN of a topic the role names is known from its name, region and account.
    type: list
    elements: str
    default: []
    version_added: 0.2.0
  event_rules:
    description:
      - The names of the EventBridge rules of the default event bus to describe, in RV(event_rule_details), read
        with C(DescribeRule) and C(ListTargetsByRule). A rule that does not exist is listed in
        RV(missing_event_rules), whatever O(on_missing).
    type: list
    elements: str
    default: []
    version_added: 0.2.0
  launch_templates:
    description:
      - The names of the EC2 launch templates to describe, in RV(launch_template_details), read with one
        C(DescribeLaunchTemplates) call (a filter by name) and one C(DescribeLaunchTemplateVersions) call each (its
        latest version). A template that does not exist is listed in RV(missing_launch_templates), whatever
        O(on_missing).
      - M(amazon.aws.ec2_launch_template) describes the template and every one of its versions twice a run, its tags
        once more, and looks its instance profile up.
    type: list
    elements: str
    default: []
    version_added: 0.2.0
  auto_scaling_groups:
    description:
      - The names of the Auto Scaling groups to describe, in RV(auto_scaling_group_details), read with one
        C(DescribeAutoScalingGroups) call for all of them. A group that does not exist is listed in
        RV(missing_auto_scaling_groups), whatever O(on_missing).
      - M(amazon.aws.autoscaling_group_info) describes every group of the region to match a name, and reads each
        match's lifecycle hooks and target group names besides.
    type: list
    elements: str
    default: []
    version_added: 0.2.0
  load_balancers:
    description:
      - The names of the Application Load Balancers to describe, in RV(load_balancer_details), each as
        M(amazon.aws.elb_application_lb_info) returns it (its attributes, listeners with their rules, and tags). A
        load balancer that does not exist is listed in RV(missing_load_balancers), whatever O(on_missing).
      - One C(DescribeLoadBalancers) call for all of them (Elastic Load Balancing fails it whole when one does not
        exist, then one call each), C(DescribeLoadBalancerAttributes) and C(DescribeListeners) for each,
        C(DescribeRules) for each listener, and one C(DescribeTags) for the tags of every load balancer and target
        group read (twenty per call). The info modules describe the tags of each resource in a call of its own, and
        one module run reads one tier's.
    type: list
    elements: str
    default: []
    version_added: 0.2.0
  target_groups:
    description:
      - The names of the target groups to describe, in RV(target_group_details), each as
        M(community.aws.elb_target_group_info) returns it (its attributes and tags). A target group that does not
        exist is listed in RV(missing_target_groups), whatever O(on_missing).
      - One C(DescribeTargetGroups) call for all of them (one each when one does not exist) and
        C(DescribeTargetGroupAttributes) for each; their tags are read with the load balancers'.
    type: list
    elements: str
    default: []
    version_added: 0.2.0
  web_acls:
    description:
      - The names of the AWS WAF web ACLs of O(web_acl_scope) to find, in RV(web_acl_details), read with
        C(ListWebACLs) (one call per hundred web ACLs of the scope). A web ACL that does not exist is listed in
        RV(missing_web_acls), whatever O(on_missing).
      - M(community.aws.wafv2_resources) lists the web ACLs of the scope each time it runs, for one resource; the alb
        role runs it only when the load balancer's web ACL is on or exists (when it is off, to take it away).
    type: list
    elements: str
    default: []
    version_added: 0.2.0
  web_acl_scope:
    description: The scope of O(web_acls), V(REGIONAL) (load balancers, APIs) or V(CLOUDFRONT) (in us-east-1).
    type: str
    choices: [REGIONAL, CLOUDFRONT]
    default: REGIONAL
    version_added: 0.2.0
  distributions:
    description:
      - The names of the CloudFront distributions to find (their comment, as M(atelier.infra.cloudfront_distribution)
        names a distribution), in RV(distribution_details), read with C(ListDistributions) (one call per hundred
        distributions of the account). A distribution that does not exist is listed in RV(missing_distributions),
        whatever O(on_missing).
      - The cloudfront role reads at once whether each tier without CloudFront still has a distribution, and runs
        M(atelier.infra.cloudfront_distribution) (state absent) only for one that is there.
    type: list
    elements: str
    default: []
    version_added: 0.2.0
  iam_roles:
    description:
      - The names of the IAM roles to describe, in RV(iam_role_details), each as M(atelier.infra.iam_role_set) reads it
        before it converges the role (C(GetRole), C(ListAttachedRolePolicies), C(ListRolePolicies), C(GetRolePolicy)
        for each inline policy and C(ListInstanceProfilesForRole)). A role that does not exist is listed in
        RV(missing_iam_roles), whatever O(on_missing).
      - Filter C(atelier.infra.iam_role_changes) tells from it what M(atelier.infra.iam_role_set) would change, so a role
        runs that module only when something differs.
    type: list
    elements: str
    default: []
    version_added: 0.2.0
  log_groups:
    description:
      - The names of the CloudWatch Logs log groups to describe, in RV(log_group_details), as
        M(atelier.infra.cloudwatch_log_group) reads them (C(DescribeLogGroups) and C(ListTagsForResource) for each). A
        log group that does not exist is listed in RV(missing_log_groups), whatever O(on_missing).
      - Filter C(atelier.infra.log_group_changes) tells from it what M(atelier.infra.cloudwatch_log_group) would change.
    type: list
    elements: str
    default: []
    version_added: 0.2.0
  scaling_policies:
    description:
      - The names of the Auto Scaling groups whose scaling policies to describe, in RV(scaling_policy_details), as
        M(atelier.infra.autoscaling_policy_set) reads them (C(DescribePolicies) for each group). The CloudWatch alarms
        named as their step and simple policies are read with those of O(scaling_alarms).
      - Filter C(atelier.infra.scaling_policy_changes) tells from it what M(atelier.infra.autoscaling_policy_set) would
        change.
    type: list
    elements: str
    default: []
    version_added: 0.2.0
  scaling_alarms:
    description:
      - The names of CloudWatch metric alarms to describe besides those named as the policies found, in
        RV(scaling_alarm_details) (one C(DescribeAlarms) per hundred names, for all of them). These are the alarms
        M(atelier.infra.autoscaling_policy_set) would read, named as the policies it is given (also those to remove).
        An alarm that does not exist is listed in RV(missing_scaling_alarms).
    type: list
    elements: str
    default: []
    version_added: 0.2.0
attributes:
  check_mode:
    description: Can run in check mode; the module only reads, so it behaves the same.
    support: full
  diff_mode:
    description: The module changes nothing, so there is no difference to report.
    support: N/A
notes:
  - The IAM permissions needed are C(secretsmanager:GetSecretValue) (and C(kms:Decrypt) for a secret under a customer
    managed key; with O(secret_details), C(secretsmanager:DescribeSecret) and C(secretsmanager:GetResourcePolicy)) and
    C(ssm:GetParameters) (and C(kms:Decrypt) for a C(SecureString) under a customer managed key; with
    O(parameter_details), C(ssm:DescribeParameters) and C(ssm:ListTagsForResource)); with O(topics),
    C(sns:GetTopicAttributes), C(sns:ListSubscriptionsByTopic) and C(sns:ListTagsForResource); with O(event_rules),
    C(events:DescribeRule) and C(events:ListTargetsByRule); with O(launch_templates), C(ec2:DescribeLaunchTemplates) and
    C(ec2:DescribeLaunchTemplateVersions); with O(auto_scaling_groups), C(autoscaling:DescribeAutoScalingGroups); with
    O(web_acls), C(wafv2:ListWebACLs); with O(distributions), C(cloudfront:ListDistributions); with O(load_balancers) or O(target_groups),
    C(elasticloadbalancing:DescribeLoadBalancers), C(elasticloadbalancing:DescribeLoadBalancerAttributes),
    C(elasticloadbalancing:DescribeListeners), C(elasticloadbalancing:DescribeRules),
    C(elasticloadbalancing:DescribeTargetGroups), C(elasticloadbalancing:DescribeTargetGroupAttributes) and
    C(elasticloadbalancing:DescribeTags); with O(iam_roles), C(iam:GetRole), C(iam:ListAttachedRolePolicies),
    C(iam:ListRolePolicies), C(iam:GetRolePolicy) and C(iam:ListInstanceProfilesForRole); with O(log_groups),
    C(logs:DescribeLogGroups) and C(logs:ListTagsForResource); with O(scaling_policies),
    C(autoscaling:DescribePolicies) and C(cloudwatch:DescribeAlarms).
seealso:
  - plugin: amazon.aws.secretsmanager_secret
    plugin_type: lookup
  - plugin: amazon.aws.ssm_parameter
    plugin_type: lookup
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Read the latest Amazon Linux 2023 AMI
  atelier.infra.aws_values_info:
    parameters:
      - /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
  register: ami

- name: Read the database credentials, if the secret exists
  atelier.infra.aws_values_info:
    secrets: [dev-shop-db-credentials]
    on_missing: skip
    on_deleted: skip
  register: credentials
  no_log: true

- name: Use the password
  ansible.builtin.set_fact:
    db_password: "{{ (credentials.secrets['dev-shop-db-credentials'] | from_json).password }}"
  when: "'dev-shop-db-credentials' in credentials.secrets"
  no_log: true
"""

RETURN = r"""
secrets:
  description: The value of each secret read, by the name or ARN given in O(secrets) (a binary secret base64-encoded).
  returned: always
  type: dict
  sample: {"dev-shop-db-credentials": "{\"username\": \"app\", \"password\": \"...\"}"}
parameters:
  description: The value of each parameter read, by its name in O(parameters).
  returned: always
  type: dict
  sample: {"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64": "ami-0123456789abcdef0"}
missing_secrets:
  description: The secrets of O(secrets) that do not exist (with O(on_missing=skip)).
  returned: always
  type: list
  elements: str
  sample: []
missing_parameters:
  description: The parameters of O(parameters) that do not exist (with O(on_missing=skip)).
  returned: always
  type: list
  elements: str
  sample: []
deleted_secrets:
  description: The secrets of O(secrets) scheduled for deletion (with O(on_deleted=skip)).
  returned: always
  type: list
  elements: str
  sample: []
secret_details:
  description:
    - What each secret of O(secrets) that exists is beside its value, by the name or ARN given (with
      O(secret_details); a secret scheduled for deletion included, with O(on_deleted=skip)).
  returned: when O(secret_details=true)
  type: dict
  sample:
    dev-shop-origin-secret:
      arn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev-shop-origin-secret-AbCdEf
      name: dev-shop-origin-secret
      description: Value of the X-Origin-Verify header
      kms_key_id: ""
      tags: {"atelier:env": "dev"}
      deleted: false
      rotation_enabled: false
      replica_regions: []
      resource_policy: ""
  contains:
    arn:
      description: The secret's ARN.
      type: str
    name:
      description: The secret's name.
      type: str
    description:
      description: The secret's description, empty when it has none.
      type: str
    kms_key_id:
      description: The KMS key that encrypts the secret, empty for the AWS managed key.
      type: str
    tags:
      description: The secret's tags, key to value.
      type: dict
    deleted:
      description: Whether the secret is scheduled for deletion.
      type: bool
    rotation_enabled:
      description: Whether rotation is on.
      type: bool
    replica_regions:
      description: The regions the secret is replicated to, sorted.
      type: list
      elements: str
    resource_policy:
      description: The secret's resource policy as JSON text, empty when it has none.
      type: str
parameter_details:
  description:
    - What each parameter of O(parameter_details) that exists is beside its value, by its name.
  returned: when O(parameter_details) is not empty
  type: dict
  sample:
    AmazonCloudWatch-dev-shop-web:
      name: AmazonCloudWatch-dev-shop-web
      type: String
      description: CloudWatch agent of the web tier (dev-shop)
      tier: Standard
      data_type: text
      key_id: ""
      version: 1
      tags: {"atelier:env": "dev"}
  contains:
    name:
      description: The parameter's name.
      type: str
    type:
      description: C(String), C(StringList) or C(SecureString).
      type: str
    description:
      description: The parameter's description, empty when it has none.
      type: str
    tier:
      description: C(Standard), C(Advanced) or C(Intelligent-Tiering).
      type: str
    data_type:
      description: C(text) or C(aws:ec2:image).
      type: str
    key_id:
      description: The KMS key of a C(SecureString), empty otherwise.
      type: str
    version:
      description: The parameter's version.
      type: int
    tags:
      description: The parameter's tags, key to value.
      type: dict
topic_details:
  description: What each topic of O(topics) that exists is, by the ARN given.
  returned: when O(topics) is not empty
  type: dict
  sample:
    arn:aws:sns:eu-west-1:123456789012:dev-shop-alarms:
      arn: arn:aws:sns:eu-west-1:123456789012:dev-shop-alarms
      display_name: ""
      policy: {"Version": "2012-10-17", "Statement": []}
      kms_master_key_id: ""
      subscriptions: [{"protocol": "email", "endpoint": "ops@example.com", "subscription_arn": "PendingConfirmation"}]
      tags: {"atelier:env": "dev"}
  contains:
    arn:
      description: The topic's ARN.
      type: str
    display_name:
      description: The topic's display name, empty when it has none.
      type: str
    policy:
      description: The topic's access policy.
      type: dict
    kms_master_key_id:
      description: The KMS key that encrypts the topic, empty when it is not encrypted.
      type: str
    subscriptions:
      description: The topic's subscriptions, with their protocol, endpoint and ARN (C(PendingConfirmation) until confirmed).
      type: list
      elements: dict
    tags:
      description: The topic's tags, key to value.
      type: dict
missing_topics:
  description: The topics of O(topics) that do not exist.
  returned: when O(topics) is not empty
  type: list
  elements: str
  sample: []
event_rule_details:
  description: What each rule of O(event_rules) that exists is, by its name.
  returned: when O(event_rules) is not empty
  type: dict
  sample:
    dev-shop-scaling-events:
      name: dev-shop-scaling-events
      arn: arn:aws:events:eu-west-1:123456789012:rule/dev-shop-scaling-events
      state: ENABLED
      description: Auto Scaling events to dev-shop-alarms
      event_pattern: '{"source": ["aws.autoscaling"]}'
      schedule_expression: ""
      role_arn: ""
      targets: [{"id": "alarm-topic", "arn": "arn:aws:sns:eu-west-1:123456789012:dev-shop-alarms", "role_arn": ""}]
      targets_with_settings: []
  contains:
    name:
      description: The rule's name.
      type: str
    arn:
      description: The rule's ARN.
      type: str
    state:
      description: C(ENABLED) or C(DISABLED).
      type: str
    description:
      description: The rule's description, empty when it has none.
      type: str
    event_pattern:
      description: The rule's event pattern as the JSON text EventBridge keeps, empty for a scheduled rule.
      type: str
    schedule_expression:
      description: The rule's schedule, empty for an event pattern rule.
      type: str
    role_arn:
      description: The role the rule uses, empty when it has none.
      type: str
    targets:
      description: The rule's targets, with their id, ARN and role ARN.
      type: list
      elements: dict
    targets_with_settings:
      description: The ids of the targets that have other settings (input, input transformer, ECS parameters, ...).
      type: list
      elements: str
missing_event_rules:
  description: The rules of O(event_rules) that do not exist.
  returned: when O(event_rules) is not empty
  type: list
  elements: str
  sample: []
launch_template_details:
  description: What each launch template of O(launch_templates) that exists is, by its name.
  returned: when O(launch_templates) is not empty
  type: dict
  sample:
    dev-shop-web:
      id: lt-0123456789abcdef0
      name: dev-shop-web
      default_version: 3
      latest_version: 3
      tags: {"atelier:env": "dev"}
      version_description: web tier, managed by atelier.infra
      data: {"ImageId": "ami-0123456789abcdef0", "InstanceType": "t3.micro"}
  contains:
    id:
      description: The template's id.
      type: str
    name:
      description: The template's name.
      type: str
    default_version:
      description: The number of its default version.
      type: int
    latest_version:
      description: The number of its latest version.
      type: int
    tags:
      description: The template's tags, key to value.
      type: dict
    version_description:
      description: The description of its latest version.
      type: str
    data:
      description: The C(LaunchTemplateData) of its latest version, as EC2 returns it.
      type: dict
missing_launch_templates:
  description: The launch templates of O(launch_templates) that do not exist.
  returned: when O(launch_templates) is not empty
  type: list
  elements: str
  sample: []
auto_scaling_group_details:
  description:
    - Each group of O(auto_scaling_groups) that exists, by its name, as C(DescribeAutoScalingGroups) returns it in
      snake case (the keys of M(amazon.aws.autoscaling_group_info)'s results, such as C(launch_template),
      C(vpc_zone_identifier), C(target_group_arns), C(min_size), C(instances) and C(tags), without its
      C(lifecycle_hooks) and C(target_group_names)).
  returned: when O(auto_scaling_groups) is not empty
  type: dict
  sample:
    dev-shop-web:
      auto_scaling_group_name: dev-shop-web
      launch_template: {"launch_template_name": "dev-shop-web", "version": "3"}
      min_size: 1
      max_size: 3
      desired_capacity: 2
      target_group_arns: ["arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/dev-shop-web-tg/0123456789abcdef"]
missing_auto_scaling_groups:
  description: The groups of O(auto_scaling_groups) that do not exist.
  returned: when O(auto_scaling_groups) is not empty
  type: list
  elements: str
  sample: []
load_balancer_details:
  description:
    - Each load balancer of O(load_balancers) that exists, by its name, as M(amazon.aws.elb_application_lb_info)
      returns it in its C(load_balancers) (its attributes with C(_) for C(.) in their keys, C(listeners) with their
      C(rules), C(tags)). A listener rule may hold a secret (a header value), so run the task with C(no_log).
  returned: when O(load_balancers) is not empty
  type: dict
  sample:
    p-backend:
      load_balancer_name: p-backend
      load_balancer_arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/p-backend/50dc6c495c0c9188
      dns_name: p-backend-1234567890.eu-west-1.elb.amazonaws.com
      idle_timeout_timeout_seconds: "60"
      listeners: []
      tags: {"atelier:tier": "backend"}
missing_load_balancers:
  description: The load balancers of O(load_balancers) that do not exist.
  returned: when O(load_balancers) is not empty
  type: list
  elements: str
  sample: []
target_group_details:
  description:
    - Each target group of O(target_groups) that exists, by its name, as M(community.aws.elb_target_group_info)
      returns it in its C(target_groups) (its attributes with C(_) for C(.) in their keys, C(tags)).
  returned: when O(target_groups) is not empty
  type: dict
  sample:
    p-backend-tg:
      target_group_name: p-backend-tg
      target_group_arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/p-backend-tg/0123456789abcdef
      deregistration_delay_timeout_seconds: "30"
      tags: {"atelier:tier": "backend"}
missing_target_groups:
  description: The target groups of O(target_groups) that do not exist.
  returned: when O(target_groups) is not empty
  type: list
  elements: str
  sample: []
web_acl_details:
  description: Each web ACL of O(web_acls) that exists, by its name.
  returned: when O(web_acls) is not empty
  type: dict
  contains:
    id:
      description: The web ACL's id.
      type: str
    arn:
      description: The web ACL's ARN.
      type: str
    description:
      description: The web ACL's description.
      type: str
  sample:
    p-backend:
      id: a1b2c3d4-5678-90ab-cdef-EXAMPLE11111
      arn: arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/p-backend/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111
      description: Web ACL of the load balancer p-backend (atelier.infra)
missing_web_acls:
  description: The web ACLs of O(web_acls) that do not exist.
  returned: when O(web_acls) is not empty
  type: list
  elements: str
  sample: []
distribution_details:
  description:
    - Each distribution of O(distributions) that exists, by its name (comment). When more than one has the name, the
      first listed, with the ids of the others in C(others).
  returned: when O(distributions) is not empty
  type: dict
  contains:
    id:
      description: The distribution's id.
      type: str
    arn:
      description: The distribution's ARN.
      type: str
    status:
      description: C(Deployed), or C(InProgress) while CloudFront deploys a change.
      type: str
    enabled:
      description: Whether the distribution serves requests.
      type: bool
    domain_name:
      description: The distribution's domain name (C(<id>.cloudfront.net)).
      type: str
    others:
      description: The ids of the other distributions of the same name.
      type: list
      elements: str
  sample:
    p-web:
      id: E2QWRUHAPOMQZL
      arn: arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL
      status: Deployed
      enabled: false
      domain_name: d111111abcdef8.cloudfront.net
      others: []
missing_distributions:
  description: The distributions of O(distributions) that do not exist.
  returned: when O(distributions) is not empty
  type: list
  elements: str
  sample: []
iam_role_details:
  description: The roles of O(iam_roles) that exist, by name.
  returned: when O(iam_roles) is not empty
  type: dict
  contains:
    arn:
      description: The role's ARN.
      type: str
    role_id:
      description: The role's id.
      type: str
    path:
      description: The role's path.
      type: str
    trust_policy:
      description: The role's trust policy (assume role policy document).
      type: dict
    description:
      description: The role's description.
      type: str
    max_session_duration:
      description: The role's maximum session duration, in seconds.
      type: int
    permissions_boundary:
      description: The ARN of the role's permissions boundary; empty when it has none.
      type: str
    tags:
      description: The role's tags.
      type: dict
    managed_policies:
      description: The ARNs of the managed policies attached to the role, sorted.
      type: list
      elements: str
    inline_policies:
      description: The role's inline policies, their documents by name.
      type: dict
    instance_profiles:
      description: The names of the instance profiles that hold the role.
      type: list
      elements: str
  sample:
    p-web-instance:
      arn: arn:aws:iam::123456789012:role/p-web-instance
      role_id: AROAEXAMPLE
      path: /
      trust_policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
      description: Instances of the web tier (p)
      max_session_duration: 3600
      permissions_boundary: ""
      tags: {Name: p-web-instance}
      managed_policies: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]
      inline_policies: {}
      instance_profiles: [p-web-instance]
missing_iam_roles:
  description: The roles of O(iam_roles) that do not exist.
  returned: when O(iam_roles) is not empty
  type: list
  elements: str
  sample: []
log_group_details:
  description: The log groups of O(log_groups) that exist, by name.
  returned: when O(log_groups) is not empty
  type: dict
  contains:
    name:
      description: The log group's name.
      type: str
    arn:
      description: The log group's ARN (without the trailing C(:*)).
      type: str
    retention_in_days:
      description: Days the events are kept; 0 for never expire.
      type: int
    kms_key_id:
      description: The ARN of the KMS key that encrypts the group; empty for CloudWatch Logs' own encryption.
      type: str
    tags:
      description: The log group's tags.
      type: dict
  sample:
    /aws/ec2/p/web:
      name: /aws/ec2/p/web
      arn: arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ec2/p/web
      retention_in_days: 30
      kms_key_id: ""
      tags: {atelier:tier: web}
missing_log_groups:
  description: The log groups of O(log_groups) that do not exist.
  returned: when O(log_groups) is not empty
  type: list
  elements: str
  sample: []
scaling_policy_details:
  description:
    - The scaling policies of each group of O(scaling_policies), as C(DescribePolicies) answers them
      (C(ScalingPolicies)); an empty list for a group that has none, or does not exist.
  returned: when O(scaling_policies) or O(scaling_alarms) is not empty
  type: dict
  sample:
    p-web:
      - PolicyName: p-web-cpu-high
        PolicyType: StepScaling
        AdjustmentType: ChangeInCapacity
        PolicyARN: arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:1:autoScalingGroupName/p-web:policyName/p-web-cpu-high
scaling_alarm_details:
  description:
    - The metric alarms of O(scaling_alarms) and those named as the step and simple policies found, by name, with the
      settings M(atelier.infra.autoscaling_policy_set) compares (C(AlarmName), C(Namespace), C(MetricName),
      C(Dimensions), C(Statistic), C(ComparisonOperator), C(Threshold), C(Period), C(EvaluationPeriods), C(Unit),
      C(ActionsEnabled), C(AlarmActions), C(AlarmDescription)).
  returned: when O(scaling_policies) or O(scaling_alarms) is not empty
  type: dict
  sample:
    p-web-cpu-high:
      AlarmName: p-web-cpu-high
      MetricName: CPUUtilization
      Threshold: 70.0
missing_scaling_alarms:
  description: The alarms read (of O(scaling_alarms), or named as a policy found) that do not exist.
  returned: when O(scaling_policies) or O(scaling_alarms) is not empty
  type: list
  elements: str
  sample: [p-web-cpu-low]
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.aws_values import MAX_ELB_TAG_ARNS
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import AnsibleAWSValuesError
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import all_or_each
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import auto_scaling_group_details
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import chunks
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import describe_auto_scaling_groups
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import describe_latest_version
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import describe_elb_tags
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import describe_launch_templates
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import describe_listeners
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import describe_load_balancer_attributes
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import describe_load_balancers
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import describe_parameters
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import describe_rule
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import describe_rules
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import describe_secret
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import describe_target_group_attributes
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import describe_target_groups
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import elb_attributes
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import get_parameters
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import event_rule_details
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import get_resource_policy
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import get_secret_value
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import launch_template_details
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import list_parameter_tags
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import list_rule_targets
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import list_web_acls
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import list_distributions
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import marked_for_deletion
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import parameter_details
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import secret_details
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import secret_value
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import topic_details
from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import ALARM_KEYS
from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import alarm_names
from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import describe_alarms_by_name
from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import describe_policies
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import describe_log_group
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import list_tags as list_log_group_tags
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import log_group_view
from ansible_collections.atelier.infra.plugins.module_utils.iam_roles import read_role
from ansible_collections.atelier.infra.plugins.module_utils.sns import MISSING
from ansible_collections.atelier.infra.plugins.module_utils.sns import get_topic_attributes
from ansible_collections.atelier.infra.plugins.module_utils.sns import list_topic_subscriptions
from ansible_collections.atelier.infra.plugins.module_utils.sns import list_topic_tags


def _missing(module, name, missing):
    if module.params["on_missing"] == "error":
        module.fail_json(msg=f"No secret {name} in {module.region} (ResourceNotFoundException)", missing_secrets=[name])
    missing.append(name)


def _deleted(module, name, deleted):
    if module.params["on_deleted"] == "error":
        module.fail_json(msg=f"The secret {name} is scheduled for deletion (restore it to read it)", deleted_secrets=[name])
    deleted.append(name)


def _describe(module, client, name):
    """secret_details of the secret, None when it does not exist."""
    try:
        described = describe_secret(client, name)
        policy = get_resource_policy(client, name) if described is not None else None
    except AnsibleAWSValuesError as e:
        module.fail_json_aws_error(AnsibleAWSValuesError(message=f"Failed to describe the secret {name}", exception=e.exception))
    return None if described is None else secret_details(described, policy)


def read_secrets(module, client):
    values, missing, deleted, details = {}, [], [], {}
    for name in dict.fromkeys(module.params["secrets"]):
        if module.params["secret_details"]:
            found = _describe(module, client, name)
            if found is None:
                _missing(module, name, missing)
                continue
            details[name] = found
            if found["deleted"]:
                _deleted(module, name, deleted)
                continue
        try:
            answer = get_secret_value(client, name)
        except AnsibleAWSValuesError as e:
            if not marked_for_deletion(e):
                module.fail_json_aws_error(AnsibleAWSValuesError(message=f"Failed to read the secret {name}", exception=e.exception))
            _deleted(module, name, deleted)
            continue
        if answer is None:
            _missing(module, name, missing)
            continue
        values[name] = secret_value(answer)
    return values, missing, deleted, details


def read_parameters(module, client):
    values, missing = {}, []
    for names in chunks(module.params["parameters"]):
        try:
            answer = get_parameters(client, names, module.params["decrypt"])
        except AnsibleAWSValuesError as e:
            module.fail_json_aws_error(AnsibleAWSValuesError(message=f"Failed to read the SSM parameters {', '.join(names)}", exception=e.exception))
        for parameter in answer.get("Parameters", []):
            # By the name the caller gave: the parameter's name, or its ARN.
            key = parameter.get("ARN") if parameter.get("ARN") in names else parameter["Name"]
            values[key] = parameter["Value"]
        missing.extend(name for name in names if name not in values)
    if missing and module.params["on_missing"] == "error":
        module.fail_json(msg=f"No SSM parameter {', '.join(missing)} in {module.region} (ParameterNotFound)", missing_parameters=missing)
    return values, missing


def describe_the_parameters(module, client, found):
    """parameter_details of the parameters of O(parameter_details) that exist (found: the values read)."""
    details = {}
    for names in chunks([name for name in module.params["parameter_details"] if name in found]):
        try:
            for described in describe_parameters(client, names):
                details[described["Name"]] = parameter_details(described, list_parameter_tags(client, described["Name"]))
        except AnsibleAWSValuesError as e:
            module.fail_json_aws_error(AnsibleAWSValuesError(message=f"Failed to describe the SSM parameters {', '.join(names)}", exception=e.exception))
    return details


def describe_topics(module, client):
    """topic_details of the topics of O(topics) that exist, and the ARNs of those that do not."""
    details, missing = {}, []
    for arn in dict.fromkeys(module.params["topics"]):
        try:
            attributes = get_topic_attributes(client, arn)
            subscriptions = list_topic_subscriptions(client, arn) if attributes is not MISSING else MISSING
            tags = list_topic_tags(client, arn) if subscriptions is not MISSING else MISSING
        except AnsibleAWSError as e:
            module.fail_json_aws_error(AnsibleAWSValuesError(message=f"Failed to describe the SNS topic {arn}", exception=e.exception))
        if tags is MISSING:
            missing.append(arn)
            continue
        details[arn] = topic_details(attributes, subscriptions, tags)
    return details, missing


def describe_event_rules(module, client):
    """event_rule_details of the rules of O(event_rules) that exist, and the names of those that do not."""
    details, missing = {}, []
    for name in dict.fromkeys(module.params["event_rules"]):
        try:
            described = describe_rule(client, name)
            targets = list_rule_targets(client, name) if described is not None else []
        except AnsibleAWSError as e:
            module.fail_json_aws_error(AnsibleAWSValuesError(message=f"Failed to describe the EventBridge rule {name}", exception=e.exception))
        if described is None:
            missing.append(name)
            continue
        details[name] = event_rule_details(described, targets)
    return details, missing


def describe_the_launch_templates(module, client):
    """launch_template_details of the templates of O(launch_templates) that exist, and the names of those that do not."""
    names = list(dict.fromkeys(module.params["launch_templates"]))
    details = {}
    try:
        for template in describe_launch_templates(client, names):
            if template.get("LaunchTemplateName") in names:
                details[template["LaunchTemplateName"]] = launch_template_details(template, describe_latest_version(client, template["LaunchTemplateId"]))
    except AnsibleAWSError as e:
        module.fail_json_aws_error(AnsibleAWSValuesError(message=f"Failed to describe the launch templates {', '.join(names)}", exception=e.exception))
    return details, [name for name in names if name not in details]


def describe_the_groups(module, client):
    """auto_scaling_group_details of the groups of O(auto_scaling_groups) that exist, and the names of those that do
    not."""
    names = list(dict.fromkeys(module.params["auto_scaling_groups"]))
    try:
        found = {g["AutoScalingGroupName"]: auto_scaling_group_details(g) for g in describe_auto_scaling_groups(client, names)}
    except AnsibleAWSError as e:
        module.fail_json_aws_error(AnsibleAWSValuesError(message=f"Failed to describe the Auto Scaling groups {', '.join(names)}", exception=e.exception))
    return found, [name for name in names if name not in found]


def describe_the_elbs(module, client):
    """load_balancer_details and target_group_details of the load balancers of O(load_balancers) and target groups of
    O(target_groups) that exist, as the info modules return them, and the names of those that do not."""
    lb_names = list(dict.fromkeys(module.params["load_balancers"]))
    tg_names = list(dict.fromkeys(module.params["target_groups"]))
    try:
        balancers = all_or_each(lambda names: describe_load_balancers(client, names), lb_names) if lb_names else []
        for balancer in balancers:
            balancer.update(elb_attributes(describe_load_balancer_attributes(client, balancer["LoadBalancerArn"])))
            balancer["listeners"] = describe_listeners(client, balancer["LoadBalancerArn"])
            for listener in balancer["listeners"]:
                listener["rules"] = describe_rules(client, listener["ListenerArn"])
        groups = all_or_each(lambda names: describe_target_groups(client, names), tg_names) if tg_names else []
        for group in groups:
            group.update(elb_attributes(describe_target_group_attributes(client, group["TargetGroupArn"])))
        arns = [b["LoadBalancerArn"] for b in balancers] + [g["TargetGroupArn"] for g in groups]
        tags = {}
        for part in chunks(arns, MAX_ELB_TAG_ARNS):
            tags.update(describe_elb_tags(client, part))
    except AnsibleAWSError as e:
        what = [f"{kind} {', '.join(names)}" for kind, names in (("load balancers", lb_names), ("target groups", tg_names)) if names]
        module.fail_json_aws_error(AnsibleAWSValuesError(message=f"Failed to describe the {' and '.join(what)}", exception=e.exception))
    found_balancers = {b["LoadBalancerName"]: dict(camel_dict_to_snake_dict(b), tags=tags.get(b["LoadBalancerArn"], {}))
                       for b in balancers if b["LoadBalancerName"] in lb_names}
    found_groups = {g["TargetGroupName"]: dict(camel_dict_to_snake_dict(g), tags=tags.get(g["TargetGroupArn"], {}))
                    for g in groups if g["TargetGroupName"] in tg_names}
    return (found_balancers, [n for n in lb_names if n not in found_balancers],
            found_groups, [n for n in tg_names if n not in found_groups])


def find_web_acls(module, client):
    """web_acl_details of the web ACLs of O(web_acls) that exist, and the names of those that do not."""
    names = list(dict.fromkeys(module.params["web_acls"]))
    try:
        listed = list_web_acls(client, module.params["web_acl_scope"])
    except AnsibleAWSError as e:
        module.fail_json_aws_error(AnsibleAWSValuesError(message=f"Failed to list the {module.params['web_acl_scope']} web ACLs", exception=e.exception))
    found = {acl["Name"]: {"id": acl.get("Id", ""), "arn": acl.get("ARN", ""), "description": acl.get("Description", "")}
             for acl in listed if acl.get("Name") in names}
    return found, [name for name in names if name not in found]


def find_distributions(module, client):
    """distribution_details of the distributions of O(distributions) that exist (by their comment), and the names of
    those that do not."""
    names = list(dict.fromkeys(module.params["distributions"]))
    try:
        listed = list_distributions(client)
    except AnsibleAWSError as e:
        module.fail_json_aws_error(AnsibleAWSValuesError(message="Failed to list the CloudFront distributions", exception=e.exception))
    found = {}
    for summary in listed:
        name = summary.get("Comment")
        if name not in names:
            continue
        if name in found:
            found[name]["others"].append(summary.get("Id", ""))
            continue
        found[name] = {"id": summary.get("Id", ""), "arn": summary.get("ARN", ""), "status": summary.get("Status", ""),
                       "enabled": bool(summary.get("Enabled")), "domain_name": summary.get("DomainName", ""), "others": []}
    return found, [name for name in names if name not in found]


def describe_iam_roles(module, client):
    """iam_role_details of the roles of O(iam_roles) that exist, and the names of those that do not."""
    details, missing = {}, []
    for name in dict.fromkeys(module.params["iam_roles"]):
        try:
            current = read_role(client, name)
        except AnsibleAWSError as e:
            module.fail_json_aws_error(AnsibleAWSValuesError(message=f"Failed to describe the IAM role {name}", exception=e.exception))
        if current is None:
            missing.append(name)
        else:
            details[name] = current
    return details, missing


def describe_log_groups(module, client):
    """log_group_details of the log groups of O(log_groups) that exist, and the names of those that do not."""
    details, missing = {}, []
    for name in dict.fromkeys(module.params["log_groups"]):
        try:
            group = describe_log_group(client, name)
            tags = list_log_group_tags(client, log_group_view(group)["arn"]) if group else None
        except AnsibleAWSError as e:
            module.fail_json_aws_error(AnsibleAWSValuesError(message=f"Failed to describe the log group {name}", exception=e.exception))
        if group is None:
            missing.append(name)
        else:
            details[name] = log_group_view(group, tags)
    return details, missing


def describe_scaling_policies(module, autoscaling, cloudwatch):
    """scaling_policy_details of the groups of O(scaling_policies), and scaling_alarm_details and
    missing_scaling_alarms of the alarms of O(scaling_alarms) and those named as the policies found (read for all the
    groups at once)."""
    policies = {}
    try:
        for group in dict.fromkeys(module.params["scaling_policies"]):
            policies[group] = describe_policies(autoscaling, group)
        names = sorted(set(module.params["scaling_alarms"]) | {name for found in policies.values() for name in alarm_names(found)})
        alarms = describe_alarms_by_name(cloudwatch, names) if names else []
    except AnsibleAWSError as e:
        what = ", ".join(module.params["scaling_policies"] + module.params["scaling_alarms"])
        module.fail_json_aws_error(AnsibleAWSValuesError(message=f"Failed to describe the scaling policies and alarms of {what}", exception=e.exception))
    found = {a["AlarmName"]: {k: a[k] for k in ALARM_KEYS if k in a} for a in alarms if a.get("AlarmName") in names}
    return policies, found, [name for name in names if name not in found]


def main():
    argument_spec = dict(
        secrets=dict(type="list", elements="str", default=[], no_log=False),
        parameters=dict(type="list", elements="str", default=[]),
        decrypt=dict(type="bool", default=True),
        on_missing=dict(type="str", choices=["error", "skip"], default="error"),
        on_deleted=dict(type="str", choices=["error", "skip"], default="error"),
        secret_details=dict(type="bool", default=False),
        parameter_details=dict(type="list", elements="str", default=[]),
        topics=dict(type="list", elements="str", default=[]),
        event_rules=dict(type="list", elements="str", default=[]),
        launch_templates=dict(type="list", elements="str", default=[]),
        auto_scaling_groups=dict(type="list", elements="str", default=[]),
        load_balancers=dict(type="list", elements="str", default=[]),
        target_groups=dict(type="list", elements="str", default=[]),
        web_acls=dict(type="list", elements="str", default=[]),
        web_acl_scope=dict(type="str", choices=["REGIONAL", "CLOUDFRONT"], default="REGIONAL"),
        distributions=dict(type="list", elements="str", default=[]),
        iam_roles=dict(type="list", elements="str", default=[]),
        log_groups=dict(type="list", elements="str", default=[]),
        scaling_policies=dict(type="list", elements="str", default=[]),
        scaling_alarms=dict(type="list", elements="str", default=[]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    undeclared = [name for name in module.params["parameter_details"] if name not in module.params["parameters"]]
    if undeclared:
        module.fail_json(msg=f"parameter_details names parameters that are not in parameters: {', '.join(undeclared)}")

    secrets, missing_secrets, deleted_secrets, details = {}, [], [], {}
    if module.params["secrets"]:
        secrets, missing_secrets, deleted_secrets, details = read_secrets(module, module.client("secretsmanager"))
    parameters, missing_parameters, described = {}, [], {}
    if module.params["parameters"]:
        ssm = module.client("ssm")
        parameters, missing_parameters = read_parameters(module, ssm)
        described = describe_the_parameters(module, ssm, parameters)

    topics, missing_topics = describe_topics(module, module.client("sns")) if module.params["topics"] else ({}, [])
    rules, missing_rules = describe_event_rules(module, module.client("events")) if module.params["event_rules"] else ({}, [])
    templates, missing_templates = describe_the_launch_templates(module, module.client("ec2")) if module.params["launch_templates"] else ({}, [])
    groups, missing_groups = describe_the_groups(module, module.client("autoscaling")) if module.params["auto_scaling_groups"] else ({}, [])
    balancers, missing_balancers, target_groups, missing_target_groups = {}, [], {}, []
    if module.params["load_balancers"] or module.params["target_groups"]:
        balancers, missing_balancers, target_groups, missing_target_groups = describe_the_elbs(module, module.client("elbv2"))
    web_acls, missing_web_acls = find_web_acls(module, module.client("wafv2")) if module.params["web_acls"] else ({}, [])
    distributions, missing_distributions = find_distributions(module, module.client("cloudfront")) if module.params["distributions"] else ({}, [])
    roles, missing_roles = describe_iam_roles(module, module.client("iam")) if module.params["iam_roles"] else ({}, [])
    log_groups, missing_log_groups = describe_log_groups(module, module.client("logs")) if module.params["log_groups"] else ({}, [])
    scaling = module.params["scaling_policies"] or module.params["scaling_alarms"]
    policies, alarms, missing_alarms = describe_scaling_policies(module, module.client("autoscaling"), module.client("cloudwatch")) if scaling else ({}, {}, [])

    module.exit_json(
        changed=False,
        secrets=secrets,
        parameters=parameters,
        missing_secrets=missing_secrets,
        missing_parameters=missing_parameters,
        deleted_secrets=deleted_secrets,
        **({"secret_details": details} if module.params["secret_details"] else {}),
        **({"parameter_details": described} if module.params["parameter_details"] else {}),
        **({"topic_details": topics, "missing_topics": missing_topics} if module.params["topics"] else {}),
        **({"event_rule_details": rules, "missing_event_rules": missing_rules} if module.params["event_rules"] else {}),
        **({"launch_template_details": templates, "missing_launch_templates": missing_templates} if module.params["launch_templates"] else {}),
        **({"auto_scaling_group_details": groups, "missing_auto_scaling_groups": missing_groups} if module.params["auto_scaling_groups"] else {}),
        **({"load_balancer_details": balancers, "missing_load_balancers": missing_balancers} if module.params["load_balancers"] else {}),
        **({"target_group_details": target_groups, "missing_target_groups": missing_target_groups} if module.params["target_groups"] else {}),
        **({"web_acl_details": web_acls, "missing_web_acls": missing_web_acls} if module.params["web_acls"] else {}),
        **({"distribution_details": distributions, "missing_distributions": missing_distributions} if module.params["distributions"] else {}),
        **({"iam_role_details": roles, "missing_iam_roles": missing_roles} if module.params["iam_roles"] else {}),
        **({"log_group_details": log_groups, "missing_log_groups": missing_log_groups} if module.params["log_groups"] else {}),
        **({"scaling_policy_details": policies, "scaling_alarm_details": alarms, "missing_scaling_alarms": missing_alarms} if scaling else {}),
    )


if __name__ == "__main__":
    main()
