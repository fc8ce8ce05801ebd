# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The application tier specification: one table from which everything about a tier derives.

``SPEC`` below is the only place a tier key is declared. From it come:

* the defaults (``settings`` fills them in, nested dicts merged key by key);
* the role argument specs' tier options (``argument_spec``; tests/test_contract.py fails when a role's
  meta/argument_specs.yml differs, ``python -m plugins.module_utils.tier_spec --write`` regenerates them);
* the checks ``tier_errors`` makes that an argument spec cannot express (ranges, patterns, cross-field rules);
* docs/tiers.md's key table (``markdown``) and the AWX survey limits (``OVERRIDES``), both compared by tests.

Types, choices and required keys are the argument spec's job (Ansible's role argument validation, and
``ansible.builtin.validate_argument_spec`` in playbooks/tier_hosts.yml): ``tier_errors`` skips a value of the wrong
type instead of reporting it twice.

Pure Python (no boto3), so it stays cheap inside every templating call.
"""

import os
import re
from collections.abc import Mapping
from collections.abc import Sequence

from ansible_collections.atelier.infra.plugins.module_utils import grants

AL2023_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
# The runtimes a tier may run on, each converged by one role (docs/architecture.md, "Tier runtimes"): ec2, a launch
# template and an Auto Scaling group (asg_launch_template); fargate, an ECS service on Fargate (fargate). The keys
# that apply to one runtime only say so (runtimes=[...]); _fargate_errors checks the rules of a Fargate tier. static, a
# private S3 bucket behind CloudFront (static_site), has no ALB and no container: the keys of those are for SERVED only.
FARGATE = "fargate"
STATIC = "static"
RUNTIMES = {"ec2": "asg_launch_template", FARGATE: "fargate", STATIC: "static_site"}
# The runtimes that run a container behind the tier's load balancer.
SERVED = ["ec2", FARGATE]
# Task CPU units -> the memory sizes (MiB) Fargate runs with it
# (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
FARGATE_SIZES = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4096 + 1, 1024)),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
}

NAME = re.compile(r"^[a-z][a-z0-9-]{0,19}$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SECRET_ARN = re.compile(r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:")
SECRET_REF = re.compile(r"^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]+(:[A-Za-z0-9_.-]+)?$")
CERTIFICATE_ARN = re.compile(
    r"^arn:aws[a-z-]*:(acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]{36}|iam::\d{12}:server-certificate/[\w+=,.@/-]+)$"
)
MATCHER = re.compile(r"^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$")
INSTANCE_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9-]+$")
AMI_ID = re.compile(r"^ami-[0-9a-f]{8,17}$")
IMAGE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/:@-]*$")
IMAGE_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
HEALTH_PATH = re.compile(r"^/.{0,1023}$")
SSM_PATH = re.compile(r"^/")
# A DNS name as ACM and Route 53 take it: labels of letters, digits and hyphens (at most 63 characters, no hyphen at
# either end), an optional leading wildcard label, at most 253 characters; a trailing dot is ignored.
DNS_NAME = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
# ACM's default quota of names in one certificate (domain + subject alternative names).
DOMAIN_NAMES_MAX = 10
# The label in front of the tier's first name that CloudFront reaches the ALB by (https-only, the regional
# certificate covers it).
ORIGIN_LABEL = "origin"


def _f(type_, description, default=None, **more):
    """One key of the specification. ``default`` None with ``derived`` set: computed by settings()."""
    field = {"type": type_, "description": description, "default": default}
    field.update(more)
    return field


BEHAVIOR = {
    "path_pattern": _f(
        "str",
        "The request path the behaviour applies to, such as C(/api/*); starts with C(/) or C(*), unique. "
        "Required in O(distribution.behaviors), not allowed in O(distribution.default_behavior).",
        behaviors_only=True,
        required=True,
    ),
    "viewer_protocol_policy": _f(
        "str", "How viewers may connect.", "redirect-to-https", choices=["redirect-to-https", "https-only", "allow-all"]
    ),
    "allowed_methods": _f(
        "list",
        "C([GET, HEAD]), C([GET, HEAD, OPTIONS]) or all seven (C(GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE)).",
        ["GET", "HEAD", "OPTIONS"],
        elements="str",
    ),
    "cached_methods": _f(
        "list", "C([GET, HEAD]) or C([GET, HEAD, OPTIONS]), within O(allowed_methods).", ["GET", "HEAD"], elements="str"
    ),
    "compress": _f("bool", "CloudFront compresses the responses it can.", True),
    "cache_policy": _f(
        "str",
        "A managed cache policy by name (C(Managed-CachingOptimized), C(Managed-CachingDisabled), ...), a custom one "
        "by name (C(cloudfront_policies) of the cloudfront role) or a policy ID.",
        "Managed-CachingOptimized",
    ),
    "origin_request_policy": _f(
        "str", "An origin request policy the same way (C(Managed-AllViewerExceptHostHeader), ...); empty means none.", ""
    ),
}

GRANT = {
    "kind": _f(
        "str",
        "What is granted: a DynamoDB table, an S3 bucket, a Secrets Manager secret, an SQS queue, an SNS topic or a "
        "KMS key of the stack.",
        required=True,
        choices=["dynamodb_table", "s3_bucket", "secret", "sqs_queue", "sns_topic", "kms_key"],
    ),
    "name": _f(
        "str",
        "The resource's logical name in the stack: its name without the stack's prefix (C(AtelierDB) for the table "
        "C(<prefix>-AtelierDB), C(db-credentials) for the secret C(<prefix>-db-credentials), the alias without "
        "C(alias/<prefix>-) for a KMS key).",
        required=True,
    ),
    "access": _f(
        "str",
        "C(read), C(write) or C(read_write) (a secret is read only, a topic write only).",
        "read",
        choices=["read", "write", "read_write"],
    ),
    "indexes": _f("bool", "A table's global secondary indexes may be queried too (with read access).", True),
    "streams": _f("bool", "A table's stream may be read too.", False),
    "prefix": _f("str", "An S3 bucket's key prefix the grant is limited to (C(uploads/)); empty means the whole bucket.", ""),
    "env": _f(
        "str",
        "The container variable that gets the resource's name (a queue's URL, a topic's ARN).",
        derived="C(DYNAMODB_TABLE), C(S3_BUCKET), C(SQS_QUEUE_URL) or C(SNS_TOPIC_ARN) by kind; none for a secret or "
        "a key",
    ),
}

SPEC = {
    "name": _f(
        "str",
        "The tier's name, in every resource name and the C(atelier:tier) tag: lowercase letters, digits and "
        "hyphens, starting with a letter, at most 20 characters.",
        required=True,
        pattern=NAME,
        pattern_help="lowercase letters, digits and hyphens, starting with a letter, at most 20 characters",
    ),
    "runtime": _f(
        "str",
        "What runs the tier's application: C(ec2), a launch template and an Auto Scaling group of instances running "
        "the container (role C(asg_launch_template)), C(fargate), an ECS service on Fargate in the stack's cluster (role "
        "C(fargate)), or C(static), a private S3 bucket served by CloudFront through origin access control (role "
        "C(static_site), settings in O(static)). Everything else of an C(ec2) or C(fargate) tier (security groups, "
        "load balancer, distribution, alarms) is the same whatever the runtime; a C(static) tier has no load "
        "balancer, security group or alarms.",
        "ec2",
        choices=sorted(RUNTIMES),
    ),
    "app_port": _f(
        "int",
        "The port the container listens on: the target group's port, published on the instance, C(PORT) in the "
        "container. Required by the C(ec2) and C(fargate) runtimes.",
        None,
        min=1,
        max=65535,
        runtimes=SERVED,
    ),
    "subnets": _f(
        "str",
        "The subnet tier (subnets tagged C(atelier:tier)) the application runs in, one subnet per AZ.",
        derived="the tier's O(name)",
    ),
    "alb_scheme": _f("str", "The load balancer's scheme.", "internet-facing", choices=["internet-facing", "internal"]),
    "alb_subnets": _f(
        "str",
        "The subnet tier of the load balancer.",
        derived="C(public) when O(alb_scheme) is C(internet-facing), else O(subnets)",
    ),
    "alb_ports": _f(
        "list",
        "The ports the load balancer's security group admits: from the internet, from CloudFront's origin-facing "
        "ranges when O(cloudfront), or from the O(clients)' instances when O(alb_scheme) is C(internal). The "
        "listeners are HTTP 80, plus HTTPS 443 when O(certificate_arn) is set.",
        [80, 443],
        elements="int",
        min=1,
        max=65535,
    ),
    "clients": _f(
        "list",
        "The other tiers that call this tier: an internal load balancer admits their instances, and each gets this "
        "tier's C(<TIER>_URL) in its environment.",
        [],
        elements="str",
    ),
    "cloudfront": _f(
        "bool",
        "CloudFront fronts the load balancer: its security group admits only CloudFront's origin-facing prefix "
        "list, and its listener answers 403 unless the request carries the secret origin header. The tier gets a "
        "distribution (O(distribution)).",
        False,
    ),
    "certificate_arn": _f(
        "str",
        "ACM (or IAM server) certificate of an HTTPS listener on 443, port 80 then redirecting to it; empty means "
        "one HTTP listener on 80. With O(cloudfront) it also decides how CloudFront reaches the load balancer.",
        "",
        pattern=CERTIFICATE_ARN,
        pattern_help="an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>) or an IAM server certificate ARN",
    ),
    "domain": _f(
        "dict",
        "The tier's names in an existing public Route 53 hosted zone (role C(dns), docs/dns-and-tls.md): ACM "
        "certificates with DNS validation (us-east-1 for CloudFront, the stack's region for the ALB), alias records, "
        "the distribution's aliases, the ALB's HTTPS listener and, with O(cloudfront), CloudFront reaching the ALB "
        "C(https-only) at C(origin.<first name>). Leave O(certificate_arn), O(distribution.certificate_arn) and "
        "O(distribution.aliases) empty: the domain sets them. Unset: no name, no certificate, as before.",
        {},
        options={
            "zone": _f(
                "str", "The public hosted zone the names are in, such as C(example.com); it must exist.", required=True
            ),
            "names": _f(
                "list",
                "The tier's names, in O(domain.zone), at most 10: the first is the certificate's domain, the others "
                "its subject alternative names; all are the distribution's aliases (or the ALB's names without "
                "O(cloudfront)).",
                required=True,
                elements="str",
            ),
        },
    ),
    "health_check": _f(
        "dict",
        "The target group's health check, merged key by key with the defaults.",
        {},
        options={
            "path": _f(
                "str", "Path of the health check request.", "/", pattern=HEALTH_PATH,
                pattern_help="a path starting with / (for example /health), at most 1024 characters",
            ),
            "interval": _f("int", "Seconds between checks.", 30, min=5, max=300),
            "timeout": _f("int", "Seconds before a check fails; less than O(health_check.interval).", 5, min=2, max=120),
            "healthy_threshold": _f("int", "Successes before a target is healthy.", 2, min=2, max=10),
            "unhealthy_threshold": _f("int", "Failures before a target is unhealthy.", 3, min=2, max=10),
            "matcher": _f(
                "str", "HTTP codes that mean healthy.", "200-399", pattern=MATCHER,
                pattern_help="HTTP codes 200-499 such as 200 or 200-399 or 200,302",
            ),
        },
    ),
    "deregistration_delay": _f("int", "Seconds the target group drains a deregistering target.", 30, min=0, max=3600),
    "stickiness_seconds": _f("int", "Load-balancer cookie stickiness duration; C(0) means off.", 0, min=0, max=604800),
    "image": _f(
        "str",
        "The container image. Without a registry host it is a repository of the stack's ECR registry (see Images "
        "in docs/tiers.md). Required by the C(ec2) runtime.",
        "",
        pattern=IMAGE,
        pattern_help="a container image reference (repository[:tag] or a registry URI)",
    ),
    "environment": _f("dict", "Variables of the container, C(NAME: value).", {}),
    "secrets": _f(
        "dict",
        "Variables of the container read from Secrets Manager at start, C(NAME: <secret name>[:<json key>]) or a "
        "secret ARN (see Secrets in docs/tiers.md).",
        {},
    ),
    "grants": _f(
        "list",
        "What the tier's application may use in the stack, by logical name: one least-privilege policy on the tier's "
        "role with exact ARNs (every region of a table), and the resources' names in its container's environment "
        "(see Grants in docs/tiers.md). A grant of something the stack does not create fails before any AWS call.",
        [],
        elements="dict",
        options=GRANT,
    ),
    "tracing": _f(
        "bool",
        "The application sends traces to AWS X-Ray: the tier's role may put trace segments and telemetry and read the "
        "sampling rules (X-Ray has no resource-level permissions for these: C(Resource *), no data of the stack).",
        False,
        runtimes=["ec2", FARGATE],
    ),
    "container_imds": _f(
        "bool",
        "Let the container reach the instance metadata service (IMDSv2 hop limit 2 instead of 1; IMDSv2 is always "
        "required).",
        False,
        runtimes=["ec2"],
    ),
    "instance_type": _f(
        "str", "EC2 instance type.", "t3.micro", pattern=INSTANCE_TYPE,
        pattern_help="an EC2 instance type such as t3.micro", runtimes=["ec2"], overridable=True,
    ),
    "ami_id": _f(
        "str", "The AMI; empty means the AMI id in O(ami_ssm_parameter), read at each run.", "", pattern=AMI_ID,
        pattern_help="an AMI id (ami-0123456789abcdef0)", runtimes=["ec2"],
    ),
    "ami_ssm_parameter": _f(
        "str", "SSM parameter holding the AMI id when O(ami_id) is empty (latest Amazon Linux 2023).",
        AL2023_PARAMETER, pattern=SSM_PATH, pattern_help="an SSM parameter path starting with /", runtimes=["ec2"],
    ),
    "root_volume_size": _f("int", "GiB of the encrypted gp3 root volume.", 20, min=1, max=16384, runtimes=["ec2"]),
    "root_device_name": _f("str", "Device name of the root volume.", "/dev/xvda", runtimes=["ec2"]),
    "min_size": _f("int", "Minimum number of instances.", 2, min=0, max=10000, overridable=True),
    "desired_capacity": _f(
        "int",
        "Capacity when the group is created; afterwards scaling owns it (it is only moved back into "
        "O(min_size)..O(max_size)).",
        2,
        min=0,
        max=10000,
        overridable=True,
    ),
    "max_size": _f("int", "Maximum number of instances.", 4, min=1, max=10000, overridable=True),
    "health_check_type": _f(
        "str", "C(ELB) (the target group's health check replaces failing instances) or C(EC2).", "ELB",
        choices=["EC2", "ELB"], runtimes=["ec2"],
    ),
    "health_check_grace_period": _f(
        "int",
        "Seconds after launch before the instance's (C(ec2)) or the task's (C(fargate): the service ignores failing "
        "load-balancer health checks that long; the container health check's start period, at most 300) health is "
        "checked.",
        300,
        min=0,
        max=7200,
    ),
    "scaling": _f(
        "dict",
        "How the tier scales on CPU, merged key by key with the defaults. Policies of the other kinds are removed.",
        {},
        options={
            "policy": _f(
                "str",
                "C(target_tracking) (average CPU at O(scaling.cpu_target)), C(step) (+1 above O(scaling.scale_out_cpu) "
                "for one 5-minute period, -1 below O(scaling.scale_in_cpu) for two) or C(none).",
                "target_tracking",
                choices=["target_tracking", "step", "none"],
            ),
            "cpu_target": _f("int", "Target average CPU % of C(target_tracking).", 70, min=1, max=100),
            "scale_out_cpu": _f("int", "CPU % above which C(step) adds an instance.", 70, min=1, max=100),
            "scale_in_cpu": _f(
                "int", "CPU % below which C(step) removes an instance; below O(scaling.scale_out_cpu).", 30, min=0, max=99
            ),
            "cooldown": _f("int", "The group's default cooldown and the policies' warm-up, in seconds.", 300, min=0, max=86400),
            "memory_target": _f(
                "int", "Target average memory % of a second target tracking policy; C(0) means none.", 0, min=0, max=100,
                runtimes=[FARGATE],
            ),
            "requests_per_target": _f(
                "int", "Target request count per task (the ALB's C(ALBRequestCountPerTarget)) of a third target "
                "tracking policy; C(0) means none.", 0, min=0, max=1000000, runtimes=[FARGATE],
            ),
        },
    ),
    "cpu": _f(
        "int", "The task's CPU units, with O(memory) one of the task sizes Fargate runs (see O(memory)).",
        256, choices=sorted(FARGATE_SIZES), runtimes=[FARGATE],
    ),
    "memory": _f(
        "int", "The task's memory in MiB, a size Fargate runs with O(cpu) (256: 512-2048; 512: 1024-4096; 1024: "
        "2048-8192; 2048: 4096-16384; 4096: 8192-30720, in 1024 steps; 8192: 16384-61440 in 4096 steps; 16384: "
        "32768-122880 in 8192 steps).",
        512, min=512, max=122880, runtimes=[FARGATE],
    ),
    "cpu_architecture": _f(
        "str", "The task's CPU architecture (C(ARM64): Graviton; the image must be built for it).", "X86_64",
        choices=["X86_64", "ARM64"], runtimes=[FARGATE],
    ),
    "read_only_root_filesystem": _f(
        "bool", "The container's root filesystem is read-only (it writes to volumes or not at all).", False,
        runtimes=[FARGATE],
    ),
    "capacity_provider_strategy": _f(
        "dict",
        "How the service's tasks are spread over C(FARGATE) (on demand) and C(FARGATE_SPOT) (interruptible): the first "
        "O(capacity_provider_strategy.fargate_base) tasks on demand, the rest in the ratio of the weights.",
        {},
        runtimes=[FARGATE],
        options={
            "fargate_base": _f("int", "Tasks always run on demand (C(FARGATE)) before the weights apply.", 0, min=0, max=100000),
            "fargate_weight": _f("int", "Relative share of C(FARGATE) beyond the base.", 1, min=0, max=1000),
            "spot_weight": _f(
                "int", "Relative share of C(FARGATE_SPOT) beyond the base; in C(prod) it needs a "
                "O(capacity_provider_strategy.fargate_base) of 1 or more.", 0, min=0, max=1000,
            ),
        },
    ),
    "deployment": _f(
        "dict",
        "How the service replaces its tasks, merged key by key with the defaults.",
        {},
        runtimes=[FARGATE],
        options={
            "minimum_healthy_percent": _f(
                "int", "Running tasks kept during a deployment, in % of the desired count.", 100, min=0, max=100
            ),
            "maximum_percent": _f(
                "int", "Tasks allowed during a deployment, in % of the desired count; above "
                "O(deployment.minimum_healthy_percent).", 200, min=100, max=200,
            ),
            "circuit_breaker": _f("bool", "A deployment whose tasks keep failing to start is stopped.", True),
            "rollback": _f(
                "bool", "A stopped deployment rolls back to the last one that completed (needs "
                "O(deployment.circuit_breaker)).", True,
            ),
        },
    ),
    "enable_execute_command": _f(
        "bool", "ECS Exec: operators may open a shell in a running task (C(aws ecs execute-command)).", False,
        runtimes=[FARGATE],
    ),
    "revisions_kept": _f(
        "int", "Task definition revisions kept, the running one included; older ones are deregistered. C(0) keeps "
        "every revision.", 5, min=0, max=1000, runtimes=[FARGATE],
    ),
    "static": _f(
        "dict",
        "The site of a C(static) tier (role C(static_site), docs/tiers.md \"Static tiers\"), merged key by key: a "
        "private S3 bucket C(<prefix>-<tier>-site) (public access blocked, SSE, versioning, TLS only) that only the "
        "tier's distribution may read, through origin access control.",
        {},
        runtimes=[STATIC],
        options={
            "site_dir": _f(
                "str",
                "The directory whose files the bucket serves (absolute, or relative to the directory ansible-playbook "
                "runs in): each file uploaded with its content type and cache control, a file removed from it deleted "
                "from the bucket, and one CloudFront invalidation of what changed. Empty: the bucket's objects are "
                "not managed.",
                "",
            ),
            "root_object": _f("str", "The object CloudFront answers C(/) with.", "index.html"),
            "error_codes": _f(
                "list",
                "The origin's errors answered with O(static.error_page) (a single-page application's routes: a "
                "missing object of a private bucket is a 403 through origin access control); C([]) means none.",
                [403, 404],
                elements="int",
                min=400,
                max=599,
            ),
            "error_page": _f("str", "The page those errors are answered with.", "/index.html", pattern=HEALTH_PATH,
                             pattern_help="a path starting with /"),
            "error_response_code": _f("int", "The status of that answer.", 200, min=200, max=599),
            "security_headers": _f(
                "bool",
                "Every answer carries the headers of CloudFront's managed C(SecurityHeadersPolicy) (HSTS, "
                "X-Content-Type-Options, X-Frame-Options, Referrer-Policy, X-XSS-Protection).",
                True,
            ),
            "cache_control": _f(
                "list",
                "C(Cache-Control) of the uploaded files: the first rule whose glob C(pattern) matches the key (or its "
                "file name) gives the C(value).",
                [
                    {"pattern": "index.html", "value": "no-cache"},
                    {"pattern": "assets/*", "value": "public, max-age=31536000, immutable"},
                ],
                elements="dict",
            ),
            "default_cache_control": _f("str", "C(Cache-Control) of the files no rule matches.", "public, max-age=300"),
            "noncurrent_days": _f(
                "int", "Days a replaced or deleted file's old version is kept before it expires.", 30, min=1, max=36500
            ),
            "api": _f(
                "dict",
                "Requests under O(static.api.path_pattern) go, through the same distribution, to another tier's load "
                "balancer (with that tier's secret origin header, C(https-only) when it has a domain): the frontend "
                "reaches its backend without CORS. Empty O(static.api.tier): no such route.",
                {},
                options={
                    "tier": _f("str", "The tier (not a C(static) one) the requests go to.", ""),
                    "path_pattern": _f("str", "The requests that go to it.", "/api/*"),
                },
            ),
        },
    ),
    "distribution": _f(
        "dict",
        "The tier's CloudFront distribution, used only when O(cloudfront) is true or the runtime is C(static); merged "
        "key by key.",
        {},
        options={
            "price_class": _f(
                "str", "The edge locations used.", "PriceClass_100",
                choices=["PriceClass_100", "PriceClass_200", "PriceClass_All"],
            ),
            "aliases": _f(
                "list", "Alternate domain names (CNAMEs); they need O(distribution.certificate_arn).", [], elements="str"
            ),
            "certificate_arn": _f(
                "str",
                "The viewer certificate: an ACM certificate in us-east-1 covering every alias. Empty means CloudFront's "
                "default certificate.",
                "",
            ),
            "minimum_protocol_version": _f(
                "str", "Lowest TLS version viewers may use with a certificate.", "TLSv1.2_2021",
                choices=["TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.3_2025"],
            ),
            "web_acl_id": _f("str", "AWS WAF web ACL (its ARN for WAFv2); empty means none.", ""),
            "logging_bucket": _f("str", "S3 bucket of the standard access logs; empty means off.", ""),
            "logging_prefix": _f("str", "Key prefix of the access logs.", ""),
            "default_behavior": _f(
                "dict", "The default cache behaviour (C(*)): the behaviour keys except C(path_pattern).", {},
                options={k: v for k, v in BEHAVIOR.items() if not v.get("behaviors_only")},
            ),
            "behaviors": _f(
                "list", "Further cache behaviours, in precedence order, each with a C(path_pattern).", [],
                elements="dict", options=BEHAVIOR,
            ),
        },
    ),
}

# What a static tier has none of: a container, a load balancer, a security group, instances or tasks to scale.
for _key in (
    "app_port", "subnets", "alb_scheme", "alb_subnets", "alb_ports", "clients", "cloudfront", "certificate_arn",
    "health_check", "deregistration_delay", "stickiness_seconds", "image", "environment", "secrets", "grants",
    "min_size", "desired_capacity", "max_size", "health_check_grace_period", "scaling",
):
    SPEC[_key].setdefault("runtimes", SERVED)

# The keys an operator may override per run (atelier_tier_overrides, e.g. from an AWX survey): the overridable keys
# of SPEC, and image_tag, which replaces the tag of the tier's image. Each with the limits a survey offers.
OVERRIDES = {key: field for key, field in SPEC.items() if field.get("overridable")}
OVERRIDES["image"] = SPEC["image"]
OVERRIDES["image_tag"] = _f("str", "Replaces the tag of the tier's image.", "", min_length=1, max_length=128)
OVERRIDABLE = tuple(sorted(OVERRIDES))


# ---- values -------------------------------------------------------------------------------------------------------


def plain(value):
    """A copy of value made of plain dicts and lists.

    Not copy.deepcopy: on ansible-core 2.19 a filter's input is a lazy-templating container whose deep copy copies
    the templar and its variables with it (one call took seconds; a whole site.yml minutes).
    """
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return [plain(item) for item in value]
    return value


def as_int(value):
    """value as an int the way Ansible's argument spec converts it (an int, or a string of digits), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.match(r"^-?\d+$", value.strip()):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def as_bool(value):
    """value as a bool the way Ansible's argument spec converts it, else None."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "on", "1", "true", "y", "t"):
        return True
    if text in ("no", "off", "0", "false", "n", "f"):
        return False
    return None


def _coerce(field, value):
    """value converted to the field's type where Ansible's argument spec would convert it; else unchanged."""
    kind = field["type"]
    if kind == "int":
        number = as_int(value)
        return value if number is None else number
    if kind == "bool":
        flag = as_bool(value)
        return value if flag is None else flag
    if kind == "list" and isinstance(value, str):
        value = [item.strip() for item in value.split(",")] if value else []  # what Ansible's list type does
    if kind == "list" and isinstance(value, list):
        if field.get("options"):
            return [_fill(field["options"], v) if isinstance(v, Mapping) else v for v in value]
        if field.get("elements") == "int":
            return [_coerce({"type": "int"}, v) for v in value]
    return value


def _fill(spec, value):
    """value (a dict) with every default of spec filled in, nested dicts merged key by key, types converted."""
    result = {}
    for key, field in spec.items():
        if field.get("behaviors_only") and key not in value:
            continue
        if key in value and value[key] is not None:  # None means unset, as in an argument spec
            item = plain(value[key])
            if field["type"] == "dict" and field.get("options") and isinstance(item, Mapping):
                item = _fill(field["options"], item)
            result[key] = _coerce(field, item)
        elif field["type"] == "dict" and field.get("options"):
            result[key] = _fill(field["options"], {})
        else:
            result[key] = plain(field["default"])
    for key in value:  # unknown keys are kept: the argument spec refuses them
        if key not in result:
            result[key] = plain(value[key])
    return result


def settings(tier):
    """The tier with every default filled in and the derived keys computed."""
    result = _fill(SPEC, tier)
    if not result.get("subnets"):
        result["subnets"] = result.get("name")
    if not result.get("alb_subnets"):
        result["alb_subnets"] = "public" if result["alb_scheme"] == "internet-facing" else result["subnets"]
    return result


def defaults():
    """Every key with its default (derived keys None)."""
    return {key: (None if field.get("derived") or field.get("required") else plain(field["default"])) for key, field in SPEC.items()}


# ---- argument spec ------------------------------------------------------------------------------------------------


def _argument_option(field):
    option = {"type": field["type"]}
    if field.get("elements"):
        option["elements"] = field["elements"]
    if field.get("required"):
        option["required"] = True
    elif not field.get("derived") and not field.get("options") and field["default"] is not None:
        option["default"] = plain(field["default"])
    if field.get("choices"):
        option["choices"] = list(field["choices"])
    option["description"] = field["description"] + (f" Defaults to {field['derived']}." if field.get("derived") else "")
    if field.get("options"):
        option["options"] = {key: _argument_option(sub) for key, sub in field["options"].items()}
    return option


def argument_spec():
    """The tier's options as a role argument spec (the ``options`` of a C(type: dict) tier option)."""
    return {key: _argument_option(field) for key, field in SPEC.items()}


