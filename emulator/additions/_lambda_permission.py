"""Shared by the additions that check a Lambda function's resource-based policy before a service is wired to it
(``s3_notification_lambda_permission``, ``secretsmanager_rotation_lambda``): whether the service may invoke it.

Not an addition itself (its name starts with an underscore: ``apply_all`` skips it).
"""

from emulator import policy


def service_may_invoke(function_arn: str, service: str, source_arn: str, account: str) -> bool:
    """Whether the function of function_arn exists and its policy lets the service principal (``s3.amazonaws.com``)
    call ``lambda:InvokeFunction`` with source_arn as ``aws:SourceArn`` and account as ``aws:SourceAccount``, as the
    emulator's IAM evaluator (``emulator.policy``) decides."""
    from moto.awslambda.utils import get_backend  # pylint: disable=import-outside-toplevel

    parts = str(function_arn).split(":")
    if len(parts) < 7:
        return False
    try:
        function = get_backend(parts[4], parts[3]).get_function(function_arn)
    except Exception:  # pylint: disable=broad-except
        return False
    statements = function.policy.statements if function.policy else []
    if not statements:
        return False
    document = {"Version": "2012-10-17", "Statement": statements}
    context = {"aws:principalservicename": service, "aws:sourcearn": source_arn, "aws:sourceaccount": str(account)}
    principal = policy.Principal(f"service:{service}", str(account), "Service", service=service)
    decision = policy.evaluate(policy.Request("lambda:InvokeFunction", function.function_arn, principal, context),
                               [], document, resource_policy_required=True)
    return decision.allowed
