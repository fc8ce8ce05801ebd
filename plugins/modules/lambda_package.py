#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: lambda_package
version_added: 0.1.0
short_description: Build deterministic zip packages of Lambda functions from their source directories
description:
  - Zips each function's source directory into its O(functions[].dest) so that the same files always give the same
    bytes, hence the same C(CodeSha256) Lambda reports; C(amazon.aws.lambda) compares that checksum with the zip's and
    uploads nothing when they are equal.
  - Entries are the directory's regular files sorted by path, each with the timestamp 1980-01-01 00:00, mode 0644 (0755
    when executable by its owner) and deflate level 9, without directory entries. C(__pycache__) and C(.git)
    directories, C(*.pyc) and C(*.pyo) files, C(.DS_Store) and links leaving the directory are left out.
  - A zip is written only when its bytes differ from the file already at O(functions[].dest).
  - Runs where the files are (the controller, for a role on a local connection); it makes no AWS call. Not an AWS
    module (no C(atelier.infra.aws) group membership), since it takes no AWS connection options.
author:
  - Atelier infra developers (@atelier-infra)
options:
  functions:
    description: The functions to package.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: The function's name, echoed in the result.
        type: str
        required: true
      src:
        description: The function's source directory.
        type: path
        required: true
      dest:
        description: The zip file to write; its directory is created.
        type: path
        required: true
attributes:
  check_mode:
    description: Computes every package and its checksum but writes no file.
    support: full
  diff_mode:
    description: Not supported.
    support: none
"""

EXAMPLES = r"""
- name: Package the functions under build/
  atelier.infra.lambda_package:
    functions:
      - {name: presign, src: functions/presign, dest: build/lambda/presign.zip}
  register: packages
"""

RETURN = r"""
packages:
  description: One entry per function, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The function's name.
      type: str
    path:
      description: The zip file.
      type: str
    code_sha256:
      description: The base64 SHA-256 of the zip, as Lambda reports it in C(CodeSha256).
      type: str
      sample: "Nq3s4qG1oNw6m8w7v3m0d2Yh1qk1uQbVqJ0m0c1t2xE="
    size:
      description: The zip's size in bytes.
      type: int
    files:
      description: The paths packaged, sorted.
      type: list
      elements: str
    written:
      description: Whether the zip was (or, in check mode, would be) written.
      type: bool
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.atelier.infra.plugins.module_utils.lambda_package import code_sha256
from ansible_collections.atelier.infra.plugins.module_utils.lambda_package import write_package
from ansible_collections.atelier.infra.plugins.module_utils.lambda_package import zip_bytes


def package(module, function):
    src, dest = function["src"], function["dest"]
    if not os.path.isdir(src):
        module.fail_json(msg=f"lambda_package: the source directory of {function['name']}, {src}, does not exist")
    if not module.check_mode:
        return dict(write_package(src, dest), name=function["name"])
    data = zip_bytes(src)
    current = None
    if os.path.isfile(dest):
        with open(dest, "rb") as existing:
            current = existing.read()
    return {"name": function["name"], "path": dest, "code_sha256": code_sha256(data), "size": len(data),
            "files": [], "written": current != data}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            functions=dict(
                type="list", elements="dict", required=True,
                options=dict(name=dict(type="str", required=True), src=dict(type="path", required=True),
                             dest=dict(type="path", required=True)),
            ),
        ),
        supports_check_mode=True,
    )
    packages = [package(module, function) for function in module.params["functions"]]
    module.exit_json(changed=any(p["written"] for p in packages), packages=packages)


if __name__ == "__main__":
    main()