# ---- checks the argument spec cannot make ------------------------------------------------------------------------


def _check_field(errors, where, key, field, value):
    """Range, length and pattern of one value of the right type (a wrong type is the argument spec's to report)."""
    label = f"{where}: {key}"
    if field["type"] == "int":
        number = as_int(value)
        if number is not None and ("min" in field or "max" in field) and not field["min"] <= number <= field["max"]:
            errors.append(f"{label} must be an integer between {field['min']} and {field['max']}, got {value!r}")
    elif field["type"] == "str":
        if isinstance(value, (Mapping, list)):
            # Ansible's argument spec turns a list or dict into its string form without a word.
            errors.append(f"{label} must be a string, got {value!r}")
        elif isinstance(value, str) and value and field.get("pattern") and not field["pattern"].match(value):
            errors.append(f"{label} {value!r} is not {field['pattern_help']}")
    elif field["type"] == "list" and isinstance(value, list):
        if field.get("elements") == "int" and "min" in field:
            for item in value:
                number = as_int(item)
                if number is not None and not field["min"] <= number <= field["max"]:
                    errors.append(f"{label} entry must be an integer between {field['min']} and {field['max']}, got {item!r}")
    if field.get("options") and field["type"] == "dict" and isinstance(value, Mapping):
        for sub, subfield in field["options"].items():
            if sub in value:
                _check_field(errors, where, f"{key}.{sub}", subfield, value[sub])


