# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The ACM calls of atelier.infra.acm_certificate_request (one boto3 call each, with amazon.aws' retry decorator and an
error handler turning botocore exceptions into AnsibleACMError), and, without AWS, what the module decides:

* ``option_errors``: the mistakes found before any call (names, owner tags);
* ``name_set`` / ``same_names``: the set of names a certificate covers (DomainName and its subject alternative
  names, lower case, no trailing dot), the key a certificate is reused by;
* ``idempotency_token``: RequestCertificate's token from the names and the owner tags (a lost answer, retried, does
  not request twice);
* ``choose``: among the certificates of the domain, the one to reuse (or none: request) and the ones a changed name
  set replaces;
* ``validation_records``: the validation CNAMEs of a described certificate, one per record (a wildcard shares its
  apex's record), and ``records_ready``: whether ACM has given every domain its record yet.
"""

import hashlib
import re
from typing import Any
from typing import Dict
from typing import Iterable
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

NOT_FOUND_CODES = ["ResourceNotFoundException"]
IN_USE_CODES = ["ResourceInUseException"]
# The statuses a certificate can be reused in; the others (expired, revoked, failed, timed out) never are.
REUSABLE = ("ISSUED", "PENDING_VALIDATION")
# Every status: ListCertificates without CertificateStatuses is documented to list all, said explicitly here.
ALL_STATUSES = ["PENDING_VALIDATION", "ISSUED", "INACTIVE", "EXPIRED", "VALIDATION_TIMED_OUT", "REVOKED", "FAILED"]
# A DNS name ACM accepts: labels of letters, digits and hyphens, an optional leading wildcard label, at most 253.
DOMAIN = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# ACM: a certificate holds at most 10 names by default (DomainName included).
MAX_NAMES = 10


class AnsibleACMError(AnsibleAWSError):
    pass


class ACMErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleACMError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(NOT_FOUND_CODES)


# ---------------------------------------------------------------- calls


@ACMErrorHandler.list_error_handler("list certificates", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_certificates(client, statuses: Optional[List[str]] = None) -> List[Dict[str, Any]]:
    paginator = client.get_paginator("list_certificates")
    result = paginator.paginate(CertificateStatuses=list(statuses or ALL_STATUSES)).build_full_result()
    return result.get("CertificateSummaryList", [])


@ACMErrorHandler.list_error_handler("describe certificate", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_certificate(client, arn: str) -> Optional[Dict[str, Any]]:
    """The certificate, or None when there is no such certificate."""
    return client.describe_certificate(CertificateArn=arn)["Certificate"]


@ACMErrorHandler.list_error_handler("list tags for certificate", {})
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_tags(client, arn: str) -> Dict[str, str]:
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_certificate(CertificateArn=arn).get("Tags") or [])


@ACMErrorHandler.common_error_handler("request certificate")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def request_certificate(client, domain: str, alternative_names: List[str], token: Optional[str], tags: Dict[str, str]) -> str:
    params = dict(DomainName=domain, ValidationMethod="DNS")
    if alternative_names:
        params["SubjectAlternativeNames"] = list(alternative_names)
    if token:
        params["IdempotencyToken"] = token
    if tags:
        params["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.request_certificate(**params)["CertificateArn"]


@ACMErrorHandler.common_error_handler("add tags to certificate")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def add_tags(client, arn: str, tags: Dict[str, str]) -> None:
    client.add_tags_to_certificate(CertificateArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@ACMErrorHandler.common_error_handler("remove tags from certificate")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def remove_tags(client, arn: str, keys: List[str]) -> None:
    client.remove_tags_from_certificate(CertificateArn=arn, Tags=[{"Key": key} for key in keys])


@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def _delete(client, arn: str) -> None:
    client.delete_certificate(CertificateArn=arn)


@ACMErrorHandler.common_error_handler("delete certificate")
def delete_certificate(client, arn: str) -> bool:
    """True when deleted (or already gone), False when ACM refuses because the certificate is in use."""
    try:
        _delete(client, arn)
    except is_boto3_error_code(IN_USE_CODES):
        return False
    except is_boto3_error_code(NOT_FOUND_CODES):
        return True
    return True


# ---------------------------------------------------------------- decisions


def normal(name: str) -> str:
    return str(name).strip().rstrip(".").lower()


def name_set(domain: str, alternative_names: Iterable[str] = ()) -> frozenset:
    """The names a certificate covers: its DomainName and subject alternative names, normalised."""
    return frozenset([normal(domain)] + [normal(name) for name in alternative_names or ()])


def certificate_names(certificate: Dict[str, Any]) -> frozenset:
    """The name set of a described certificate (or of a ListCertificates summary)."""
    alternative = certificate.get("SubjectAlternativeNames")
    if alternative is None:
        alternative = certificate.get("SubjectAlternativeNameSummaries") or []
    return name_set(certificate["DomainName"], alternative)


def idempotency_token(domain: str, alternative_names: Iterable[str], owner_tags: Dict[str, str]) -> str:
    """32 hexadecimal characters (RequestCertificate: at most 32, alphanumeric) from the name set and the owner tags:
    the same request sent again within the hour (a lost answer) returns the same certificate."""
    names = ",".join(sorted(name_set(domain, alternative_names)))
    owner = ",".join(f"{key}={value}" for key, value in sorted((owner_tags or {}).items()))
    return hashlib.sha256(f"{names}|{owner}".encode()).hexdigest()[:32]


def option_errors(params: Dict[str, Any]) -> List[str]:
    """What is wrong with the module's options, before any AWS call; empty when all is well."""
    errors = []
    domain = params.get("domain_name") or ""
    if not DOMAIN.match(normal(domain)):
        errors.append(f"domain_name: {domain!r} is not a DNS name (labels of letters, digits and hyphens, an optional leading *.)")
    for name in params.get("subject_alternative_names") or []:
        if not DOMAIN.match(normal(name)):
            errors.append(f"subject_alternative_names: {name!r} is not a DNS name")
    if len(name_set(domain, params.get("subject_alternative_names") or [])) > MAX_NAMES:
        errors.append(f"subject_alternative_names: a certificate covers at most {MAX_NAMES} names, domain_name included")
    if not params.get("owner_tags"):
        errors.append("owner_tags: must name at least one tag: the certificates carrying them are the caller's, the only ones"
                      " it may reuse by them, replace or delete")
    for key, value in (params.get("owner_tags") or {}).items():
        if value is None or str(value) == "":
            errors.append(f"owner_tags: tag {key!r} has no value")
    if params.get("certificate_arn") and params.get("state") != "absent":
        errors.append("certificate_arn: only with state=absent (the one certificate to delete)")
    if (params.get("wait_timeout") or 0) < 0:
        errors.append("wait_timeout: must be zero or more seconds")
    return errors


def owns(tags: Dict[str, str], owner_tags: Dict[str, str]) -> bool:
    return all(tags.get(key) == str(value) for key, value in (owner_tags or {}).items())


def choose(
    candidates: List[Dict[str, Any]], wanted: frozenset, reuse_any: bool
) -> Tuple[Optional[Dict[str, Any]], List[Dict[str, Any]]]:
    """(the certificate to reuse or None, the owned ones the name set replaces).

    candidates: the described certificates of the domain, each with "Tags" and "Owned" added. Reused: an owned one
    with exactly the wanted names, ISSUED preferred over PENDING_VALIDATION, then the newest; with reuse_any, else
    any such certificate. Replaced: the owned reusable ones with other names (left in place; the caller deletes them
    once nothing uses them)."""

    def rank(certificate):
        return (certificate.get("Status") == "ISSUED", str(certificate.get("CreatedAt") or ""), certificate["CertificateArn"])

    matching = [c for c in candidates if c.get("Status") in REUSABLE and certificate_names(c) == wanted]
    owned = sorted((c for c in matching if c["Owned"]), key=rank, reverse=True)
    others = sorted((c for c in matching if not c["Owned"]), key=rank, reverse=True) if reuse_any else []
    reused = (owned or others or [None])[0]
    replaced = [c for c in candidates if c["Owned"] and c.get("Status") in REUSABLE and certificate_names(c) != wanted]
    return reused, sorted(replaced, key=lambda c: c["CertificateArn"])


def records_ready(certificate: Dict[str, Any]) -> bool:
    """Whether every domain of a DNS-validated certificate has its validation record (AWS adds them a few seconds
    after RequestCertificate; an issued certificate needs none)."""
    if certificate.get("Status") not in (None, "PENDING_VALIDATION"):
        return True
    options = certificate.get("DomainValidationOptions") or []
    return bool(options) and all(option.get("ResourceRecord") for option in options)


def validation_records(certificate: Dict[str, Any]) -> List[Dict[str, str]]:
    """[{name, type, value}] of the certificate's DomainValidationOptions, once per record name (a wildcard shares
    its apex's record), in the order of the domains."""
    records = []
    seen = set()
    for option in certificate.get("DomainValidationOptions") or []:
        record = option.get("ResourceRecord")
        if not record or normal(record["Name"]) in seen:
            continue
        seen.add(normal(record["Name"]))
        records.append(dict(name=record["Name"], type=record.get("Type", "CNAME"), value=record["Value"]))
    return records


def summary(certificate: Dict[str, Any]) -> Dict[str, Any]:
    """A described certificate as the module returns it."""
    return dict(
        certificate_arn=certificate["CertificateArn"],
        domain_name=certificate.get("DomainName"),
        subject_alternative_names=list(certificate.get("SubjectAlternativeNames") or []),
        status=certificate.get("Status"),
        in_use_by=list(certificate.get("InUseBy") or []),
        tags=dict(certificate.get("Tags") or {}),
    )
