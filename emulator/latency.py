"""The realistic-latency profile: how long AWS typically takes to provision and remove what the collection deploys.

``DELAYS`` holds the typical times in seconds on AWS (data, so a benchmark can compute a deployment's critical path
from it, e.g. ``DELAYS["rds_instance_create"]``); ``SOURCES`` says where each number comes from. AWS publishes no
guaranteed durations: these are the typical times AWS's guides and the AWS CLI waiters' timing suggest, rounded.

The profile is off by default. ``ATELIER_EMULATOR_PROVISIONING_SCALE`` (a knob of ``emulator.knobs``: ``0`` off, else
a factor such as ``1/30`` or ``0.0333``) switches it on: each delay knob listed in ``KNOBS`` that is not set
explicitly (environment or ``/_atelier/config``) then defaults to ``DELAYS[...] * scale`` instead of its own default,
so the emulator's state machines take AWS's time, scaled. ``ATELIER_EMULATOR_CALL_LATENCY_MS`` adds a fixed latency
to every AWS request (default 0; ``DELAYS["api_call"]`` is a typical control-plane round trip).
"""

SCALE_KNOB = "ATELIER_EMULATOR_PROVISIONING_SCALE"
CALL_LATENCY_KNOB = "ATELIER_EMULATOR_CALL_LATENCY_MS"

# Typical durations on AWS, in seconds.
DELAYS: dict[str, float] = {
    "api_call": 0.1,
    "nat_gateway_create": 120.0,
    "nat_gateway_delete": 60.0,
    "load_balancer_create": 180.0,
    "load_balancer_delete": 120.0,
    "rds_instance_create": 600.0,
    "rds_instance_delete": 300.0,
    "cloudfront_deploy": 300.0,
    "dynamodb_replica": 300.0,
    "dynamodb_index": 300.0,
    "acm_dns_validation": 120.0,
}

SOURCES: dict[str, str] = {
    "api_call": "typical control-plane API round trip from within the region (tens to hundreds of milliseconds)",
    "nat_gateway_create": "VPC user guide, NAT gateways: 'pending' until ready to process traffic; typically 1-2 "
    "minutes (the AWS CLI waiter nat-gateway-available polls every 15 s for up to 10 min). "
    "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html",
    "nat_gateway_delete": "VPC user guide: 'deleting' while it may still process traffic, then 'deleted' (about a "
    "minute; a deleted NAT gateway stays visible for about an hour). "
    "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-working-with.html",
    "load_balancer_create": "ELB user guide: an Application Load Balancer is 'provisioning' until 'active', "
    "typically 2-4 minutes (the CLI waiter load-balancer-available polls every 15 s for up to 10 min). "
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html",
    "load_balancer_delete": "DeleteLoadBalancer returns at once, but the load balancer's network interfaces are "
    "released over the next minutes: until then its subnets and security groups answer DependencyViolation. "
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-delete.html",
    "rds_instance_create": "RDS user guide, creating a DB instance: 'creating' then 'available'; a small "
    "single-AZ PostgreSQL instance takes about 10 minutes (the CLI waiter db-instance-available polls every 30 s for "
    "up to 30 min). https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_CreateDBInstance.html",
    "rds_instance_delete": "RDS user guide, deleting a DB instance: 'deleting' for several minutes (with a final "
    "snapshot longer). https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html",
    "cloudfront_deploy": "CloudFront developer guide: changes propagate to the edge locations, 'InProgress' then "
    "'Deployed'; since 2020 typically under 5 minutes (the CLI waiter distribution-deployed polls every 60 s). "
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/HowToUpdateDistribution.html",
    "dynamodb_replica": "DynamoDB global tables: adding a replica of a small table takes minutes ('CREATING' "
    "then 'ACTIVE'), longer with data. "
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables.tutorial.html",
    "dynamodb_index": "DynamoDB: a new global secondary index is 'CREATING' while it backfills; minutes for a "
    "small table. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.html",
    "acm_dns_validation": "ACM: a DNS-validated certificate is issued minutes after the CNAME record resolves "
    "('PENDING_VALIDATION' then 'ISSUED'; up to 72 h before 'VALIDATION_TIMED_OUT'). "
    "https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html",
}

# Delay knobs (seconds) that the profile sets to DELAYS[...] * scale when it is on.
KNOBS: dict[str, str] = {
    "ATELIER_EMULATOR_NAT_GATEWAY_CREATE_DELAY": "nat_gateway_create",
    "ATELIER_EMULATOR_NAT_GATEWAY_DELETE_DELAY": "nat_gateway_delete",
    "ATELIER_EMULATOR_LOAD_BALANCER_CREATE_DELAY": "load_balancer_create",
    "ATELIER_EMULATOR_LOAD_BALANCER_DELETE_DELAY": "load_balancer_delete",
    "ATELIER_EMULATOR_RDS_INSTANCE_CREATE_DELAY": "rds_instance_create",
    "ATELIER_EMULATOR_RDS_INSTANCE_DELETE_DELAY": "rds_instance_delete",
    "ATELIER_EMULATOR_CLOUDFRONT_DEPLOY_DELAY": "cloudfront_deploy",
    "ATELIER_EMULATOR_DYNAMODB_REPLICA_DELAY": "dynamodb_replica",
    "ATELIER_EMULATOR_DYNAMODB_INDEX_DELAY": "dynamodb_index",
    "ATELIER_EMULATOR_ACM_VALIDATION_DELAY": "acm_dns_validation",
}


def scaled(knob: str, scale: float) -> float | None:
    """The profile's value of a delay knob at this scale, or None when the profile is off or does not time it."""
    if scale <= 0 or knob not in KNOBS:
        return None
    return DELAYS[KNOBS[knob]] * scale
