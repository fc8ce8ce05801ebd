# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rds_postgres role's logic: the checks its argument spec cannot make, the engine upgrades it schedules, the
resource policy of its secret, and what its teardown kept.

``errors`` takes the role's inputs as one dict (``rds_postgres_*`` variable name to value; other keys are ignored)
and returns one message per problem, each naming the variable. Types, choices and required inputs are the argument
spec's (roles/rds_postgres/meta/argument_specs.yml); the checks here are type-tolerant all the same (a number given as
a string on the command line is read as a number, anything else is reported, never raised).

``upgrade_plan`` compares the wanted engine version and certificate authority with the instance as it is: a new
instance gets them at creation; an existing one is never downgraded (automatic minor upgrades may have moved it past
the wanted version), and a higher minor version or another certificate authority (both restart the database) is a
separate change, applied in the maintenance window unless ``rds_postgres_upgrade_immediately``.
``secret_policy`` writes the secret's resource policy from the tiers that read the secret and the deployer.
``rotation`` says how the secret rotates: the role's own function (roles/rds_postgres/files/rotation), its execution
role's trust and exact policy, or the user's function.

Pure Python, no boto3 import: exposed by plugins/filter/rds_postgres.py.
"""

import re

from ansible_collections.atelier.infra.plugins.module_utils.lambda_function_role import LOG_ACTIONS
from ansible_collections.atelier.infra.plugins.module_utils.lambda_function_role import trust_policy as lambda_trust_policy
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import as_int as _int

P = "rds_postgres_"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_A_DAY = 1440
MINUTES_A_WEEK = 7 * MINUTES_A_DAY
SHORTEST_WINDOW = 30
_HHMM = r"([01][0-9]|2[0-3]):([0-5][0-9])"
_DAY = "(" + "|".join(DAYS) + ")"
BACKUP_WINDOW = re.compile(rf"^{_HHMM}-{_HHMM}$")
MAINTENANCE_WINDOW = re.compile(rf"^{_DAY}:{_HHMM}-{_DAY}:{_HHMM}$")
IDENTIFIER = re.compile(r"^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}$")
ENGINE_VERSION = re.compile(r"^1[3-7]\.[0-9]+$")
INSTANCE_CLASS = re.compile(r"^db\.[a-z0-9]+\.[a-z0-9]+$")
DB_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
RESERVED_USERNAMES = ("rdsadmin", "admin", "root")
MAX_STORAGE = 65536
# The smallest storage RDS allows per storage type (GiB).
MIN_STORAGE = {"gp2": 20, "gp3": 20, "io1": 100, "io2": 100, "standard": 5}
PI_FIXED_RETENTIONS = (7, 731)
# (input, pattern, what it must be): the inputs whose form a pattern says (the identifier has no trailing hyphen either).
PATTERNS = (
    ("identifier", IDENTIFIER,
     "be 1-63 letters, digits and hyphens, start with a letter, without two hyphens in a row or a trailing hyphen"),
    ("engine_version", ENGINE_VERSION, "be a PostgreSQL 13 to 17 minor version such as 15.5"),
    ("instance_class", INSTANCE_CLASS, "look like db.<family>.<size> (for example db.t3.micro)"),
    ("db_name", DB_WORD, "be 1-63 letters, digits and underscores starting with a letter"),
)
IAM_ROLE_NAME_MAX = 64
# RDS's certificate authorities with a validity beyond 2024 (rds-ca-2019 expired on 2024-08-22): RSA 2048 (the default
# AWS gives new instances), RSA 4096 and ECC 384, generation 1 or a later one.
CA_CERTIFICATE = re.compile(r"^rds-ca-(rsa2048|rsa4096|ecc384)-g[1-9][0-9]*$")


def _bool(value):
    """Ansible's truthiness of a boolean input (true/false, yes/no, 1/0 given as strings too)."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1", "y", "t")
    return bool(value)


