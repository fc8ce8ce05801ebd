"""DescribeTargetGroupAttributes / ModifyTargetGroupAttributes: every attribute, AWS's defaults and validation.

AWS: a target group has the attributes its kind supports, each with a value or its default. An HTTP/HTTPS target
group of instances or IP addresses (Application Load Balancer): ``deregistration_delay.timeout_seconds`` 300,
``stickiness.enabled`` false, ``stickiness.type`` lb_cookie, ``stickiness.lb_cookie.duration_seconds`` 86400,
``stickiness.app_cookie.cookie_name`` empty, ``stickiness.app_cookie.duration_seconds`` 86400,
``slow_start.duration_seconds`` 0, ``load_balancing.algorithm.type`` round_robin,
``load_balancing.algorithm.anomaly_mitigation`` off, ``load_balancing.cross_zone.enabled``
use_load_balancer_configuration and the four ``target_group_health.*`` thresholds (count 1, percentage off).
TCP/TLS/UDP/TCP_UDP (Network Load Balancer), GENEVE (Gateway Load Balancer) and Lambda target groups have their own
sets. ModifyTargetGroupAttributes refuses an unknown key (``ValidationError`` "Target group attribute key '<key>' is
not recognized", quoted from AWS) and values outside the documented ranges (deregistration delay 0-3600 inclusive,
cookie durations 1-604800, slow start 0 or 30-900, ...), and answers with every attribute of the target group.

moto 5.2.5: ``FakeTargetGroup.__init__`` (moto/elbv2/models.py) sets six attributes for every target group, among
them ``waf.fail_open.enabled`` (a load balancer attribute) and not ``stickiness.lb_cookie.duration_seconds``;
``ELBv2Backend.modify_target_group_attributes`` stores any key and value (``stickiness.enabled: yes``,
``stickiness.foo``), refuses a deregistration delay of 3600 (``range(0, 3600)``) and answers HTTP 500 for a
non-numeric one; and ``ELBV2Response.modify_target_group_attributes`` (moto/elbv2/responses.py) answers with the
attributes sent only.
community.aws ``elb_target_group`` reads ``stickiness_lb_cookie_duration_seconds`` from the described attributes and
failed with ``KeyError`` when given ``stickiness_lb_cookie_duration``.

What this addition does: gives each new target group the attribute set of its kind with AWS's defaults, and replaces
``modify_target_group_attributes`` (backend and response) with one that checks every key and value against the
documented set, keeps moto's stickiness-type rules, applies all of them at once and answers with every attribute.
The texts of the value errors other than moto's own are ours: AWS's exact wording was not found.

References: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html
            https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyTargetGroupAttributes.html
            https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetGroupAttributes.html
            https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html
"""

from moto.core.responses import ActionResult
from moto.elbv2.exceptions import InvalidConfigurationRequest, TargetGroupNotFoundError, ValidationError
from moto.elbv2.models import ELBv2Backend, FakeTargetGroup
from moto.elbv2.responses import ELBV2Response

_ORIGINAL_INIT = FakeTargetGroup.__init__

ALB, LAMBDA, NLB, GWLB = "alb", "lambda", "nlb", "gwlb"
NLB_PROTOCOLS = ("TCP", "TLS", "UDP", "TCP_UDP")
STICKINESS_TYPES = {
    ALB: ("lb_cookie", "app_cookie"),
    NLB: ("source_ip",),
    GWLB: ("source_ip_dest_ip", "source_ip_dest_ip_proto"),
}
RESERVED_COOKIE_PREFIXES = ("AWSALB", "AWSALBAPP", "AWSALBTG")


def _any(_value: str) -> str | None:
    return None


def _one_of(*allowed: str):
    def check(value: str) -> str | None:
        return None if value in allowed else f"must be one of [{', '.join(allowed)}]"

    return check


def _between(low: int, high: int, *also: str):
    def check(value: str) -> str | None:
        if value in also:
            return None
        if not value.isdigit() or not low <= int(value) <= high:
            extra = "".join(f" or '{word}'" for word in also)
            return f"must be between '{low}-{high}' inclusive{extra}"
        return None

    return check


