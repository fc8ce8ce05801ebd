# atelier.infra — the two commands a user needs are `make deploy` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON    ?= python3
VENV      ?= .venv
BIN       := $(CURDIR)/$(VENV)/bin
INVENTORY ?= inventories/local
# The local emulator is started (and destroy confirmed) only for the inventories that target it (local, goal-tracker,
# node-app-dev, node-app-prod, cruddur).
EMULATED  := local goal-tracker node-app-dev node-app-prod cruddur
LOCAL     := $(filter $(foreach i,$(EMULATED),inventories/$(i) inventories/$(i)/),$(INVENTORY))
EMULATOR_PORT ?= 4566
export ATELIER_EMULATOR_PORT := $(EMULATOR_PORT)
export PATH := $(BIN):$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg

.PHONY: help venv deploy plan drift destroy emulator-start emulator-stop emulator-status test \
        lint sanity molecule docs-check changelog-lint generate clean bench diagram

help:
	@echo "make deploy    - venv + local emulator + ansible-playbook site.yml -i $(INVENTORY), then a summary"
	@echo "make plan      - the same run with --check --diff (mutates nothing)"
	@echo "make drift     - the plan, then the stack's tagged resources no declaration owns (removed tiers)"
	@echo "make diagram   - the deployed stack drawn from the account (build/diagram/<prefix>.svg and .mmd); DIAGRAM_DIR=docs/diagrams"
	@echo "make destroy   - playbooks/teardown.yml against $(INVENTORY)"
	@echo "make test      - every test and quality gate (what CI runs)"
	@echo "make molecule SCENARIO=vpc - one role's molecule scenario against the local emulator"
	@echo "make emulator-stop - stop the local AWS emulator"
	@echo "make bench     - the benchmark suite (bench/README.md; long, not part of make test); BENCH_ARGS='--parts a'"

# The virtualenv runs the modules too (ansible_python_interpreter is ansible_playbook_python): tools/ansiballz_cache.py
# keeps the bytecode of what they import from their payload, which Python would compile again in every module run.
$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt tools/ansiballz_cache.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	$(BIN)/python tools/ansiballz_cache.py --install
	touch $@

# The collection finds itself through the committed link playbooks/collections/ansible_collections/atelier/infra
# (ansible.cfg's collections_path); nothing to link here.
venv: $(VENV)/.installed

emulator-start: venv
	$(BIN)/python -m emulator start --port $(EMULATOR_PORT)

emulator-stop:
	@if [ -x $(BIN)/python ]; then $(BIN)/python -m emulator stop; else echo "no venv, nothing to stop"; fi

emulator-status: venv
	$(BIN)/python -m emulator status

deploy: venv $(if $(LOCAL),emulator-start)
	$(BIN)/ansible-playbook site.yml -i $(INVENTORY)

plan: venv $(if $(LOCAL),emulator-start)
	$(BIN)/ansible-playbook site.yml -i $(INVENTORY) --check --diff

# The plan (settings that differ from the declaration), then what the account holds of the stack that no declaration
# owns (build/drift.json).
drift: plan
	$(BIN)/ansible-playbook playbooks/drift.yml -i $(INVENTORY)

# The deployed stack as the account holds it (found by the stack's tags), drawn as SVG and Mermaid text into
# build/diagram/ or DIAGRAM_DIR (docs/diagrams holds the reference systems' diagrams, made by this command).
diagram: venv $(if $(LOCAL),emulator-start)
	$(BIN)/ansible-playbook playbooks/diagram.yml -i $(INVENTORY) \
	  $(if $(DIAGRAM_DIR),-e atelier_diagram_dir=$(abspath $(DIAGRAM_DIR)))

