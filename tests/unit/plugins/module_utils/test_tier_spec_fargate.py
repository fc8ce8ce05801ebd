# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The Fargate keys of the tier specification and their rules (one_tier_errors checks a tier whose runtime is
tier_spec.FARGATE already; the argument spec refuses that runtime until a role converges it)."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import tier_spec
from ansible_collections.atelier.infra.plugins.module_utils import ecs

PROD = {"prefix": "prod-shop", "env": "prod", "resources": {"secret": ["db-credentials"]}}


def fargate(**more):
    tier = {"name": "api", "app_port": 3000, "runtime": "fargate", "image": "node-app:1.0"}
    tier.update(more)
    return tier


def test_a_fargate_tier_with_the_defaults_is_accepted():
    assert tier_spec.one_tier_errors(fargate(), stack=PROD) == []
    t = tier_spec.settings(fargate())
    assert (t["cpu"], t["memory"], t["cpu_architecture"], t["revisions_kept"]) == (256, 512, "X86_64", 5)
    assert t["deployment"] == {"minimum_healthy_percent": 100, "maximum_percent": 200, "circuit_breaker": True, "rollback": True}
    assert t["capacity_provider_strategy"] == {"fargate_base": 0, "fargate_weight": 1, "spot_weight": 0}


def test_the_fargate_runtime_is_offered_and_converged_by_the_fargate_role():
    assert tier_spec.RUNTIMES[tier_spec.FARGATE] == "fargate"
    assert tier_spec.argument_spec()["runtime"]["choices"] == ["ec2", "fargate", "static"]
    assert tier_spec.argument_spec()["cpu"]["choices"] == [256, 512, 1024, 2048, 4096, 8192, 16384]


@pytest.mark.parametrize("cpu, memory", [(256, 4096), (512, 512), (16384, 32769)])
def test_a_size_the_tier_refuses_the_task_definition_module_refuses_too(cpu, memory):
    assert tier_spec.one_tier_errors(fargate(cpu=cpu, memory=memory))
    assert any("memory" in e or "cpu" in e for e in ecs.option_errors({"family": "api", "launch_type": "FARGATE", "cpu": str(cpu), "memory": str(memory)}))


@pytest.mark.parametrize("cpu, memory", [(256, 512), (256, 2048), (512, 4096), (1024, 8192), (2048, 9216),
                                         (4096, 30720), (8192, 20480), (8192, 61440), (16384, 40960), (16384, 122880)])
def test_every_fargate_size_is_accepted(cpu, memory):
    assert tier_spec.one_tier_errors(fargate(cpu=cpu, memory=memory)) == []


@pytest.mark.parametrize("cpu, memory, allowed", [
    (256, 1536, "512, 1024, 2048"),
    (512, 512, "1024, 2048, 3072, 4096"),
    (1024, 9216, "2048 to 8192 in steps of 1024"),
    (4096, 31744, "8192 to 30720 in steps of 1024"),
    (8192, 18432, "16384 to 61440 in steps of 4096"),
    (16384, 36864, "32768 to 122880 in steps of 8192"),
])
def test_a_size_fargate_does_not_run_is_refused(cpu, memory, allowed):
    assert tier_spec.one_tier_errors(fargate(cpu=cpu, memory=memory)) == [
        f"tier api: memory {memory} with cpu {cpu} is not a Fargate task size: with cpu {cpu} memory is {allowed} MiB"
    ]


def test_a_cpu_fargate_does_not_have_is_refused():
    assert tier_spec.one_tier_errors(fargate(cpu=768, memory=2048)) == [
        "tier api: cpu must be one of Fargate's sizes 256, 512, 1024, 2048, 4096, 8192, 16384, got 768"
    ]


def test_a_port_other_than_app_port_is_refused():
    assert tier_spec.one_tier_errors(fargate(environment={"PORT": "3000"})) == []
    errors = tier_spec.one_tier_errors(fargate(environment={"PORT": 8080}))
    assert len(errors) == 1 and errors[0].startswith("tier api: environment PORT (8080) differs from app_port (3000)")


def test_spot_without_an_on_demand_base_is_refused_in_prod_only():
    spot = fargate(capacity_provider_strategy={"spot_weight": 3})
    errors = tier_spec.one_tier_errors(spot, stack=PROD)
    assert len(errors) == 1 and "spot_weight 3 without a fargate_base of 1 or more in prod" in errors[0]
    assert tier_spec.one_tier_errors(spot, stack=dict(PROD, env="dev")) == []
    assert tier_spec.one_tier_errors(fargate(capacity_provider_strategy={"spot_weight": 3, "fargate_base": 1}), stack=PROD) == []


