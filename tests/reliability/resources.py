"""What a stack holds in the emulator, read with boto3: by name per resource type, and by the stack's tags.

The reliability tests compare these between a faulted or interrupted deployment and a clean one: a duplicate shows
up as a name listed twice, a leftover half-resource as a name (or a tagged resource) a clean deployment does not
have. Names are given with the stack's prefix replaced by ``{prefix}`` so that two stacks compare.
"""

from collections import Counter

REGION = "us-east-1"
GONE_STATES = {"deleted", "deleting", "terminated", "shutting-down", "failed", "rejected", "expired"}


def _name_tag(resource, key="Tags"):
    return next((t["Value"] for t in resource.get(key) or [] if t.get("Key") == "Name"), None)


def _pages(client, operation, key, **params):
    return [item for page in client.get_paginator(operation).paginate(**params) for item in page[key]]


def _ec2(emulator, prefix):
    ec2 = emulator.client("ec2", REGION)
    found = {}
    kinds = (
        ("vpc", "describe_vpcs", "Vpcs", None),
        ("subnet", "describe_subnets", "Subnets", None),
        ("route-table", "describe_route_tables", "RouteTables", None),
        ("internet-gateway", "describe_internet_gateways", "InternetGateways", None),
        ("nat-gateway", "describe_nat_gateways", "NatGateways", "State"),
        ("vpc-endpoint", "describe_vpc_endpoints", "VpcEndpoints", "State"),
        ("security-group", "describe_security_groups", "SecurityGroups", None),
        ("launch-template", "describe_launch_templates", "LaunchTemplates", None),
        ("flow-log", "describe_flow_logs", "FlowLogs", None),
    )
    for kind, operation, key, state in kinds:
        names = []
        for item in _pages(ec2, operation, key):
            if state and str(item.get(state, "")).lower() in GONE_STATES:
                continue
            name = _name_tag(item) or item.get("LaunchTemplateName") or item.get("GroupName")
            if name and name.startswith(prefix):
                names.append(name)
        found[kind] = names
    found["elastic-ip"] = [
        _name_tag(a) for a in ec2.describe_addresses()["Addresses"] if (_name_tag(a) or "").startswith(prefix)
    ]
    instances = [
        i
        for r in _pages(ec2, "describe_instances", "Reservations")
        for i in r["Instances"]
        if i["State"]["Name"] not in GONE_STATES
    ]
    found["instance"] = [_name_tag(i) or i["InstanceId"] for i in instances if (_name_tag(i) or "").startswith(prefix)]
    found["key-pair"] = [k["KeyName"] for k in ec2.describe_key_pairs()["KeyPairs"] if k["KeyName"].startswith(prefix)]
    return found


def _load_balancing(emulator, prefix):
    elb = emulator.client("elbv2", REGION)
    balancers = [b for b in _pages(elb, "describe_load_balancers", "LoadBalancers") if b["LoadBalancerName"].startswith(prefix)]
    listeners, rules = [], []
    for balancer in balancers:
        for listener in _pages(elb, "describe_listeners", "Listeners", LoadBalancerArn=balancer["LoadBalancerArn"]):
            listeners.append(f"{balancer['LoadBalancerName']}:{listener['Port']}")
            for rule in elb.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]:
                rules.append(f"{balancer['LoadBalancerName']}:{listener['Port']}:{rule['Priority']}")
    asg = emulator.client("autoscaling", REGION)
    groups = [g["AutoScalingGroupName"] for g in _pages(asg, "describe_auto_scaling_groups", "AutoScalingGroups")]
    policies = [p["PolicyName"] for p in _pages(asg, "describe_policies", "ScalingPolicies")]
    return {
        "load-balancer": [b["LoadBalancerName"] for b in balancers],
        "target-group": [
            g["TargetGroupName"]
            for g in _pages(elb, "describe_target_groups", "TargetGroups")
            if g["TargetGroupName"].startswith(prefix)
        ],
        "listener": listeners,
        "listener-rule": rules,
        "autoscaling-group": [g for g in groups if g.startswith(prefix)],
        "scaling-policy": [p for p in policies if p.startswith(prefix)],
    }