def backup_minutes(window):
    """(start, end) minutes after midnight of a daily hh:mm-hh:mm window (end past midnight is the next day's), or
    None when the window is not of that form."""
    match = BACKUP_WINDOW.match(str(window))
    if not match:
        return None
    start = int(match.group(1)) * 60 + int(match.group(2))
    end = int(match.group(3)) * 60 + int(match.group(4))
    return start, end + MINUTES_A_DAY if end < start else end


def maintenance_minutes(window):
    """(start, end) minutes after Monday 00:00 of a weekly ddd:hh:mm-ddd:hh:mm window (case-insensitive; an end before
    the start is in the next week), or None when the window is not of that form."""
    match = MAINTENANCE_WINDOW.match(str(window).lower())
    if not match:
        return None
    day1, h1, m1, day2, h2, m2 = match.groups()
    start = DAYS.index(day1) * MINUTES_A_DAY + int(h1) * 60 + int(m1)
    end = DAYS.index(day2) * MINUTES_A_DAY + int(h2) * 60 + int(m2)
    return start, end + MINUTES_A_WEEK if end < start else end


def windows_overlap(backup, maintenance):
    """Whether a daily backup window (start, end) meets a weekly maintenance window (start, end), in minutes.

    The backup window recurs every day; the maintenance window may wrap into the next week, so the days from the
    Sunday before to the Sunday after the second week are tried.
    """
    b_start, b_end = backup
    m_start, m_end = maintenance
    return any(
        day * MINUTES_A_DAY + b_start < m_end and m_start < day * MINUTES_A_DAY + b_end for day in range(-1, 15)
    )


def _window_errors(inputs):
    errors = []
    backup_text = str(inputs.get(P + "backup_window", ""))
    maintenance_text = str(inputs.get(P + "maintenance_window", ""))
    backup = backup_minutes(backup_text)
    maintenance = maintenance_minutes(maintenance_text)
    if backup is None:
        errors.append(f"{P}backup_window must be hh:mm-hh:mm in UTC (for example 03:00-03:30), got {backup_text}")
    elif backup[1] - backup[0] < SHORTEST_WINDOW:
        errors.append(f"{P}backup_window must last at least {SHORTEST_WINDOW} minutes, got {backup_text}")
    if maintenance is None:
        errors.append(
            f"{P}maintenance_window must be ddd:hh:mm-ddd:hh:mm in UTC (for example sun:04:00-sun:04:30), got "
            f"{maintenance_text}"
        )
    elif maintenance[1] - maintenance[0] < SHORTEST_WINDOW:
        errors.append(f"{P}maintenance_window must last at least {SHORTEST_WINDOW} minutes, got {maintenance_text}")
    if backup is not None and maintenance is not None and windows_overlap(backup, maintenance):
        errors.append(
            f"{P}maintenance_window {maintenance_text} overlaps the daily {P}backup_window {backup_text}"
        )
    return errors


def _storage_errors(inputs):
    errors = []
    storage_type = inputs.get(P + "storage_type", "gp3")
    minimum = MIN_STORAGE.get(storage_type, 5)
    allocated_text = inputs.get(P + "allocated_storage")
    allocated = _int(allocated_text)
    if allocated is None or not minimum <= allocated <= MAX_STORAGE:
        errors.append(f"{P}allocated_storage must be {minimum} to {MAX_STORAGE} GiB for {storage_type}, got {allocated_text}")
    limit_text = inputs.get(P + "max_allocated_storage", 0)
    limit = _int(limit_text)
    if limit != 0 and (limit is None or limit > MAX_STORAGE or (allocated is not None and limit < allocated)):
        errors.append(
            f"{P}max_allocated_storage must be 0 (no autoscaling) or between {P}allocated_storage ({allocated_text}) "
            f"and {MAX_STORAGE}, got {limit_text}"
        )
    return errors


def _range_error(inputs, name, low, high, what):
    """A message when the input name is not an integer from low to high (what says it as the user should read it)."""
    value = inputs.get(P + name)
    number = _int(value)
    if number is None or not low <= number <= high:
        return [f"{P}{name} must be {what}, got {value}"]
    return []


