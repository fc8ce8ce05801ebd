# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The end-of-run summary, assembled from what each role published as ``<role>_outputs``.

A role's outputs speak for themselves: a ``summary`` list of lines in them is printed as it is; otherwise the
formatter of that role below turns its outputs into lines. Lines come in layer order: the control host's network and
data roles, then each tier host's roles (its load balancer, distribution and runtime together), then the control
host's other roles and monitoring last. A new role adds its lines without any change to the summary playbook.
"""

from collections.abc import Mapping

# The roles in the order their lines come; a role not named here comes after the named ones of its phase.
ORDER = (
    "vpc",
    "security_groups",
    "dynamodb_global",
    "rds_postgres",
    "container_registry",
    "stores",
    "cognito",
    "bastion",
    "fargate_cluster",
    "alb",
    "static_site",
    "cloudfront",
    "dns",
    "asg_launch_template",
    "fargate",
    "monitoring",
)
# Phases: 0 network and data (control host), 1 the tiers (tier hosts, host by host), 2 other control-host roles,
# 3 monitoring.
PHASES = {"monitoring": 3}
SUFFIX = "_outputs"


def _vpc(o):
    lines = [f"VPC {o['vpc_id']} {o['cidr']} over {', '.join(o.get('azs', []))}"]
    for tier, subnets in (o.get("subnets") or {}).items():
        lines.append(f"  {tier} subnets: " + ", ".join(f"{s['id']} {s['cidr']}" for s in subnets))
    nats = [f"{nat} ({az})" for az, nat in (o.get("nat_gateways") or {}).items()]
    lines.append("NAT gateways: " + (", ".join(nats) or "none"))
    return lines


def _security_groups(o):
    return [f"Security group {name}: {group_id}" for name, group_id in (o.get("groups") or {}).items()]


def _bastion(o):
    if not o.get("instance_id"):
        return []
    ssh = o.get("ssh_command") or ""
    return [
        f"Bastion {o['instance_id']} (public {o.get('public_ip') or 'none'}): {o.get('ssm_command', '')}"
        + (f" or {ssh}" if ssh else "")
    ]


def _dynamodb_global(o):
    regions = [o["region"]] + [r for r in o.get("replicas", []) if r != o["region"]]
    return [f"DynamoDB table {o['table_name']} in {', '.join(regions)}"]


def _rds_postgres(o):
    return [
        f"RDS PostgreSQL {o['identifier']} {o['engine_version']} at {o['endpoint']}:{o['port']}/{o['db_name']}"
        + (" (Multi-AZ)" if o.get("multi_az") in (True, "true", "True") else "")
        + f", credentials in the secret {o['secret_name']}"
    ]


def _container_registry(o):
    repositories = o.get("repositories") or {}
    return [f"ECR repositories: {', '.join(sorted(repositories.values()))}"] if repositories else []


def _cognito(o):
    lines = []
    for pool in (o.get("user_pools") or {}).values():
        clients = ", ".join(f"{name} {client_id}" for name, client_id in sorted((pool.get("clients") or {}).items()))
        lines.append(f"Cognito user pool {pool.get('name', '')} {pool.get('id', '')} (issuer {pool.get('issuer', '')})"
                     + (f", app clients: {clients}" if clients else ""))
    return lines


def _alb(o):
    return [f"Tier {o['tier']}: {o['scheme']} ALB {o['url']}"] if o.get("url") else []


def _cloudfront(o):
    if not o.get("domain_name"):
        return []
    return [f"  CloudFront {o['id']} {o['url']} ({o['domain_name']}, {o['status']})"]


def _static_site(o):
    if not o.get("bucket"):
        return []
    api = f", {o['api']}" if o.get("api") else ""
    return [f"Tier {o['tier']}: static site {o['url']} (bucket {o['bucket']}, read by CloudFront only{api})"]


def _dns(o):
    kept = [f"  {line}" for line in o.get("kept") or []]  # certificates the domain no longer uses, still in use
    if o.get("static"):
        return [f"  https://{name} (via CloudFront, from the site bucket)" for name in o.get("names") or []] + kept
    if o.get("names"):
        via = "the ALB"
        if o.get("cloudfront"):
            via = f"CloudFront, then HTTPS to {o['origin']}" if o.get("origin_https") else "CloudFront, then HTTP to the ALB"
        return [f"  https://{name} (via {via})" for name in o["names"]] + kept
    if o.get("cloudfront"):
        return ["  CloudFront reaches the ALB over plain HTTP (no domain: the origin hop is not encrypted)"] + kept
    return kept


def _asg_launch_template(o):
    if not o.get("group_name"):
        return []
    return [
        f"  Auto Scaling group {o['group_name']} (launch template v{o['launch_template_version']}, {o['image_id']}, "
        f"logs {o['log_group']})"
    ]


def _fargate_cluster(o):
    return [f"ECS cluster {o['cluster']}"] if o.get("cluster") else []


def _fargate(o):
    if not o.get("service"):
        return []
    return [
        f"  ECS service {o['cluster']}/{o['service']} (task definition {o['task_definition_arn'].rsplit('/', 1)[-1]}, "
        f"{o['image']}, {o['desired_count']} tasks, logs {o['log_group']})"
    ]


def _lambda_function(o):
    return [
        f"Lambda function {f['function_name']} ({f['runtime']}, code {f.get('code_sha256') or '-'}, role "
        f"{str(f.get('role_arn', '')).rsplit('/', 1)[-1]})"
        for f in o.get("functions") or []
    ]


def _monitoring(o):
    line = f"Monitoring: {len(o.get('alarm_names') or [])} alarms to {o.get('topic_arn', '')}"
    if o.get("dashboard_url"):
        line += f", dashboard {o['dashboard_url']}"
    return [line]


FORMATTERS = {
    "vpc": _vpc,
    "security_groups": _security_groups,
    "bastion": _bastion,
    "dynamodb_global": _dynamodb_global,
    "rds_postgres": _rds_postgres,
    "container_registry": _container_registry,
    "cognito": _cognito,
    "alb": _alb,
    "static_site": _static_site,
    "cloudfront": _cloudfront,
    "dns": _dns,
    "asg_launch_template": _asg_launch_template,
    "fargate_cluster": _fargate_cluster,
    "fargate": _fargate,
    "lambda_function": _lambda_function,
    "monitoring": _monitoring,
}


def role_lines(role, outputs):
    """The summary lines of one role's outputs."""
    if not isinstance(outputs, Mapping) or not outputs:
        return []
    if isinstance(outputs.get("summary"), list):
        return [str(line) for line in outputs["summary"]]
    formatter = FORMATTERS.get(role)
    return formatter(outputs) if formatter else []