def _health_check_errors(errors, where, check):
    if not isinstance(check, Mapping):
        return
    interval, timeout = as_int(check.get("interval")), as_int(check.get("timeout"))
    if interval is not None and timeout is not None and timeout >= interval:
        errors.append(f"{where}: health_check timeout ({timeout}) must be less than its interval ({interval})")
    codes = [int(c) for c in re.findall(r"\d{3}", str(check.get("matcher", "")))]
    if any(c < 200 or c > 499 for c in codes):
        errors.append(f"{where}: health_check matcher codes must be between 200 and 499, got {check.get('matcher')!r}")


def _scaling_errors(errors, where, scaling):
    if not isinstance(scaling, Mapping):
        return
    out, in_ = as_int(scaling.get("scale_out_cpu")), as_int(scaling.get("scale_in_cpu"))
    if out is not None and in_ is not None and in_ >= out:
        errors.append(f"{where}: scaling scale_in_cpu ({in_}) must be below scale_out_cpu ({out})")


def _capacity_errors(errors, where, t):
    low, desired, high = as_int(t.get("min_size")), as_int(t.get("desired_capacity")), as_int(t.get("max_size"))
    if None not in (low, desired, high) and not low <= desired <= high:
        errors.append(
            f"{where}: capacity must satisfy min_size <= desired_capacity <= max_size, got {low} <= {desired} <= {high}"
        )