def _edge_and_data(emulator, prefix):
    cloudfront = emulator.client("cloudfront", REGION)
    distributions = cloudfront.list_distributions()["DistributionList"].get("Items", [])
    dynamodb = emulator.client("dynamodb", REGION)
    ecr = emulator.client("ecr", REGION)
    rds = emulator.client("rds", REGION)
    secrets = emulator.client("secretsmanager", REGION)
    return {
        "distribution": [d["Comment"] for d in distributions if d["Comment"].startswith(prefix)],
        "table": [t for t in _pages(dynamodb, "list_tables", "TableNames") if t.startswith(prefix)],
        "repository": [
            r["repositoryName"]
            for r in _pages(ecr, "describe_repositories", "repositories")
            if r["repositoryName"].startswith(prefix)
        ],
        "db-instance": [
            d["DBInstanceIdentifier"]
            for d in rds.describe_db_instances()["DBInstances"]
            if d["DBInstanceIdentifier"].startswith(prefix) and d["DBInstanceStatus"] != "deleting"
        ],
        "db-subnet-group": [
            g["DBSubnetGroupName"]
            for g in rds.describe_db_subnet_groups()["DBSubnetGroups"]
            if g["DBSubnetGroupName"].startswith(prefix)
        ],
        "db-parameter-group": [
            g["DBParameterGroupName"]
            for g in rds.describe_db_parameter_groups()["DBParameterGroups"]
            if g["DBParameterGroupName"].startswith(prefix)
        ],
        "secret": [
            s["Name"]
            for s in _pages(secrets, "list_secrets", "SecretList")
            if s["Name"].startswith(prefix) and not s.get("DeletedDate")
        ],
    }


def _operations(emulator, prefix):
    iam = emulator.client("iam", REGION)
    logs = emulator.client("logs", REGION)
    cloudwatch = emulator.client("cloudwatch", REGION)
    sns = emulator.client("sns", REGION)
    log_groups = [g["logGroupName"] for g in _pages(logs, "describe_log_groups", "logGroups")]
    return {
        "iam-role": [r["RoleName"] for r in _pages(iam, "list_roles", "Roles") if r["RoleName"].startswith(prefix)],
        "instance-profile": [
            p["InstanceProfileName"]
            for p in _pages(iam, "list_instance_profiles", "InstanceProfiles")
            if p["InstanceProfileName"].startswith(prefix)
        ],
        "log-group": [g for g in log_groups if prefix in g],
        "alarm": [a["AlarmName"] for a in _pages(cloudwatch, "describe_alarms", "MetricAlarms") if a["AlarmName"].startswith(prefix)],
        "dashboard": [
            d["DashboardName"] for d in cloudwatch.list_dashboards()["DashboardEntries"] if d["DashboardName"].startswith(prefix)
        ],
        "topic": [
            t["TopicArn"].rsplit(":", 1)[-1]
            for t in _pages(sns, "list_topics", "Topics")
            if t["TopicArn"].rsplit(":", 1)[-1].startswith(prefix)
        ],
    }


def by_name(emulator, prefix):
    """{resource type: sorted names (a duplicate is listed twice)} of what carries the prefix in its name, with the
    prefix written ``{prefix}``; types with nothing are left out."""
    found = {}
    for part in (_ec2, _load_balancing, _edge_and_data, _operations):
        found.update(part(emulator, prefix))
    return {
        kind: sorted(name.replace(prefix, "{prefix}") for name in names) for kind, names in found.items() if names
    }


