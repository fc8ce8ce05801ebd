"""DescribeLoadBalancerAttributes / ModifyLoadBalancerAttributes: every attribute, AWS's defaults and validation.

AWS: DescribeLoadBalancerAttributes returns every attribute the load balancer's type supports, with its value or
default. For an Application Load Balancer: ``access_logs.s3.enabled`` false, ``access_logs.s3.bucket`` and
``access_logs.s3.prefix`` empty, ``client_keep_alive.seconds`` 3600, ``connection_logs.s3.*`` and
``health_check_logs.s3.*`` like the access logs, ``deletion_protection.enabled`` false,
``idle_timeout.timeout_seconds`` 60, ``ipv6.deny_all_igw_traffic`` false (internet-facing) or true (internal),
``load_balancing.cross_zone.enabled`` true (and it can't be changed), ``routing.http.desync_mitigation_mode``
defensive, ``routing.http.drop_invalid_header_fields.enabled``, ``routing.http.preserve_host_header.enabled``,
``routing.http.x_amzn_tls_version_and_cipher_suite.enabled``, ``routing.http.xff_client_port.enabled`` false,
``routing.http.xff_header_processing.mode`` append, ``routing.http2.enabled`` true, ``waf.fail_open.enabled`` false,
``zonal_shift.config.enabled`` false. Network and Gateway Load Balancers have their own, smaller sets.
ModifyLoadBalancerAttributes fails as a whole if any attribute can't be set: an unknown key is ``ValidationError``
"Load balancer attribute key '<key>' is not recognized", a key of another type is ``InvalidConfigurationRequest``
"Load balancer attribute key '<key>' is not supported on load balancers with type '<type>'" (both quoted from AWS
in terraform-provider-aws), a value outside the documented range or set is refused, and so is enabling access logs
without a bucket (``ValidationError`` "The value of 'access_logs.s3.bucket' cannot be empty", quoted from AWS in
terraform-aws-modules/terraform-aws-alb#7); the answer lists every attribute.

moto 5.2.5: ``FakeLoadBalancer.__init__`` (moto/elbv2/models.py) starts with five attributes only
(``access_logs.s3.enabled`` and ``idle_timeout.timeout_seconds`` are commented out "for TF compatibility"), and
``ELBv2Backend.modify_load_balancer_attributes`` accepts any value of any key in ``FakeLoadBalancer.VALID_ATTRS``
whatever the type, and refuses other keys with ``InvalidConfigurationRequest`` "Key <key> not valid". amazon.aws
``elb_application_lb`` reads ``access_logs_s3_enabled``, ``idle_timeout_timeout_seconds``,
``routing_http2_enabled``, ``routing_http_drop_invalid_header_fields_enabled`` ... from the described attributes and
failed with ``KeyError: 'access_logs_s3_enabled'``.

What this addition does: gives each new load balancer the full attribute set of its type with AWS's defaults (the
scheme decides ``ipv6.deny_all_igw_traffic``), and replaces ``modify_load_balancer_attributes`` with one that checks
every key and value first and then applies them all. Turning logs on without a bucket, disabling an ALB's
cross-zone load balancing and decreasing ``secondary_ips.auto_assigned.per_subnet`` are refused. The texts of the
range, enum, cross-zone and secondary-IP errors are ours (worded like moto's deregistration delay message): AWS's
exact wording was not found. Whether the log bucket exists and lets ELB write is checked by
``elbv2_load_balancer_log_buckets``.

References: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html
            https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyLoadBalancerAttributes.html
            https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeLoadBalancerAttributes.html
            https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html
"""

from moto.elbv2.exceptions import InvalidConfigurationRequest, LoadBalancerNotFoundError, ValidationError
from moto.elbv2.models import ELBv2Backend, FakeLoadBalancer

_ORIGINAL_INIT = FakeLoadBalancer.__init__

BOOLEAN = ("true", "false")
APPLICATION, NETWORK, GATEWAY = "application", "network", "gateway"


def _text(_value: str) -> None:
    return None


def _one_of(*allowed: str):
    def check(value: str) -> str | None:
        return None if value in allowed else f"must be one of [{', '.join(allowed)}]"

    return check


def _between(low: int, high: int):
    def check(value: str) -> str | None:
        if not value.lstrip("-").isdigit() or not low <= int(value) <= high:
            return f"must be between '{low}-{high}' inclusive"
        return None

    return check


_BOOL = _one_of(*BOOLEAN)