def _container_errors(errors, where, t):
    for what in ("environment", "secrets"):
        values = t.get(what)
        if not isinstance(values, Mapping):
            continue
        for key, value in values.items():
            if not ENV_NAME.match(str(key)):
                errors.append(f"{where}: {what} variable name {key!r} is not a valid environment variable name")
            if what == "secrets" and (not isinstance(value, str) or not SECRET_REF.match(value)):
                errors.append(f"{where}: secret {key} must name a Secrets Manager secret (name, name:json_key or ARN), got {value!r}")
            if what == "environment" and isinstance(value, (Mapping, list)):
                errors.append(f"{where}: environment variable {key} must be a string or number, got {value!r}")
    if isinstance(t.get("environment"), Mapping) and isinstance(t.get("secrets"), Mapping):
        overlap = sorted(set(t["environment"]) & set(t["secrets"]))
        if overlap:
            errors.append(f"{where}: {', '.join(overlap)} set both in environment and secrets")


def _subnet_errors(errors, where, t, subnet_tiers):
    if subnet_tiers is None or not isinstance(t.get("subnets"), str) or not isinstance(t.get("alb_subnets"), str):
        return
    types = {s.get("name"): s.get("type") for s in subnet_tiers if isinstance(s, Mapping)}
    known = ", ".join(map(str, types))
    if t["subnets"] not in types:
        errors.append(f"{where}: subnets {t['subnets']!r} is not a subnet tier of the VPC ({known})")
    elif types[t["subnets"]] == "public":
        errors.append(f"{where}: subnets {t['subnets']!r} is public; the application runs in private subnets without public IPs")
    if t["alb_subnets"] not in types:
        errors.append(f"{where}: alb_subnets {t['alb_subnets']!r} is not a subnet tier of the VPC ({known})")
    elif t.get("alb_scheme") == "internet-facing" and types[t["alb_subnets"]] != "public":
        errors.append(f"{where}: an internet-facing ALB needs public subnets, {t['alb_subnets']!r} is {types[t['alb_subnets']]}")


