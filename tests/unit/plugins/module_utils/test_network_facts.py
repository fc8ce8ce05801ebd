"""One network read per run: a tier's subnets and group from the network layer's outputs, or None to read them."""

from ansible_collections.atelier.infra.plugins.filter.network_facts import tier_network

VPC = {"vpc_id": "vpc-1", "subnets": {"frontend": [{"id": "subnet-a", "az": "us-east-1a", "cidr": "10.0.1.0/24"},
                                                  {"id": "subnet-b", "az": "us-east-1b", "cidr": "10.0.2.0/24"}]}}
GROUPS = {"vpc_id": "vpc-1", "groups": {"dev-web-app": "sg-1", "dev-web-alb": "sg-2"}}


def test_the_outputs_answer_as_the_lookups_would():
    found = tier_network({"vpc_outputs": VPC, "security_groups_outputs": GROUPS}, "frontend", "dev-web-app")
    assert [s["subnet_id"] for s in found["subnets"]["subnets"]] == ["subnet-a", "subnet-b"]
    assert found["subnets"]["subnets"][0]["vpc_id"] == "vpc-1"
    assert found["groups"]["security_groups"] == [{"group_id": "sg-1", "group_name": "dev-web-app", "vpc_id": "vpc-1"}]


def test_without_the_layer_in_this_run_the_role_reads_them():
    assert tier_network({}, "frontend", "dev-web-app") is None
    assert tier_network(None, "frontend", "dev-web-app") is None
    assert tier_network({"vpc_outputs": VPC}, "frontend", "dev-web-app") is None


def test_an_id_check_mode_could_not_give_means_a_read():
    pending = {"vpc_id": "vpc-1", "subnets": {"frontend": [{"id": None, "az": "us-east-1a", "cidr": "10.0.1.0/24"}]}}
    assert tier_network({"vpc_outputs": pending, "security_groups_outputs": GROUPS}, "frontend", "dev-web-app") is None
    assert tier_network({"vpc_outputs": VPC, "security_groups_outputs": {"vpc_id": "vpc-1", "groups": {"dev-web-app": ""}}},
                        "frontend", "dev-web-app") is None


def test_an_unknown_tier_or_group_or_another_vpc_means_a_read():
    both = {"vpc_outputs": VPC, "security_groups_outputs": GROUPS}
    assert tier_network(both, "backend", "dev-web-app") is None
    assert tier_network(both, "frontend", "dev-api-app") is None
    assert tier_network({"vpc_outputs": VPC, "security_groups_outputs": dict(GROUPS, vpc_id="vpc-2")}, "frontend", "dev-web-app") is None
