"""Bad input fails with a message the user understands, before any mutating AWS call.

Each case runs the real site.yml against the emulator and reads the emulator's request log: the run must fail,
print the expected message (which names the variable or key and the mistake), and the emulator must have seen no
mutating call (and, for the checks that need no AWS at all, no call whatsoever: every case but the two whose check
needs the region's availability zones).

The inventory-wide checks (playbooks/checks.yml: the stack's identity, region and retry settings, the tiers against
their specification and the stack) run first, whatever the tags; each role then checks its own inputs before its
first AWS call.
"""

import pytest

FRONTEND = {"name": "frontend", "app_port": 3000, "alb_scheme": "internet-facing", "alb_ports": [80, 443]}
BACKEND = {"name": "backend", "app_port": 8080, "alb_scheme": "internal", "alb_ports": [80], "clients": ["frontend"]}
EDGE = dict(FRONTEND, alb_ports=[80], cloudfront=True)
CERT_EU = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666"

STACK_WORD_RULE = "must be 1-30 lowercase letters, digits and single hyphens starting with a letter"
REGION_RULE = "atelier_region must be an AWS region name in lowercase such as us-east-1 or eu-west-1"
RETRIES_ATTEMPTS_RULE = "atelier_aws_retries.max_attempts must be an integer from 1 to 20 (the first attempt included)"
TWO_TIERS = [{"name": "public", "type": "public"}, {"name": "app", "type": "private"}]
PUBLIC_SUBNETS = [{"az": "us-east-1a", "cidr": "10.0.1.0/24"}, {"az": "us-east-1b", "cidr": "10.0.2.0/24"}]