def errors(inputs):
    """What is wrong with the rds_postgres role's inputs (a dict of rds_postgres_* names to values) that its
    argument spec cannot see: patterns, ranges, window formats, durations and overlap, rules across inputs.
    Empty when all is well."""
    inputs = dict(inputs or {})
    errs = []
    for name, pattern, what in PATTERNS:
        value = inputs.get(P + name, "")
        if not pattern.match(str(value)) or (name == "identifier" and str(value).endswith("-")):
            errs.append(f"{P}{name} must {what}, got {value}")
    errs += _storage_errors(inputs)
    errs += _range_error(inputs, "backup_retention_days", 0, 35, "0 to 35")
    if _bool(inputs.get(P + "multi_az", False)) and _int(inputs.get(P + "backup_retention_days")) == 0:
        errs.append(f"{P}multi_az needs automated backups: set {P}backup_retention_days to 1-35")
    errs += _window_errors(inputs)
    retention_text = inputs.get(P + "performance_insights_retention", 7)
    retention = _int(retention_text)
    if _bool(inputs.get(P + "performance_insights", False)) and not (
        retention in PI_FIXED_RETENTIONS or (retention is not None and retention % 31 == 0 and 31 <= retention <= 713)
    ):
        errs.append(
            f"{P}performance_insights_retention must be 7, 31 * months (1-23 months: 31, 62, ... 713) or 731 days, got "
            f"{retention_text}"
        )
    username = inputs.get(P + "master_username", "")
    if not DB_WORD.match(str(username)) or str(username).lower() in RESERVED_USERNAMES:
        errs.append(
            f"{P}master_username must be 1-63 letters, digits and underscores starting with a letter, not a reserved "
            f"word ({', '.join(RESERVED_USERNAMES)}), got {username}"
        )
    errs += _range_error(inputs, "port", 1150, 65535, "1150 to 65535")
    recovery_text = inputs.get(P + "secret_recovery_days", 7)
    recovery = _int(recovery_text)
    if recovery != 0 and (recovery is None or not 7 <= recovery <= 30):
        errs.append(f"{P}secret_recovery_days must be 0 (delete at once) or 7 to 30, got {recovery_text}")
    role_name = str(inputs.get(P + "monitoring_role_name", ""))
    if (_int(inputs.get(P + "monitoring_interval", 0)) or 0) > 0 and not 1 <= len(role_name) <= IAM_ROLE_NAME_MAX:
        errs.append(f"{P}monitoring_role_name must be 1 to {IAM_ROLE_NAME_MAX} characters, got {role_name}")
    ca = inputs.get(P + "ca_certificate", "rds-ca-rsa2048-g1")
    if not CA_CERTIFICATE.match(str(ca)):
        errs.append(
            f"{P}ca_certificate must be a current RDS certificate authority (rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, "
            f"rds-ca-ecc384-g1 or a later generation), got {ca}"
        )
    parameters = inputs.get(P + "parameters") or {}
    if _bool(inputs.get(P + "iam_auth", False)) and isinstance(parameters, dict) and str(parameters.get("rds.force_ssl", 1)) == "0":
        errs.append(
            f"{P}iam_auth needs TLS connections (an IAM authentication token is only accepted over SSL): keep "
            f"rds.force_ssl at 1 in {P}parameters"
        )
    errs += _policy_errors(inputs)
    errs += _rotation_errors(inputs)
    timeout = _int(inputs.get(P + "wait_timeout", 1))
    if timeout is None or timeout < 1:
        errs.append(f"{P}wait_timeout must be a positive number of seconds, got {inputs.get(P + 'wait_timeout')}")
    return errs


def kept(inputs, instance_exists, secret_exists, final_snapshot_id=""):
    """What the teardown (rds_postgres_state absent) kept, and why, one line each: the instance and its secret when
    rds_postgres_delete_data is off, the final snapshot it took when on."""
    inputs = dict(inputs or {})
    identifier = inputs.get(P + "identifier", "")
    region = inputs.get(P + "region", "")
    out = []
    if not _bool(inputs.get(P + "delete_data", False)):
        if instance_exists:
            out.append(
                f"{identifier} (RDS PostgreSQL instance in {region}: holds data and has deletion protection; set "
                f"{P}delete_data or atelier_teardown_delete_data to delete it, with a final snapshot unless "
                f"{P}final_snapshot is false; its subnet group, parameter group and monitoring role stay with it)"
            )
        if secret_exists:
            out.append(
                f"{inputs.get(P + 'secret_name', '')} (Secrets Manager secret in {region}: the database credentials; "
                f"deleted with {P}delete_data)"
            )
    elif final_snapshot_id:
        out.append(
            f"{final_snapshot_id} (final DB snapshot of {identifier} in {region}: delete it when it is no longer needed)"
        )
    return out


