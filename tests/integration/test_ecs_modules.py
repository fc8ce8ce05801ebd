"""Round trip of atelier.infra.ecs_cluster and atelier.infra.ecs_task_definition against the emulator (which registers and describes task
definitions as ECS does: emulator/additions/ecs_task_definition_fargate.py): the first run registers revision 1, the
second registers nothing and makes no mutating call, a new image tag registers exactly one revision, and revisions
beyond keep_revisions (2) are deregistered. Checked through the ECS API."""

PLAYBOOK = "tests/integration/playbooks/ecs_modules.yml"
FAMILY = "itest-ecs-web"


def _active(ecs):
    return sorted(ecs.list_task_definitions(familyPrefix=FAMILY, status="ACTIVE")["taskDefinitionArns"])


def test_a_cluster_and_a_revision_only_when_the_definition_differs_and_a_bounded_history(emulator):
    ecs = emulator.client("ecs")

    first = emulator.playbook(PLAYBOOK)
    assert first.rc == 0, first.output
    assert first.changed == 2
    (cluster,) = ecs.describe_clusters(clusters=["itest-ecs"], include=["SETTINGS", "TAGS"])["clusters"]
    assert cluster["settings"] == [{"name": "containerInsights", "value": "enabled"}]
    assert sorted(cluster["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]
    assert cluster["defaultCapacityProviderStrategy"] == [
        {"capacityProvider": "FARGATE", "weight": 1, "base": 1}, {"capacityProvider": "FARGATE_SPOT", "weight": 2, "base": 0}]
    assert cluster["tags"] == [{"key": "atelier:test", "value": "integration"}]
    described = ecs.describe_task_definition(taskDefinition=FAMILY, include=["TAGS"])
    assert described["taskDefinition"]["revision"] == 1
    assert described["tags"] == [{"key": "atelier:test", "value": "integration"}]
    (container,) = described["taskDefinition"]["containerDefinitions"]
    assert container["portMappings"] == [{"containerPort": 3000, "hostPort": 3000, "protocol": "tcp"}]

    second = emulator.playbook(PLAYBOOK)
    assert second.rc == 0, second.output
    assert second.changed == 0, second.output
    assert second.mutating == [], second.mutating
    assert _active(ecs) == [f"arn:aws:ecs:us-east-1:123456789012:task-definition/{FAMILY}:1"]

    for tag in ("23", "24"):
        run = emulator.playbook(PLAYBOOK, extra_vars={"ecs_image": f"public.ecr.aws/docker/library/node:{tag}"})
        assert run.rc == 0, run.output
        assert [r["action"] for r in run.mutating].count("RegisterTaskDefinition") == 1
    assert [arn.rsplit(":", 1)[1] for arn in _active(ecs)] == ["2", "3"]
    latest = ecs.describe_task_definition(taskDefinition=FAMILY)["taskDefinition"]
    assert latest["containerDefinitions"][0]["image"].endswith("node:24")
