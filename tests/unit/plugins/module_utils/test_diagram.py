"""The diagram of a deployed stack (make diagram): the graph from what the read-only modules return, and its views."""

import xml.dom.minidom

from ansible_collections.atelier.infra.plugins.module_utils import diagram

TIER = "atelier:tier"
LB_ARN = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/s-web/abc"
TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/s-web-tg/def"


def facts(**more):
    base = {
        "name": "s",
        "region": "us-east-1",
        "vpcs": [{"vpc_id": "vpc-1", "cidr_block": "10.0.0.0/16", "tags": {"Name": "s"}}],
        "subnets": [
            {"subnet_id": "subnet-b", "vpc_id": "vpc-1", "availability_zone": "us-east-1b", "cidr_block": "10.0.2.0/24",
             "tags": {TIER: "public"}},
            {"subnet_id": "subnet-a", "vpc_id": "vpc-1", "availability_zone": "us-east-1a", "cidr_block": "10.0.1.0/24",
             "tags": {TIER: "public"}},
            {"subnet_id": "subnet-w", "vpc_id": "vpc-1", "availability_zone": "us-east-1a", "cidr_block": "10.0.11.0/24",
             "tags": {TIER: "web"}},
            {"subnet_id": "subnet-x", "vpc_id": "vpc-other", "availability_zone": "us-east-1a", "cidr_block": "10.9.0.0/24",
             "tags": {TIER: "web"}},
        ],
        "nat_gateways": [{"nat_gateway_id": "nat-1", "subnet_id": "subnet-a", "vpc_id": "vpc-1"}],
        "security_groups": [
            {"group_id": "sg-d", "group_name": "default", "ip_permissions": []},
            {"group_id": "sg-alb", "group_name": "s-web-alb", "tags": {TIER: "web"}, "ip_permissions": [
                {"ip_protocol": "tcp", "from_port": 443, "to_port": 443, "prefix_list_ids": [{"prefix_list_id": "pl-cf"}]}]},
            {"group_id": "sg-web", "group_name": "s-web", "ip_permissions": [
                {"ip_protocol": "tcp", "from_port": 8080, "to_port": 8081, "user_id_group_pairs": [{"group_id": "sg-alb"}]}]},
            {"group_id": "sg-db", "group_name": "s-db", "ip_permissions": [
                {"ip_protocol": "-1", "user_id_group_pairs": [{"group_id": "sg-web"}], "ip_ranges": [{"cidr_ip": "10.0.0.0/16"}]}]},
        ],
        "load_balancers": [{"load_balancer_arn": LB_ARN, "load_balancer_name": "s-web", "dns_name": "s-web.elb.example",
                            "scheme": "internet-facing", "security_groups": ["sg-alb"],
                            "listeners": [{"protocol": "HTTPS", "port": 443}, {"protocol": "HTTP", "port": 80}]}],
        "target_groups": [{"target_group_arn": TG_ARN, "protocol": "HTTP", "port": 8080, "load_balancer_arns": [LB_ARN]}],
        "auto_scaling_groups": [{"auto_scaling_group_name": "s-web", "min_size": 2, "max_size": 6, "desired_capacity": 3,
                                 "target_group_arns": [TG_ARN], "tags": [{"key": TIER, "value": "web"}]}],
        "distributions": [{"cloudfront": {
            "E1": {"Distribution": {"Id": "E1", "DomainName": "d1.cloudfront.net", "DistributionConfig": {
                "Aliases": {"Items": ["www.example.com"]}, "WebACLId": "arn:waf",
                "Origins": {"Items": [{"DomainName": "s-web.elb.example", "CustomHeaders": {"Items": [
                    {"HeaderName": "X-Origin-Verify", "HeaderValue": "s3cr3t-value"}]},
                    "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"}}]}}}},
            "result": {"Distribution": {"Id": "E1", "DomainName": "d1.cloudfront.net", "DistributionConfig": {}}},
        }}],
        "tables": [{"table": {"table_name": "s-T", "replicas": [{"region_name": "eu-west-1"}, {"region_name": "af-south-1"}]}},
                   {"skipped": True}],
        "databases": [{"instances": [{"db_instance_identifier": "s-db", "engine": "postgres", "engine_version": "15.18",
                                      "db_instance_class": "db.t4g.micro", "multi_az": True}]}],
        "tagged": [
            {"resource_type": "cloudwatch:alarm", "name": "s/web/cpu-high"},
            {"resource_type": "cloudwatch:alarm", "name": "s/web/5xx"},
            {"resource_type": "sns:topic", "name": "s-alarms"},
        ],
        "tagged_global": [{"arn": "arn:aws:cloudfront::1:distribution/E1", "tags": {TIER: "web"}}],
    }
    base.update(more)
    return base


