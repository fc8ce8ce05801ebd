#!/usr/bin/env bash
# ansible-test sanity on a copy of the collection at build/ansible_collections/atelier/infra,
# the path shape ansible-test requires. Only the files that ship (not emulator/, tests/, ...).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build/ansible_collections/atelier/infra"
home="$root/build/home"   # ansible-test's caches and venvs stay inside the project

rm -rf "$build"
mkdir -p "$build" "$home"
# The collections ours depends on, beside it where ansible-test looks for them.
deps=$(python -c "import ansible_collections.amazon.aws as m, os; print(os.path.dirname(os.path.dirname(list(m.__path__)[0])))")
for ns in amazon community; do ln -sfn "$deps/$ns" "$root/build/ansible_collections/$ns"; done
cd "$root"
git ls-files -co --exclude-standard \
  | grep -v -E '^(\.ci|\.config|tests|tools|emulator|bench|extensions|playbooks/collections)/' \
  | while read -r f; do [ -e "$f" ] || [ -L "$f" ] && printf '%s\n' "$f"; done \
  | tar -cf - -T - | tar -xf - -C "$build"

# The pip version ansible-test bootstraps into its venvs (get_venv_packages' default).
pip_version=$(python -c "import re, ansible_test._internal.python_requirements as r, inspect; \
print(re.search(r\"pip='([0-9.]+)'\", inspect.getsource(r.get_venv_packages)).group(1))")
cache="$home/.ansible/test/cache"
mkdir -p "$cache"
cp "$root/tests/sanity/get_pip_bootstrap.py" "$cache/get_pip_${pip_version//./_}.py"

cd "$build"
git init -q . && git add -A
HOME="$home" ansible-test sanity --venv --python 3.11 --color no "$@"