# id, tags, extra vars, expected message, whether the check may make read-only calls first
CASES = [
    # The stack's identity, region and retries (playbooks/checks.yml, before any role).
    ("stack-empty", "vpc", {"atelier_stack": ""}, f"atelier_stack {STACK_WORD_RULE}, got ''", False),
    ("stack-malformed", "vpc", {"atelier_stack": "Atelier_Prod"}, f"atelier_stack {STACK_WORD_RULE}, got 'Atelier_Prod'", False),
    ("env-empty", "vpc", {"atelier_env": ""}, f"atelier_env {STACK_WORD_RULE}, got ''", False),
    ("env-malformed", "vpc", {"atelier_env": "prod env"}, f"atelier_env {STACK_WORD_RULE}, got 'prod env'", False),
    (
        "name-prefix-malformed",
        "vpc",
        {"atelier_name_prefix": "local--atelier"},
        "atelier_name_prefix must be 1-40 lowercase letters, digits and single hyphens starting with a letter, got 'local--atelier'",
        False,
    ),
    ("region-incomplete", "vpc", {"atelier_region": "us-east"}, f"{REGION_RULE}, got 'us-east'", False),
    ("region-uppercase", "vpc", {"atelier_region": "EU-WEST-1"}, f"{REGION_RULE}, got 'EU-WEST-1' (did you mean eu-west-1?)", False),
    (
        "region-is-an-az",
        "vpc",
        {"atelier_region": "us-east-1a"},
        f"{REGION_RULE}, got 'us-east-1a' (us-east-1a is an availability zone of us-east-1)",
        False,
    ),
    ("retries-mode", "vpc", {"atelier_aws_retries": {"mode": "legacy"}}, "atelier_aws_retries.mode must be standard or adaptive, got 'legacy'", False),
    ("retries-zero-attempts", "vpc", {"atelier_aws_retries": {"max_attempts": 0}}, f"{RETRIES_ATTEMPTS_RULE}, got 0", False),
    ("retries-too-many-attempts", "vpc", {"atelier_aws_retries": {"mode": "adaptive", "max_attempts": 50}}, f"{RETRIES_ATTEMPTS_RULE}, got 50", False),
    (
        "retries-unknown-key",
        "vpc",
        {"atelier_aws_retries": {"retries": 5}},
        "atelier_aws_retries: unknown key retries (known: max_attempts, mode)",
        False,
    ),
    # The tiers against each other and against what the stack creates (checks.yml).
    ("tier-twice", "alb", {"atelier_tiers": [dict(FRONTEND, image="web:1"), dict(FRONTEND, image="web:2")]},
     "tier names must be unique: frontend is described 2 times", False),
    (
        "grant-unknown-table",
        "alb",
        {"atelier_tiers": [FRONTEND, dict(BACKEND, grants=[{"kind": "dynamodb_table", "name": "Orders", "access": "read"}])]},
        "tier backend: grants[0] (dynamodb_table Orders): the stack does not create this dynamodb table (it creates: AtelierDB)",
        False,
    ),
    (
        "secret-unknown",
        "alb",
        {"atelier_tiers": [FRONTEND, dict(BACKEND, secrets={"DB_PASSWORD": "other-secret:password"})]},
        "tier backend: secret DB_PASSWORD reads other-secret, which the stack does not create",
        False,
    ),
    (
        "alb-subnets-unknown",
        "alb",
        {"atelier_tiers": [dict(FRONTEND, alb_subnets="dmz"), BACKEND]},
        "tier frontend: alb_subnets 'dmz' is not a subnet tier of the VPC (public, frontend, backend, database)",
        False,
    ),
    ("cidr-not-a-cidr", "vpc", {"vpc_cidr": "10.0.0.0/33"}, "vpc_cidr: VPC CIDR '10.0.0.0/33' is not a valid CIDR", False),
    ("cidr-host-bits", "vpc", {"vpc_cidr": "10.0.0.1/16"}, "vpc_cidr: VPC CIDR '10.0.0.1/16' has host bits set; did you mean 10.0.0.0/16?", False),
    ("cidr-too-large", "vpc", {"vpc_cidr": "10.0.0.0/8"}, "vpc_cidr: VPC CIDR 10.0.0.0/8 is a /8; AWS only allows CIDR blocks between /16 and /28", False),
    ("one-az", "vpc", {"vpc_az_count": 1}, "vpc_az_count at least 2 (got 1)", False),
    ("more-azs-than-region", "vpc", {"vpc_az_count": 7}, "Region us-east-1 has 6 available AZs", True),
    ("unknown-az", "vpc", {"vpc_azs": ["us-east-1a", "mars-1b"]}, "named us-east-1a, mars-1b", True),
    ("nat-topology", "vpc", {"vpc_nat_topology": "two"}, "value of vpc_nat_topology must be one of: one_per_az, single, none, got: two", False),
    (
        "duplicate-tier",
        "vpc",
        {"vpc_tiers": [{"name": "public", "type": "public"}, {"name": "public", "type": "private"}]},
        "vpc_tiers: tier names must be unique, 'public' is listed 2 times",
        False,
    ),
    (
        "tier-type",
        "vpc",
        {"vpc_tiers": [{"name": "public", "type": "dmz"}]},
        "value of type must be one of: public, private, isolated, got: dmz found in vpc_tiers",
        False,
    ),
    (
        "subnet-outside-vpc",
        "vpc",
        {
            "vpc_tiers": [{"name": "public", "type": "public"}, {"name": "app", "type": "private"}],
            "vpc_subnets": {
                "public": [{"az": "us-east-1a", "cidr": "10.0.1.0/24"}, {"az": "us-east-1b", "cidr": "10.0.2.0/24"}],
                "app": [{"az": "us-east-1a", "cidr": "10.1.11.0/24"}, {"az": "us-east-1b", "cidr": "10.0.12.0/24"}],
            },
        },
        "vpc_subnets: app[0] (us-east-1a) 10.1.11.0/24 is outside the VPC CIDR 10.0.0.0/16",
        False,
    ),
    (
        "subnets-overlap",
        "vpc",
        {
            "vpc_tiers": [{"name": "public", "type": "public"}, {"name": "app", "type": "private"}],
            "vpc_subnets": {
                "public": [{"az": "us-east-1a", "cidr": "10.0.0.0/20"}, {"az": "us-east-1b", "cidr": "10.0.16.0/20"}],
                "app": [{"az": "us-east-1a", "cidr": "10.0.8.0/24"}, {"az": "us-east-1b", "cidr": "10.0.32.0/24"}],
            },
        },
        "vpc_subnets: public[0] (us-east-1a) 10.0.0.0/20 overlaps app[0] (us-east-1a) 10.0.8.0/24",
        False,
    ),
    (
        "subnet-cidr-malformed",
        "vpc",
        {
            "vpc_tiers": TWO_TIERS,
            "vpc_subnets": {"public": PUBLIC_SUBNETS, "app": [{"az": "us-east-1a", "cidr": "10.0.11.0/24x"}, {"az": "us-east-1b", "cidr": "10.0.12.0/24"}]},
        },
        "vpc_subnets: app[0] (us-east-1a) CIDR '10.0.11.0/24x' is not a valid CIDR",
        False,
    ),
    (
        "subnets-of-an-unknown-tier",
        "vpc",
        {"vpc_tiers": TWO_TIERS[:1], "vpc_subnets": {"public": PUBLIC_SUBNETS, "dmz": PUBLIC_SUBNETS}},
        "vpc_subnets must name every tier of vpc_tiers (public) and no other, got public, dmz",
        False,
    ),
    (
        "admin-cidr-host-bits",
        "security_groups",
        {"atelier_bastion_enabled": True, "atelier_admin_cidrs": ["203.0.113.10/24"]},
        "security_groups_admin_cidrs: '203.0.113.10/24' has host bits set; did you mean 203.0.113.0/24?",
        False,
    ),
    (
        "plan-does-not-fit",
        "vpc",
        {"vpc_cidr": "10.0.0.0/24", "vpc_subnet_newbits": 4},
        "carving the subnet plan from vpc_cidr 10.0.0.0/24 (vpc_subnet_newbits=4, vpc_subnet_tier_stride=10, vpc_subnet_offset=1): "
        "the plan does not fit in 10.0.0.0/24",
        False,
    ),
    ("retention", "vpc", {"vpc_flow_logs_retention_days": 42}, "value of vpc_flow_logs_retention_days must be one of: 1, 3, 5, 7, 14, 30, 60, 90", False),
    (
        "ssh-from-everywhere",
        "security_groups",
        {"security_groups_bastion_enabled": True, "security_groups_admin_cidrs": ["0.0.0.0/0"]},
        "security_groups_admin_cidrs: 0.0.0.0/0 would open SSH to the whole internet",
        False,
    ),
    (
        "admin-cidr-invalid",
        "security_groups",
        {"security_groups_bastion_enabled": True, "security_groups_admin_cidrs": ["300.1.1.1/32"]},
        "security_groups_admin_cidrs: '300.1.1.1/32' is not an IPv4 CIDR such as 203.0.113.0/24",
        False,
    ),
    (
        "port-out-of-range",
        "security_groups",
        {"atelier_tiers": [dict(FRONTEND, app_port=70000), BACKEND]},
        "tier frontend: app_port must be an integer between 1 and 65535, got 70000",
        False,
    ),
    (
        "client-not-a-tier",
        "security_groups",
        {"atelier_tiers": [FRONTEND, dict(BACKEND, clients=["mobile"])]},
        "tier backend: client mobile is not another tier",
        False,
    ),
    (
        "cloudfront-internal",
        "security_groups",
        {"atelier_tiers": [FRONTEND, dict(BACKEND, cloudfront=True)]},
        "tier backend: CloudFront can only front an internet-facing ALB",
        False,
    ),
    (
        "database-client",
        "security_groups",
        {"security_groups_database_clients": ["batch"]},
        "security_groups_database_clients: database client batch is not a tier (frontend, backend)",
        False,
    ),
    # The application tiers: playbooks/tier_hosts.yml checks every tier before the roles run, the roles their own inputs.
    (
        "min-above-max",
        "asg_launch_template",
        {"atelier_tiers": [dict(FRONTEND, min_size=5, desired_capacity=3, max_size=2), BACKEND]},
        "tier frontend: capacity must satisfy min_size <= desired_capacity <= max_size, got 5 <= 3 <= 2",
        False,
    ),
    (
        "unknown-subnet-tier",
        "alb",
        {"atelier_tiers": [dict(FRONTEND, subnets="app"), BACKEND]},
        "tier frontend: subnets 'app' is not a subnet tier of the VPC",
        False,
    ),
    (
        "tier-port-out-of-range",
        "alb",
        {"atelier_tiers": [FRONTEND, dict(BACKEND, app_port=0)]},
        "tier backend: app_port must be an integer between 1 and 65535, got 0",
        False,
    ),
    (
        "health-path-without-slash",
        "alb",
        {"atelier_tiers": [dict(FRONTEND, health_check={"path": "health"}), BACKEND]},
        "tier frontend: health_check.path 'health' is not a path starting with / (for example /health)",
        False,
    ),
    (
        "certificate-arn-malformed",
        "alb",
        {"atelier_tiers": [dict(FRONTEND, certificate_arn="arn:aws:acm:us-east-1:123:cert/x"), BACKEND]},
        "tier frontend: certificate_arn 'arn:aws:acm:us-east-1:123:cert/x' is not an ACM certificate ARN",
        False,
    ),
    ("alb-idle-timeout", "alb", {"alb_idle_timeout": 5000}, "alb_idle_timeout must be between 1 and 4000 seconds, got 5000", False),
    (
        "tier-without-image",
        "asg_launch_template",
        {"atelier_tiers": [FRONTEND, BACKEND]},
        "tier frontend: image is required",
        False,
    ),
    (
        "log-retention",
        "asg_launch_template",
        {"asg_launch_template_log_retention_days": 42},
        "value of asg_launch_template_log_retention_days must be one of: 1, 3, 5, 7, 14, 30, 60, 90",
        False,
    ),
    # The edge: tier_errors checks the distribution of every CloudFront tier (tier_hosts.yml, then the role).
    (
        "alias-without-certificate",
        "cloudfront",
        {"atelier_tiers": [dict(EDGE, distribution={"aliases": ["www.example.com"]}), BACKEND]},
        "tier frontend: distribution: aliases need certificate_arn: an ACM certificate in us-east-1",
        False,
    ),
    (
        "certificate-not-in-us-east-1",
        "cloudfront",
        {"atelier_tiers": [dict(EDGE, distribution={"aliases": ["www.example.com"], "certificate_arn": CERT_EU}), BACKEND]},
        "tier frontend: distribution: certificate_arn is in eu-west-1: CloudFront only uses ACM certificates from us-east-1",
        False,
    ),
    (
        "unknown-managed-policy",
        "cloudfront",
        {"atelier_tiers": [dict(EDGE, distribution={"default_behavior": {"cache_policy": "Managed-CachingFast"}}), BACKEND]},
        "tier frontend: distribution: default_behavior: unknown managed cache policy 'Managed-CachingFast'",
        False,
    ),
    (
        "path-pattern-without-slash",
        "cloudfront",
        {"atelier_tiers": [dict(EDGE, distribution={"behaviors": [{"path_pattern": "api/*"}]}), BACKEND]},
        "tier frontend: distribution: behaviors[0]: path_pattern 'api/*' must start with / or *",
        False,
    ),
    # Run-time overrides (an AWX survey's answers): checked with the tiers in tier_hosts.yml.
    (
        "override-unknown-tier",
        "alb",
        {"atelier_tier_overrides": {"frontnd": {"desired_capacity": 3}}},
        "atelier_tier_overrides: no tier is named 'frontnd' (tiers: frontend, backend)",
        False,
    ),
    (
        "override-capacity-out-of-range",
        "asg_launch_template",
        {"atelier_tier_overrides": {"backend": {"max_size": 0, "min_size": 0, "desired_capacity": 0}}},
        "tier backend: max_size must be an integer between 1 and 10000, got 0",
        False,
    ),
    # The data layer: the module checks these before any AWS call.
    ("replica-in-home-region", "dynamodb_global", {"dynamodb_global_replicas": [{"region": "us-east-1"}]},
     "replicas: us-east-1 is the table's own region", False),
    ("replica-twice", "dynamodb_global", {"dynamodb_global_replicas": [{"region": "eu-west-1"}, {"region": "eu-west-1"}]},
     "replicas: region eu-west-1 is listed 2 times", False),
    ("replica-unknown-region", "dynamodb_global", {"dynamodb_global_replicas": [{"region": "mars-north-1"}]},
     "replicas: mars-north-1 is not a DynamoDB region", False),
    ("provisioned-without-capacity", "dynamodb_global", {"dynamodb_global_billing_mode": "PROVISIONED"},
     "billing_mode=PROVISIONED requires both read_capacity and write_capacity", False),
    ("capacity-on-demand", "dynamodb_global", {"dynamodb_global_read_capacity": 5, "dynamodb_global_write_capacity": 5},
     "read_capacity and write_capacity can't be set with billing_mode=PAY_PER_REQUEST", False),
    (
        "gsi-key-undefined",
        "dynamodb_global",
        {"dynamodb_global_indexes": [{"name": "GSI_Status", "hash_key": "OrderStatus"}]},
        "global secondary index GSI_Status: key attribute OrderStatus has no entry in attribute_definitions",
        False,
    ),
    ("ttl-on-a-key", "dynamodb_global", {"dynamodb_global_ttl_attribute": "SK"},
     "ttl_attribute: SK is the table's range key; the module refuses a key as the TTL attribute", False),
    ("replicas-without-new-and-old-images", "dynamodb_global", {"dynamodb_global_stream_view_type": "KEYS_ONLY"},
     "replicas require the table's stream enabled with stream_view_type=NEW_AND_OLD_IMAGES", False),
    ("billing-mode", "dynamodb_global", {"dynamodb_global_billing_mode": "ON_DEMAND"},
     "value of dynamodb_global_billing_mode must be one of: PAY_PER_REQUEST, PROVISIONED, got: ON_DEMAND", False),
    # The goal-tracker system's parts, through site.yml and the environment switches (each role's own files test more cases).
    (
        "rds-backup-retention",
        "rds_postgres",
        {"atelier_rds_enabled": True, "rds_postgres_backup_retention_days": 36},
        "rds_postgres_backup_retention_days must be 0 to 35, got 36",
        False,
    ),
    (
        "rds-instance-class",
        "rds_postgres",
        {"atelier_rds_enabled": True, "rds_postgres_instance_class": "t3.micro"},
        "rds_postgres_instance_class must look like db.<family>.<size> (for example db.t3.micro), got t3.micro",
        False,
    ),
    (
        "bastion-volume-type",
        "bastion",
        {"atelier_bastion_enabled": True, "bastion_volume_type": "st1"},
        "value of bastion_volume_type must be one of: gp2, gp3, io1, io2, got: st1",
        False,
    ),
    (
        "ecr-lifecycle-keep",
        "container_registry",
        {"container_registry_lifecycle_keep": 0},
        "lifecycle_keep (container_registry_lifecycle_keep) must be an integer from 1 to 10000, got 0",
        False,
    ),
    (
        "alarm-threshold-negative",
        "monitoring",
        {"monitoring_rds_free_storage_threshold": -1},
        "monitoring_rds_free_storage_threshold must not be negative (got -1)",
        False,
    ),
]


@pytest.mark.parametrize(
    "tags, extra_vars, message, reads_allowed", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_fails_before_any_change(emulator, tags, extra_vars, message, reads_allowed):
    run = emulator.playbook("site.yml", "--tags", tags, extra_vars=extra_vars)
    assert run.rc != 0, run.output
    assert message in " ".join(run.output.split()), run.output
    assert run.mutating == [], run.mutating
    if not reads_allowed:
        assert run.requests == [], run.requests
