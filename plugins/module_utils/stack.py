# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The stack contract: how a stack names, tags and finds its resources.

Every role of atelier.infra computes names, tags and lookup filters here (through the filters of
plugins/filter/stack.py), never from a copy of another role's defaults:

* one name prefix per stack, ``atelier_name_prefix`` (``<atelier_env>-<atelier_stack>`` unless an environment
  sets its own); every resource name, account-global ones included (the DynamoDB table, the ECR repositories, IAM
  roles, log groups, secrets), is derived from it, so two stacks in one account never share a name;
* the ownership tags ``atelier:env`` and ``atelier:stack`` on every resource (plus ``atelier:tier`` on what belongs
  to one application tier, and ``Name``), by which a role finds what another role made.

Pure Python: no boto3, no Ansible imports (aws_retry is pure too), so the filters that use it stay cheap in every templating call.
"""

import re

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import retries_errors

TAG_ENV = "atelier:env"
TAG_STACK = "atelier:stack"
TAG_TIER = "atelier:tier"
TAG_NAME = "Name"

# atelier_env and atelier_stack: a letter, then lowercase letters, digits and single hyphens (they appear in DNS-like
# names such as ALB and bucket names).
STACK_WORD = re.compile(r"^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,29}$")
# The name prefix: the same alphabet, at most 40 characters. The names AWS limits further (an ALB or target group name:
# 32 characters) are checked with name_errors where they are made.
PREFIX = re.compile(r"^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,39}$")
TIER = re.compile(r"^[a-z][a-z0-9-]{0,19}$")
# A region: two letters, one or more words, a number (us-east-1, ap-southeast-2, us-gov-west-1, eu-isoe-west-1).
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$")

# AWS's length limits of the names derived from the prefix (the ones that can be exceeded by a long prefix or tier).
LIMITS = {
    "alb": 32,
    "target_group": 32,
    "instance_role": 64,
    "execution_role": 64,
    "task_role": 64,
    "flow_log_role": 64,
    "db_instance": 63,
    "distribution": 128,
}


def region_errors(region, variable="atelier_region"):
    """What is wrong with a region name (us-east-1, eu-west-1, us-gov-west-1, ...); empty when all is well."""
    if isinstance(region, str) and REGION.match(region):
        return []
    hint = ""
    if isinstance(region, str) and REGION.match(region.strip().lower()):
        hint = f" (did you mean {region.strip().lower()}?)"
    elif isinstance(region, str) and REGION.match(region.strip().lower()[:-1]):
        hint = f" ({region} is an availability zone of {region.strip().lower()[:-1]})"
    return [f"{variable} must be an AWS region name in lowercase such as us-east-1 or eu-west-1, got {region!r}{hint}"]


def stack_errors(env, stack, prefix=None, region=None, retries=None):
    """What is wrong with the stack's identity (environment, stack name, name prefix) and, when given, its region
    (atelier_region) and retry settings (atelier_aws_retries); empty when all is well."""
    errors = []
    for what, value in (("atelier_env", env), ("atelier_stack", stack)):
        if not isinstance(value, str) or not STACK_WORD.match(value):
            errors.append(
                f"{what} must be 1-30 lowercase letters, digits and single hyphens starting with a letter, got {value!r}"
            )
    if prefix is not None and (not isinstance(prefix, str) or not PREFIX.match(prefix)):
        errors.append(
            f"atelier_name_prefix must be 1-40 lowercase letters, digits and single hyphens starting with a letter, got {prefix!r}"
        )
    if region is not None:
        errors.extend(region_errors(region))
    errors.extend(retries_errors(retries))
    return errors


def name_prefix(env, stack):
    """The default name prefix of a stack: ``<env>-<stack>``."""
    return f"{env}-{stack}"


def stack_tags(env, stack, *extra, name=None, tier=None):
    """The tags of a stack resource: the extra tag dicts merged in order, then the ownership tags (which win),
    then Name and atelier:tier when given."""
    tags = {}
    for more in extra:
        if more:
            tags.update({str(k): str(v) for k, v in dict(more).items()})
    tags[TAG_ENV] = str(env)
    tags[TAG_STACK] = str(stack)
    if tier:
        tags[TAG_TIER] = str(tier)
    if name:
        tags[TAG_NAME] = str(name)
    return tags


def ec2_filters(env, stack, **more):
    """EC2-style describe filters that select the stack's resources (``tag:atelier:env``, ``tag:atelier:stack``),
    with more filters given as keyword arguments (``tier`` becomes ``tag:atelier:tier``, ``name`` ``tag:Name``)."""
    filters = {f"tag:{TAG_ENV}": str(env), f"tag:{TAG_STACK}": str(stack)}
    for key, value in more.items():
        if value in (None, "", []):
            continue
        if key == "tier":
            filters[f"tag:{TAG_TIER}"] = value
        elif key == "name":
            filters[f"tag:{TAG_NAME}"] = value
        else:
            filters[key.replace("_", "-")] = value
    return filters


def tag_filters(env, stack, tier=None):
    """The stack's tags as Resource Groups Tagging API TagFilters."""
    filters = [{"Key": TAG_ENV, "Values": [str(env)]}, {"Key": TAG_STACK, "Values": [str(stack)]}]
    if tier:
        filters.append({"Key": TAG_TIER, "Values": [str(tier)]})
    return filters


