"""The whole stack converges on an account that throttles and fails: a cold deploy of playbooks/site.yml
(inventories/local) under the emulator's fault profile, 20 % of the requests throttled and 2 % answered with a server
error (seeded, so the same calls meet the same faults), ends with rc 0; a second run without faults then changes
nothing and makes no mutating call.

What makes it converge: every module run retries with atelier_aws_retries (botocore standard mode, 10 attempts, given
to every module by the roles' module_defaults), the collection's own wrappers retry every throttling and 5xx code
(aws_retry.RETRY_CODES), and the secret and AMI reads are module runs (aws_values_info), not controller lookups that
module_defaults do not reach. One deploy and one no-op: about five minutes on two cores.
"""

import re
from collections import Counter

SEED = 20
THROTTLE_RATE = 0.2
ERROR_RATE = 0.02


def test_a_cold_deploy_converges_under_throttling_and_server_errors(emulator):
    emulator.reset()
    emulator.faults(seed=SEED, throttle_rate=THROTTLE_RATE, error_rate=ERROR_RATE)
    cold = emulator.playbook("playbooks/site.yml", timeout=2400)
    emulator.faults()

    faulted = [entry for entry in cold.requests if "fault" in entry]
    kinds = Counter(entry["fault"]["kind"] for entry in faulted)
    codes = {entry["fault"]["code"] for entry in faulted}
    summary = f"{len(cold.requests)} requests, faults {dict(kinds)}, codes {sorted(codes)}"
    assert cold.rc == 0, summary + "\n" + cold.output[-8000:]
    # The profile was in force for the whole deploy, and every protocol family met its own throttling code.
    assert kinds["throttle"] >= 0.15 * len(cold.requests), summary
    assert kinds["error"] > 0, summary
    assert {"RequestLimitExceeded", "Throttling", "ThrottlingException"} <= codes, summary
    # The reads that used to be controller lookups now go through module_defaults: they were throttled and retried.
    reads = {entry["action"] for entry in cold.requests if entry["service"] in ("secretsmanager", "ssm")}
    assert {"GetSecretValue", "GetParameters"} <= reads, reads

    again = emulator.playbook("playbooks/site.yml")
    assert again.rc == 0, again.output[-8000:]
    assert again.changed == 0, again.output[-8000:]
    assert again.mutating == [], again.mutating


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