def _bucket_domain(bucket):
    bucket = str(bucket)
    return bucket if bucket.endswith(".s3.amazonaws.com") else f"{bucket}.s3.amazonaws.com"


def distribution_options(tier, name, origin_domain="", origin_https=None):
    """The atelier.infra.cloudfront_distribution options of the tier's distribution, origin headers aside.

    One origin, ``alb``: origin_domain (the tier's ALB), over HTTPS when the tier's ALB has a certificate
    (origin_https overrides), else HTTP. Every behaviour forwards to it.
    """
    t = settings(tier)
    d = t["distribution"]
    https = bool(t["certificate_arn"]) if origin_https is None else bool(origin_https)

    def behavior(b):
        result = {
            "origin_id": "alb",
            "viewer_protocol_policy": b["viewer_protocol_policy"],
            "allowed_methods": list(b["allowed_methods"]),
            "cached_methods": list(b["cached_methods"]),
            "compress": b["compress"],
            "cache_policy": b["cache_policy"],
            "origin_request_policy": b["origin_request_policy"] or None,
            "response_headers_policy_id": None,
        }
        if "path_pattern" in b:
            result["path_pattern"] = b["path_pattern"]
        return result

    return {
        "name": name,
        "origins": [{"id": "alb", "domain_name": origin_domain, "protocol_policy": "https-only" if https else "http-only"}],
        "default_behavior": behavior(d["default_behavior"]),
        "behaviors": [behavior(b) for b in d["behaviors"] if isinstance(b, Mapping)],
        "aliases": list(d["aliases"]),
        "certificate_arn": d["certificate_arn"] or None,
        "minimum_protocol_version": d["minimum_protocol_version"],
        "price_class": d["price_class"],
        "web_acl_id": d["web_acl_id"] or None,
        "logging": {"bucket": _bucket_domain(d["logging_bucket"]), "prefix": d["logging_prefix"], "include_cookies": False}
        if d["logging_bucket"]
        else None,
    }