def owner_conflict(tags, env, stack):
    """A message when tags (a dict, or a boto3 list of Key/Value) say another stack owns a resource, else None.

    A resource without ownership tags is nobody's (the caller may adopt it); one tagged for this stack is ours.
    """
    if isinstance(tags, list):
        tags = {t.get("Key", t.get("key")): t.get("Value", t.get("value")) for t in tags}
    tags = tags or {}
    owner = (tags.get(TAG_ENV), tags.get(TAG_STACK))
    if owner == (None, None) or owner == (str(env), str(stack)):
        return None
    return f"it belongs to the stack {owner[1]!r} of the environment {owner[0]!r} (tags {TAG_STACK}/{TAG_ENV})"


def network_names(prefix):
    """Names of the network layer's resources (the VPC role's, and what the other roles look up by Name)."""
    return {
        "vpc": prefix,
        "internet_gateway": f"{prefix}-igw",
        "flow_log_group": f"/aws/vpc-flow-logs/{prefix}",
        "flow_log_role": f"{prefix}-vpc-flow-logs",
        "flow_log": f"{prefix}-flow-log",
        "default_security_group": f"{prefix}-default",
        "database_security_group": f"{prefix}-database",
        "bastion_security_group": f"{prefix}-bastion",
    }


def subnet_name(prefix, tier, az):
    """The Name of a subnet of a subnet tier in an AZ; its route table adds ``-rt``."""
    return f"{prefix}-{tier}-{az}"


def route_table_name(prefix, tier, az):
    """The Name of the route table of a subnet tier's subnet in an AZ: the subnet's Name plus ``-rt``."""
    return f"{subnet_name(prefix, tier, az)}-rt"


def nat_gateway_name(prefix, az):
    """The Name of the NAT gateway of an AZ (and of its Elastic IP)."""
    return f"{prefix}-nat-{az}"


def endpoint_name(prefix, service):
    """The Name of a gateway endpoint of a service (com.amazonaws.<region>.s3 -> <prefix>-s3)."""
    return f"{prefix}-{service.rsplit('.', 1)[-1]}"


# The target group of each tier runtime, and its target type: ``-tg`` (instances) for ec2, ``-ip`` (tasks' addresses)
# for fargate. A target group's type cannot change, so a tier moved to another runtime gets the other group.
TARGET_GROUPS = {"ec2": ("tg", "instance"), "fargate": ("ip", "ip")}


