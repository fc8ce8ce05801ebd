"""Security group rules keep the Description of prefix-list and group-referencing permissions.

AWS: AuthorizeSecurityGroupIngress/Egress take a ``Description`` on every ``IpRanges``, ``Ipv6Ranges``,
``PrefixListIds`` and ``UserIdGroupPairs`` entry. DescribeSecurityGroups returns it on the same entry,
DescribeSecurityGroupRules as the rule's ``Description``, and UpdateSecurityGroupRuleDescriptionsIngress/Egress
replace it (omitting it removes it).

moto 5.2.5 (moto/ec2/models/security_groups.py):

* ``SecurityGroupRule.__init__`` keeps only the ``PrefixListId`` of a prefix-list entry and drops its Description,
  and ``SecurityGroup._flattened_rules`` returns ``PrefixListIds`` entries as ``{"PrefixListId": ...}`` only;
* ``SecurityGroupRule.description`` reads only the CIDR entry, so DescribeSecurityGroupRules had no Description
  for prefix-list and group-referencing rules;
* ``SecurityGroupBackend._sg_update_description`` updates CIDR and group entries, never prefix-list ones.

amazon.aws ``ec2_security_group`` compares descriptions, so a rule on the CloudFront origin-facing prefix list with a
``rule_desc`` looked changed on every run.

References: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PrefixListId.html
            https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SecurityGroupRule.html
            https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UpdateSecurityGroupRuleDescriptionsIngress.html
"""

import inspect

from moto.ec2.models.security_groups import SecurityGroup, SecurityGroupBackend, SecurityGroupRule

_RULE_INIT = SecurityGroupRule.__init__
_RULE_SIGNATURE = inspect.signature(_RULE_INIT)
_FLATTENED_RULES = SecurityGroup._flattened_rules
_UPDATE_DESCRIPTION = SecurityGroupBackend._sg_update_description


def _rule_init(self, *args, **kwargs) -> None:
    """moto's constructor, keeping the Description of the prefix-list entry too."""
    _RULE_INIT(self, *args, **kwargs)
    prefix_list = _RULE_SIGNATURE.bind(self, *args, **kwargs).arguments.get("prefix_list_id") or {}
    self.prefix_list_description = prefix_list.get("Description")


def _rule_description(self) -> str | None:
    """The Description of whichever entry the rule was made from: CIDR, group or prefix list."""
    for entry in (self.ip_range, self.source_group):
        if "Description" in entry:
            return entry["Description"]
    return self.prefix_list_description


def _flattened_rules(self, rules: list) -> list:
    """moto's grouping of rules by protocol and ports, with each PrefixListIds entry's Description."""
    views = _FLATTENED_RULES(self, rules)
    descriptions = {
        (rule.ip_protocol, rule.from_port, rule.to_port, rule.prefix_list_id): rule.prefix_list_description
        for rule in rules
        if rule.prefix_list_id and rule.prefix_list_description is not None
    }
    for view in views:
        for entry in view.prefix_list_ids:
            key = (view.ip_protocol, view.from_port, view.to_port, entry["PrefixListId"])
            if key in descriptions:
                entry["Description"] = descriptions[key]
    return views


def _update_description(self, security_rule: SecurityGroupRule, rule: SecurityGroupRule) -> None:
    """moto's update for CIDR and group entries, plus prefix-list entries."""
    _UPDATE_DESCRIPTION(self, security_rule, rule)
    if security_rule.prefix_list_id and security_rule.prefix_list_id == rule.prefix_list_id:
        rule.prefix_list_description = security_rule.prefix_list_description


def apply() -> None:
    """Patch the rule model, the DescribeSecurityGroups grouping and the description update."""
    SecurityGroupRule.__init__ = _rule_init
    SecurityGroupRule.description = property(_rule_description)
    SecurityGroup._flattened_rules = _flattened_rules
    SecurityGroupBackend._sg_update_description = _update_description
