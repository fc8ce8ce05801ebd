"""Regenerate what derives from the tier specification (plugins/module_utils/tier_spec.py).

    .venv/bin/python tools/generate.py          # rewrite the generated parts
    .venv/bin/python tools/generate.py --check  # exit 1 and name the files that differ (tests/test_contract.py)

Generated parts sit between two marker comments, so the rest of each file stays hand-written:

* in roles/*/meta/argument_specs.yml, the ``options`` of every tier option (a line ``# BEGIN generated tier options``
  where the ``options:`` key goes, ``# END generated tier options`` after it; in a file with two, the second is an
  alias of the first);
* in docs/tiers.md, the table of keys (``<!-- BEGIN generated: tier keys -->`` ...
  ``<!-- END generated: tier keys -->``);
* in meta/runtime.yml, the action group ``stack``: every module the roles and playbooks call that takes the AWS
  connection options (amazon.aws's, community.aws's, and the collection's own of its group ``aws``), between
  ``# BEGIN generated stack group`` and ``# END generated stack group``. The roles set their module_defaults for this
  group, not for ``aws``: Ansible resolves every action of a module_defaults group once per play, and ``aws`` has
  about 380 (0.7 CPU-seconds of every run of playbooks/site.yml).
"""

import argparse
import importlib
import itertools
import re
import sys
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
SPEC_BEGIN = "# BEGIN generated tier options"
SPEC_END = "# END generated tier options"
DOC_BEGIN = "<!-- BEGIN generated: tier keys (tools/generate.py from plugins/module_utils/tier_spec.py) -->"
DOC_END = "<!-- END generated: tier keys -->"
GROUP_BEGIN = "# BEGIN generated stack group (tools/generate.py)"
GROUP_END = "# END generated stack group"
# A task's module: a key of a task (a list item's first key, or a key after one) that is a fully qualified module name.
MODULE_KEY = re.compile(r"^[ \t]*(?:- )?((?:amazon\.aws|community\.aws|atelier\.infra)\.[a-z0-9_]+):[ \t]*$", re.M)


def _tier_spec():
    """plugins/module_utils/tier_spec.py, imported through the collection's link (playbooks/collections)."""
    collections = str(REPO_ROOT / "playbooks" / "collections")
    if collections not in sys.path:
        sys.path.insert(0, collections)
    return importlib.import_module("ansible_collections.atelier.infra.plugins.module_utils.tier_spec")


class _Dumper(yaml.SafeDumper):
    """Block style, lists of scalars inline (as the hand-written specs write choices), block lists indented under their
    key (as yamllint wants them)."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_list(dumper, value):
    flow = all(isinstance(item, (str, int, bool)) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


ANCHOR = "tier_options"


def options_yaml(indent, first=None):
    """The generated ``options:`` block, indented like its marker line. In a file with more than one, the first carries
    the anchor ``&tier_options`` (first=True) and the others are its alias (first=False): Ansible parses the tier
    options once per file, and deep copies them once (a shared object) every time it loads the role's argument
    specs."""
    text = yaml.dump({"options": _tier_spec().argument_spec()}, Dumper=_Dumper, sort_keys=False, width=110,
                     default_flow_style=False, allow_unicode=True)
    if first is not None:
        text = text.replace("options:\n", f"options: &{ANCHOR}\n", 1) if first else f"options: *{ANCHOR}\n"
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


def _options_in_turn(text):
    """options_yaml for each marker of one file in turn: with more than one, the first with the anchor and the others
    its alias; a single one plain."""
    if text.count(SPEC_BEGIN) < 2:
        return lambda indent: options_yaml(indent, first=None)
    count = itertools.count()
    return lambda indent: options_yaml(indent, first=next(count) == 0)


def _splice(text, begin, end, render):
    """text with every begin..end region replaced by render(indent of the begin line)."""
    pattern = re.compile(rf"^([ \t]*){re.escape(begin)}[^\n]*\n.*?^[ \t]*{re.escape(end)}[^\n]*\n", re.M | re.S)

    def replace(match):
        indent = match.group(1)
        return f"{indent}{begin}\n{render(len(indent))}{indent}{end}\n"

    return pattern.sub(replace, text)


def modules_called():
    """Every amazon.aws, community.aws and atelier.infra module that a task of a role or of a playbook calls."""
    files = sorted((REPO_ROOT / "roles").glob("*/tasks/*.yml")) + sorted((REPO_ROOT / "playbooks").glob("*.yml"))
    return sorted({name for path in files for name in MODULE_KEY.findall(path.read_text(encoding="utf-8"))})


def stack_group_yaml(indent):
    """The generated members of the action group ``stack``, indented like its marker line: every amazon.aws and
    community.aws module called (as named: Ansible resolves a redirected name in a group as in a task), and the
    collection's own modules of its group ``aws`` (the others take no connection options)."""
    runtime = yaml.safe_load((REPO_ROOT / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    own = {f"atelier.infra.{name}" for name in runtime["action_groups"]["aws"] if isinstance(name, str)}
    members = [name for name in modules_called() if not name.startswith("atelier.infra.") or name in own]
    return "".join(f"{' ' * indent}- {name}\n" for name in members)


def expected_files():
    """Every generated file path and the content it should have."""
    files = {}
    for spec_file in sorted((REPO_ROOT / "roles").glob("*/meta/argument_specs.yml")):
        text = spec_file.read_text(encoding="utf-8")
        if SPEC_BEGIN in text:
            files[spec_file] = _splice(text, SPEC_BEGIN, SPEC_END, _options_in_turn(text))
    doc = REPO_ROOT / "docs" / "tiers.md"
    text = doc.read_text(encoding="utf-8")
    files[doc] = _splice(text, DOC_BEGIN, DOC_END, lambda _indent: _tier_spec().markdown())
    runtime = REPO_ROOT / "meta" / "runtime.yml"
    files[runtime] = _splice(runtime.read_text(encoding="utf-8"), GROUP_BEGIN, GROUP_END, stack_group_yaml)
    return files


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report the files that differ, change nothing")
    args = parser.parse_args(argv)
    stale = []
    for path, content in expected_files().items():
        if path.read_text(encoding="utf-8") != content:
            stale.append(path.relative_to(REPO_ROOT))
            if not args.check:
                path.write_text(content, encoding="utf-8")
    if args.check and stale:
        print("generated parts out of date (run tools/generate.py): " + ", ".join(map(str, stale)))
        return 1
    print(("rewrote " + ", ".join(map(str, stale))) if stale and not args.check else "generated parts up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