def _slow_start(value: str) -> str | None:
    if value == "0" or (value.isdigit() and 30 <= int(value) <= 900):
        return None
    return "must be '0' or between '30-900' inclusive"


def _at_least_one(*also: str):
    def check(value: str) -> str | None:
        if value in also or (value.isdigit() and int(value) >= 1):
            return None
        extra = "".join(f" or '{word}'" for word in also)
        return f"must be an integer greater than or equal to '1'{extra}"

    return check


_BOOL = _one_of("true", "false")
_HEALTH = {
    "target_group_health.dns_failover.minimum_healthy_targets.count": ("1", _at_least_one("off")),
    "target_group_health.dns_failover.minimum_healthy_targets.percentage": ("off", _between(1, 100, "off")),
    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count": ("1", _at_least_one()),
    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": ("off", _between(1, 100, "off")),
}


def kind(target_group) -> str:
    """alb (HTTP/HTTPS instance or ip targets), lambda, nlb (TCP/TLS/UDP/TCP_UDP) or gwlb (GENEVE)."""
    if target_group.target_type == "lambda":
        return LAMBDA
    if target_group.protocol == "GENEVE":
        return GWLB
    if target_group.protocol in NLB_PROTOCOLS:
        return NLB
    return ALB


def schema(target_group) -> dict:
    """key: (default, value check) of every attribute of this target group, in DescribeTargetGroupAttributes' order."""
    tg_kind = kind(target_group)
    if tg_kind == LAMBDA:
        return {"stickiness.enabled": ("false", _BOOL), "lambda.multi_value_headers.enabled": ("false", _BOOL)}
    common = {
        "deregistration_delay.timeout_seconds": ("300", _between(0, 3600)),
        "stickiness.enabled": ("false", _BOOL),
        "stickiness.type": (STICKINESS_TYPES[tg_kind][0], _any),  # checked in _check_stickiness
    }
    if tg_kind == GWLB:
        common["stickiness.type"] = ("source_ip_dest_ip_proto", _any)
        return {
            **common,
            "target_failover.on_deregistration": ("no_rebalance", _one_of("rebalance", "no_rebalance")),
            "target_failover.on_unhealthy": ("no_rebalance", _one_of("rebalance", "no_rebalance")),
        }
    cross_zone = ("use_load_balancer_configuration", _one_of("true", "false", "use_load_balancer_configuration"))
    if tg_kind == NLB:
        udp = target_group.protocol in ("UDP", "TCP_UDP")
        preserve_ip = (
            "false" if target_group.target_type == "ip" and target_group.protocol in ("TCP", "TLS") else "true"
        )
        return {
            **common,
            "deregistration_delay.connection_termination.enabled": ("true" if udp else "false", _BOOL),
            "preserve_client_ip.enabled": (preserve_ip, _BOOL),
            "proxy_protocol_v2.enabled": ("false", _BOOL),
            "load_balancing.cross_zone.enabled": cross_zone,
            **_HEALTH,
            "target_health_state.unhealthy.connection_termination.enabled": ("true", _BOOL),
            "target_health_state.unhealthy.draining_interval_seconds": ("0", _between(0, 360000)),
        }
    return {
        **common,
        "stickiness.lb_cookie.duration_seconds": ("86400", _between(1, 604800)),
        "stickiness.app_cookie.cookie_name": ("", _any),
        "stickiness.app_cookie.duration_seconds": ("86400", _between(1, 604800)),
        "slow_start.duration_seconds": ("0", _slow_start),
        "load_balancing.algorithm.type": (
            "round_robin",
            _one_of("round_robin", "least_outstanding_requests", "weighted_random"),
        ),
        "load_balancing.algorithm.anomaly_mitigation": ("off", _one_of("on", "off")),
        "load_balancing.cross_zone.enabled": cross_zone,
        **_HEALTH,
    }


def _init(self, *args, **kwargs) -> None:
    _ORIGINAL_INIT(self, *args, **kwargs)
    self.attributes = {key: default for key, (default, _check) in schema(self).items()}