def version_tuple(text):
    """(major, minor, ...) of an engine version (15.18, 11.22-rds.20241121), () when there is no number."""
    head = str(text or "").split("-", 1)[0]
    return tuple(int(part) for part in re.findall(r"[0-9]+", head))


def upgrade_plan(inputs, instance):
    """What the instance task sends, and what waits for a separate, restarting change.

    instance is the existing instance as amazon.aws.rds_instance_info returns it (snake_case; {} when there is none).

    * ``create``: ``{engine_version, ca_certificate_identifier}`` for a new instance, ``{}`` for an existing one (the
      converge task then leaves both alone);
    * ``upgrade``: for an existing instance, the changes that restart it: the wanted engine version when it is a higher
      minor version of the same major than the instance runs (never a lower one: automatic minor upgrades move an
      instance past a pinned version), the wanted certificate authority when it differs; a change already pending with
      the same value is left out;
    * ``apply_immediately``: ``rds_postgres_upgrade_immediately`` (false: the maintenance window);
    * ``converge_immediately``: the apply_immediately of the converge task: true, except while a restarting change is
      pending and rds_postgres_upgrade_immediately is off (AWS applies every pending change with a request that sets
      ApplyImmediately: the converge would restart the database now);
    * ``current``: the version the instance runs, ``errors``: another major version than the wanted one (the role does
      not make major upgrades).
    """
    inputs = dict(inputs or {})
    instance = dict(instance or {})
    wanted_version = str(inputs.get(P + "engine_version", ""))
    wanted_ca = str(inputs.get(P + "ca_certificate", ""))
    immediately = _bool(inputs.get(P + "upgrade_immediately", False))
    plan = {"create": {}, "upgrade": {}, "apply_immediately": immediately, "converge_immediately": True,
            "current": instance.get("engine_version", ""), "errors": []}
    if not instance:
        plan["create"] = {"engine_version": wanted_version, "ca_certificate_identifier": wanted_ca}
        return plan
    pending = instance.get("pending_modified_values") or {}
    current = version_tuple(pending.get("engine_version") or instance.get("engine_version"))
    wanted = version_tuple(wanted_version)
    if current and wanted and current[0] != wanted[0]:
        plan["errors"].append(
            f"the instance {instance.get('db_instance_identifier', '')} runs PostgreSQL {instance.get('engine_version')}, "
            f"{P}engine_version is {wanted_version}: the role makes no major version upgrade (test it on a copy, then "
            "upgrade with allow_major_version_upgrade, or keep the major version)"
        )
    elif current and wanted and wanted > current:
        plan["upgrade"]["engine_version"] = wanted_version
    current_ca = pending.get("ca_certificate_identifier") or instance.get("ca_certificate_identifier")
    if wanted_ca and current_ca != wanted_ca:
        plan["upgrade"]["ca_certificate_identifier"] = wanted_ca
    restarting_pending = any(pending.get(key) for key in ("engine_version", "ca_certificate_identifier"))
    plan["converge_immediately"] = immediately or not restarting_pending
    return plan