# On the local emulator nothing is real, so destroy confirms the removal of data stores.
# Against any other inventory they are kept unless you pass DESTROY_DATA=yes yourself.
DESTROY_DATA ?= $(if $(LOCAL),yes,no)
destroy: venv $(if $(LOCAL),emulator-start)
	$(BIN)/ansible-playbook playbooks/teardown.yml -i $(INVENTORY) \
	  $(if $(filter yes,$(DESTROY_DATA)),-e atelier_teardown_delete_data=true)

# One role's molecule scenario (extensions/molecule/<role>) against the local emulator; SCENARIO=default checks the
# whole stack's syntax.
SCENARIO ?= default
molecule: venv emulator-start
	$(BIN)/molecule test -s $(SCENARIO)

# Rewrite what derives from the tier specification (the roles' tier options, docs/tiers.md's table of keys).
generate: venv
	$(BIN)/python tools/generate.py

# The benchmark suite (bench/README.md): the network layer against a hand-written peer, the whole stack per layer and
# per resource, 2 to 8 tiers, the critical path under the realistic-latency profile. It starts and stops its own
# emulators on free ports and takes long (tens of minutes on 2 cores), so it is not part of `make test`.
BENCH_ARGS ?=
bench: venv
	$(BIN)/python bench/suite.py $(BENCH_ARGS)

# Every test and quality gate; .ci/run runs exactly this.
# Test files run on PYTEST_WORKERS processes (pytest-xdist), each file whole on one worker (each molecule scenario
# alone; the longest first: tests/conftest.py), each worker with its own emulator on its own loopback port; the
# slowest tests are listed at the end. The quality gates (single-threaded, 3 to 5 CPU-minutes: lint and sanity 1.5
# each on an idle machine of 2026-12-06, 2.2 and 2.4 on a slower one of 2026-12-07) run beside the tests instead of
# before them: pytest writes to build/pytest.log, shown from the beginning once the gates are done, so pytest's summary
# still closes the output. Any failure fails the target.
PYTEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest tests -p no:cacheprovider -q -ra -n $(PYTEST_WORKERS) --dist loadfile --durations=25
GATES  := lint sanity docs-check changelog-lint
# Not $(MAKE) itself in the recipe: make -n would run that line (and the tests beside it) instead of printing it.
SUBMAKE = $(MAKE) --no-print-directory
test: venv
	@mkdir -p build; log=build/pytest.log; \
	$(PYTEST) > $$log 2>&1 < /dev/null & tests=$$!; \
	$(SUBMAKE) $(GATES); gates=$$?; \
	tail -n +1 -f --pid=$$tests $$log; wait $$tests; status=$$?; \
	if [ $$gates -ne 0 ]; then echo "make test: a quality gate failed ($(GATES); see above)"; fi; \
	exit $$(( gates != 0 || status != 0 ))

lint: venv
	$(BIN)/ansible-lint --profile production

sanity: venv
	PATH=$(BIN):$$PATH bash tests/sanity/run.sh

changelog-lint: venv
	$(BIN)/antsibull-changelog lint

# Every module and filter renders with ansible-doc, with no warning; the deployer policies (docs/iam) are generated.
# One ansible-doc run per plugin type (2 s instead of 176 runs, 100 s): its warnings and errors name the plugin.
docs-check: venv
	@set -e; for t in module filter; do \
	  if [ $$t = module ]; then files="plugins/modules/*.py"; else files="plugins/filter/*.yml"; fi; \
	  names=$$(for f in $$files; do n=$${f##*/}; echo atelier.infra.$${n%.*}; done); \
	  out=$$($(BIN)/ansible-doc -t $$t $$names 2>&1 >/dev/null) || { echo "ansible-doc -t $$t failed: $$out"; exit 1; }; \
	  if [ -n "$$out" ]; then echo "ansible-doc -t $$t: $$out"; exit 1; fi; done; \
	echo "ansible-doc renders every module and filter"; \
	$(BIN)/python tools/deployer_policy.py --check && echo "docs/iam/*.json are what docs/iam/actions.yml declares"

clean: emulator-stop
	rm -rf $(VENV) build .emulator .pytest_cache