def _check_stickiness(target_group, merged: dict[str, str], given: dict[str, str]) -> None:
    """moto's stickiness-type rules (moto/elbv2/models.py modify_target_group_attributes), on the merged attributes."""
    protocol = target_group.protocol
    tg_kind = kind(target_group)
    stickiness_type = given.get("stickiness.type")
    if stickiness_type is None:
        return
    if tg_kind == GWLB:
        if stickiness_type not in STICKINESS_TYPES[GWLB]:
            raise ValidationError(f"'{stickiness_type}' must be one of [source_ip_dest_ip_proto, source_ip_dest_ip]")
        return
    if stickiness_type not in ("lb_cookie", "app_cookie", "source_ip"):
        raise ValidationError("'Stickiness type' must be one of [app_cookie, lb_cookie, source_ip]")
    if stickiness_type == "source_ip" and protocol == "TLS":
        raise InvalidConfigurationRequest("You cannot enable stickiness on target groups with the TLS protocol")
    if stickiness_type not in STICKINESS_TYPES[tg_kind]:
        raise InvalidConfigurationRequest(
            f"Stickiness type '{stickiness_type}' is not supported for target groups with the {protocol} protocol"
        )
    if stickiness_type == "app_cookie" and not merged.get("stickiness.app_cookie.cookie_name"):
        raise InvalidConfigurationRequest(
            "You must set an application cookie name to enable stickiness of type 'app_cookie'"
        )


def validate(target_group, given: dict[str, str]) -> dict[str, str]:
    """The attributes the target group would have with the given ones applied; an AWS error if one can't be set."""
    known = schema(target_group)
    for key, value in given.items():
        if key not in known:
            if target_group.target_type == "lambda" and key == "deregistration_delay.timeout_seconds":
                raise InvalidConfigurationRequest(
                    "A target group with target type 'lambda' does not support the attribute "
                    "deregistration_delay.timeout_seconds"
                )
            raise ValidationError(f"Target group attribute key '{key}' is not recognized")
        problem = known[key][1](value)
        if problem:
            raise ValidationError(f"'{key}' value '{value}' {problem}")
    merged = {**target_group.attributes, **given}
    _check_stickiness(target_group, merged, given)
    cookie_name = given.get("stickiness.app_cookie.cookie_name", "")
    if cookie_name.startswith(RESERVED_COOKIE_PREFIXES):
        raise ValidationError(
            f"'stickiness.app_cookie.cookie_name' value '{cookie_name}' cannot start with "
            f"'{', '.join(RESERVED_COOKIE_PREFIXES)}'"
        )
    if merged.get("load_balancing.algorithm.anomaly_mitigation") == "on" and (
        merged.get("load_balancing.algorithm.type") != "weighted_random"
    ):
        raise InvalidConfigurationRequest(
            "'load_balancing.algorithm.anomaly_mitigation' can be 'on' only when 'load_balancing.algorithm.type' is "
            "'weighted_random'"
        )
    if merged.get("target_failover.on_deregistration") != merged.get("target_failover.on_unhealthy"):
        raise InvalidConfigurationRequest(
            "'target_failover.on_deregistration' and 'target_failover.on_unhealthy' must have the same value"
        )
    return merged


def _modify_target_group_attributes(self, target_group_arn: str, attributes: dict) -> None:
    target_group = self.target_groups.get(target_group_arn)
    if not target_group:
        raise TargetGroupNotFoundError()
    merged = validate(target_group, {key: "" if value is None else str(value) for key, value in attributes.items()})
    target_group.attributes.clear()
    target_group.attributes.update(merged)


def _modify_target_group_attributes_response(self) -> ActionResult:
    target_group_arn = self._get_param("TargetGroupArn")
    attributes = {attr["Key"]: attr.get("Value") for attr in self._get_param("Attributes", [])}
    self.elbv2_backend.modify_target_group_attributes(target_group_arn, attributes)
    return ActionResult({"Attributes": self.elbv2_backend.target_groups[target_group_arn].attributes})


def apply() -> None:
    """Full default attributes for new target groups; validating ModifyTargetGroupAttributes that answers all."""
    FakeTargetGroup.__init__ = _init
    ELBv2Backend.modify_target_group_attributes = _modify_target_group_attributes
    ELBV2Response.modify_target_group_attributes = _modify_target_group_attributes_response