def by_tags(emulator, env, stack):
    """Counter of the resource types (the ARN's service and type) of what carries the stack's ownership tags, as the
    Resource Groups Tagging API lists them (CloudFront and IAM are global: asked in us-east-1); deleted NAT
    gateways, terminated instances and the like are not counted."""
    tagging = emulator.client("resourcegroupstaggingapi", REGION)
    filters = [{"Key": "atelier:env", "Values": [env]}, {"Key": "atelier:stack", "Values": [stack]}]
    arns = [r["ResourceARN"] for r in _pages(tagging, "get_resources", "ResourceTagMappingList", TagFilters=filters)]
    gone = _gone_ids(emulator)
    counts = Counter()
    for arn in arns:
        resource = arn.split(":", 5)[5]
        if resource.rsplit("/", 1)[-1] in gone:
            continue
        kind = resource.split("/", 1)[0].split(":", 1)[0]
        counts[f"{arn.split(':')[2]}:{kind}"] += 1
    return counts


def _gone_ids(emulator):
    ec2 = emulator.client("ec2", REGION)
    gone = {n["NatGatewayId"] for n in ec2.describe_nat_gateways()["NatGateways"] if n["State"] in GONE_STATES}
    gone |= {
        i["InstanceId"]
        for r in ec2.describe_instances()["Reservations"]
        for i in r["Instances"]
        if i["State"]["Name"] in GONE_STATES
    }
    gone |= {e["VpcEndpointId"] for e in ec2.describe_vpc_endpoints()["VpcEndpoints"] if e["State"].lower() in GONE_STATES}
    return gone


def duplicates(names_by_type):
    """{type: [names listed more than once]} of a by_name() answer (empty when there is none)."""
    found = {}
    for kind, names in names_by_type.items():
        twice = sorted(name for name, count in Counter(names).items() if count > 1)
        if twice:
            found[kind] = twice
    return found


def differences(expected, actual):
    """Readable lines for what differs between two by_name() answers (or by_tags() counters)."""
    lines = []
    for kind in sorted(set(expected) | set(actual)):
        want, have = expected.get(kind, []), actual.get(kind, [])
        if want == have:
            continue
        if isinstance(want, int) or isinstance(have, int):
            lines.append(f"{kind}: {want} expected, {have} found")
            continue
        extra = list((Counter(have) - Counter(want)).elements())
        missing = list((Counter(want) - Counter(have)).elements())
        lines.append(f"{kind}: extra {extra}, missing {missing}")
    return lines


# Fields that change by themselves (time passing, reads), not by a change to the resource.
VOLATILE = {"LastAccessedDate", "ResponseMetadata", "ItemCount", "TableSizeBytes", "LastUpdateDateTime", "UpdatedAt"}


