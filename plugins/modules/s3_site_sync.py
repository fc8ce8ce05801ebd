#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_site_sync
version_added: 0.1.0
short_description: Upload a static site's directory to its S3 bucket, changing only what changed
description:
  - Mirrors a local directory into an S3 bucket (under an optional key prefix) for a static site
    served by CloudFront; each file with its content type and a cache control chosen by glob
    rules, files that are gone removed, and the CloudFront paths to invalidate returned.
  - The bucket is listed once (one call per 1000 objects); a file is uploaded only when the
    object is missing or its ETag differs from the file's MD5, so an unchanged site makes no
    upload and no other mutating call, and reports no change.
  - Fills gaps in M(community.aws.s3_sync), which has no check mode (it is skipped under
    C(--check), so a plan cannot tell what would be uploaded), makes one C(HeadObject) call per file,
    sets one cache control for every file (a single-page application needs C(no-cache) on
    C(index.html) and long caching on its hashed assets), and does not say which paths changed.
author:
  - Atelier infra developers (@atelier-infra)
options:
  bucket:
    description: The bucket's name.
    required: true
    type: str
  src:
    description:
      - The local directory to upload (on the host the module runs on); it must exist.
    required: true
    type: path
  prefix:
    description: A key prefix for every object, for example V(site/); empty for the bucket's root.
    default: ''
    type: str
  delete:
    description:
      - Delete the objects under O(prefix) that have no file in O(src) any more. In a versioned
        bucket they stay as noncurrent versions.
    default: true
    type: bool
  cache_control:
    description:
      - Cache-Control rules, the first whose O(cache_control[].pattern) matches a key (or its file
        name) wins; O(default_cache_control) otherwise.
    type: list
    elements: dict
    default: []
    suboptions:
      pattern:
        description: A glob pattern, for example V(index.html) or V(assets/*).
        required: true
        type: str
      value:
        description: The Cache-Control header, for example V(no-cache) or V(public, max-age=31536000, immutable).
        required: true
        type: str
  default_cache_control:
    description: The Cache-Control of a key no rule matches; empty for none.
    default: ''
    type: str
  content_types:
    description:
      - Content types by file extension (V(.webmanifest) or V(webmanifest)) over Python's map.
        Text types get C(; charset=utf-8).
    type: dict
    default: {}
  include_hidden:
    description: Upload files and directories whose names start with a dot.
    default: false
    type: bool
  compare_metadata:
    description:
      - Also re-upload an unchanged file whose content type or cache control differs from the
        object's. This costs one C(HeadObject) call per file; use it once after changing the rules.
    default: false
    type: bool
  max_invalidation_paths:
    description: With more changed paths than this, RV(invalidation_paths) is C([/*]).
    default: 10
    type: int
  root_object:
    description: The distribution's default root object; when it changes RV(invalidation_paths) includes C(/).
    default: index.html
    type: str
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns the changed keys' ETags before and after with C(--diff).
    support: full
notes:
  - The comparison relies on S3's ETag being the MD5 of a single-part upload, true for buckets
    encrypted with SSE-S3 (the site bucket's default); with SSE-KMS every file is uploaded every run.
seealso:
  - module: community.aws.s3_sync
  - module: community.aws.cloudfront_invalidation
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Upload the site
  atelier.infra.s3_site_sync:
    bucket: prod-atelier-frontend-site
    src: "{{ playbook_dir }}/build"
    cache_control:
      - pattern: index.html
        value: no-cache
      - pattern: assets/*
        value: public, max-age=31536000, immutable
    default_cache_control: public, max-age=300
  register: site

- name: Invalidate what changed, only when something did
  community.aws.cloudfront_invalidation:
    distribution_id: "{{ distribution.distribution.id }}"
    target_paths: "{{ site.invalidation_paths }}"
  when: site.invalidation_paths | length > 0
"""

RETURN = r"""
uploaded:
  description: The keys uploaded (in check mode, that would be).
  returned: always
  type: list
  elements: str
  sample: ["index.html", "assets/app.4f2a.js"]
deleted:
  description: The keys deleted (in check mode, that would be).
  returned: always
  type: list
  elements: str
  sample: ["assets/app.1e9c.js"]
unchanged:
  description: How many files were already up to date.
  returned: always
  type: int
  sample: 41
invalidation_paths:
  description:
    - The CloudFront paths to invalidate, C([]) when nothing changed, C(/*) when more than
      O(max_invalidation_paths) changed.
  returned: always
  type: list
  elements: str
  sample: ["/", "/index.html", "/assets/app.1e9c.js", "/assets/app.4f2a.js"]
msg:
  description: What the module did, or would have done in check mode.
  returned: always
  type: str
  sample: "Uploaded 2 and deleted 1 object(s) of bucket prod-atelier-frontend-site."
"""

import os

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.s3_site import AnsibleS3SiteError
from ansible_collections.atelier.infra.plugins.module_utils.s3_site import delete_objects
from ansible_collections.atelier.infra.plugins.module_utils.s3_site import head_object
from ansible_collections.atelier.infra.plugins.module_utils.s3_site import list_objects
from ansible_collections.atelier.infra.plugins.module_utils.s3_site import put_object
from ansible_collections.atelier.infra.plugins.module_utils.static_site import cache_control
from ansible_collections.atelier.infra.plugins.module_utils.static_site import content_type
from ansible_collections.atelier.infra.plugins.module_utils.static_site import invalidation_paths
from ansible_collections.atelier.infra.plugins.module_utils.static_site import local_files
from ansible_collections.atelier.infra.plugins.module_utils.static_site import md5_etag
from ansible_collections.atelier.infra.plugins.module_utils.static_site import sync_plan


def main():
    argument_spec = dict(
        bucket=dict(type="str", required=True),
        src=dict(type="path", required=True),
        prefix=dict(type="str", default=""),
        delete=dict(type="bool", default=True),
        cache_control=dict(
            type="list", elements="dict", default=[], options=dict(pattern=dict(type="str", required=True), value=dict(type="str", required=True))
        ),
        default_cache_control=dict(type="str", default=""),
        content_types=dict(type="dict", default={}),
        include_hidden=dict(type="bool", default=False),
        compare_metadata=dict(type="bool", default=False),
        max_invalidation_paths=dict(type="int", default=10),
        root_object=dict(type="str", default="index.html"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if not os.path.isdir(params["src"]):
        module.fail_json(msg=f"src {params['src']!r} is not a directory")
    bucket, prefix = params["bucket"], params["prefix"]

    files = local_files(params["src"], params["include_hidden"])
    local = {
        key: {
            "etag": md5_etag(path),
            "content_type": content_type(key, params["content_types"]),
            "cache_control": cache_control(key, params["cache_control"], params["default_cache_control"]),
        }
        for key, path in files.items()
    }
    client = module.client("s3")
    try:
        remote = list_objects(client, bucket, prefix)
        if remote is None:
            if not module.check_mode:
                module.fail_json(msg=f"The bucket {bucket} does not exist: create it before uploading the site.")
            remote = {}  # a plan before the bucket task has created it: everything would be uploaded
        if params["compare_metadata"]:
            for key in local:
                if remote.get(prefix + key, {}).get("etag") == local[key]["etag"]:
                    remote[prefix + key] = head_object(client, bucket, prefix + key) or remote[prefix + key]
        plan = sync_plan(local, remote, prefix, params["delete"])
        if not module.check_mode:
            for key in plan["upload"]:
                want = local[key[len(prefix):]]
                put_object(client, bucket, key, files[key[len(prefix):]], want["content_type"], want["cache_control"])
            for start in range(0, len(plan["delete"]), 1000):
                errors = delete_objects(client, bucket, plan["delete"][start:start + 1000])
                if errors:
                    failed = "; ".join(f"{e.get('Key')}: {e.get('Code')} {e.get('Message')}" for e in errors)
                    module.fail_json(msg=f"Could not delete objects of bucket {bucket}: {failed}", uploaded=plan["upload"])
    except AnsibleS3SiteError as e:
        module.fail_json_aws_error(e)

    result = {"uploaded": plan["upload"], "deleted": plan["delete"]}
    changed = bool(plan["upload"] or plan["delete"])
    if not changed:
        msg = f"Nothing to upload: bucket {bucket} matches {params['src']}."
    elif module.check_mode:
        msg = f"Would upload {len(plan['upload'])} and delete {len(plan['delete'])} object(s) of bucket {bucket} if not in check mode."
    else:
        msg = f"Uploaded {len(plan['upload'])} and deleted {len(plan['delete'])} object(s) of bucket {bucket}."
    # The paths as the distribution sees them (its origin path is the prefix).
    relative = {name: [key[len(prefix):] for key in keys] for name, keys in result.items()}
    before = {key: (remote.get(key) or {}).get("etag") for key in plan["upload"] + plan["delete"]}
    after = dict({key: local[key[len(prefix):]]["etag"] for key in plan["upload"]}, **{key: None for key in plan["delete"]})
    module.exit_json(
        changed=changed,
        msg=msg,
        unchanged=len(local) - len(plan["upload"]),
        invalidation_paths=invalidation_paths(relative, params["max_invalidation_paths"], params["root_object"]),
        diff={"before": before, "after": after},
        **result,
    )


if __name__ == "__main__":
    main()
