"""ACM DNS validation: a DNS-validated certificate is issued only once its validation CNAMEs exist in Route 53.

AWS: ``RequestCertificate`` with ``ValidationMethod: DNS`` makes an ``AMAZON_ISSUED`` certificate in
``PENDING_VALIDATION``. ``DescribeCertificate`` lists ``DomainValidationOptions``, one per name of the certificate in
the order requested (``DomainName`` first, then each of ``SubjectAlternativeNames`` not already listed), each with
``ValidationStatus`` (``PENDING_VALIDATION`` | ``SUCCESS``), ``ValidationMethod: DNS`` and a ``ResourceRecord``
``{Name: _<hash>.<domain>., Type: CNAME, Value: _<hash>.<token>.acm-validations.aws.}``. The record depends on the
account and the domain only (a wildcard ``*.example.com`` shares ``example.com``'s record; two certificates for the
same name in one account share it; the same in every region), so one CNAME validates all of them. ACM checks public
DNS: a domain is validated (``SUCCESS``) some minutes after its CNAME resolves, and the certificate is ``ISSUED``
when every domain is; until then it has no ``Serial``, ``NotBefore``, ``NotAfter`` or ``IssuedAt``, and
``SubjectAlternativeNames`` is ``DomainName`` then the other names in request order.

moto 5.2.5: ``CertBundle.check`` (moto/acm/models.py) turns every pending ``AMAZON_ISSUED`` certificate ``ISSUED``
once it is older than ``MOTO_ACM_VALIDATION_WAIT`` (60 s), whatever DNS holds; ``CertBundle.describe`` answers the
same ``ResourceRecord`` value ``_c9edd76...ykybfrwcxw.acm-validations.aws.`` (and name prefix) for every domain of
every account, lists the names in set order (``SubjectAlternativeNames`` too, from the generated certificate) and
gives ``Serial`` / ``NotBefore`` / ``NotAfter`` / ``IssuedAt`` to a pending certificate;
``AWSCertificateManagerResponse.request_certificate`` ignores ``ValidationMethod``.

What this addition does: wraps ``AWSCertificateManagerResponse.request_certificate`` to remember, on the new
``CertBundle``, that it is DNS-validated and its names in order (an ``IdempotencyToken`` retry that returns the first
certificate keeps its state); makes ``AWSCertificateManagerBackend._get_arn_from_idempotency_token`` forget a token
whose certificate was deleted (moto looks the deleted ARN up and answers an internal error, ``KeyError``; a request
with that token then makes a new certificate); replaces ``CertBundle.check`` for those certificates: at each ACM read of the
certificate (Describe, List, Get, ...) every domain whose CNAME (name and value, case and trailing dot ignored) is
found in a public hosted zone of the certificate's account in moto's Route 53 that covers it (the longest zone name
the record name ends with, as a resolver reaches the most specific delegated zone; a private zone never counts) is
marked found at that time; a domain is ``SUCCESS`` ``ATELIER_EMULATOR_ACM_VALIDATION_DELAY`` seconds (knob, default
2.0; the realistic-latency profile's ``acm_dns_validation``) after it was first found, and the certificate ``ISSUED``
(``IssuedAt`` then) when every domain is. A domain once found stays validated if the record goes away (AWS would need
it again only for renewal). ``CertBundle.describe`` is wrapped for the record names and values (hashes of the account
and the domain), the order, the statuses and the fields a pending certificate lacks. EMAIL validation, private CA
certificates and imported ones keep moto's behaviour; ``VALIDATION_TIMED_OUT`` (72 h) is not emulated.

References: https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html
            https://docs.aws.amazon.com/acm/latest/APIReference/API_DomainValidation.html
            https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
"""

import hashlib
import threading
import time

from moto.acm.models import AWSCertificateManagerBackend, CertBundle
from moto.acm.responses import AWSCertificateManagerResponse
from moto.route53.models import route53_backends

from emulator import knobs

KNOB = "ATELIER_EMULATOR_ACM_VALIDATION_DELAY"
_LOCK = threading.Lock()
_ORIGINAL: dict = {}
_PENDING_ONLY_ABSENT = ("Serial", "NotBefore", "NotAfter", "IssuedAt")


class _DnsValidation:
    """The DNS validation state of one requested certificate."""

    def __init__(self, account_id: str, names: list[str]):
        self.account_id = account_id
        self.names = names
        self.found: dict[str, float] = {}  # validation domain -> when its CNAME was first found
        self.issued_at: float | None = None

    def validated_at(self, name: str, delay: float) -> float | None:
        found = self.found.get(_validation_domain(name))
        return None if found is None else found + delay


def _normal(name: str) -> str:
    return name.strip().rstrip(".").lower()


def _validation_domain(name: str) -> str:
    name = _normal(name)
    return name[2:] if name.startswith("*.") else name


def _hex(*parts: str) -> str:
    return hashlib.sha256(":".join(parts).encode()).hexdigest()[:32]


