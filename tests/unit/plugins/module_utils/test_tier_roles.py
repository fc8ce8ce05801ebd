# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of module_utils/tier_roles.py: what the alb, cloudfront and asg_launch_template roles compute."""

import copy

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils import tier_roles

PREFIX = "local-atelier"
SUBNET_TIERS = [
    {"name": "public", "type": "public"},
    {"name": "frontend", "type": "private"},
    {"name": "backend", "type": "private"},
]
WEB = {"name": "frontend", "app_port": 3000, "image": "goal-tracker-frontend:latest"}
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666"
NAMES = stack.tier_names(PREFIX, "frontend")


# ---- alb_listeners ------------------------------------------------------------------------------------------------

FORWARD = [{"Type": "forward", "TargetGroupName": "local-atelier-frontend-tg"}]
GUARD_DEFAULT = [
    {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "403", "ContentType": "text/plain", "MessageBody": "Forbidden"}}
]
GUARD_RULES = [
    {
        "Priority": 1,
        "Conditions": [{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Origin-Verify", "Values": ["s3cr3t"]}}],
        "Actions": FORWARD,
    }
]
REDIRECT = [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]
POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
HTTPS = {"Protocol": "HTTPS", "Port": 443, "SslPolicy": POLICY, "Certificates": [{"CertificateArn": CERT}]}

LISTENER_CASES = [
    ("http forwards", {}, [{"Protocol": "HTTP", "Port": 80, "DefaultActions": FORWARD, "Rules": []}]),
    (
        "http behind cloudfront: 403 unless the header",
        {"cloudfront": True},
        [{"Protocol": "HTTP", "Port": 80, "DefaultActions": GUARD_DEFAULT, "Rules": GUARD_RULES}],
    ),
    (
        "https: 80 redirects, 443 forwards",
        {"certificate_arn": CERT},
        [
            {"Protocol": "HTTP", "Port": 80, "DefaultActions": REDIRECT, "Rules": []},
            dict(HTTPS, DefaultActions=FORWARD, Rules=[]),
        ],
    ),
    (
        "https behind cloudfront: the guard is on 443",
        {"certificate_arn": CERT, "cloudfront": True},
        [
            {"Protocol": "HTTP", "Port": 80, "DefaultActions": REDIRECT, "Rules": []},
            dict(HTTPS, DefaultActions=GUARD_DEFAULT, Rules=GUARD_RULES),
        ],
    ),
]


@pytest.mark.parametrize("more, expected", [c[1:] for c in LISTENER_CASES], ids=[c[0] for c in LISTENER_CASES])
def test_alb_listeners(more, expected):
    tier = dict(WEB, **more)
    assert tier_roles.alb_listeners(tier, "local-atelier-frontend-tg", "X-Origin-Verify", "s3cr3t", POLICY) == expected


def test_alb_listeners_use_the_header_name_and_policy_given():
    (listener,) = tier_roles.alb_listeners(dict(WEB, cloudfront=True), "tg", "X-Edge", "v" * 20)
    assert listener["Rules"][0]["Conditions"][0]["HttpHeaderConfig"] == {"HttpHeaderName": "X-Edge", "Values": ["v" * 20]}
    _http, https = tier_roles.alb_listeners(dict(WEB, certificate_arn=CERT), "tg", ssl_policy="ELBSecurityPolicy-TLS13-1-3-2021-06")
    assert https["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-3-2021-06"


def test_alb_listeners_do_not_share_their_documents():
    listeners = tier_roles.alb_listeners(dict(WEB, cloudfront=True), "tg", "X-Origin-Verify", "s3cr3t")
    listeners[0]["Rules"][0]["Actions"].append("changed")
    again = tier_roles.alb_listeners(dict(WEB, cloudfront=True), "tg", "X-Origin-Verify", "s3cr3t")
    assert again[0]["Rules"][0]["Actions"] == [{"Type": "forward", "TargetGroupName": "tg"}]


# ---- alb_rules_kept -----------------------------------------------------------------------------------------------

TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/local-atelier-frontend-tg/0123456789abcdef"


def found_rule(priority="1", header="X-Origin-Verify", values=("s3cr3t",), target=TG_ARN, **more):
    """A rule as amazon.aws.elb_application_lb returns it (camel_dict_to_snake_dict of DescribeRules)."""
    rule = {
        "priority": priority,
        "is_default": False,
        "conditions": [{"field": "http-header", "http_header_config": {"http_header_name": header, "values": list(values)}}],
        "actions": [{"type": "forward", "target_group_arn": target, "order": 1}],
    }
    rule.update(more)
    return rule


DEFAULT_RULE = {"priority": "default", "is_default": True, "conditions": [], "actions": [{"type": "fixed-response"}]}


def found_listener(port=80, rules=(), protocol="HTTP"):
    return {"port": port, "protocol": protocol, "rules": [DEFAULT_RULE, *rules]}


def test_the_rules_wanted_found_need_no_second_pass():
    wanted = tier_roles.alb_listeners(dict(WEB, cloudfront=True), "local-atelier-frontend-tg", "X-Origin-Verify", "s3cr3t")
    assert tier_roles.alb_rules_kept([found_listener(rules=[found_rule()])], wanted) is True
    https = tier_roles.alb_listeners(dict(WEB, cloudfront=True, certificate_arn=CERT), "local-atelier-frontend-tg", "X-Origin-Verify", "s3cr3t")
    assert tier_roles.alb_rules_kept([found_listener(), found_listener(443, [found_rule()], "HTTPS")], https) is True
    # A tier without CloudFront: no rule wanted, none found.
    plain = tier_roles.alb_listeners(WEB, "local-atelier-frontend-tg")
    assert tier_roles.alb_rules_kept([found_listener()], plain) is True


@pytest.mark.parametrize(
    "found",
    [
        pytest.param([found_listener()], id="rule missing"),
        pytest.param([found_listener(rules=[found_rule(values=("old-secret",))])], id="secret changed"),
        pytest.param([found_listener(rules=[found_rule(header="X-Other")])], id="header name changed"),
        pytest.param([found_listener(rules=[found_rule(priority="2")])], id="priority changed"),
        pytest.param([found_listener(rules=[found_rule(target=TG_ARN.replace("frontend-tg", "other-tg"))])], id="other target group"),
        pytest.param([found_listener(rules=[found_rule(), found_rule(priority="5")])], id="stray rule"),
        pytest.param([found_listener(rules=[found_rule(actions=[{"type": "fixed-response"}])])], id="action of another kind"),
        pytest.param([found_listener(rules=[found_rule(conditions=[{"field": "path-pattern", "values": ["/*"]}])])], id="other condition"),
        pytest.param([found_listener(443, [found_rule()], "HTTPS")], id="listener on another port"),
        pytest.param([found_listener(rules=[found_rule()]), found_listener(8080)], id="extra listener"),
        pytest.param([], id="no listener (check mode before the load balancer exists)"),
        pytest.param(None, id="no result"),
    ],
)
def test_rules_that_differ_take_the_second_pass(found):
    wanted = tier_roles.alb_listeners(dict(WEB, cloudfront=True), "local-atelier-frontend-tg", "X-Origin-Verify", "s3cr3t")
    assert tier_roles.alb_rules_kept(found, wanted) is False


def test_a_stray_rule_on_a_tier_without_rules_takes_the_second_pass():
    plain = tier_roles.alb_listeners(WEB, "local-atelier-frontend-tg")
    assert tier_roles.alb_rules_kept([found_listener(rules=[found_rule()])], plain) is False



# ---- alb_load_balancer_changes ------------------------------------------------------------------------------------

LB_SETTINGS = {
    "name": "local-atelier-frontend",
    "subnets": ["subnet-a", "subnet-b"],
    "security_groups": ["sg-1"],
    "deletion_protection": False,
    "idle_timeout": 60,
    "http2": True,
    "http_drop_invalid_header_fields": True,
    "http_desync_mitigation_mode": "defensive",
    "access_logs_enabled": False,
    "access_logs_s3_bucket": "",
    "access_logs_s3_prefix": "",
    "ip_address_type": "ipv4",
    "tags": {"Name": "local-atelier-frontend", "atelier:env": "local"},
}
HTTPS_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/local-atelier-frontend/1/2"


def found_lb(listeners, **more):
    """A load balancer as amazon.aws.elb_application_lb_info returns it (attributes, listeners, rules, tags)."""
    lb = {
        "load_balancer_name": "local-atelier-frontend",
        "load_balancer_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/local-atelier-frontend/1",
        "dns_name": "local-atelier-frontend-1.elb.amazonaws.com",
        "scheme": "internet-facing",
        "type": "application",
        "availability_zones": [{"subnet_id": "subnet-b", "zone_name": "us-east-1b"}, {"subnet_id": "subnet-a", "zone_name": "us-east-1a"}],
        "security_groups": ["sg-1"],
        "ip_address_type": "ipv4",
        "deletion_protection_enabled": "false",
        "idle_timeout_timeout_seconds": "60",
        "routing_http2_enabled": "true",
        "routing_http_drop_invalid_header_fields_enabled": "true",
        "routing_http_desync_mitigation_mode": "defensive",
        "access_logs_s3_enabled": "false",
        "access_logs_s3_bucket": "",
        "access_logs_s3_prefix": "",
        "tags": {"Name": "local-atelier-frontend", "atelier:env": "local"},
        "listeners": listeners,
    }
    lb.update(more)
    return lb


def lb_listener(port, protocol, default_actions, rules=(), **more):
    listener = {"port": port, "protocol": protocol, "default_actions": default_actions, "rules": [DEFAULT_RULE, *rules]}
    listener.update(more)
    return listener


FOUND_FORWARD = [{"type": "forward", "target_group_arn": TG_ARN, "order": 1, "forward_config": {
    "target_groups": [{"target_group_arn": TG_ARN, "weight": 1}], "target_group_stickiness_config": {"enabled": False}}}]
FOUND_GUARD = [{"type": "fixed-response", "order": 1, "fixed_response_config": {
    "status_code": "403", "content_type": "text/plain", "message_body": "Forbidden"}}]
# AWS fills in the keys of the redirect the role leaves out.
FOUND_REDIRECT = [{"type": "redirect", "order": 1, "redirect_config": {
    "protocol": "HTTPS", "port": "443", "host": "#{host}", "path": "/#{path}", "query": "#{query}", "status_code": "HTTP_301"}}]
GUARDED = tier_roles.alb_listeners(dict(WEB, cloudfront=True), "local-atelier-frontend-tg", "X-Origin-Verify", "s3cr3t")
GUARDED_HTTPS = tier_roles.alb_listeners(dict(WEB, cloudfront=True, certificate_arn=CERT), "local-atelier-frontend-tg",
                                         "X-Origin-Verify", "s3cr3t")


def guarded_lb(**more):
    return found_lb([lb_listener(80, "HTTP", FOUND_GUARD, [found_rule()])], **more)


def https_lb(**more):
    return found_lb([
        lb_listener(80, "HTTP", FOUND_REDIRECT),
        lb_listener(443, "HTTPS", FOUND_GUARD, [found_rule()], ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06",
                    certificates=[{"certificate_arn": CERT}], listener_arn=HTTPS_ARN),
    ], **more)


def test_a_load_balancer_with_everything_the_role_gives_it_has_no_change():
    assert tier_roles.alb_load_balancer_changes([guarded_lb()], LB_SETTINGS, GUARDED) == []
    assert tier_roles.alb_load_balancer_changes([https_lb()], LB_SETTINGS, GUARDED_HTTPS) == []
    plain = tier_roles.alb_listeners(WEB, "local-atelier-frontend-tg")
    assert tier_roles.alb_load_balancer_changes([found_lb([lb_listener(80, "HTTP", FOUND_FORWARD)])], LB_SETTINGS, plain) == []
    # Settings as Ansible may template them (strings), compared as the module writes them.
    as_text = dict(LB_SETTINGS, deletion_protection="False", idle_timeout="60", http2="True")
    assert tier_roles.alb_load_balancer_changes([guarded_lb()], as_text, GUARDED) == []
    # An attribute the role does not give is not compared.
    assert tier_roles.alb_load_balancer_changes([guarded_lb(idle_timeout_timeout_seconds="300")], dict(LB_SETTINGS, idle_timeout=None), GUARDED) == []
    # The scheme: elb_application_lb cannot change it.
    assert tier_roles.alb_load_balancer_changes([guarded_lb(scheme="internal")], LB_SETTINGS, GUARDED) == []


@pytest.mark.parametrize(
    "found, changes",
    [
        pytest.param([], ["load balancer"], id="missing"),
        pytest.param(None, ["load balancer"], id="no result"),
        pytest.param([found_lb([], load_balancer_name="local-atelier-other")], ["load balancer"], id="another load balancer"),
        pytest.param([guarded_lb(availability_zones=[{"subnet_id": "subnet-a"}])], ["subnets"], id="subnet removed"),
        pytest.param([guarded_lb(security_groups=["sg-1", "sg-2"])], ["security_groups"], id="security group added"),
        pytest.param([guarded_lb(idle_timeout_timeout_seconds="300")], ["idle_timeout"], id="idle timeout"),
        pytest.param([guarded_lb(deletion_protection_enabled="true")], ["deletion_protection"], id="deletion protection"),
        pytest.param([guarded_lb(routing_http2_enabled="false")], ["http2"], id="http2"),
        pytest.param([guarded_lb(routing_http_drop_invalid_header_fields_enabled="false")], ["http_drop_invalid_header_fields"],
                     id="drop invalid header fields"),
        pytest.param([guarded_lb(routing_http_desync_mitigation_mode="monitor")], ["http_desync_mitigation_mode"], id="desync mitigation"),
        pytest.param([guarded_lb(access_logs_s3_enabled="true", access_logs_s3_bucket="logs")],
                     ["access_logs_enabled", "access_logs_s3_bucket"], id="access logs"),
        pytest.param([guarded_lb(ip_address_type="dualstack")], ["ip_address_type"], id="ip address type"),
        pytest.param([guarded_lb(tags={"Name": "local-atelier-frontend"})], ["tags"], id="tag removed"),
        pytest.param([guarded_lb(tags={**LB_SETTINGS["tags"], "by": "hand"})], ["tags"], id="tag added (purged)"),
        pytest.param([guarded_lb(tags={**LB_SETTINGS["tags"], "atelier:env": "prod"})], ["tags"], id="tag changed"),
        pytest.param([found_lb([lb_listener(80, "HTTP", FOUND_FORWARD, [found_rule()])])], ["listener 80 default_actions"],
                     id="forwards without the guard"),
        pytest.param([found_lb([lb_listener(80, "HTTP", [{**FOUND_GUARD[0], "fixed_response_config": {
            "status_code": "404", "content_type": "text/plain", "message_body": "Forbidden"}}], [found_rule()])])],
            ["listener 80 default_actions"], id="fixed response changed"),
        pytest.param([found_lb([lb_listener(80, "HTTP", FOUND_GUARD, [found_rule(values=("by-hand",))])])], ["rules"], id="rule changed"),
        pytest.param([found_lb([lb_listener(80, "HTTP", FOUND_GUARD)])], ["rules"], id="rule missing"),
        pytest.param([found_lb([lb_listener(80, "HTTP", FOUND_GUARD, [found_rule()]), lb_listener(8080, "HTTP", FOUND_GUARD)])],
                     ["listeners", "rules"], id="extra listener (purged)"),
        pytest.param([found_lb([])], ["listeners", "rules"], id="no listener"),
        pytest.param([found_lb([lb_listener(80, "HTTPS", FOUND_GUARD, [found_rule()])])], ["listener 80 protocol"], id="protocol"),
    ],
)
def test_what_differs_is_named_never_its_value(found, changes):
    assert tier_roles.alb_load_balancer_changes(found, LB_SETTINGS, GUARDED) == changes
    assert "s3cr3t" not in repr(tier_roles.alb_load_balancer_changes(found, LB_SETTINGS, GUARDED))


@pytest.mark.parametrize(
    "listener, changes",
    [
        pytest.param({"ssl_policy": "ELBSecurityPolicy-2016-08"}, ["listener 443 ssl_policy"], id="ssl policy"),
        pytest.param({"certificates": [{"certificate_arn": CERT.replace("0a1b", "ffff")}]}, ["listener 443 certificates"], id="certificate"),
        pytest.param({"certificates": []}, ["listener 443 certificates"], id="no certificate"),
        pytest.param({"default_actions": FOUND_FORWARD}, ["listener 443 default_actions"], id="default action"),
        pytest.param({"default_actions": [{**FOUND_FORWARD[0], "forward_config": {"target_groups": [
            {"target_group_arn": TG_ARN, "weight": 1}, {"target_group_arn": TG_ARN.replace("frontend-tg", "b-tg"), "weight": 1}]}}]},
            ["listener 443 default_actions"], id="weighted forward"),
        pytest.param({"default_actions": [{"type": "authenticate-oidc", "order": 1}, *FOUND_GUARD]}, ["listener 443 default_actions"],
                     id="action of another kind"),
    ],
)
def test_an_https_listener_changed_is_named(listener, changes):
    lb = https_lb()
    lb["listeners"][1].update(listener)
    assert tier_roles.alb_load_balancer_changes([lb], LB_SETTINGS, GUARDED_HTTPS) == changes


def test_a_redirect_changed_is_named_with_the_defaults_aws_fills_in():
    lb = https_lb()
    lb["listeners"][0]["default_actions"] = [{"type": "redirect", "redirect_config": {
        "protocol": "HTTPS", "port": "443", "host": "elsewhere.example", "path": "/#{path}", "query": "#{query}", "status_code": "HTTP_301"}}]
    assert tier_roles.alb_load_balancer_changes([lb], LB_SETTINGS, GUARDED_HTTPS) == ["listener 80 default_actions"]
    # As the emulator may return it: only the keys given.
    lb["listeners"][0]["default_actions"] = [{"type": "redirect", "redirect_config": {"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}}]
    assert tier_roles.alb_load_balancer_changes([lb], LB_SETTINGS, GUARDED_HTTPS) == []

# ---- input checks -------------------------------------------------------------------------------------------------


def alb_inputs(**more):
    inputs = {
        "alb_tier": WEB,
        "alb_name_prefix": PREFIX,
        "alb_idle_timeout": 60,
        "alb_origin_header_name": "X-Origin-Verify",
        "alb_origin_secret": "",
        "alb_access_logs_bucket": "",
        "alb_outputs": {"tier": "frontend"},
    }
    inputs.update(more)
    return inputs


ALB_ERROR_CASES = [
    ("idle timeout too long", {"alb_idle_timeout": 5000}, ["alb_idle_timeout must be between 1 and 4000 seconds, got 5000"]),
    ("idle timeout zero", {"alb_idle_timeout": "0"}, ["alb_idle_timeout must be between 1 and 4000 seconds, got 0"]),
    (
        "header name",
        {"alb_origin_header_name": "X Origin"},
        ["alb_origin_header_name must be an HTTP header name (letters, digits, hyphens), got X Origin"],
    ),
    ("short secret", {"alb_origin_secret": "short"}, ["alb_origin_secret must be at least 16 characters (or empty to generate one)"]),
    ("bucket", {"alb_access_logs_bucket": "Logs_Bucket"}, ["alb_access_logs_bucket Logs_Bucket is not an S3 bucket name"]),
    (
        "names too long",
        {"alb_name_prefix": "a-very-long-environment-prefix"},
        [
            "ALB name a-very-long-environment-prefix-frontend must be 1-32 letters, digits and inner hyphens, not starting "
            "with internal-; shorten alb_name_prefix or the tier name",
            "target group name a-very-long-environment-prefix-frontend-tg must be 1-32 letters, digits and inner hyphens, "
            "not starting with internal-; shorten alb_name_prefix or the tier name",
        ],
    ),
    (
        "name starting with internal-",
        {"alb_name_prefix": "internal-x"},
        [
            "ALB name internal-x-frontend must be 1-32 letters, digits and inner hyphens, not starting with internal-; "
            "shorten alb_name_prefix or the tier name",
            "target group name internal-x-frontend-tg must be 1-32 letters, digits and inner hyphens, not starting with "
            "internal-; shorten alb_name_prefix or the tier name",
        ],
    ),
    ("the tier's own errors", {"alb_tier": dict(WEB, app_port=0)}, ["tier frontend: app_port must be an integer between 1 and 65535, got 0"]),
    ("web ACL rate limit", {"alb_waf_rate_limit": 5},
     ["alb_waf_rate_limit: the rate limit must be between 10 and 2000000000 requests in 5 minutes, got 5"]),
]


@pytest.mark.parametrize("more, expected", [c[1:] for c in ALB_ERROR_CASES], ids=[c[0] for c in ALB_ERROR_CASES])
def test_alb_errors(more, expected):
    assert tier_roles.alb_errors(alb_inputs(**more), SUBNET_TIERS) == expected


def test_alb_inputs_that_are_fine():
    assert tier_roles.alb_errors(alb_inputs(), SUBNET_TIERS) == []
    assert tier_roles.alb_errors(alb_inputs(alb_origin_secret="x" * 16, alb_access_logs_bucket="my.logs-bucket"), SUBNET_TIERS) == []


def test_alb_errors_check_the_subnets_only_with_subnet_tiers():
    inputs = alb_inputs(alb_tier=dict(WEB, subnets="app"))
    assert tier_roles.alb_errors(inputs) == []
    assert tier_roles.alb_errors(inputs, SUBNET_TIERS) == [
        "tier frontend: subnets 'app' is not a subnet tier of the VPC (public, frontend, backend)"
    ]


def test_alb_errors_never_show_the_secret():
    secret = "tooshort"
    assert all(secret not in e for e in tier_roles.alb_errors(alb_inputs(alb_origin_secret=secret)))


def test_alb_errors_leave_wrong_types_to_the_argument_spec():
    assert tier_roles.alb_errors({"alb_tier": "frontend", "alb_idle_timeout": "sixty", "alb_origin_header_name": 3}) == []


def cloudfront_inputs(**more):
    inputs = {
        "cloudfront_tier": dict(WEB, cloudfront=True),
        "cloudfront_name_prefix": PREFIX,
        "cloudfront_origin_header_name": "X-Origin-Verify",
        "cloudfront_origin_secret": "",
        "cloudfront_policies": [{"type": "cache", "name": "api"}, {"type": "origin_request", "name": "all"}],
        "cloudfront_wait_timeout": 1800,
    }
    inputs.update(more)
    return inputs


CLOUDFRONT_ERROR_CASES = [
    (
        "header name",
        {"cloudfront_origin_header_name": "X_Origin"},
        ["cloudfront_origin_header_name must be an HTTP header name (letters, digits, hyphens), got X_Origin"],
    ),
    (
        "short secret",
        {"cloudfront_origin_secret": "0123456789abcde"},
        ["cloudfront_origin_secret must be at least 16 characters (or empty to read the generated one)"],
    ),
    ("name too long", {"cloudfront_name_prefix": "p" * 120}, [f"the distribution name {'p' * 120}-frontend is longer than 128 characters"]),
    (
        "policy without a name",
        {"cloudfront_policies": [{"type": "cache"}]},
        ["cloudfront_policies entries need a type (cache or origin_request) and a name, got {'type': 'cache'}"],
    ),
    (
        "policy of an unknown type",
        {"cloudfront_policies": [{"type": "response_headers", "name": "x"}]},
        ["cloudfront_policies entries need a type (cache or origin_request) and a name, got {'type': 'response_headers', 'name': 'x'}"],
    ),
    ("policy not a dict", {"cloudfront_policies": ["api"]}, ["cloudfront_policies entries need a type (cache or origin_request) and a name, got api"]),
    ("wait timeout", {"cloudfront_wait_timeout": 0}, ["cloudfront_wait_timeout must be a positive number of seconds"]),
    ("web ACL rate limit", {"cloudfront_waf_rate_limit": "lots"},
     ["cloudfront_waf_rate_limit: the rate limit must be a whole number of requests, got 'lots'"]),
    (
        "the distribution's errors",
        {"cloudfront_tier": dict(WEB, cloudfront=True, distribution={"aliases": ["www.example.com"]})},
        ["tier frontend: distribution: aliases need certificate_arn: an ACM certificate in us-east-1"],
    ),
]


@pytest.mark.parametrize("more, expected", [c[1:] for c in CLOUDFRONT_ERROR_CASES], ids=[c[0] for c in CLOUDFRONT_ERROR_CASES])
def test_cloudfront_errors(more, expected):
    errors = tier_roles.cloudfront_errors(cloudfront_inputs(**more), SUBNET_TIERS)
    assert [e for e in errors if not any(e.startswith(x) for x in expected)] == [], errors
    assert all(any(e.startswith(x) for e in errors) for x in expected), errors


def test_cloudfront_inputs_that_are_fine():
    assert tier_roles.cloudfront_errors(cloudfront_inputs(cloudfront_origin_secret="x" * 32), SUBNET_TIERS) == []


def asg_inputs(**more):
    inputs = {
        "asg_launch_template_tier": WEB,
        "asg_launch_template_name_prefix": PREFIX,
        "asg_launch_template_refresh_min_healthy_percentage": 90,
        "asg_launch_template_log_retention_days": 30,
    }
    inputs.update(more)
    return inputs


ASG_ERROR_CASES = [
    (
        "no image",
        {"asg_launch_template_tier": {"name": "frontend", "app_port": 3000}},
        ["tier frontend: image is required (an ECR repository[:tag] or a registry URI)"],
    ),
    (
        "another runtime",
        {"asg_launch_template_tier": dict(WEB, runtime="fargate")},
        ["tier frontend: runtime is fargate; the asg_launch_template role deploys the tiers whose runtime is ec2 (run it only for them)"],
    ),
    (
        "role name too long",
        {"asg_launch_template_name_prefix": "p" * 50},
        [f"IAM role name {'p' * 50}-frontend-instance is longer than 64 characters; shorten asg_launch_template_name_prefix"],
    ),
    (
        "group name too long",
        {"asg_launch_template_name_prefix": "p" * 95},
        [
            f"group name {'p' * 95}-frontend is longer than 100 characters",
            f"IAM role name {'p' * 95}-frontend-instance is longer than 64 characters; shorten asg_launch_template_name_prefix",
        ],
    ),
    (
        "healthy percentage",
        {"asg_launch_template_refresh_min_healthy_percentage": 101},
        ["asg_launch_template_refresh_min_healthy_percentage must be between 0 and 100"],
    ),
    (
        "capacity",
        {"asg_launch_template_tier": dict(WEB, min_size=5, desired_capacity=3, max_size=2)},
        ["tier frontend: capacity must satisfy min_size <= desired_capacity <= max_size, got 5 <= 3 <= 2"],
    ),
]


@pytest.mark.parametrize("more, expected", [c[1:] for c in ASG_ERROR_CASES], ids=[c[0] for c in ASG_ERROR_CASES])
def test_asg_launch_template_errors(more, expected):
    assert tier_roles.asg_launch_template_errors(asg_inputs(**more), SUBNET_TIERS) == expected


def test_asg_launch_template_inputs_that_are_fine():
    assert tier_roles.asg_launch_template_errors(asg_inputs(), SUBNET_TIERS) == []
    assert tier_roles.asg_launch_template_errors(asg_inputs(asg_launch_template_tier=dict(WEB, runtime="ec2"))) == []


def test_removing_needs_neither_the_ec2_runtime_nor_an_image():
    tier = {"name": "frontend", "app_port": 3000, "runtime": "fargate"}
    assert tier_roles.asg_launch_template_errors(asg_inputs(asg_launch_template_tier=tier, asg_launch_template_state="absent")) == []
    assert len(tier_roles.asg_launch_template_errors(asg_inputs(asg_launch_template_tier=tier, asg_launch_template_state="present"))) == 2


def test_asg_launch_template_errors_of_a_tier_that_is_not_a_dict_are_the_argument_specs():
    assert tier_roles.asg_launch_template_errors(asg_inputs(asg_launch_template_tier=["frontend"])) == []


# ---- Auto Scaling -------------------------------------------------------------------------------------------------

TAGS = {"atelier:env": "local", "atelier:stack": "atelier", "atelier:tier": "frontend", "Name": "local-atelier-frontend"}


def found_group(**more):
    group = {
        "auto_scaling_group_name": "local-atelier-frontend",
        "launch_template": {"launch_template_name": "local-atelier-frontend", "version": "3"},
        "vpc_zone_identifier": "subnet-b,subnet-a",
        "target_group_arns": ["arn:tg"],
        "min_size": 2,
        "max_size": 4,
        "desired_capacity": 3,
        "health_check_type": "ELB",
        "health_check_grace_period": 300,
        "default_cooldown": 300,
        "enabled_metrics": [{"metric": "GroupInServiceInstances", "granularity": "1Minute"}],
        "tags": [{"key": k, "value": v, "propagate_at_launch": False, "resource_type": "auto-scaling-group"} for k, v in TAGS.items()],
        "instances": [],
    }
    group.update(more)
    return group


def described(**more):
    group = {
        "launch_template": {"launch_template_name": "local-atelier-frontend", "version": "3"},
        "vpc_zone_identifier": ["subnet-a", "subnet-b"],
        "target_group_arns": ["arn:tg"],
        "min_size": 2,
        "max_size": 4,
        "desired_capacity": 3,
        "health_check_type": "ELB",
        "health_check_period": 300,
        "default_cooldown": 300,
        "metrics_collection": True,
        "tags": dict(TAGS),
    }
    group.update(more)
    return group


def test_no_drift_when_the_group_is_as_described():
    assert tier_roles.asg_drift(found_group(), described()) == []


def test_no_drift_with_numbers_as_strings():
    assert tier_roles.asg_drift(found_group(), described(min_size="2", max_size="4", desired_capacity="3", default_cooldown="300")) == []


def test_drift_of_a_missing_group():
    assert tier_roles.asg_drift({}, described()) == ["the group does not exist"]
    assert tier_roles.asg_drift(None, described()) == ["the group does not exist"]


DRIFT_CASES = [
    (
        "new launch template version",
        {},
        {"launch_template": {"launch_template_name": "local-atelier-frontend", "version": "4"}},
        "launch template is local-atelier-frontend:3, wants local-atelier-frontend:4",
    ),
    (
        "a subnet more",
        {},
        {"vpc_zone_identifier": ["subnet-a", "subnet-b", "subnet-c"]},
        "subnets is ['subnet-a', 'subnet-b'], wants ['subnet-a', 'subnet-b', 'subnet-c']",
    ),
    ("target group", {"target_group_arns": []}, {}, "target groups is [], wants ['arn:tg']"),
    ("min", {}, {"min_size": 1}, "min_size is 2, wants 1"),
    ("max", {}, {"max_size": 6}, "max_size is 4, wants 6"),
    ("desired", {"desired_capacity": 5}, {}, "desired_capacity is 5, wants 3"),
    ("health check type", {}, {"health_check_type": "EC2"}, "health_check_type is ELB, wants EC2"),
    ("grace period", {"health_check_grace_period": 120}, {}, "health_check_grace_period is 120, wants 300"),
    ("cooldown", {}, {"default_cooldown": 120}, "default_cooldown is 300, wants 120"),
    ("metrics off", {"enabled_metrics": []}, {}, "metrics collection is False, wants True"),
    ("metrics on", {}, {"metrics_collection": False}, "metrics collection is True, wants False"),
    (
        "a tag more",
        {},
        {"tags": dict(TAGS, team="web")},
        f"tags is {TAGS}, wants {dict(TAGS, team='web')}",
    ),
]


@pytest.mark.parametrize("have, want, message", [c[1:] for c in DRIFT_CASES], ids=[c[0] for c in DRIFT_CASES])
def test_drift(have, want, message):
    assert tier_roles.asg_drift(found_group(**have), described(**want)) == [message]


def test_every_difference_is_listed():
    drift = tier_roles.asg_drift(found_group(min_size=1, max_size=9), described(health_check_type="EC2"))
    assert [d.split(" is ")[0] for d in drift] == ["min_size", "max_size", "health_check_type"]


DESIRED_CASES = [
    ("new group: the tier's", None, 2),
    ("within min..max: kept", {"desired_capacity": 3}, 3),
    ("below min: raised", {"desired_capacity": 0}, 2),
    ("above max: lowered", {"desired_capacity": 9}, 4),
]


@pytest.mark.parametrize("current, expected", [c[1:] for c in DESIRED_CASES], ids=[c[0] for c in DESIRED_CASES])
def test_desired_capacity(current, expected):
    assert tier_roles.asg_desired_capacity(current, dict(WEB, min_size=2, desired_capacity=2, max_size=4)) == expected


def instance(instance_id, version, state="InService"):
    return {"instance_id": instance_id, "lifecycle_state": state, "launch_template": {"version": version}}


OUTDATED_CASES = [
    ("none", [], "3", []),
    ("all current", [instance("i-1", "3"), instance("i-2", "3")], "3", []),
    ("one older", [instance("i-1", "2"), instance("i-2", "3")], "3", ["i-1"]),
    ("version as a number", [instance("i-1", 3)], "3", []),
    ("pending counts", [instance("i-1", "2", "Pending")], "3", ["i-1"]),
    (
        "on their way out do not count",
        [instance("i-1", "2", "Terminating"), instance("i-2", "2", "Terminating:Wait"), instance("i-3", "2", "Terminated")],
        "3",
        [],
    ),
    ("without a launch template", [{"instance_id": "i-1", "lifecycle_state": "InService"}], "3", ["i-1"]),
]


@pytest.mark.parametrize("instances, version, expected", [c[1:] for c in OUTDATED_CASES], ids=[c[0] for c in OUTDATED_CASES])
def test_outdated_instances(instances, version, expected):
    assert tier_roles.asg_outdated_instances({"instances": instances}, version) == expected


def test_no_outdated_instances_without_a_group():
    assert tier_roles.asg_outdated_instances({}, "1") == []
    assert tier_roles.asg_outdated_instances(None, "1") == []


def policies(scaling, state="present"):
    return {p["name"]: p for p in tier_roles.asg_scaling_policies(dict(WEB, scaling=scaling), NAMES, state)}


@pytest.mark.parametrize(
    "scaling, state, expected",
    [
        ({}, "present", {"target": "present", "high": "absent", "low": "absent"}),
        ({"policy": "target_tracking"}, "present", {"target": "present", "high": "absent", "low": "absent"}),
        ({"policy": "step"}, "present", {"target": "absent", "high": "present", "low": "present"}),
        ({"policy": "none"}, "present", {"target": "absent", "high": "absent", "low": "absent"}),
        ({"policy": "step"}, "absent", {"target": "absent", "high": "absent", "low": "absent"}),
    ],
)
def test_scaling_policy_states(scaling, state, expected):
    got = policies(scaling, state)
    assert {name.rsplit("-", 1)[1]: p["state"] for name, p in got.items()} == expected
    assert list(got) == ["local-atelier-frontend-cpu-target", "local-atelier-frontend-cpu-high", "local-atelier-frontend-cpu-low"]


def test_target_tracking_policy():
    p = policies({"cpu_target": 60, "cooldown": 120})["local-atelier-frontend-cpu-target"]
    assert p == {
        "name": "local-atelier-frontend-cpu-target",
        "state": "present",
        "policy_type": "TargetTrackingScaling",
        "target_tracking_config": {"predefined_metric_spec": {"predefined_metric_type": "ASGAverageCPUUtilization"}, "target_value": 60.0},
        "estimated_instance_warmup": 120,
    }


def test_step_policies_and_their_alarms():
    got = policies({"policy": "step", "scale_out_cpu": 75, "scale_in_cpu": 25, "cooldown": 120})
    high, low = got["local-atelier-frontend-cpu-high"], got["local-atelier-frontend-cpu-low"]
    assert (high["policy_type"], high["adjustment_type"], high["metric_aggregation"]) == ("StepScaling", "ChangeInCapacity", "Average")
    assert high["step_adjustments"] == [{"lower_bound": 0, "scaling_adjustment": 1}]
    assert low["step_adjustments"] == [{"upper_bound": 0, "scaling_adjustment": -1}]
    assert high["alarm"] == {
        "description": "Scale local-atelier-frontend out: average CPU above 75 %",
        "comparison": "GreaterThanThreshold",
        "threshold": 75.0,
        "evaluation_periods": 1,
        "unit": "Percent",
    }
    assert low["alarm"] == {
        "description": "Scale local-atelier-frontend in: average CPU below 25 %",
        "comparison": "LessThanThreshold",
        "threshold": 25.0,
        "evaluation_periods": 2,
        "unit": "Percent",
    }
    assert high["estimated_instance_warmup"] == low["estimated_instance_warmup"] == 120


def test_absent_policies_have_no_warmup():
    got = policies({"policy": "step"})
    assert "estimated_instance_warmup" not in got["local-atelier-frontend-cpu-target"]
    assert all("estimated_instance_warmup" not in p for p in policies({}, "absent").values())


MISSING_CASES = [
    ("everything there", [{"subnet_id": "s"}], [{"group_id": "g"}], [{"target_group_arn": "t"}], []),
    ("nothing there", [], [], [], ["frontend subnets", "security group local-atelier-frontend", "target group local-atelier-frontend-tg"]),
    ("no target group", [{"subnet_id": "s"}], [{"group_id": "g"}], None, ["target group local-atelier-frontend-tg"]),
]


@pytest.mark.parametrize("subnets, groups, target_groups, expected", [c[1:] for c in MISSING_CASES], ids=[c[0] for c in MISSING_CASES])
def test_missing_prerequisites(subnets, groups, target_groups, expected):
    assert tier_roles.asg_missing(WEB, NAMES, subnets, groups, target_groups) == expected


# ---- upstream URLs ------------------------------------------------------------------------------------------------

BACKEND = {"name": "backend", "app_port": 8080, "clients": ["frontend"], "cloudfront": True}
SEARCH = {"name": "search-api", "app_port": 9200, "alb_scheme": "internal", "clients": ["frontend", "backend"]}
SECURE = {"name": "payments", "app_port": 8443, "clients": ["frontend"], "certificate_arn": CERT}


def test_upstreams_are_the_tiers_that_list_this_one_as_a_client():
    tiers = [WEB, BACKEND, SEARCH, SECURE]
    assert tier_roles.tier_upstreams(WEB, tiers, PREFIX) == [
        {
            "tier": "backend",
            "variable": "BACKEND_URL",
            "cloudfront": True,
            "https": False,
            "alb": "local-atelier-backend",
            "distribution": "local-atelier-backend",
        },
        {
            "tier": "search-api",
            "variable": "SEARCH_API_URL",
            "cloudfront": False,
            "https": False,
            "alb": "local-atelier-search-api",
            "distribution": "local-atelier-search-api",
        },
        {
            "tier": "payments",
            "variable": "PAYMENTS_URL",
            "cloudfront": False,
            "https": True,
            "alb": "local-atelier-payments",
            "distribution": "local-atelier-payments",
        },
    ]
    assert [u["tier"] for u in tier_roles.tier_upstreams(BACKEND, tiers, PREFIX)] == ["search-api"]
    assert tier_roles.tier_upstreams(SEARCH, tiers, PREFIX) == []


UPSTREAMS = tier_roles.tier_upstreams(WEB, [WEB, BACKEND, SEARCH, SECURE], PREFIX)
LBS = [
    {"load_balancer_name": "local-atelier-search-api", "dns_name": "internal-search.elb.amazonaws.com"},
    {"load_balancer_name": "local-atelier-payments", "dns_name": "payments.elb.amazonaws.com"},
    # the backend's ALB: behind CloudFront it is never the URL
    {"load_balancer_name": "local-atelier-backend", "dns_name": "backend.elb.amazonaws.com"},
]
# cloudfront_distribution_info's list: keyed by id and by each alias (the same distribution twice), other stacks' too
CDNS = {
    "E1": {"Id": "E1", "Comment": "local-atelier-backend", "DomainName": "d111.cloudfront.net"},
    "api.example.com": {"Id": "E1", "Comment": "local-atelier-backend", "DomainName": "d111.cloudfront.net"},
    "E2": {"Id": "E2", "Comment": "other-atelier-backend", "DomainName": "d222.cloudfront.net"},
}


def test_upstream_environment_when_everything_exists():
    assert tier_roles.tier_upstream_environment(UPSTREAMS, LBS, CDNS) == {
        "environment": {
            "BACKEND_URL": "https://d111.cloudfront.net",
            "SEARCH_API_URL": "http://internal-search.elb.amazonaws.com",
            "PAYMENTS_URL": "https://payments.elb.amazonaws.com",
        },
        "missing": [],
    }


def test_upstream_environment_takes_the_load_balancers_as_lists_of_lookups():
    nested = [[LBS[0]], [], [LBS[1]]]
    assert tier_roles.tier_upstream_environment(UPSTREAMS[1:], nested, None)["environment"] == {
        "SEARCH_API_URL": "http://internal-search.elb.amazonaws.com",
        "PAYMENTS_URL": "https://payments.elb.amazonaws.com",
    }


def test_upstreams_that_do_not_exist_yet_are_missing_not_placeholders():
    result = tier_roles.tier_upstream_environment(UPSTREAMS, LBS[1:], {"E2": CDNS["E2"]})
    assert result["environment"] == {"PAYMENTS_URL": "https://payments.elb.amazonaws.com"}
    assert all("unknown" not in value for value in result["environment"].values())
    assert result["missing"] == [
        {
            "tier": "backend",
            "variable": "BACKEND_URL",
            "resource": "distribution",
            "name": "local-atelier-backend",
            "needs": "BACKEND_URL needs backend's distribution local-atelier-backend",
            "would_be": "BACKEND_URL would be known once backend's distribution exists",
        },
        {
            "tier": "search-api",
            "variable": "SEARCH_API_URL",
            "resource": "ALB",
            "name": "local-atelier-search-api",
            "needs": "SEARCH_API_URL needs search-api's ALB local-atelier-search-api",
            "would_be": "SEARCH_API_URL would be known once search-api's ALB exists",
        },
    ]


def test_no_upstreams_no_environment():
    assert tier_roles.tier_upstream_environment([], LBS, CDNS) == {"environment": {}, "missing": []}


# this run's cloudfront_outputs (tier hosts of the play), the backend's among other tiers'
GIVEN = [
    {"tier": "frontend", "name": "local-atelier-frontend", "id": "E3", "domain_name": "d333.cloudfront.net"},
    {"tier": "backend", "name": "local-atelier-backend", "id": "E1", "domain_name": "d111.cloudfront.net", "status": "InProgress"},
]


def test_a_distribution_this_run_converged_needs_no_list():
    known = tier_roles.tier_upstream_distributions(UPSTREAMS, GIVEN)
    assert known == {"distributions": [{"Comment": "local-atelier-backend", "DomainName": "d111.cloudfront.net"}], "unknown": []}
    assert tier_roles.tier_upstream_environment(UPSTREAMS, LBS, known["distributions"])["environment"]["BACKEND_URL"] == "https://d111.cloudfront.net"


@pytest.mark.parametrize(
    "given",
    [
        None,
        [],
        [GIVEN[0]],
        # check mode before the distribution exists: no domain name yet
        [dict(GIVEN[1], id="", domain_name="")],
        [dict(GIVEN[1], domain_name=None)],
        # another stack's distribution of the same tier
        [dict(GIVEN[1], name="other-atelier-backend")],
    ],
)
def test_a_distribution_not_given_with_a_domain_name_is_listed(given):
    known = tier_roles.tier_upstream_distributions(UPSTREAMS, given)
    assert known == {"distributions": [], "unknown": ["local-atelier-backend"]}


def test_the_distributions_listed_come_last_and_win():
    listed = {"E1": dict(CDNS["E1"], DomainName="d999.cloudfront.net"), "E2": CDNS["E2"]}
    known = tier_roles.tier_upstream_distributions(UPSTREAMS, GIVEN, listed)
    assert known["unknown"] == []
    assert known["distributions"][0] == {"Comment": "local-atelier-backend", "DomainName": "d111.cloudfront.net"}
    assert tier_roles.tier_upstream_environment(UPSTREAMS, LBS, known["distributions"])["environment"]["BACKEND_URL"] == "https://d999.cloudfront.net"
    # listed only (a partial run): what the role read before
    assert tier_roles.tier_upstream_distributions(UPSTREAMS, [], CDNS) == {"distributions": list(CDNS.values()), "unknown": []}
    assert tier_roles.tier_upstream_distributions(UPSTREAMS, [], {"E2": CDNS["E2"]})["unknown"] == ["local-atelier-backend"]


@pytest.mark.parametrize("upstreams", [[], UPSTREAMS[1:]])
def test_no_upstream_behind_cloudfront_needs_no_list(upstreams):
    assert tier_roles.tier_upstream_distributions(upstreams, []) == {"distributions": [], "unknown": []}
    assert tier_roles.tier_upstream_distributions(upstreams, GIVEN) == {"distributions": [], "unknown": []}


def test_run_distributions_are_the_cloudfront_outputs_of_the_hosts_that_have_one():
    hostvars = {
        "frontend": {"atelier_tier": {"name": "frontend"}, "cloudfront_outputs": GIVEN[0]},
        "backend": {"cloudfront_outputs": GIVEN[1]},
        # the cloudfront role did not run there in this run
        "worker": {"atelier_tier": {"name": "worker"}},
        "broken": {"cloudfront_outputs": "not a dict"},
    }
    assert tier_roles.run_distributions(hostvars, ["backend", "worker", "frontend", "broken", "gone"]) == [GIVEN[1], GIVEN[0]]
    assert tier_roles.run_distributions(hostvars, []) == []


# ---- user data ----------------------------------------------------------------------------------------------------

ECR_RUNTIME = {"image": "1.dkr.ecr.us-east-1.amazonaws.com/p/web:1", "registry": "1.dkr.ecr.us-east-1.amazonaws.com", "ecr_login": True, "secrets": []}
SECRETS = [
    {"env": "API_TOKEN", "secret_id": "arn:aws:secretsmanager:us-east-1:1:secret:api-AbCdEf", "json_key": "token", "arn": "x"},
    {"env": "LICENSE", "secret_id": "worker/license key", "json_key": "", "arn": "y"},
]


def test_user_data_ecr_login_only_for_ecr():
    parts = tier_roles.asg_user_data(WEB, ECR_RUNTIME)
    assert parts["ecr_login"] == (
        "\nlogin_to_ecr() {\n"
        '  aws ecr get-login-password --region "${REGION}" | docker login --username AWS --password-stdin 1.dkr.ecr.us-east-1.amazonaws.com\n'
        "}\nretry login_to_ecr\n"
    )
    assert tier_roles.asg_user_data(WEB, dict(ECR_RUNTIME, ecr_login=False, registry="ghcr.io"))["ecr_login"] == ""


def test_user_data_reads_secrets_into_variables_and_passes_them_by_name():
    parts = tier_roles.asg_user_data(WEB, dict(ECR_RUNTIME, secrets=SECRETS))
    assert parts["read_secrets"].startswith("\nsecret_string() {\n")
    assert parts["read_secrets"].endswith(
        "API_TOKEN=$(retry secret_string arn:aws:secretsmanager:us-east-1:1:secret:api-AbCdEf | json_field token)\n"
        "export API_TOKEN\n"
        "LICENSE=$(retry secret_string 'worker/license key')\n"
        "export LICENSE\n"
    )
    assert parts["env_options"].splitlines()[-2:] == ["  --env API_TOKEN \\", "  --env LICENSE \\"]
    assert tier_roles.asg_user_data(WEB, ECR_RUNTIME)["read_secrets"] == ""


def test_user_data_environment_is_sorted_quoted_and_the_urls_win():
    tier = dict(WEB, environment={"b_level": "x", "API_URL": "mine", "GREETING": "hello world; $(rm -rf /)", "WORKERS": 4})
    parts = tier_roles.asg_user_data(tier, ECR_RUNTIME, {"API_URL": "https://d1.cloudfront.net"})
    assert parts["env_options"].splitlines() == [
        '  --env "PORT=${APP_PORT}" \\',
        "  --env API_URL=https://d1.cloudfront.net \\",
        "  --env b_level=x \\",
        "  --env 'GREETING=hello world; $(rm -rf /)' \\",
        "  --env WORKERS=4 \\",
    ]


def test_user_data_inputs_are_not_changed():
    tier = dict(WEB, environment={"A": "1"})
    before = copy.deepcopy(tier)
    tier_roles.asg_user_data(tier, ECR_RUNTIME, {"B_URL": "x"})
    assert tier == before


def test_user_data_environment_has_the_grants_variables_and_the_urls_win():
    parts = tier_roles.asg_user_data(
        dict(WEB, environment={"LOG_LEVEL": "info"}),
        ECR_RUNTIME,
        {"API_URL": "https://d1.cloudfront.net"},
        {"DYNAMODB_TABLE": "local-atelier-AtelierDB", "AWS_REGION": "us-east-1", "API_URL": "not a URL"},
    )
    assert parts["env_options"].splitlines() == [
        '  --env "PORT=${APP_PORT}" \\',
        "  --env API_URL=https://d1.cloudfront.net \\",
        "  --env AWS_REGION=us-east-1 \\",
        "  --env DYNAMODB_TABLE=local-atelier-AtelierDB \\",
        "  --env LOG_LEVEL=info \\",
    ]


# ---- what the tier's role may use ---------------------------------------------------------------------------------

ACCOUNT = "123456789012"
GRANTED = {"name": "backend", "app_port": 8080, "image": "b:1", "grants": [{"kind": "dynamodb_table", "name": "AtelierDB", "access": "read_write"}]}
TABLE_ARN = "arn:aws:dynamodb:{}:123456789012:table/local-atelier-AtelierDB"


def lookup(name, table=None):
    """One result of the role's loop of dynamodb_global_table_info."""
    item = {"name": name, "table": f"{PREFIX}-{name}"}
    return {"item": item, "exists": table is not None, "table": table or {}, "changed": False}


def test_granted_tables_are_the_tables_of_the_grants_once_each():
    tier = dict(GRANTED, grants=[
        {"kind": "dynamodb_table", "name": "AtelierDB", "access": "read"},
        {"kind": "secret", "name": "db-credentials"},
        {"kind": "dynamodb_table", "name": "AtelierDB", "access": "write", "env": "WRITE_TABLE"},
        {"kind": "dynamodb_table", "name": "Orders"},
    ])
    assert tier_roles.tier_granted_tables(tier, PREFIX) == [
        {"name": "AtelierDB", "table": "local-atelier-AtelierDB"},
        {"name": "Orders", "table": "local-atelier-Orders"},
    ]
    assert tier_roles.tier_granted_tables(WEB, PREFIX) == []


def test_table_regions_are_its_own_and_its_replicas():
    table = {"table_arn": TABLE_ARN.format("us-east-1"), "replicas": [{"region_name": "eu-west-1"}, {"region_name": "af-south-1"}]}
    assert tier_roles.tier_table_regions([lookup("AtelierDB", table)], "us-east-1") == {
        "regions": {"AtelierDB": ["af-south-1", "eu-west-1", "us-east-1"]},
        "missing": [],
    }


def test_a_table_found_from_a_replica_region_counts_its_arns_region():
    table = {"table_arn": TABLE_ARN.format("eu-west-1"), "replicas": [{"region_name": "us-east-1"}]}
    assert tier_roles.tier_table_regions([lookup("AtelierDB", table)], "eu-west-1")["regions"] == {"AtelierDB": ["eu-west-1", "us-east-1"]}


def test_a_missing_table_is_granted_in_the_home_region_only_and_listed():
    found = {"table_arn": TABLE_ARN.format("us-east-1").replace("AtelierDB", "Found"), "replicas": []}
    result = tier_roles.tier_table_regions([lookup("AtelierDB"), lookup("Found", found)], "us-east-1")
    assert result == {"regions": {"AtelierDB": ["us-east-1"], "Found": ["us-east-1"]}, "missing": ["local-atelier-AtelierDB"]}


DB_OUTPUTS = {"table_name": "local-atelier-AtelierDB", "region": "us-east-1", "table_arn": TABLE_ARN.format("us-east-1"),
              "stream_arn": "", "replicas": ["eu-west-1", "af-south-1"]}


def test_this_runs_table_outputs_answer_the_lookups_as_the_reads_would():
    tables = [{"name": "AtelierDB", "table": "local-atelier-AtelierDB"}]
    lookups = tier_roles.tier_table_lookups(DB_OUTPUTS, tables, "us-east-1")
    read = lookup("AtelierDB", {"table_arn": TABLE_ARN.format("us-east-1"),
                                "replicas": [{"region_name": "eu-west-1"}, {"region_name": "af-south-1"}]})
    assert tier_roles.tier_table_regions(lookups["results"], "us-east-1") == tier_roles.tier_table_regions([read], "us-east-1")
    assert tier_roles.tier_table_lookups(DB_OUTPUTS, [], "us-east-1") == {"results": []}
    # By name (the monitoring role's loop over the tables it found), as dynamodb_global_table_info names them.
    (by_name,) = tier_roles.tier_table_lookups(DB_OUTPUTS, ["local-atelier-AtelierDB"], "us-east-1")["results"]
    assert by_name["item"] == "local-atelier-AtelierDB" and by_name["table"]["name"] == "local-atelier-AtelierDB"
    assert tier_roles.tier_table_lookups(DB_OUTPUTS, ["local-atelier-AtelierDB", "local-atelier-Other"], "us-east-1") is None


@pytest.mark.parametrize(
    "outputs, region",
    [
        pytest.param(None, "us-east-1", id="the table role did not run in this run"),
        pytest.param(dict(DB_OUTPUTS, table_arn=""), "us-east-1", id="check mode before the table exists"),
        pytest.param(dict(DB_OUTPUTS, table_name="local-atelier-Orders"), "us-east-1", id="another table"),
        pytest.param(DB_OUTPUTS, "eu-west-1", id="the tier in another region"),
    ],
)
def test_a_table_this_run_did_not_give_is_read(outputs, region):
    tables = [{"name": "AtelierDB", "table": "local-atelier-AtelierDB"}]
    assert tier_roles.tier_table_lookups(outputs, tables, region) is None
    # Two tables granted, only one in the outputs: both are read.
    both = tables + [{"name": "Orders", "table": "local-atelier-Orders"}]
    assert tier_roles.tier_table_lookups(DB_OUTPUTS, both, "us-east-1") is None


def test_table_regions_of_no_lookup_and_of_a_skipped_loop():
    assert tier_roles.tier_table_regions([], "us-east-1") == {"regions": {}, "missing": []}
    assert tier_roles.tier_table_regions([{"skipped": True}], "us-east-1") == {"regions": {}, "missing": []}


def test_access_is_one_policy_with_the_table_in_every_region_and_the_containers_variables():
    access = tier_roles.tier_access(GRANTED, PREFIX, ACCOUNT, "us-east-1", "aws", {"AtelierDB": ["eu-west-1", "us-east-1"]})
    assert access["policy_name"] == "tier-access" and access["state"] == "present"
    table, indexes = access["policy"]["Statement"]
    assert table["Resource"] == [TABLE_ARN.format("eu-west-1"), TABLE_ARN.format("us-east-1")]
    assert indexes["Resource"] == [TABLE_ARN.format("eu-west-1") + "/index/*", TABLE_ARN.format("us-east-1") + "/index/*"]
    assert {"dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query"} <= set(table["Action"])
    assert not {"dynamodb:DeleteTable", "dynamodb:UpdateTable"} & set(table["Action"])
    assert access["environment"] == {"DYNAMODB_TABLE": "local-atelier-AtelierDB", "AWS_REGION": "us-east-1"}


def test_access_without_the_tables_regions_names_the_home_region():
    access = tier_roles.tier_access(GRANTED, PREFIX, ACCOUNT, "eu-west-1", "aws-cn")
    assert access["policy"]["Statement"][0]["Resource"] == ["arn:aws-cn:dynamodb:eu-west-1:123456789012:table/local-atelier-AtelierDB"]


def test_access_carries_the_tiers_secrets_in_the_same_policy():
    secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:local-atelier-db-credentials-??????"
    access = tier_roles.tier_access(dict(WEB, secrets={"DB": "local-atelier-db-credentials"}), PREFIX, ACCOUNT, "us-east-1", secret_arns=[secret])
    (statement,) = access["policy"]["Statement"]
    assert statement["Sid"] == "ReadTheTierSecretsOnly" and statement["Resource"] == [secret]
    assert set(statement["Action"]) == {"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}
    # Secrets are read by the user data, not named in the container's environment.
    assert access["environment"] == {}


def test_an_ec2_tier_with_tracing_sends_traces_to_xray_only():
    access = tier_roles.tier_access(dict(WEB, tracing=True), PREFIX, ACCOUNT, "us-east-1")
    (statement,) = access["policy"]["Statement"]
    assert (statement["Sid"], statement["Resource"]) == ("SendTracesToXRay", "*")
    assert {a.split(":")[0] for a in statement["Action"]} == {"xray"} and access["environment"] == {}


def test_no_grants_and_no_secrets_no_policy():
    assert tier_roles.tier_access(WEB, PREFIX, ACCOUNT, "us-east-1") == {
        "policy_name": "tier-access",
        "policy": None,
        "state": "absent",
        "environment": {},
    }


def test_access_does_not_change_the_tier():
    tier = copy.deepcopy(GRANTED)
    tier_roles.tier_access(tier, PREFIX, ACCOUNT, "us-east-1", "aws", {"AtelierDB": ["us-east-1"]}, ["x"])
    assert tier == GRANTED


# ---------------------------------------------------------------- reads shared by every tier (playbooks/tiers.yml)

AMI_PARAMETER = tier_roles.tier_spec.settings({"name": "x", "app_port": 80})["ami_ssm_parameter"]
SHARED_TIERS = [
    {"name": "web", "app_port": 80, "image": "web:1", "cloudfront": True},
    {"name": "api", "app_port": 80, "image": "api:1", "ami_id": "ami-0123456789abcdef0"},
    {"name": "jobs", "app_port": 80, "image": "jobs:1", "runtime": "fargate", "cloudfront": True},
    {"name": "site", "runtime": "static"},
]


def test_one_read_names_every_tiers_resources_once():
    read = tier_roles.tier_values_read(SHARED_TIERS + SHARED_TIERS[:1], "p")
    assert read == {
        "auto_scaling_groups": ["p-web", "p-api"],
        "launch_templates": ["p-web", "p-api"],
        # The AMI's parameter once (api gives ami_id), each agent's parameter with its details.
        "parameters": [AMI_PARAMETER, "AmazonCloudWatch-p-web", "AmazonCloudWatch-p-api"],
        "parameter_details": ["AmazonCloudWatch-p-web", "AmazonCloudWatch-p-api"],
        # Only tiers with a load balancer; the secret only behind CloudFront.
        "secrets": ["p/web/origin-verify", "p/jobs/origin-verify"],
        "secret_details": True,
        "web_acls": ["p-web", "p-api", "p-jobs"],
        # Each tier's own target group: the fargate tier's is of type ip.
        "load_balancers": ["p-web", "p-api", "p-jobs"],
        "target_groups": ["p-web-tg", "p-api-tg", stack.tier_names("p", "jobs", "fargate")["target_group"]],
        # Each EC2 tier's instance role and containers' log group.
        "iam_roles": ["p-web-instance", "p-api-instance"],
        "log_groups": ["/aws/ec2/p/web", "/aws/ec2/p/api"],
        "scaling_policies": ["p-web", "p-api"],
        # The alarms named as every policy the role gives (also those it removes), read in one call.
        "scaling_alarms": [f"p-{tier}-cpu-{kind}" for tier in ("web", "api") for kind in ("target", "high", "low")],
        # The distributions are the cloudfront role's, read apart.
        "distributions": [],
    }


def test_a_role_reads_only_its_own_part():
    asg = tier_roles.tier_values_read(SHARED_TIERS, "p", ("asg_launch_template",))
    assert asg["secrets"] == [] and asg["web_acls"] == [] and asg["secret_details"] is False
    alb = tier_roles.tier_values_read(SHARED_TIERS[:1], "p", ("alb",))
    assert alb["auto_scaling_groups"] == [] and alb["parameters"] == [] and alb["secrets"] == ["p/web/origin-verify"]
    with pytest.raises(ValueError, match="unknown role fargate"):
        tier_roles.tier_values_read(SHARED_TIERS, "p", ("fargate",))
    # The distribution and its CLOUDFRONT web ACL of every tier with a load balancer, alone.
    cloudfront = tier_roles.tier_values_read(SHARED_TIERS, "p", ("cloudfront",))
    assert cloudfront["distributions"] == cloudfront["web_acls"] == ["p-web", "p-api", "p-jobs"]
    assert cloudfront["load_balancers"] == cloudfront["secrets"] == cloudfront["auto_scaling_groups"] == []
    with pytest.raises(ValueError, match="cloudfront is read apart"):
        tier_roles.tier_values_read(SHARED_TIERS, "p", ("alb", "cloudfront"))


def _values(**answers):
    values = {"changed": False, "secrets": {}, "parameters": {}, "missing_secrets": [], "missing_parameters": [], "deleted_secrets": []}
    values.update(answers)
    return values


ASG_READ = tier_roles.tier_values_read(SHARED_TIERS[:1], "p", ("asg_launch_template",))
SHARED_ASG = _values(
    parameters={AMI_PARAMETER: "ami-1", "AmazonCloudWatch-p-web": "{}"},
    parameter_details={"AmazonCloudWatch-p-web": {"type": "String"}},
    auto_scaling_group_details={"p-web": {}}, missing_auto_scaling_groups=["p-api"],
    launch_template_details={}, missing_launch_templates=["p-web", "p-api"],
    iam_role_details={"p-web-instance": {}}, missing_iam_roles=[],
    log_group_details={}, missing_log_groups=["/aws/ec2/p/web"],
    scaling_policy_details={"p-web": []}, scaling_alarm_details={"p-web-cpu-high": {}},
    missing_scaling_alarms=["p-web-cpu-target", "p-web-cpu-low"],
)


def test_a_shared_read_that_answers_every_name_is_used():
    # Found or missing: both answer (a missing launch template is one the role creates).
    assert tier_roles.aws_values_cover(SHARED_ASG, ASG_READ) is SHARED_ASG
    missing_agent = dict(SHARED_ASG, parameters={AMI_PARAMETER: "ami-1"}, parameter_details={},
                         missing_parameters=["AmazonCloudWatch-p-web"])
    assert tier_roles.aws_values_cover(missing_agent, ASG_READ) is missing_agent


@pytest.mark.parametrize("values", [
    None, {}, {"skipped": True, "changed": False}, {"failed": True, "msg": "AccessDenied"},
    # The group was not asked for (another tier's read, or a read without groups).
    dict(SHARED_ASG, auto_scaling_group_details={}, missing_auto_scaling_groups=[]),
    {k: v for k, v in SHARED_ASG.items() if k not in ("auto_scaling_group_details", "missing_auto_scaling_groups")},
    # The agent's parameter read without its details.
    {k: v for k, v in SHARED_ASG.items() if k != "parameter_details"},
    dict(SHARED_ASG, parameter_details={}),
    dict(SHARED_ASG, launch_template_details={}, missing_launch_templates=["p-api"]),
    # The instance role or the log group not read (a read made before the role read them).
    {k: v for k, v in SHARED_ASG.items() if k not in ("iam_role_details", "missing_iam_roles")},
    dict(SHARED_ASG, log_group_details={}, missing_log_groups=[]),
    dict(SHARED_ASG, scaling_policy_details={"p-api": []}),
    dict(SHARED_ASG, missing_scaling_alarms=["p-web-cpu-target"]),
], ids=["none", "empty", "skipped", "failed", "group not read", "no groups", "no details", "details missing", "template not read",
        "no roles", "log group not read", "policies not read", "alarm not read"])
def test_a_shared_read_that_does_not_answer_a_name_is_not_used(values):
    assert tier_roles.aws_values_cover(values, ASG_READ) is None


def test_the_secrets_and_web_acls_are_answered_found_missing_or_deleted():
    read = tier_roles.tier_values_read(SHARED_TIERS[:1], "p", ("alb",))
    elbs = {"load_balancer_details": {"p-web": {}}, "missing_load_balancers": [], "target_group_details": {},
            "missing_target_groups": ["p-web-tg"]}
    found = _values(secrets={"p/web/origin-verify": "x"}, secret_details={"p/web/origin-verify": {}},
                    web_acl_details={}, missing_web_acls=["p-web"], **elbs)
    assert tier_roles.aws_values_cover(found, read) is found
    deleted = _values(deleted_secrets=["p/web/origin-verify"], secret_details={"p/web/origin-verify": {}},
                      web_acl_details={"p-web": {}}, missing_web_acls=[], **elbs)
    assert tier_roles.aws_values_cover(deleted, read) is deleted
    # Without the details the role compares, or without the web ACLs: the role reads by itself.
    assert tier_roles.aws_values_cover({k: v for k, v in found.items() if k != "secret_details"}, read) is None
    assert tier_roles.aws_values_cover({k: v for k, v in found.items() if k != "missing_web_acls"}, read) is None
    assert tier_roles.aws_values_cover({k: v for k, v in found.items() if k != "missing_target_groups"}, read) is None


DISTRIBUTION = {"resource_type": "cloudfront:distribution", "name": "E2QWRUHAPOMQZL",
                "arn": "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL", "tags": {"Name": "p-web"}}


def test_the_one_distribution_tagged_with_the_name_gives_its_id():
    other = dict(DISTRIBUTION, name="EOTHER", tags={"Name": "p-api"})
    balancer = {"resource_type": "elasticloadbalancing:loadbalancer", "name": "p-web", "tags": {"Name": "p-web"}}
    assert tier_roles.tagged_distribution_id([balancer, other, DISTRIBUTION], "p-web") == "E2QWRUHAPOMQZL"


@pytest.mark.parametrize("resources", [
    None, [], [dict(DISTRIBUTION, tags={})], [DISTRIBUTION, dict(DISTRIBUTION, name="ESECOND")],
], ids=["none", "empty", "untagged", "two of the name"])
def test_no_id_unless_exactly_one_distribution_has_the_name(resources):
    assert tier_roles.tagged_distribution_id(resources, "p-web") == ""


def test_the_tiers_target_group_and_load_balancer_are_taken_from_the_read_of_every_tier():
    names = stack.tier_names("p", "web", "ec2")
    values = {"target_group_details": {"p-web-tg": {"target_group_name": "p-web-tg"}, "p-api-tg": {"target_group_name": "p-api-tg"}},
              "load_balancer_details": {"p-api": {"load_balancer_name": "p-api"}}, "missing_load_balancers": ["p-web"]}
    assert tier_roles.alb_found(values, names) == {"target_groups": [{"target_group_name": "p-web-tg"}], "load_balancers": []}
    assert tier_roles.alb_found(None, names) is None