def tier_names(prefix, tier, runtime=None):
    """Names of everything one application tier owns, whatever runs it. With runtime, target_group and target_type
    are that runtime's (TARGET_GROUPS; ec2's without it); target_groups lists every runtime's, for a removal."""
    base = f"{prefix}-{tier}"
    suffix, target_type = TARGET_GROUPS[runtime or "ec2"]
    return {
        "tier": tier,
        "alb": base,
        "target_group": f"{base}-{suffix}",
        "target_type": target_type,
        "target_groups": sorted(f"{base}-{other}" for other, _type in TARGET_GROUPS.values()),
        "alb_security_group": f"{base}-alb",
        "security_group": base,
        "origin_secret": f"{prefix}/{tier}/origin-verify",
        "distribution": base,
        "group": base,
        "launch_template": base,
        "instance_role": f"{base}-instance",
        "log_group": f"/aws/ec2/{prefix}/{tier}",
        "scaling_policy_prefix": f"{base}-cpu-",
        # A Fargate tier's (runtime fargate): its service in the stack's cluster (data_names' ecs_cluster), the task
        # definition family, the roles ECS (execution) and the application (task) act as, the container's log group.
        "service": base,
        "task_family": base,
        "execution_role": f"{base}-execution",
        "task_role": f"{base}-task",
        "ecs_log_group": f"/aws/ecs/{prefix}/{tier}",
        "service_scaling_policy_prefix": f"{base}-service-",
        "env_url": tier.upper().replace("-", "_") + "_URL",
        # The CloudWatch agent's configuration in SSM Parameter Store: the AWS managed CloudWatchAgentServerPolicy
        # lets an instance read parameter/AmazonCloudWatch-* only, so the name starts with it.
        "cloudwatch_agent_parameter": f"AmazonCloudWatch-{base}",
        "distribution_web_acl": f"{base}-cloudfront",
        "alb_web_acl": f"{base}-alb",
        # Key prefixes in the stack's log bucket (data_names' log_bucket).
        "alb_log_prefix": f"{prefix}/alb/{tier}",
        "distribution_log_prefix": f"{prefix}/cloudfront/{tier}/",
    }


# Logical names (the part after the prefix) of what the stack's data roles create.
DB_SECRET = "db-credentials"


def _logical_names(declared):
    """The logical names of declared stores: names, or dicts with a ``name`` (anything else is skipped: the role that
    converges them reports it)."""
    names = []
    for entry in declared or []:
        name = entry.get("name") if isinstance(entry, dict) else entry
        if isinstance(name, str) and name and name not in names:
            names.append(name)
    return names


def dead_letter_queue(queue):
    """The logical name of a queue's dead-letter queue (the stores role makes it beside the queue)."""
    return f"{queue}-dlq"


def site_bucket(tier):
    """The logical name of a static tier's bucket (the static_site role's <prefix>-<tier>-site)."""
    return f"{tier}-site"


def stack_resources(dynamodb_table=None, rds=False, buckets=None, queues=None, topics=None, tiers=None):
    """What the stack's data layer creates that a tier may be granted, by kind and logical name (the table's logical
    name when the stack deploys it, the database's credentials secret when it deploys RDS, the buckets, queues - each
    with its dead-letter queue when it has one - and topics the stack declares, atelier_buckets, atelier_queues and
    atelier_topics, which the stores role converges), and the bucket of each static tier of tiers (atelier_tiers:
    <tier>-site, which CloudFront serves, e.g. the images a function writes)."""
    queue_names = []
    for queue in queues or []:
        for name in _logical_names([queue]):
            queue_names.append(name)
            if isinstance(queue, dict) and queue.get("dead_letter"):
                queue_names.append(dead_letter_queue(name))
    return {
        "dynamodb_table": [dynamodb_table] if dynamodb_table else [],
        "secret": [DB_SECRET] if rds else [],
        "s3_bucket": _logical_names(buckets) + [
            site_bucket(tier["name"]) for tier in tiers or []
            if isinstance(tier, dict) and tier.get("runtime") == "static" and isinstance(tier.get("name"), str)
        ],
        "sqs_queue": queue_names,
        "sns_topic": _logical_names(topics),
        "kms_key": [],
    }