def by_id(graph):
    return {n["id"]: n for n in graph["nodes"]}


def test_the_vpc_has_a_column_per_zone_with_its_subnets_and_nat_gateways_and_only_its_own_subnets():
    vpc = diagram.stack_graph(facts())["vpcs"][0]
    assert [z["name"] for z in vpc["zones"]] == ["us-east-1a", "us-east-1b"]
    zone_a = vpc["zones"][0]["subnets"]
    assert [(s["tier"], s["cidr"], s["nat"]) for s in zone_a] == [("public", "10.0.1.0/24", True), ("web", "10.0.11.0/24", False)]
    assert "subnet-x" not in {s["id"] for z in vpc["zones"] for s in z["subnets"]}


def test_the_security_group_chain_names_sources_and_ports_and_skips_an_empty_default_group():
    chain = {g["name"]: g["sources"] for g in diagram.stack_graph(facts())["security_groups"]}
    assert "default" not in chain
    assert chain["s-web"] == [{"from": "s-web-alb", "ports": "8080-8081"}]
    assert chain["s-web-alb"] == [{"from": "prefix list pl-cf", "ports": "443"}]
    assert chain["s-db"] == [{"from": "s-web", "ports": "all"}, {"from": "10.0.0.0/16", "ports": "all"}]


def test_traffic_goes_from_the_distribution_to_the_load_balancer_to_the_group():
    graph = diagram.stack_graph(facts())
    assert graph["edges"] == [
        {"from": "cf:E1", "to": "lb:s-web", "label": "https-only"},
        {"from": "lb:s-web", "to": "asg:s-web", "label": "HTTP:8080"},
    ]
    nodes = by_id(graph)
    assert nodes["cf:E1"]["label"] == "CloudFront web"
    assert nodes["cf:E1"]["details"] == ["d1.cloudfront.net", "www.example.com", "WAF"]
    assert nodes["lb:s-web"]["details"] == ["internet-facing ALB", "HTTP:80 HTTPS:443", "sg s-web-alb"]
    assert nodes["asg:s-web"]["details"] == ["EC2 Auto Scaling 2-6 (desired 3)"]
    assert nodes["asg:s-web"]["tier"] == "web"


def test_a_distribution_is_drawn_once_and_its_origin_headers_never_reach_the_graph_or_the_drawings():
    graph = diagram.stack_graph(facts())
    assert [n["id"] for n in graph["nodes"] if n["lane"] == "edge"] == ["cf:E1"]
    for text in (repr(graph), diagram.render_svg(graph), diagram.render_mermaid(graph)):
        assert "s3cr3t-value" not in text and "X-Origin-Verify" not in text


def test_data_stores_and_monitoring():
    nodes = by_id(diagram.stack_graph(facts()))
    assert nodes["table:s-T"]["details"] == ["DynamoDB us-east-1", "replicas af-south-1, eu-west-1"]
    assert nodes["db:s-db"]["details"] == ["RDS postgres 15.18", "db.t4g.micro", "Multi-AZ"]
    assert nodes["alarms"]["label"] == "2 CloudWatch alarms"
    assert nodes["alarms"]["details"] == ["s/web/5xx", "s/web/cpu-high"]
    assert nodes["sns:s-alarms"]["lane"] == "monitoring"


