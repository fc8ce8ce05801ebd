"""DeleteSecurityGroup and UpdateSecurityGroupRuleDescriptionsIngress/Egress answer with ``Return``.

AWS: the three operations return ``Return`` (true on success); DeleteSecurityGroup also returns the ``GroupId`` of
the deleted group.

moto 5.2.5: ``SecurityGroups.delete_security_group``, ``update_security_group_rule_descriptions_ingress`` and
``update_security_group_rule_descriptions_egress`` (moto/ec2/responses/security_groups.py) return ``EmptyResult()``,
so botocore parses no ``Return``. amazon.aws module_utils/ec2.py reads ``["Return"]`` after updating rule
descriptions, and ``ec2_security_group`` failed with ``KeyError: 'Return'``.

References: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSecurityGroup.html
            https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UpdateSecurityGroupRuleDescriptionsIngress.html
            https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UpdateSecurityGroupRuleDescriptionsEgress.html
"""

from moto.core.responses import ActionResult
from moto.ec2.responses.security_groups import SecurityGroups

_DELETE = SecurityGroups.delete_security_group
_UPDATE_INGRESS = SecurityGroups.update_security_group_rule_descriptions_ingress
_UPDATE_EGRESS = SecurityGroups.update_security_group_rule_descriptions_egress


def _delete_security_group(self) -> ActionResult:
    group = self.ec2_backend.get_security_group_by_name_or_id(
        self._get_param("GroupId") or self._get_param("GroupName")
    )
    _DELETE(self)  # raises InvalidGroup.NotFound when there is no such group
    return ActionResult({"Return": True, "GroupId": group.id})


def _update_descriptions_ingress(self) -> ActionResult:
    _UPDATE_INGRESS(self)
    return ActionResult({"Return": True})


def _update_descriptions_egress(self) -> ActionResult:
    _UPDATE_EGRESS(self)
    return ActionResult({"Return": True})


def apply() -> None:
    """Replace the three EmptyResult answers."""
    SecurityGroups.delete_security_group = _delete_security_group
    SecurityGroups.update_security_group_rule_descriptions_ingress = _update_descriptions_ingress
    SecurityGroups.update_security_group_rule_descriptions_egress = _update_descriptions_egress
