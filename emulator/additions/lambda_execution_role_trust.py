"""A function's execution role must let Lambda assume it.

AWS: CreateFunction and UpdateFunctionConfiguration (with ``Role``) check that ``lambda.amazonaws.com`` may
``sts:AssumeRole`` the role (its trust policy, evaluated with the function's account and ARN as ``aws:SourceAccount``
and ``aws:SourceArn``); otherwise they answer ``InvalidParameterValueException`` "The role defined for the function
cannot be assumed by Lambda." (400). A role trusted by another service, or by Lambda of another account only, is
refused.

moto 5.2.5: ``LambdaStorage.put_function`` (moto/awslambda/models.py) only checks that the role exists, and
``LambdaFunction.update_configuration`` stores any ``Role``: a trust policy that Lambda could never use deploys
fine, so the collection's execution role trust (``aws:SourceAccount``) was never tested against an evaluation.

What this addition does: before moto stores a function (create, publish) or a new ``Role``, the role's trust policy
is evaluated with the emulator's IAM evaluator (``emulator.policy``, the one ``/_atelier/role-credentials`` uses) for
the principal ``lambda.amazonaws.com`` with ``aws:SourceAccount`` = the function's account and ``aws:SourceArn`` =
its ARN; a refusal is the error above. A missing role stays moto's (the same error).

Reference: https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
           https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
"""

from moto.awslambda.exceptions import InvalidParameterValueException
from moto.awslambda.models import LambdaFunction
from moto.awslambda.models import LambdaStorage
from moto.iam.models import iam_backends

from emulator import policy

LAMBDA = "lambda.amazonaws.com"
REFUSED = "The role defined for the function cannot be assumed by Lambda."


def check_trust(role_arn: str, account: str, region: str, function_arn: str) -> None:
    """Raise Lambda's InvalidParameterValueException when Lambda may not assume role_arn for this function."""
    parts = str(role_arn).split(":")
    if len(parts) < 6:
        return  # moto's InvalidRoleFormat
    try:
        role = iam_backends[parts[4]][parts[1]].get_role_by_arn(role_arn)
    except Exception:  # pylint: disable=broad-except
        return  # moto's own "cannot be assumed"
    context = {
        "aws:principalservicename": LAMBDA,
        "aws:requestedregion": region,
        "aws:sourceaccount": str(account),
        "aws:sourcearn": function_arn,
    }
    principal = policy.Principal(f"service:{LAMBDA}", str(account), "Service", service=LAMBDA)
    decision = policy.evaluate(
        policy.Request("sts:AssumeRole", role.arn, principal, context),
        [],
        role.assume_role_policy_document,
        resource_policy_required=True,
    )
    if not decision.allowed:
        raise InvalidParameterValueException(REFUSED)


def apply() -> None:
    """Check the trust in LambdaStorage.put_function and LambdaFunction.update_configuration."""
    put_function = LambdaStorage.put_function
    update_configuration = LambdaFunction.update_configuration

    def checked_put_function(self, fn):
        check_trust(fn.role, fn.account_id, fn.region, fn.function_arn)
        return put_function(self, fn)

    def checked_update_configuration(self, config_updates):
        if config_updates.get("Role"):
            check_trust(config_updates["Role"], self.account_id, self.region, self.function_arn)
        return update_configuration(self, config_updates)

    LambdaStorage.put_function = checked_put_function
    LambdaFunction.update_configuration = checked_update_configuration