def _phase(role, tier_host):
    if tier_host:
        return 1
    if role in PHASES:
        return PHASES[role]
    return 0 if role in ORDER else 2


def stack_summary(hostvars, hosts, header=""):
    """header, then the summary lines of every host's ``*_outputs`` in layer order (see the module docstring).

    A host is a tier host when it has the variable ``atelier_tier`` (playbooks/tier_hosts.yml sets it)."""
    entries = []
    for index, host in enumerate(hosts):
        variables = hostvars[host]
        tier_host = "atelier_tier" in variables
        for name in variables:
            if not (isinstance(name, str) and name.endswith(SUFFIX)):
                continue
            role = name[: -len(SUFFIX)]
            rank = ORDER.index(role) if role in ORDER else len(ORDER)
            phase = _phase(role, tier_host)
            entries.append(((phase, index if phase == 1 else 0, rank, role), role, variables[name]))
    lines = [header] if header else []
    for _key, role, outputs in sorted(entries, key=lambda entry: entry[0]):
        lines.extend(role_lines(role, outputs))
    return lines


KEPT = "_kept"


def stack_kept(hostvars, hosts):
    """What a teardown kept and why: every ``<role>_kept`` list of the hosts (control host first), in role order."""
    entries = []
    for index, host in enumerate(hosts):
        variables = hostvars[host]
        for name in variables:
            if isinstance(name, str) and name.endswith(KEPT) and not name.startswith("_"):
                role = name[: -len(KEPT)]
                rank = ORDER.index(role) if role in ORDER else len(ORDER)
                entries.append(((index, rank, role), variables[name]))
    kept = []
    for _key, items in sorted(entries, key=lambda entry: entry[0]):
        kept.extend(str(item) for item in (items or []))
    return kept
