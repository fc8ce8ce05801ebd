# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Why a hidden task failed, without what it hid.

A task that carries a secret runs with ``no_log``, so its failure shows only "the output has been hidden". The roles
run such a task with ``no_log``, ``ignore_errors`` and ``register``, then a task without ``no_log`` fails with
:func:`failure_reason` of the registered result: the module, what it was doing, the AWS error code and message.

A module's message does not carry the secret (AWS error messages never echo a request's values; Ansible removes the
values of no_log options such as ``secret`` or ``master_user_password`` from what a module returns); the values
passed as ``secrets`` are removed all the same, so that a message built from an option that is not no_log (a
listener rule's header value) cannot show one either.

Pure Python: no boto3 and no Ansible imports.
"""

from collections.abc import Mapping

HIDDEN = "<hidden>"
# What Ansible answers when a module died without JSON (a traceback): the reason is then the last line of its stderr.
MODULE_FAILURE = "MODULE FAILURE"


def _error_code(result):
    error = result.get("error")
    if isinstance(error, Mapping) and error.get("code"):
        return str(error["code"])
    return ""


def _message(result):
    message = str(result.get("msg") or "").strip()
    if message.startswith(MODULE_FAILURE) or not message:
        lines = [line.strip() for line in str(result.get("module_stderr") or "").splitlines() if line.strip()]
        if lines:
            return f"{message or MODULE_FAILURE}: {lines[-1]}" if message else lines[-1]
    return message


def redact(text, secrets=()):
    """text with every non-empty value of secrets (longest first) replaced by <hidden>."""
    for secret in sorted({str(s) for s in secrets or () if s not in (None, "")}, key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    return text


def failure_reason(result, module, action, secrets=()):
    """One line saying why a hidden task failed: ``<module> could not <action>: <message> (AWS error <code>)``.

    result is the task's registered result (a loop's: its first failed item); secrets are values to keep out of the
    line whatever the message says."""
    if not isinstance(result, Mapping):
        return redact(f"{module} could not {action}: no result was registered", secrets)
    results = result.get("results")
    if isinstance(results, list):
        failed = [r for r in results if isinstance(r, Mapping) and r.get("failed")]
        if failed:
            result = failed[0]
    message = _message(result) or "the task failed without a message"
    code = _error_code(result)
    line = f"{module} could not {action}: {message}"
    if code:
        line += f" (AWS error {code})"
    return redact(line, secrets)
