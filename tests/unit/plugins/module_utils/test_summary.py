# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The end-of-run summary and the teardown's kept list, assembled from each role's outputs."""

from ansible_collections.atelier.infra.plugins.module_utils import summary

VPC = {
    "vpc_id": "vpc-1",
    "cidr": "10.0.0.0/16",
    "azs": ["us-east-1a", "us-east-1b"],
    "subnets": {"public": [{"id": "subnet-1", "az": "us-east-1a", "cidr": "10.0.1.0/24"}]},
    "nat_gateways": {"us-east-1a": "nat-1"},
}
HOSTVARS = {
    "control": {
        "atelier_env": "local",
        "monitoring_outputs": {"alarm_names": ["a", "b"], "topic_arn": "arn:topic", "dashboard_url": "https://dash"},
        "vpc_outputs": VPC,
        "security_groups_outputs": {"groups": {"local-atelier-web": "sg-1"}},
        "bastion_outputs": {"instance_id": "i-1", "public_ip": "", "ssm_command": "aws ssm start-session --target i-1"},
        "dynamodb_global_outputs": {"table_name": "local-atelier-AtelierDB", "region": "us-east-1", "replicas": ["us-east-1", "eu-west-1"]},
        "backup_outputs": {"summary": ["Backup plan p (daily)"]},
        "vpc_kept": ["log group /aws/vpc-flow-logs/p"],
        "dynamodb_global_kept": ["table p-AtelierDB"],
    },
    "web": {
        "atelier_tier": {"name": "web"},
        "asg_launch_template_outputs": {
            "group_name": "p-web", "launch_template_version": "1", "image_id": "ami-1", "log_group": "/aws/ec2/p/web",
        },
        "alb_outputs": {"tier": "web", "scheme": "internet-facing", "url": "http://lb-web"},
        "cloudfront_outputs": {"id": "E1", "url": "https://d1", "domain_name": "d1", "status": "Deployed"},
        "asg_launch_template_kept": ["log group /aws/ec2/p/web"],
    },
    "api": {
        "atelier_tier": {"name": "api"},
        "alb_outputs": {"tier": "api", "scheme": "internal", "url": "http://lb-api"},
        "cloudfront_outputs": {"id": "", "domain_name": ""},
    },
}


def test_the_summary_lists_every_role_in_layer_order():
    lines = summary.stack_summary(HOSTVARS, ["control", "web", "api"], "Stack atelier (local) in us-east-1")
    assert lines == [
        "Stack atelier (local) in us-east-1",
        "VPC vpc-1 10.0.0.0/16 over us-east-1a, us-east-1b",
        "  public subnets: subnet-1 10.0.1.0/24",
        "NAT gateways: nat-1 (us-east-1a)",
        "Security group local-atelier-web: sg-1",
        "DynamoDB table local-atelier-AtelierDB in us-east-1, eu-west-1",
        "Bastion i-1 (public none): aws ssm start-session --target i-1",
        "Tier web: internet-facing ALB http://lb-web",
        "  CloudFront E1 https://d1 (d1, Deployed)",
        "  Auto Scaling group p-web (launch template v1, ami-1, logs /aws/ec2/p/web)",
        "Tier api: internal ALB http://lb-api",
        "Backup plan p (daily)",
        "Monitoring: 2 alarms to arn:topic, dashboard https://dash",
    ]


def test_a_role_unknown_to_the_summary_speaks_for_itself_or_not_at_all():
    assert summary.role_lines("dns", {"summary": ["Zone example.com"]}) == ["Zone example.com"]
    assert summary.role_lines("dns", {"zone": "example.com"}) == []
    assert summary.role_lines("vpc", {}) == []


def test_the_kept_list_gathers_every_role():
    assert summary.stack_kept(HOSTVARS, ["control", "web", "api"]) == [
        "log group /aws/vpc-flow-logs/p",
        "table p-AtelierDB",
        "log group /aws/ec2/p/web",
    ]
    assert summary.stack_kept({"control": {}}, ["control"]) == []


FARGATE = {
    "control": {"fargate_cluster_outputs": {"cluster": "p", "cluster_arn": "arn:aws:ecs:us-east-1:1:cluster/p"},
                "vpc_outputs": VPC},
    "api": {
        "atelier_tier": {"name": "api"},
        "alb_outputs": {"tier": "api", "scheme": "internet-facing", "url": "http://lb-api"},
        "fargate_outputs": {
            "tier": "api", "cluster": "p", "service": "p-api", "task_definition_arn": "arn:aws:ecs:us-east-1:1:task-definition/p-api:3",
            "revision": 3, "image": "1.dkr.ecr.us-east-1.amazonaws.com/p/api:1.2", "desired_count": 2, "log_group": "/aws/ecs/p/api",
        },
        "fargate_kept": ["CloudWatch log group /aws/ecs/p/api"],
    },
}


def test_a_fargate_tier_shows_its_service_revision_image_and_url_after_its_alb():
    lines = summary.stack_summary(FARGATE, ["control", "api"])
    assert lines[-3:] == [
        "ECS cluster p",
        "Tier api: internet-facing ALB http://lb-api",
        "  ECS service p/p-api (task definition p-api:3, 1.dkr.ecr.us-east-1.amazonaws.com/p/api:1.2, 2 tasks, logs /aws/ecs/p/api)",
    ]
    assert summary.role_lines("fargate", {"tier": "api", "service": ""}) == []
    assert summary.stack_kept(FARGATE, ["control", "api"]) == ["CloudWatch log group /aws/ecs/p/api"]


def test_the_dns_lines_name_the_https_urls_or_say_the_origin_hop_is_http():
    hostvars = {
        "web": {
            "atelier_tier": {"name": "web"},
            "alb_outputs": {"tier": "web", "scheme": "internet-facing", "url": "https://lb-web"},
            "dns_outputs": {"tier": "web", "names": ["app.example.com", "www.example.com"], "cloudfront": True,
                            "origin": "origin.app.example.com", "origin_https": True},
            "cloudfront_outputs": {"id": "E1", "url": "https://app.example.com", "domain_name": "d1", "status": "Deployed"},
        },
        "api": {
            "atelier_tier": {"name": "api"},
            "dns_outputs": {"tier": "api", "names": ["api.example.com"], "cloudfront": False, "origin_https": False},
        },
        "old": {"atelier_tier": {"name": "old"}, "dns_outputs": {"tier": "old", "names": [], "cloudfront": True}},
        "int": {"atelier_tier": {"name": "int"}, "dns_outputs": {"tier": "int", "names": [], "cloudfront": False}},
    }
    assert summary.stack_summary(hostvars, ["web", "api", "old", "int"]) == [
        "Tier web: internet-facing ALB https://lb-web",
        "  CloudFront E1 https://app.example.com (d1, Deployed)",
        "  https://app.example.com (via CloudFront, then HTTPS to origin.app.example.com)",
        "  https://www.example.com (via CloudFront, then HTTPS to origin.app.example.com)",
        "  https://api.example.com (via the ALB)",
        "  CloudFront reaches the ALB over plain HTTP (no domain: the origin hop is not encrypted)",
    ]