LAMBDA_ARN = re.compile(r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$")


def rotation_on(inputs):
    """Whether the secret rotates: rds_postgres_secret_rotation, or a rotation function of the user's."""
    return _bool(inputs.get(P + "secret_rotation", False)) or bool(inputs.get(P + "secret_rotation_lambda_arn"))


def _rotation_errors(inputs):
    if not rotation_on(inputs):
        return []
    days_text = inputs.get(P + "secret_rotation_days", 30)
    days = _int(days_text)
    arn = str(inputs.get(P + "secret_rotation_lambda_arn") or "")
    errs = []
    if days is None or not 1 <= days <= 1000:
        errs.append(f"{P}secret_rotation_days must be 1 to 1000 when the secret rotates ({P}secret_rotation or "
                    f"{P}secret_rotation_lambda_arn), got {days_text}")
    if arn and not LAMBDA_ARN.match(arn):
        errs.append(f"{P}secret_rotation_lambda_arn must be the ARN of a Lambda function "
                    f"(arn:aws:lambda:<region>:<account>:function:<name>), got {arn}")
    name = str(inputs.get(P + "secret_rotation_function_name") or "")
    if not arn and not FUNCTION_NAME.match(name):
        errs.append(f"{P}secret_rotation_function_name must be 1 to {IAM_ROLE_NAME_MAX} letters, digits, hyphens and "
                    f"underscores (it names the function and its IAM role), got {name}")
    return errs


FUNCTION_NAME = re.compile(rf"^[A-Za-z0-9_-]{{1,{IAM_ROLE_NAME_MAX}}}$")
SECRET_ARN_SUFFIX = "-??????"
# What the rotation function calls: the steps on its secret, a random password, the instance's master password.
ROTATION_SECRET_ACTIONS = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue",
                           "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"]
ROTATION_RDS_ACTIONS = ["rds:DescribeDBInstances", "rds:ModifyDBInstance"]


def rotation(inputs, account, partition="aws"):
    """How the credentials secret rotates, for the role's tasks.

    * ``enabled``: rotation_on; ``own``: the role deploys its function (no rds_postgres_secret_rotation_lambda_arn);
    * ``lambda_arn``: the function Secrets Manager invokes (the user's, or the role's own), ``days``;
    * for the role's function: ``function_name`` (also its IAM role's name), ``role_arn``, ``log_group``,
      ``secret_arn`` (the secret's ARN pattern: its name and Secrets Manager's 6-character suffix), ``instance_arn``,
      ``trust`` (Lambda, this account only) and ``policy`` (exactly: the four rotation steps on that secret,
      GetRandomPassword (no resource-level permission), DescribeDBInstances and ModifyDBInstance on that instance, its
      own log group's streams).
    """
    inputs = dict(inputs or {})
    region = str(inputs.get(P + "region", ""))
    name = str(inputs.get(P + "secret_rotation_function_name") or "")
    user_arn = str(inputs.get(P + "secret_rotation_lambda_arn") or "")
    secret_arn = f"arn:{partition}:secretsmanager:{region}:{account}:secret:{inputs.get(P + 'secret_name', '')}{SECRET_ARN_SUFFIX}"
    instance_arn = f"arn:{partition}:rds:{region}:{account}:db:{inputs.get(P + 'identifier', '')}"
    log_group = f"/aws/lambda/{name}"
    group_arn = f"arn:{partition}:logs:{region}:{account}:log-group:{log_group}"
    enabled = rotation_on(inputs)
    return {
        "enabled": enabled,
        "own": enabled and not user_arn,
        "days": _int(inputs.get(P + "secret_rotation_days", 30)) or 0,
        "lambda_arn": user_arn or f"arn:{partition}:lambda:{region}:{account}:function:{name}",
        "function_name": name,
        "role_arn": f"arn:{partition}:iam::{account}:role/{name}",
        "log_group": log_group,
        "secret_arn": secret_arn,
        "instance_arn": instance_arn,
        "trust": lambda_trust_policy(account, partition),
        "policy": {
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "RotateTheDatabaseSecret", "Effect": "Allow", "Action": list(ROTATION_SECRET_ACTIONS), "Resource": secret_arn},
                {"Sid": "GenerateThePassword", "Effect": "Allow", "Action": "secretsmanager:GetRandomPassword", "Resource": "*"},
                {"Sid": "SetTheMasterPassword", "Effect": "Allow", "Action": list(ROTATION_RDS_ACTIONS), "Resource": instance_arn},
                {"Sid": "WriteItsOwnLogGroup", "Effect": "Allow", "Action": list(LOG_ACTIONS),
                 "Resource": [f"{group_arn}:*", f"{group_arn}:log-stream:*"]},
            ],
        },
    }