def _distribution_errors(errors, where, tier, distribution_checks):
    d = tier.get("distribution")
    if not isinstance(d, Mapping) or not isinstance(d.get("default_behavior"), Mapping) or not isinstance(d.get("behaviors"), list):
        return
    if not all(isinstance(b, Mapping) and "path_pattern" in b for b in d["behaviors"]):
        return
    if not isinstance(d.get("aliases"), list) or distribution_checks is None:
        return
    try:
        options = distribution_options(tier, "check", "origin.example")
    except (KeyError, TypeError, AttributeError):
        return  # a malformed value the argument spec reports
    for message in distribution_checks(options):
        errors.append(f"{where}: distribution: {message}")


def dns_name(name):
    """name as compared in DNS: lowercase, without surrounding blanks or a trailing dot."""
    return str(name).strip().rstrip(".").lower()


def in_zone(name, zone):
    """Whether name is zone or a name below it."""
    name, zone = dns_name(name), dns_name(zone)
    return name == zone or name.endswith("." + zone)


def has_domain(tier):
    """Whether the tier (settings filled in or not) declares a domain."""
    domain = tier.get("domain") if isinstance(tier, Mapping) else None
    return isinstance(domain, Mapping) and bool(domain.get("zone") or domain.get("names"))


def at_the_edge(tier):
    """Whether the tier's names are its CloudFront distribution's (with settings filled in): C(cloudfront: true), or a
    static tier (a distribution and no load balancer)."""
    return tier.get("runtime") == STATIC or tier.get("cloudfront") is True


def origin_name(tier):
    """The name CloudFront reaches the tier's ALB by: C(origin.<first name>) (empty without a domain)."""
    t = settings(tier)
    return f"{ORIGIN_LABEL}.{dns_name(t['domain']['names'][0])}" if has_domain(t) and t["domain"]["names"] else ""


def _domain_errors(errors, where, t):
    """The rules of a tier's domain: valid names inside the zone, at most 10, none twice, and no certificate or alias
    set by hand beside it (the domain sets them: two sources for one listener are ambiguous)."""
    if not has_domain(t):
        return
    domain = t["domain"]
    zone, names = domain.get("zone"), domain.get("names")
    if not isinstance(zone, str) or not isinstance(names, list):
        return  # the argument spec reports the type
    if not DNS_NAME.match(dns_name(zone)) or dns_name(zone).startswith("*."):
        errors.append(f"{where}: domain.zone {zone!r} is not a DNS name such as example.com")
        return
    if not names:
        errors.append(f"{where}: domain.names needs at least one name in {dns_name(zone)}")
    if len(names) > DOMAIN_NAMES_MAX:
        errors.append(
            f"{where}: domain.names has {len(names)} names; a certificate holds at most {DOMAIN_NAMES_MAX} (ACM's quota)"
        )
    seen = set()
    for name in names:
        if not isinstance(name, str) or not DNS_NAME.match(dns_name(name)) or len(dns_name(name)) > 253:
            errors.append(f"{where}: domain.names entry {name!r} is not a DNS name such as app.{dns_name(zone)}")
        elif not in_zone(name, zone):
            errors.append(f"{where}: domain.names entry {name!r} is outside the zone {dns_name(zone)}")
        elif dns_name(name) in seen:
            errors.append(f"{where}: domain.names lists {dns_name(name)} twice")
        seen.add(dns_name(name))
    first = names[0] if names and isinstance(names[0], str) else ""
    if t.get("cloudfront") is True and first and dns_name(first).startswith("*."):
        errors.append(
            f"{where}: domain.names starts with the wildcard {first!r}; with cloudfront the first name gives the "
            f"origin's name ({ORIGIN_LABEL}.<first name>): put a plain name first"
        )
    ports = t.get("alb_ports")
    if isinstance(ports, list) and all(as_int(p) is not None for p in ports) and 443 not in [as_int(p) for p in ports]:
        errors.append(
            f"{where}: alb_ports {ports} lacks 443: a tier with a domain is served over HTTPS on 443 (its ALB's "
            "listener); add 443 to alb_ports"
        )
    for key, value in (
        ("certificate_arn", t.get("certificate_arn")),
        ("distribution.certificate_arn", (t.get("distribution") or {}).get("certificate_arn")),
        ("distribution.aliases", (t.get("distribution") or {}).get("aliases")),
    ):
        if value:
            errors.append(
                f"{where}: {key} is set together with domain; the domain makes the tier's certificates and aliases: "
                f"leave {key} empty, or drop domain to use your own"
            )


def _shared_name_errors(tiers):
    """A DNS name (a domain name, or the origin name of a CloudFront tier) claimed by two tiers: each tier owns its
    records, so a name can be one tier's only."""
    claims = {}
    for tier in tiers:
        if not isinstance(tier, Mapping) or not has_domain(tier):
            continue
        names = (tier.get("domain") or {}).get("names")
        if not isinstance(names, list):
            continue
        for name in [n for n in names if isinstance(n, str)] + ([origin_name(tier)] if tier.get("cloudfront") else []):
            if name and tier.get("name") not in claims.setdefault(dns_name(name), []):
                claims[dns_name(name)].append(tier.get("name"))
    return [
        f"domain name {name} is claimed by tiers {', '.join(map(str, owners))}: a name belongs to one tier"
        for name, owners in sorted(claims.items())
        if len(owners) > 1
    ]