def test_an_empty_account_gives_an_empty_graph_that_still_draws():
    graph = diagram.stack_graph({"name": "s", "region": "eu-west-1"})
    assert graph["nodes"] == [] and graph["edges"] == [] and graph["vpcs"] == []
    xml.dom.minidom.parseString(diagram.render_svg(graph))
    assert diagram.render_mermaid(graph) == "flowchart LR\n"
    assert diagram.diagram_counts(graph).startswith("s: 0 VPC, 0 subnets")


def test_the_svg_is_valid_deterministic_and_shows_every_node_and_edge_label():
    graph = diagram.stack_graph(facts())
    svg = diagram.render_svg(graph)
    assert svg == diagram.render_svg(diagram.stack_graph(facts()))
    document = xml.dom.minidom.parseString(svg)
    texts = [t.firstChild.data for t in document.getElementsByTagName("text")]
    for expected in ("CloudFront web", "s-web", "https-only", "HTTP:8080", "s-T", "s-db", "us-east-1a",
                     "public  10.0.1.0/24  NAT", "s-web  <-  s-web-alb :8080-8081"):
        assert expected in texts
    assert len(document.getElementsByTagName("path")) == 1 + len(graph["edges"])  # the arrow head and one per edge


def test_the_mermaid_text_has_lanes_subnets_and_both_kinds_of_edges():
    text = diagram.render_mermaid(diagram.stack_graph(facts()))
    assert text.startswith("flowchart LR\n")
    assert '  subgraph edge["Edge"]' in text
    assert 'subnet_a["public 10.0.1.0/24<br/>NAT gateway"]' in text
    assert "  cf_E1 -->|https-only| lb_s_web" in text
    assert "  lb_s_web -->|HTTP:8080| asg_s_web" in text
    assert "  sg_s_web_alb -.->|8080-8081| sg_s_web" in text
    assert "sg_10_0_0_0_16" not in text  # a CIDR source is not a group


def test_counts():
    assert diagram.diagram_counts(diagram.stack_graph(facts())) == (
        "s: 1 VPC, 3 subnets, 3 security groups, 1 distributions, 1 load balancers, 1 groups, 2 data stores, "
        "2 traffic edges"
    )


def test_a_tier_calling_another_tiers_load_balancer_is_an_edge_from_its_group():
    api_arn = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/s-api/abc"
    more = facts()
    more["security_groups"] = more["security_groups"] + [
        {"group_id": "sg-tier", "group_name": "s-web-instances", "tags": {TIER: "web"}, "ip_permissions": []},
        {"group_id": "sg-api-alb", "group_name": "s-api-alb", "tags": {TIER: "api"}, "ip_permissions": [
            {"ip_protocol": "tcp", "from_port": 80, "to_port": 80,
             "user_id_group_pairs": [{"group_id": "sg-tier"}, {"group_id": "sg-alb"}]}]},
    ]
    more["load_balancers"] = more["load_balancers"] + [
        {"load_balancer_arn": api_arn, "load_balancer_name": "s-api", "dns_name": "s-api.elb.example", "scheme": "internal",
         "security_groups": ["sg-api-alb"], "listeners": [{"protocol": "HTTP", "port": 80}]}]
    graph = diagram.stack_graph(more)
    assert {"from": "asg:s-web", "to": "lb:s-api", "label": "tcp:80"} in graph["edges"]
    assert not any(e["from"].startswith("lb:") and e["to"] == "lb:s-api" for e in graph["edges"])  # a balancer's group is no tier
    assert "asg_s_web -->|tcp:80| lb_s_api" in diagram.render_mermaid(graph)