# key: (load balancer types that support it, value check); from the LoadBalancerAttribute API reference.
ATTRIBUTES = {
    "deletion_protection.enabled": ((APPLICATION, NETWORK, GATEWAY), _BOOL),
    "load_balancing.cross_zone.enabled": ((APPLICATION, NETWORK, GATEWAY), _BOOL),
    "access_logs.s3.enabled": ((APPLICATION, NETWORK), _BOOL),
    "access_logs.s3.bucket": ((APPLICATION, NETWORK), _text),
    "access_logs.s3.prefix": ((APPLICATION, NETWORK), _text),
    "ipv6.deny_all_igw_traffic": ((APPLICATION, NETWORK), _BOOL),
    "zonal_shift.config.enabled": ((APPLICATION, NETWORK), _BOOL),
    "idle_timeout.timeout_seconds": ((APPLICATION,), _between(1, 4000)),
    "client_keep_alive.seconds": ((APPLICATION,), _between(60, 604800)),
    "connection_logs.s3.enabled": ((APPLICATION,), _BOOL),
    "connection_logs.s3.bucket": ((APPLICATION,), _text),
    "connection_logs.s3.prefix": ((APPLICATION,), _text),
    "health_check_logs.s3.enabled": ((APPLICATION,), _BOOL),
    "health_check_logs.s3.bucket": ((APPLICATION,), _text),
    "health_check_logs.s3.prefix": ((APPLICATION,), _text),
    "routing.http.desync_mitigation_mode": ((APPLICATION,), _one_of("monitor", "defensive", "strictest")),
    "routing.http.drop_invalid_header_fields.enabled": ((APPLICATION,), _BOOL),
    "routing.http.preserve_host_header.enabled": ((APPLICATION,), _BOOL),
    "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": ((APPLICATION,), _BOOL),
    "routing.http.xff_client_port.enabled": ((APPLICATION,), _BOOL),
    "routing.http.xff_header_processing.mode": ((APPLICATION,), _one_of("append", "preserve", "remove")),
    "routing.http2.enabled": ((APPLICATION,), _BOOL),
    "waf.fail_open.enabled": ((APPLICATION,), _BOOL),
    "dns_record.client_routing_policy": (
        (NETWORK,),
        _one_of("availability_zone_affinity", "partial_availability_zone_affinity", "any_availability_zone"),
    ),
    "secondary_ips.auto_assigned.per_subnet": ((NETWORK,), _between(0, 7)),
}

# Logs that need a bucket once enabled.
LOG_KINDS = ("access_logs", "connection_logs", "health_check_logs")


def defaults(lb_type: str, scheme: str) -> dict[str, str]:
    """AWS's attributes of a new load balancer of this type and scheme, in DescribeLoadBalancerAttributes' order."""
    deny_igw = "true" if scheme == "internal" else "false"
    if lb_type == GATEWAY:
        return {"deletion_protection.enabled": "false", "load_balancing.cross_zone.enabled": "false"}
    common = {
        "access_logs.s3.enabled": "false",
        "access_logs.s3.bucket": "",
        "access_logs.s3.prefix": "",
        "deletion_protection.enabled": "false",
        "ipv6.deny_all_igw_traffic": deny_igw,
        "zonal_shift.config.enabled": "false",
    }
    if lb_type == NETWORK:
        return {
            **common,
            "load_balancing.cross_zone.enabled": "false",
            "dns_record.client_routing_policy": "any_availability_zone",
            "secondary_ips.auto_assigned.per_subnet": "0",
        }
    return {
        **common,
        "idle_timeout.timeout_seconds": "60",
        "client_keep_alive.seconds": "3600",
        "load_balancing.cross_zone.enabled": "true",
        "routing.http2.enabled": "true",
        "routing.http.desync_mitigation_mode": "defensive",
        "routing.http.drop_invalid_header_fields.enabled": "false",
        "routing.http.preserve_host_header.enabled": "false",
        "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false",
        "routing.http.xff_client_port.enabled": "false",
        "routing.http.xff_header_processing.mode": "append",
        "waf.fail_open.enabled": "false",
        "connection_logs.s3.enabled": "false",
        "connection_logs.s3.bucket": "",
        "connection_logs.s3.prefix": "",
        "health_check_logs.s3.enabled": "false",
        "health_check_logs.s3.bucket": "",
        "health_check_logs.s3.prefix": "",
    }


def _init(self, *args, **kwargs) -> None:
    _ORIGINAL_INIT(self, *args, **kwargs)
    self.attrs = defaults(self.type, self.scheme)


def validate(balancer, attrs: dict[str, str]) -> dict[str, str]:
    """The attributes the balancer would have with attrs applied; AWS's error for the first one that can't be set."""
    for key, value in attrs.items():
        if key not in ATTRIBUTES:
            raise ValidationError(f"Load balancer attribute key '{key}' is not recognized")
        types, check = ATTRIBUTES[key]
        if balancer.type not in types:
            raise InvalidConfigurationRequest(
                f"Load balancer attribute key '{key}' is not supported on load balancers with type '{balancer.type}'"
            )
        problem = check(value)
        if problem:
            raise ValidationError(f"'{key}' value '{value}' {problem}")
    if balancer.type == APPLICATION and attrs.get("load_balancing.cross_zone.enabled", "true") != "true":
        raise InvalidConfigurationRequest("Cross-zone load balancing cannot be disabled for Application Load Balancers")
    if balancer.type == NETWORK:
        current = int(balancer.attrs.get("secondary_ips.auto_assigned.per_subnet", "0"))
        if int(attrs.get("secondary_ips.auto_assigned.per_subnet", current)) < current:
            raise InvalidConfigurationRequest("'secondary_ips.auto_assigned.per_subnet' cannot be decreased")
    merged = {**balancer.attrs, **attrs}
    for kind in LOG_KINDS:
        if merged.get(f"{kind}.s3.enabled") == "true" and not merged.get(f"{kind}.s3.bucket"):
            raise ValidationError(f"The value of '{kind}.s3.bucket' cannot be empty")
    return merged


def _modify_load_balancer_attributes(self, arn: str, attrs: dict) -> dict[str, str]:
    balancer = self.load_balancers.get(arn)
    if balancer is None:
        raise LoadBalancerNotFoundError()
    merged = validate(balancer, {key: "" if value is None else str(value) for key, value in attrs.items()})
    balancer.attrs.clear()
    balancer.attrs.update(merged)
    return balancer.attrs


def apply() -> None:
    """Full default attributes for new load balancers; validating ModifyLoadBalancerAttributes."""
    FakeLoadBalancer.__init__ = _init
    ELBv2Backend.modify_load_balancer_attributes = _modify_load_balancer_attributes