def _stack_secret_errors(errors, where, t, stack):
    """A secret named (not by ARN) in the tier's secrets must be one the stack creates."""
    secrets = t.get("secrets")
    if not isinstance(secrets, Mapping) or not stack:
        return
    ours = {f"{stack['prefix']}-{name}" for name in (stack.get("resources") or {}).get("secret") or []}
    for variable, ref in sorted(secrets.items()):
        if not isinstance(ref, str) or not SECRET_REF.match(ref) or SECRET_ARN.match(ref):
            continue  # malformed ones are reported above; a full ARN is an outside secret, named on purpose
        secret = ref.split(":", 1)[0]
        if secret not in ours:
            errors.append(
                f"{where}: secret {variable} reads {secret}, which the stack does not create (it creates: "
                f"{', '.join(sorted(ours)) or 'none'}); name a secret of the stack or give a secret ARN"
            )


def _runtime_key_errors(errors, where, tier, runtime):
    """Keys of another runtime set on the tier (not the overridable ones: an override may apply to every tier)."""
    if not isinstance(runtime, str):
        return

    def check(spec, values, prefix):
        for key, field in spec.items():
            value = values.get(key)
            if value is None:
                continue
            if field.get("runtimes") and runtime not in field["runtimes"] and (runtime == STATIC or not field.get("overridable")):
                errors.append(
                    f"{where}: {prefix}{key} applies to runtime {', '.join(field['runtimes'])} only; this tier's runtime is {runtime}"
                )
            elif field["type"] == "dict" and field.get("options") and isinstance(value, Mapping):
                check(field["options"], value, f"{prefix}{key}.")

    check(SPEC, tier, "")


def _fargate_errors(errors, where, t, stack):
    """The rules of a Fargate tier: a task size Fargate runs, the container's port, spot capacity in prod, deployment
    percentages."""
    cpu, memory = as_int(t.get("cpu")), as_int(t.get("memory"))
    if cpu is not None and cpu not in FARGATE_SIZES:
        errors.append(f"{where}: cpu must be one of Fargate's sizes {', '.join(map(str, FARGATE_SIZES))}, got {cpu}")
    elif cpu is not None and memory is not None and memory not in FARGATE_SIZES[cpu]:
        sizes = FARGATE_SIZES[cpu]
        allowed = ", ".join(map(str, sizes)) if len(sizes) <= 4 else f"{sizes[0]} to {sizes[-1]} in steps of {sizes[1] - sizes[0]}"
        errors.append(f"{where}: memory {memory} with cpu {cpu} is not a Fargate task size: with cpu {cpu} memory is {allowed} MiB")
    app_port = as_int(t.get("app_port"))
    if isinstance(t.get("environment"), Mapping) and "PORT" in t["environment"] and app_port is not None:
        if as_int(t["environment"]["PORT"]) != app_port:
            errors.append(
                f"{where}: environment PORT ({t['environment']['PORT']}) differs from app_port ({app_port}): the "
                "container must listen on app_port, the port its load balancer targets (leave PORT out: it is set to "
                "app_port)"
            )
    strategy = t.get("capacity_provider_strategy")
    if isinstance(strategy, Mapping):
        base, weight, spot = (as_int(strategy.get(k)) for k in ("fargate_base", "fargate_weight", "spot_weight"))
        if weight == 0 and spot == 0:
            errors.append(f"{where}: capacity_provider_strategy needs a fargate_weight or a spot_weight above 0")
        if spot and base is not None and base < 1 and (stack or {}).get("env") == "prod":
            errors.append(
                f"{where}: capacity_provider_strategy spot_weight {spot} without a fargate_base of 1 or more in prod: "
                "every task could be interrupted at once; set fargate_base (on-demand tasks always running)"
            )
    if isinstance(t.get("scaling"), Mapping) and t["scaling"].get("policy") == "step":
        errors.append(f"{where}: scaling policy step is for runtime ec2; a Fargate service scales by target_tracking (or none)")
    deployment = t.get("deployment")
    if isinstance(deployment, Mapping):
        low, high = as_int(deployment.get("minimum_healthy_percent")), as_int(deployment.get("maximum_percent"))
        if low is not None and high is not None and high <= low:
            errors.append(
                f"{where}: deployment maximum_percent ({high}) must be above minimum_healthy_percent ({low}) or a "
                "deployment cannot start"
            )
        if deployment.get("rollback") is True and deployment.get("circuit_breaker") is False:
            errors.append(f"{where}: deployment rollback needs circuit_breaker (the breaker decides when to roll back)")


# The errors CloudFront can answer with a custom page (cloudfront_distribution's custom_error_responses).
CLOUDFRONT_ERROR_CODES = (400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504)


def _static_errors(errors, where, t):
    """The rules of a static tier: a site directory that exists, error codes CloudFront maps, well-formed cache rules,
    no cache behaviours of its own (the static tier's are the site's and its api route)."""
    static = t.get("static")
    if not isinstance(static, Mapping):
        return
    site_dir = static.get("site_dir")
    if isinstance(site_dir, str) and site_dir and not os.path.isdir(site_dir):
        errors.append(
            f"{where}: static.site_dir {site_dir!r} is not a directory (from {os.getcwd()}); give the directory of the "
            "built site, or leave it empty not to manage the bucket's objects"
        )
    codes = static.get("error_codes")
    for code in codes if isinstance(codes, list) else []:
        if as_int(code) is not None and as_int(code) not in CLOUDFRONT_ERROR_CODES:
            errors.append(
                f"{where}: static.error_codes {code} is not an error CloudFront maps to a page "
                f"({', '.join(map(str, CLOUDFRONT_ERROR_CODES))})"
            )
    rules = static.get("cache_control")
    for index, rule in enumerate(rules if isinstance(rules, list) else []):
        if not isinstance(rule, Mapping) or not all(isinstance(rule.get(k), str) and rule.get(k) for k in ("pattern", "value")):
            errors.append(f"{where}: static.cache_control[{index}] must be {{pattern: <glob>, value: <Cache-Control>}}, got {rule!r}")
    api = static.get("api")
    if isinstance(api, Mapping) and api.get("tier"):
        pattern = api.get("path_pattern")
        if not isinstance(pattern, str) or not pattern.startswith("/") or pattern in ("/", "/*", "*"):
            errors.append(f"{where}: static.api.path_pattern {pattern!r} must be a path pattern under / such as /api/*")
    d = t.get("distribution")
    if isinstance(d, Mapping) and d.get("behaviors"):
        errors.append(
            f"{where}: distribution.behaviors is not for a static tier (its behaviours are the site and static.api); "
            "leave it empty"
        )


def static_api_errors(tiers):
    """A static tier's api route must name another tier of the stack that has a load balancer."""
    by_name = {t.get("name"): t for t in tiers if isinstance(t, Mapping) and isinstance(t.get("name"), str)}
    errors = []
    for tier in tiers:
        if not isinstance(tier, Mapping) or tier.get("runtime") != STATIC or not isinstance(tier.get("static"), Mapping):
            continue
        api = tier["static"].get("api")
        target = api.get("tier") if isinstance(api, Mapping) else None
        if not target:
            continue
        where = f"tier {tier.get('name')}"
        if target not in by_name or target == tier.get("name"):
            others = ", ".join(str(n) for n in by_name if n != tier.get("name")) or "none"
            errors.append(f"{where}: static.api.tier {target} is not another tier of the stack (tiers: {others})")
        elif by_name[target].get("runtime") == STATIC:
            errors.append(f"{where}: static.api.tier {target} is a static tier; the api route needs a tier with a load balancer")
    return errors


