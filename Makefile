# The two commands: `make spec` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.requirements-installed
REPORTS := reports

# Extra behave arguments, e.g. make spec ARGS="features/billing"
ARGS ?=
# A tag expression, e.g. make spec TAGS=@smoke (also @critical, @slow, @chaos, ~@slow)
TAGS ?=
# Parallel behave processes sharing one stack; @chaos scenarios still run one at a time
JOBS ?= 1
# What the terminal shows while a sequential run goes on: progress, pretty, plain
FORMAT ?= progress

SELECTION := $(if $(TAGS),--tags=$(TAGS)) $(ARGS)
BEHAVE := $(BIN)/behave -f allure -o $(REPORTS)/allure-results

.PHONY: spec test pytest rerun report report-check chromium bench soak audit-spec venv clean

# A planted defect is only ever chosen by `make audit-spec`, never inherited from a shell.
unexport PLANTED_DEFECT

venv: $(READY)

$(READY): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(READY)

spec: $(READY)
	@rm -rf $(REPORTS)/allure-results $(REPORTS)/junit $(REPORTS)/workers $(REPORTS)/rerun.txt
	@mkdir -p $(REPORTS)
ifeq ($(JOBS),1)
	@$(BEHAVE) -f rerun -o $(REPORTS)/rerun.txt -f $(FORMAT) $(SELECTION) || \
	  { echo "spec: failures listed in $(REPORTS)/rerun.txt; \`make rerun\` runs just those"; exit 1; }
else
	$(BIN)/python -m support.parallel_run --jobs $(JOBS) $(SELECTION)
endif

rerun: $(READY)
	@failed=$$(grep -v '^#' $(REPORTS)/rerun.txt 2>/dev/null); \
	if [ -z "$$failed" ]; then echo "rerun: nothing failed in the last run"; exit 0; fi; \
	rm -rf $(REPORTS)/allure-results; \
	$(BEHAVE) -f rerun -o $(REPORTS)/rerun.next -f $(FORMAT) $$failed; status=$$?; \
	if [ -f $(REPORTS)/rerun.next ]; then mv $(REPORTS)/rerun.next $(REPORTS)/rerun.txt; else : > $(REPORTS)/rerun.txt; fi; \
	exit $$status

pytest: $(READY)
	$(BIN)/python -m pytest -q tests --ignore=tests/report

report:
	@command -v node >/dev/null 2>&1 || { echo "report: Node.js is needed to build the HTML report (Allure 3); the raw results are in $(REPORTS)/allure-results"; exit 1; }
	@test -x node_modules/.bin/allure || npm install --no-audit --no-fund --loglevel=error
	node_modules/.bin/allure generate --config allurerc.mjs $(REPORTS)/allure-results
	@echo "report: $(REPORTS)/allure-report/index.html"

chromium:
	@command -v chromium >/dev/null 2>&1 || { echo "chromium: installing Debian's chromium for the report check"; \
	  (apt-get install -y -qq chromium || (apt-get update -qq && apt-get install -y -qq chromium)) >/dev/null 2>&1 \
	  || echo "chromium: could not be installed here; the report check will be skipped"; }

report-check: report chromium
	$(BIN)/python -m pytest -q tests/report

test: pytest spec
	$(BIN)/python -m support.evidence_check $(REPORTS)/allure-results
	$(MAKE) --no-print-directory report-check

bench: $(READY)
	$(BIN)/python -m bench.stack_startup --runs 5
	$(BIN)/python -m bench.spec_wall_time --jobs 4 --runs 3
	$(BIN)/python -m bench.assistant_load --sessions 1000

clean:
	rm -rf $(REPORTS) .pytest_cache

# Locust users running lead-to-cash for a fixed time, then the steady-state checks: make soak USERS=20 SECONDS=60
USERS ?= 20
SECONDS ?= 60
PROCESSES ?= 1
$(VENV)/.bench-installed: requirements-bench.txt $(READY)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	@touch $@

soak: $(VENV)/.bench-installed
	$(BIN)/python -m bench.soak --users $(USERS) --seconds $(SECONDS) --processes $(PROCESSES)

# The specification once per planted defect (support/defects/catalogue.py), plus a control run without one.
# DEFECTS=name,name picks some; PARALLEL runs at a time; ARGS narrows behave's selection.
DEFECTS ?=
PARALLEL ?= 2
audit-spec: $(READY)
	$(BIN)/python -m support.defects.audit --parallel $(PARALLEL) $(if $(DEFECTS),--defects $(DEFECTS)) $(SELECTION)