def _stable(value):
    """value with the VOLATILE fields dropped and lists of dicts sorted, for comparison."""
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in sorted(value.items()) if k not in VOLATILE}
    if isinstance(value, list):
        items = [_stable(v) for v in value]
        return sorted(items, key=repr)
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def _settings(emulator, prefix, tables):
    ec2 = emulator.client("ec2", REGION)
    mine = [{"Name": "tag:Name", "Values": [f"{prefix}*"]}]
    elb = emulator.client("elbv2", REGION)
    balancers = [b for b in _pages(elb, "describe_load_balancers", "LoadBalancers") if b["LoadBalancerName"].startswith(prefix)]
    listeners = [l for b in balancers for l in _pages(elb, "describe_listeners", "Listeners", LoadBalancerArn=b["LoadBalancerArn"])]
    iam = emulator.client("iam", REGION)
    roles = [r for r in _pages(iam, "list_roles", "Roles") if r["RoleName"].startswith(prefix)]
    cloudfront = emulator.client("cloudfront", REGION)
    distributions = [d for d in cloudfront.list_distributions()["DistributionList"].get("Items", []) if d["Comment"].startswith(prefix)]
    cloudwatch = emulator.client("cloudwatch", REGION)
    secrets = emulator.client("secretsmanager", REGION)
    dynamodb = emulator.client("dynamodb", REGION)
    return {
        "vpcs": ec2.describe_vpcs(Filters=mine)["Vpcs"],
        "subnets": ec2.describe_subnets(Filters=mine)["Subnets"],
        "route-tables": ec2.describe_route_tables(Filters=mine)["RouteTables"],
        "security-groups": [g for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"].startswith(prefix)],
        "nat-gateways": ec2.describe_nat_gateways(Filters=mine)["NatGateways"],
        "launch-templates": [t for t in ec2.describe_launch_templates()["LaunchTemplates"] if t["LaunchTemplateName"].startswith(prefix)],
        "load-balancers": balancers,
        "listeners": listeners,
        "target-groups": [g for g in _pages(elb, "describe_target_groups", "TargetGroups") if g["TargetGroupName"].startswith(prefix)],
        "autoscaling-groups": [
            g for g in _pages(emulator.client("autoscaling", REGION), "describe_auto_scaling_groups", "AutoScalingGroups")
            if g["AutoScalingGroupName"].startswith(prefix)
        ],
        "iam-roles": [dict(r, Inline={n: iam.get_role_policy(RoleName=r["RoleName"], PolicyName=n)["PolicyDocument"]
                                      for n in iam.list_role_policies(RoleName=r["RoleName"])["PolicyNames"]})
                      for r in roles],
        "distributions": {d["Id"]: cloudfront.get_distribution_config(Id=d["Id"]) for d in distributions},
        "alarms": [a for a in _pages(cloudwatch, "describe_alarms", "MetricAlarms") if a["AlarmName"].startswith(prefix)],
        "dashboards": {d["DashboardName"]: cloudwatch.get_dashboard(DashboardName=d["DashboardName"])["DashboardBody"]
                       for d in cloudwatch.list_dashboards()["DashboardEntries"] if d["DashboardName"].startswith(prefix)},
        "secrets": [secrets.describe_secret(SecretId=s["ARN"]) for s in _pages(secrets, "list_secrets", "SecretList")
                    if s["Name"].startswith(prefix)],
        "repositories": [r for r in _pages(emulator.client("ecr", REGION), "describe_repositories", "repositories")
                         if r["repositoryName"].startswith(prefix)],
        "log-groups": [g for g in _pages(emulator.client("logs", REGION), "describe_log_groups", "logGroups") if prefix in g["logGroupName"]],
        "tables": {t: dynamodb.describe_table(TableName=t)["Table"] for t in tables},
        "items": {t: _pages(dynamodb, "scan", "Items", TableName=t) for t in tables},
    }


def snapshot(emulator, env, stack, prefix, tables=()):
    """What must stay as it is while something else runs beside the stack: every resource the stack's ownership tags
    select, with its tags (Resource Groups Tagging API), and the settings of what its prefix names - network, load
    balancing, Auto Scaling, IAM roles with their inline policies, distributions, alarms, dashboards, secrets,
    repositories, log groups - and the tables' descriptions and items. Comparable with ==; differences() of two
    snapshots' keys say where they differ."""
    tagging = emulator.client("resourcegroupstaggingapi", REGION)
    filters = [{"Key": "atelier:env", "Values": [env]}, {"Key": "atelier:stack", "Values": [stack]}]
    tagged = {r["ResourceARN"]: r["Tags"] for r in _pages(tagging, "get_resources", "ResourceTagMappingList", TagFilters=filters)}
    return _stable({"tagged": tagged, **_settings(emulator, prefix, tables)})


def snapshot_differences(before, after):
    """Which parts of two snapshots differ, with the first differing entry of each (readable, short)."""
    lines = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) == after.get(key):
            continue
        old, new = before.get(key), after.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            lines.append(f"{key}: {changed[:5]} differ")
        else:
            lines.append(f"{key}: {repr(old)[:300]} -> {repr(new)[:300]}")
    return lines