def test_a_strategy_without_any_weight_is_refused():
    errors = tier_spec.one_tier_errors(fargate(capacity_provider_strategy={"fargate_weight": 0, "fargate_base": 2}))
    assert errors == ["tier api: capacity_provider_strategy needs a fargate_weight or a spot_weight above 0"]


def test_deployment_percentages_and_rollback_are_checked():
    assert tier_spec.one_tier_errors(fargate(deployment={"minimum_healthy_percent": 50, "maximum_percent": 100})) == []
    assert tier_spec.one_tier_errors(fargate(deployment={"maximum_percent": 100})) == [
        "tier api: deployment maximum_percent (100) must be above minimum_healthy_percent (100) or a deployment cannot start"
    ]
    assert tier_spec.one_tier_errors(fargate(deployment={"circuit_breaker": False})) == [
        "tier api: deployment rollback needs circuit_breaker (the breaker decides when to roll back)"
    ]
    assert tier_spec.one_tier_errors(fargate(deployment={"circuit_breaker": False, "rollback": False})) == []
    assert tier_spec.one_tier_errors(fargate(deployment={"maximum_percent": 250})) == [
        "tier api: deployment.maximum_percent must be an integer between 100 and 200, got 250"
    ]


def test_step_scaling_is_refused_on_fargate():
    assert tier_spec.one_tier_errors(fargate(scaling={"policy": "step"})) == [
        "tier api: scaling policy step is for runtime ec2; a Fargate service scales by target_tracking (or none)"
    ]
    assert tier_spec.one_tier_errors({"name": "web", "app_port": 80, "image": "x", "scaling": {"policy": "step"}}) == []


def test_a_secret_must_be_an_arn_or_one_the_stack_creates():
    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:outside-AbCdEf"
    assert tier_spec.one_tier_errors(fargate(secrets={"DB": "prod-shop-db-credentials:password", "X": arn}), stack=PROD) == []
    errors = tier_spec.one_tier_errors(fargate(secrets={"DB": "other-db"}), stack=PROD)
    assert len(errors) == 1 and errors[0].startswith("tier api: secret DB reads other-db, which the stack does not create")


def test_keys_of_another_runtime_are_refused():
    assert tier_spec.one_tier_errors({"name": "web", "app_port": 80, "image": "x", "cpu": 512}) == [
        "tier web: cpu applies to runtime fargate only; this tier's runtime is ec2"
    ]
    assert tier_spec.one_tier_errors(fargate(ami_id="ami-0123456789abcdef0")) == [
        "tier api: ami_id applies to runtime ec2 only; this tier's runtime is fargate"
    ]
    assert tier_spec.one_tier_errors({"name": "web", "app_port": 80, "image": "x", "scaling": {"memory_target": 80}}) == [
        "tier web: scaling.memory_target applies to runtime fargate only; this tier's runtime is ec2"
    ]
    # an overridable key (an AWX survey may set it on every tier) is left alone
    assert tier_spec.one_tier_errors(fargate(instance_type="t3.small")) == []


def test_fargate_ranges_are_checked():
    errors = tier_spec.one_tier_errors(fargate(revisions_kept=-1, scaling={"memory_target": 101}))
    assert errors == [
        "tier api: scaling.memory_target must be an integer between 0 and 100, got 101",
        "tier api: revisions_kept must be an integer between 0 and 1000, got -1",
    ]


def test_the_generated_docs_mark_the_fargate_keys():
    table = tier_spec.markdown()
    assert "| `cpu` | `256` |" in table and "runtime `fargate`" in table
    assert "| `capacity_provider_strategy.spot_weight` | `0` |" in table


def test_the_playbooks_stack_argument_carries_the_environment_to_the_prod_rules():
    from ansible_collections.atelier.infra.plugins.filter.stack import FilterModule

    stack = FilterModule().filters()["stack_resources"]("prod-shop", "", True, env="prod")
    assert stack["env"] == "prod" and stack["resources"]["secret"] == ["db-credentials"]
    spot = fargate(capacity_provider_strategy={"spot_weight": 3})
    assert tier_spec.one_tier_errors(spot, stack=stack)
    assert tier_spec.one_tier_errors(spot, stack=FilterModule().filters()["stack_resources"]("dev-shop", "", True, env="dev")) == []