def one_tier_errors(tier, subnet_tiers=None, distribution_checks=None, stack=None):
    """What the argument spec cannot check about one tier, as messages. stack ({prefix, resources: {kind: [logical
    names]}, env}): what the stack creates, against which the tier's grants and secrets are checked, and its
    environment (C(prod) refuses Fargate Spot without on-demand tasks)."""
    if not isinstance(tier, Mapping):
        return []
    name = tier.get("name")
    where = f"tier {name}"
    t = settings(tier)
    errors = []
    for key, field in SPEC.items():
        if key in t and t[key] is not None:
            _check_field(errors, where, key, field, t[key])
    served = t.get("runtime") != STATIC  # a static tier has no load balancer (its ALB keys are reported above)
    if served and t.get("alb_scheme") == "internal" and isinstance(t.get("clients"), list) and not t["clients"]:
        errors.append(f"{where}: an internal ALB needs clients (the tiers allowed to call it)")
    if t.get("cloudfront") is True and t.get("alb_scheme") == "internal":
        errors.append(f"{where}: CloudFront can only front an internet-facing ALB")
    _health_check_errors(errors, where, t.get("health_check"))
    _scaling_errors(errors, where, t.get("scaling"))
    _capacity_errors(errors, where, t)
    _container_errors(errors, where, t)
    _stack_secret_errors(errors, where, t, stack)
    _runtime_key_errors(errors, where, tier, t.get("runtime"))
    if t.get("runtime") in SERVED and tier.get("app_port") is None:
        errors.append(f"{where}: app_port is required (the port the container listens on) by runtime {t['runtime']}")
    if t.get("runtime") == FARGATE:
        _fargate_errors(errors, where, t, stack)
    if t.get("runtime") == STATIC:
        _static_errors(errors, where, t)
    errors.extend(grants.grant_errors(where, t.get("grants"), (stack or {}).get("resources") if stack else None))
    if isinstance(t.get("environment"), Mapping) and isinstance(t.get("grants"), list):
        named = sorted(set(t["environment"]) & set(grants.grant_environment(
            [g for g in t["grants"] if isinstance(g, Mapping) and g.get("kind") in grants.KINDS], "p", "0", "r")))
        if named:
            errors.append(f"{where}: {', '.join(named)} set both in environment and by the grants")
    if served:  # a static tier runs in no subnet
        _subnet_errors(errors, where, t, subnet_tiers)
    _domain_errors(errors, where, t)
    if t.get("cloudfront") is True:
        _distribution_errors(errors, where, t, distribution_checks)
    return errors


def tier_errors(tiers, subnet_tiers=None, distribution_checks=None, stack=None):
    """Every problem of one tier (a dict) or of a list of tiers that the argument spec cannot find; empty when all
    is well. With subnet_tiers (the VPC's tiers, a list of {name, type}) the tiers' subnets are checked against them;
    distribution_checks is the cloudfront_distribution module's option check (cloudfront_config.option_errors);
    with stack ({prefix, resources}), the tiers' grants and secrets against what the stack creates."""
    if isinstance(tiers, Mapping):
        return one_tier_errors(tiers, subnet_tiers, distribution_checks, stack)
    errors = []
    for tier in tiers:
        errors.extend(one_tier_errors(tier, subnet_tiers, distribution_checks, stack))
    names = [t.get("name") for t in tiers if isinstance(t, Mapping)]
    for name in sorted({n for n in names if isinstance(n, str) and names.count(n) > 1}):
        errors.append(f"tier names must be unique: {name} is described {names.count(name)} times")
    errors.extend(_shared_name_errors(tiers))
    errors.extend(static_api_errors(tiers))
    for tier in tiers:
        if not isinstance(tier, Mapping):
            continue
        clients = settings(tier).get("clients")
        for client in clients if isinstance(clients, list) else []:
            if client not in names or client == tier.get("name"):
                errors.append(f"tier {tier.get('name')}: client {client} is not another tier ({', '.join(map(str, names))})")
            elif any(isinstance(o, Mapping) and o.get("name") == client and o.get("runtime") == STATIC for o in tiers):
                errors.append(
                    f"tier {tier.get('name')}: client {client} is a static tier: it runs nothing that calls a load "
                    "balancer (its browser code does, through its distribution: static.api)"
                )
    return errors


# ---- documentation ------------------------------------------------------------------------------------------------


def _markdown_text(text):
    text = re.sub(r"O\(([^)]*)\)", r"`\1`", text)
    text = re.sub(r"C\(([^)]*)\)", r"`\1`", text)
    return text.replace("|", "\\|")


def _markdown_default(field):
    if field.get("required"):
        return "required"
    if field.get("derived"):
        return _markdown_text(field["derived"])
    if field["type"] == "dict" and field.get("options"):
        return "see below"
    default = field["default"]
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    if isinstance(default, list):
        return "`[" + ", ".join(str(d) for d in default) + "]`"
    if default == "":
        return '`""`'
    if default == {}:
        return "`{}`"
    return f"`{default}`"


def _markdown_rows(spec, prefix=""):
    rows = []
    for key, field in spec.items():
        meaning = _markdown_text(field["description"])
        limits = []
        if "min" in field:
            limits.append(f"{field['min']}–{field['max']}")
        if field.get("choices"):
            limits.append("one of " + ", ".join(f"`{c}`" for c in field["choices"]))
        if field.get("runtimes"):
            limits.append("runtime " + ", ".join(f"`{r}`" for r in field["runtimes"]))
        if limits:
            meaning += " (" + "; ".join(limits) + ")"
        rows.append(f"| `{prefix}{key}` | {_markdown_default(field)} | {meaning} |")
        if field.get("options") and field["type"] == "dict" and key not in ("default_behavior",):
            rows.extend(_markdown_rows(field["options"], f"{prefix}{key}."))
        elif field.get("options") and field["type"] == "list" and key != "behaviors":
            rows.extend(_markdown_rows(field["options"], f"{prefix}{key}[]."))
    return rows


def markdown():
    """docs/tiers.md's table of keys (between its generated-table markers)."""
    lines = ["| key | default | meaning |", "| --- | --- | --- |"]
    lines += _markdown_rows(SPEC)
    lines += ["", "Keys of `distribution.default_behavior` and of each entry of `distribution.behaviors`:", ""]
    lines += ["| key | default | meaning |", "| --- | --- | --- |"]
    lines += _markdown_rows(BEHAVIOR)
    return "\n".join(lines) + "\n"
