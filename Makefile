# The two commands: `make spec` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.requirements-installed
REPORTS := reports

# Extra behave arguments, e.g. make spec ARGS="--tags=@smoke" or ARGS="features/billing"
ARGS ?=
# What the terminal shows while the specification runs: progress, pretty, plain
FORMAT ?= progress

.PHONY: spec test pytest venv clean

venv: $(READY)

$(READY): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(READY)

spec: $(READY)
	@rm -rf $(REPORTS)/allure-results $(REPORTS)/junit
	@mkdir -p $(REPORTS)
	$(BIN)/behave -f allure -o $(REPORTS)/allure-results -f $(FORMAT) $(ARGS)

pytest: $(READY)
	$(BIN)/python -m pytest -q tests

test: pytest spec
	$(BIN)/python -m support.evidence_check $(REPORTS)/allure-results

clean:
	rm -rf $(REPORTS) .pytest_cache