def validation_record(account_id: str, name: str) -> dict:
    """The validation CNAME of a certificate name in an account, as DescribeCertificate gives it."""
    domain = _validation_domain(name)
    token = "".join(chr(ord("a") + int(c, 16) % 26) for c in _hex("token", account_id, domain)[:10])
    return {
        "Name": f"_{_hex('name', account_id, domain)}.{domain}.",
        "Type": "CNAME",
        "Value": f"_{_hex('value', account_id, domain)}.{token}.acm-validations.aws.",
    }


def _cname_published(account_id: str, record: dict) -> bool:
    """Whether the CNAME is in the public hosted zone of the account that a resolver would ask for its name."""
    name, value = _normal(record["Name"]), _normal(record["Value"])
    try:
        zones = list(route53_backends[account_id]["aws"].zones.values())
    except KeyError:
        return False
    covering = [
        z for z in zones if not z.private_zone and (name == _normal(z.name) or name.endswith("." + _normal(z.name)))
    ]
    if not covering:
        return False
    longest = max(len(_normal(z.name)) for z in covering)
    for zone in covering:
        if len(_normal(zone.name)) != longest:
            continue
        for rrset in zone.rrsets:
            if rrset.type == "CNAME" and _normal(rrset.name) == name:
                if any(_normal(str(v)) == value for v in rrset.records or []):
                    return True
    return False


def _check(self) -> None:
    state: _DnsValidation | None = getattr(self, "_atelier_dns", None)
    if state is None or self.type != "AMAZON_ISSUED" or self.status != "PENDING_VALIDATION":
        _ORIGINAL["check"](self)
        return
    now = time.time()
    delay = knobs.get_float(KNOB)
    with _LOCK:
        for domain in dict.fromkeys(_validation_domain(n) for n in state.names):
            if domain not in state.found and _cname_published(
                state.account_id, validation_record(state.account_id, domain)
            ):
                state.found[domain] = now
        times = [state.validated_at(n, delay) for n in state.names]
        if all(t is not None and t <= now for t in times):
            self.status = "ISSUED"
            state.issued_at = max(times)


def _describe(self) -> dict:
    result = _ORIGINAL["describe"](self)
    state: _DnsValidation | None = getattr(self, "_atelier_dns", None)
    if state is None or self.type != "AMAZON_ISSUED":
        return result
    certificate = result["Certificate"]
    now = time.time()
    delay = knobs.get_float(KNOB)
    issued = self.status == "ISSUED"
    options = []
    for name in state.names:
        validated = state.validated_at(name, delay)
        success = issued or (validated is not None and validated <= now)
        options.append(
            {
                "DomainName": name,
                "ValidationDomain": name,
                "ValidationStatus": "SUCCESS" if success else "PENDING_VALIDATION",
                "ValidationMethod": "DNS",
                "ResourceRecord": validation_record(state.account_id, name),
            }
        )
    certificate["DomainName"] = state.names[0]
    certificate["SubjectAlternativeNames"] = list(state.names)
    certificate["DomainValidationOptions"] = options
    if issued:
        certificate["IssuedAt"] = state.issued_at if state.issued_at is not None else certificate.get("IssuedAt")
    else:
        for key in _PENDING_ONLY_ABSENT:
            certificate.pop(key, None)
    return result


def _request_certificate(self):
    answer = _ORIGINAL["request_certificate"](self)
    method = self._get_param("ValidationMethod")
    if method == "DNS" and not self._get_param("CertificateAuthorityArn"):
        bundle = self.acm_backend._certificates.get(answer.result["CertificateArn"])
        if bundle is not None and getattr(bundle, "_atelier_dns", None) is None:
            names = [self._get_param("DomainName"), *(self._get_param("SubjectAlternativeNames") or [])]
            bundle._atelier_dns = _DnsValidation(self.current_account, list(dict.fromkeys(names)))
    return answer


def _get_arn_from_idempotency_token(self, token: str) -> str | None:
    arn = _ORIGINAL["get_arn_from_idempotency_token"](self, token)
    if arn is not None and arn not in self._certificates:
        del self._idempotency_tokens[token]  # the certificate was deleted: the token no longer names one
        return None
    return arn


def apply() -> None:
    """Validate DNS-requested certificates against moto's Route 53."""
    _ORIGINAL.setdefault(
        "get_arn_from_idempotency_token", AWSCertificateManagerBackend._get_arn_from_idempotency_token
    )
    AWSCertificateManagerBackend._get_arn_from_idempotency_token = _get_arn_from_idempotency_token
    _ORIGINAL.setdefault("check", CertBundle.check)
    _ORIGINAL.setdefault("describe", CertBundle.describe)
    _ORIGINAL.setdefault("request_certificate", AWSCertificateManagerResponse.request_certificate)
    CertBundle.check = _check
    CertBundle.describe = _describe
    AWSCertificateManagerResponse.request_certificate = _request_certificate
