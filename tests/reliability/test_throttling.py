"""A throttled call inside a no_log task says why it failed, without the secret.

The whole stack's cold deploy under throttling and server errors (20 % throttled, 2 % 5xx, seeded), then a no-op run
without faults, is tests/reliability/test_second_stack.py's: the second stack deployed beside the first is that cold
deploy (one whole-stack deploy less than a file of its own).
"""

import re

# The generated origin secret: 48 letters and digits (roles/alb/tasks/present.yml).
GENERATED_SECRET = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{48}(?![A-Za-z0-9])")


def test_a_hidden_task_that_fails_says_why_without_the_secret(emulator):
    """The ALB role's origin-secret task is no_log; when AWS throttles its CreateSecret past the retries, the run
    fails with the module, the AWS error code and message, not with "the output has been hidden" alone, and even at
    -vvv the output holds no secret value."""
    emulator.reset()
    network = emulator.playbook("playbooks/site.yml", "--tags", "vpc,security_groups")
    assert network.rc == 0, network.output[-4000:]

    emulator.faults(seed=1, throttle_rate=1, actions=["secretsmanager:CreateSecret"])
    run = emulator.playbook("playbooks/site.yml", "--tags", "alb", "-vvv", extra_vars={"atelier_aws_retries": {"max_attempts": 1}})
    emulator.faults()

    text = " ".join(run.output.split())
    assert run.rc != 0, run.output[-4000:]
    throttled = [entry for entry in run.requests if entry.get("fault", {}).get("action") == "secretsmanager:CreateSecret"]
    assert throttled and all(entry["fault"]["code"] == "ThrottlingException" for entry in throttled), run.requests
    for tier in ("frontend", "backend"):
        assert (
            f"community.aws.secretsmanager_secret could not keep the origin secret local-atelier/{tier}/origin-verify: "
            "Failed to create secret: An error occurred (ThrottlingException) when calling the CreateSecret operation"
        ) in text, run.output[-6000:]
    assert "(AWS error ThrottlingException)" in text
    assert GENERATED_SECRET.findall(run.output) == []
    # Nothing was made with a secret the run did not keep, and nothing after the secret was attempted.
    assert emulator.client("secretsmanager").list_secrets()["SecretList"] == []
    assert not [entry for entry in run.mutating if entry["service"] != "secretsmanager"], run.mutating