def _policy_errors(inputs):
    principals = inputs.get(P + "secret_admin_principals", [])
    if principals is None:
        return []
    if not isinstance(principals, list) or not all(isinstance(p, str) and PRINCIPAL_ARN.match(p) for p in principals):
        return [f"{P}secret_admin_principals must be a list of IAM user or role ARNs (arn:aws:iam::<account>:user/... or "
                f":role/...; * and ? allowed), got {principals}"]
    return []


PRINCIPAL_ARN = re.compile(r"^arn:aws[a-z-]*:iam::([0-9]{12}|[*]):(root|(user|role)/[A-Za-z0-9+=,.@_/*?-]+)$")
CALLER_ARN = re.compile(r"^arn:(aws[a-z-]*):(sts|iam)::([0-9]{12}):(user/.+|assumed-role/[^/]+/.+|root|role/.+)$")
# What the policy leaves to everybody's own IAM permissions: managing the policy itself (so an administrator who is not
# named in it can always repair or remove it) and describing the secret (no secret in it).
POLICY_SELF_SERVICE = ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy",
                       "secretsmanager:PutResourcePolicy", "secretsmanager:DeleteResourcePolicy"]


def caller_principals(caller_arn):
    """The aws:PrincipalArn values of the caller (sts GetCallerIdentity's Arn): a user's ARN as it is; an assumed
    role's role ARN, with and without a path (the session ARN has no path, aws:PrincipalArn has); and the account's
    root. Empty for an ARN of another form."""
    match = CALLER_ARN.match(str(caller_arn or ""))
    if not match:
        return []
    partition, _service, account, resource = match.groups()
    root = f"arn:{partition}:iam::{account}:root"
    if resource.startswith("assumed-role/"):
        role = resource.split("/")[1]
        return [f"arn:{partition}:iam::{account}:role/{role}", f"arn:{partition}:iam::{account}:role/*/{role}", root]
    if resource == "root":
        return [root]
    return [f"arn:{partition}:iam::{account}:{resource}", root]


def secret_readers(tiers, prefix, secret_name, account, partition="aws"):
    """The instance role ARNs of the tiers that read the secret: those whose ``secrets`` name it (by name, name:key or
    an ARN of it) or that are granted it (a ``secret`` grant of its logical name), sorted. The names are the stack
    contract's (``<prefix>-<tier>-instance``)."""
    readers = set()
    logical = secret_name[len(prefix) + 1:] if secret_name.startswith(f"{prefix}-") else None
    for tier in tiers or []:
        if not isinstance(tier, dict) or not tier.get("name"):
            continue
        refs = [str(ref) for ref in (tier.get("secrets") or {}).values()] if isinstance(tier.get("secrets"), dict) else []
        by_arn = re.compile(rf":secret:{re.escape(secret_name)}-[A-Za-z0-9]{{6}}(:|$)")
        named = any(ref.split(":", 1)[0] == secret_name or by_arn.search(ref) for ref in refs)
        granted = any(
            isinstance(g, dict) and g.get("kind") == "secret" and g.get("name") in (logical, secret_name)
            for g in tier.get("grants") or []
        )
        if named or granted:
            readers.add(f"arn:{partition}:iam::{account}:role/{prefix}-{tier['name']}-instance")
    return sorted(readers)


def secret_policy(readers, deployer, admins=()):
    """The secret's resource policy: every principal but the readers (the tiers' instance roles), the deployer's
    principals (caller_principals) and the named administrators is denied everything on the secret except describing
    it and managing this policy (POLICY_SELF_SERVICE), whatever its own IAM policies allow. The readers still need their
    own IAM permission (their tier grants it); the policy only takes it away from everybody else."""
    allowed = sorted(set(readers) | set(deployer) | set(admins or ()))
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyEveryoneButTheReadingTiersAndTheDeployer",
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "NotAction": list(POLICY_SELF_SERVICE),
                "Resource": "*",
                "Condition": {"StringNotLike": {"aws:PrincipalArn": allowed}},
            }
        ],
    }
