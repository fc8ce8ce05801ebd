# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rds_postgres role's logic: the checks its argument spec cannot make, and what its teardown kept.

``errors`` takes the role's inputs as one dict (``rds_postgres_*`` variable name to value; other keys are ignored)
and returns one message per problem, each naming the variable. Types, choices and required inputs are the argument
spec's (roles/rds_postgres/meta/argument_specs.yml); the checks here are type-tolerant all the same (a number given as
a string on the command line is read as a number, anything else is reported, never raised).

Pure Python, no boto3 import: exposed by plugins/filter/rds_postgres.py.
"""

import re

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