def data_names(prefix):
    """Names of the data layer's and the operations parts' resources."""
    return {
        "table_prefix": f"{prefix}-",
        "db_instance": f"{prefix}-postgres",
        "db_secret": f"{prefix}-{DB_SECRET}",
        "db_monitoring_role": f"{prefix}-postgres-monitoring",
        "repository_namespace": prefix,
        "bastion": f"{prefix}-bastion",
        "bastion_role": f"{prefix}-bastion",
        # The one ECS cluster every Fargate tier of the stack runs in.
        "ecs_cluster": prefix,
        "alarm_topic": f"{prefix}-alarms",
        "dashboard": prefix,
        "alarm_prefix": f"{prefix}/",
        "scaling_events_rule": f"{prefix}-scaling-events",
        # The logging role's: the KMS key of the stack's log groups and the S3 bucket of its access logs.
        "logs_key_alias": f"alias/{prefix}-logs",
        "log_bucket": f"{prefix}-logs",
    }


def cicd_names(prefix, pipeline=None):
    """Names of the delivery part (the cicd role): the stack's one pipeline artifacts bucket and, for a pipeline's
    logical name, its CodeBuild project and CodePipeline pipeline (both ``<prefix>-<pipeline>``), their service roles
    and the build's log group (CodeBuild's default, ``/aws/codebuild/<project>``)."""
    names = {"artifacts_bucket": f"{prefix}-pipeline-artifacts"}
    if pipeline:
        base = f"{prefix}-{pipeline}"
        names.update({
            "project": base,
            "pipeline": base,
            "build_role": f"{base}-build",
            "pipeline_role": f"{base}-pipeline",
            "build_log_group": f"/aws/codebuild/{base}",
        })
    return names


def repository_name(prefix, repository):
    """The stack's ECR repository of an image repository name: ``<prefix>/<repository>``."""
    return f"{prefix}/{repository}"


def table_name(prefix, table):
    """The stack's DynamoDB table of a table's base name: ``<prefix>-<table>``."""
    return f"{prefix}-{table}"


def notification_owner(prefix):
    """The Id prefix of every S3 event notification the stack's functions own, ``atelier/<prefix>/`` (a prefix has no
    ``/``, so no other stack's Ids start with it): a bucket's notifications with other Ids are not the stack's."""
    return f"atelier/{prefix}/"


def function_names(prefix, function):
    """Names of one Lambda function's resources (the lambda_function role's): the function, its execution role, its
    log group, and the Id prefix of the S3 event notifications that invoke it (under notification_owner)."""
    name = f"{prefix}-{function}"
    return {
        "function_name": name,
        "role_name": f"{name}-lambda",
        "log_group": f"/aws/lambda/{name}",
        "notification_id_prefix": f"{notification_owner(prefix)}{function}/",
    }


def stack_names(prefix, tier=None, runtime=None):
    """Every name the contract derives from the prefix: the network's and data layer's, and a tier's when given (with
    its runtime's target group, tier_names)."""
    if runtime is not None and runtime not in TARGET_GROUPS:
        raise ValueError(f"unknown tier runtime {runtime!r}: one of {', '.join(sorted(TARGET_GROUPS))}")
    names = dict(network_names(prefix))
    names.update(data_names(prefix))
    if tier:
        names.update(tier_names(prefix, tier, runtime))
    return names


def name_errors(names):
    """Names longer than AWS allows (from tier_names / stack_names output), as messages."""
    errors = []
    for key, limit in LIMITS.items():
        value = names.get(key)
        if isinstance(value, str) and len(value) > limit:
            errors.append(
                f"the {key.replace('_', ' ')} name {value} is {len(value)} characters; AWS allows {limit}: "
                "shorten atelier_name_prefix or the tier name"
            )
    return errors


def arn_resource(arn):
    """The resource part of an ARN (after the fifth colon): ``loadbalancer/app/x/1`` -> as is."""
    parts = str(arn).split(":", 5)
    return parts[5] if len(parts) == 6 else ""


def cloudwatch_dimension(arn):
    """The CloudWatch dimension value of an ELBv2 load balancer or target group ARN
    (``app/<name>/<id>`` or ``targetgroup/<name>/<id>``)."""
    resource = arn_resource(arn)
    return resource[len("loadbalancer/"):] if resource.startswith("loadbalancer/") else resource
