# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a teardown keeps of the network for the databases it keeps, and how it says so."""

from ansible_collections.atelier.infra.plugins.module_utils import kept_network


def instance(identifier, group, *subnets):
    """A DB instance as amazon.aws.rds_instance_info returns it (snake_case), reduced to what the filter reads."""
    return {
        "db_instance_identifier": identifier,
        "db_instance_status": "available",
        "db_subnet_group": {
            "db_subnet_group_name": group,
            "vpc_id": "vpc-1",
            "subnets": [{"subnet_identifier": s, "subnet_status": "Active"} for s in subnets],
        },
    }


def test_every_subnet_of_every_db_subnet_group_is_kept_with_its_instance():
    assert kept_network.db_subnets([instance("p-postgres", "p-postgres", "subnet-a", "subnet-b")]) == {
        "subnet-a": "in the DB subnet group p-postgres of the DB instance p-postgres",
        "subnet-b": "in the DB subnet group p-postgres of the DB instance p-postgres",
    }


def test_a_subnet_two_databases_use_names_both():
    keep = kept_network.db_subnets([instance("one", "g1", "subnet-a"), instance("two", "g2", "subnet-a", "subnet-c")])
    assert keep == {
        "subnet-a": "in the DB subnet group g1 of the DB instance one; in the DB subnet group g2 of the DB instance two",
        "subnet-c": "in the DB subnet group g2 of the DB instance two",
    }


def test_no_database_keeps_nothing():
    assert kept_network.db_subnets([]) == {}
    assert kept_network.db_subnets(None) == {}
    # An instance outside a VPC (no subnet group) keeps nothing either.
    assert kept_network.db_subnets([{"db_instance_identifier": "classic"}]) == {}


def test_the_kept_parts_are_said_one_sentence_each():
    vpc_kept = [
        {"kind": "subnet", "id": "subnet-a", "name": "p-database-us-east-1a",
         "reason": "10.0.31.0/24, in the DB subnet group p-postgres of the DB instance p-postgres"},
        {"kind": "vpc", "id": "vpc-1", "name": "p", "reason": "holds the kept subnet p-database-us-east-1a"},
    ]
    assert kept_network.kept_lines(vpc_kept, hint="removed with the data") == [
        "p-database-us-east-1a (subnet subnet-a: 10.0.31.0/24, in the DB subnet group p-postgres of the DB instance"
        " p-postgres; removed with the data)",
        "p (vpc vpc-1: holds the kept subnet p-database-us-east-1a; removed with the data)",
    ]
    groups_kept = [{"name": "p-database", "id": "sg-1", "reason": "used by eni-1 (RDS instance: RDSNetworkInterface)"}]
    assert kept_network.kept_lines(groups_kept, "security group") == [
        "p-database (security group sg-1: used by eni-1 (RDS instance: RDSNetworkInterface))"
    ]
    assert kept_network.kept_lines([]) == []
    assert kept_network.kept_lines([{"id": "sg-2", "reason": "used"}], "security group") == ["sg-2 (security group sg-2: used)"]
