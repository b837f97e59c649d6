# newsdedup: `make run` and `make test` work from a fresh clone; everything they need is installed here.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# `make run CONFIG=my.toml`, `make serve CONFIG=my.toml` (a schedule of its own, say)
CONFIG ?= config/default.toml
# pip on this machine prints a warning per package for a missing local index folder; hide only those lines.
QUIET_PIP := { grep -v "is ignored: it is neither a file nor a directory" || true; }

# Prefect stays on loopback: no analytics, its home inside the checkout, a patient temporary server.
export PREFECT_HOME := $(CURDIR)/.prefect
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 120
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install run test bench clean serve

$(STAMP): pyproject.toml
	@# The virtualenv takes about 2.2 GB: say so up front when the disk is short of it (pip only fails midway).
	@free=$$(df -Pk . | awk 'NR==2 {print $$4}'); [ "$$free" -ge 3000000 ] || \
	  echo "warning: only $$((free / 1024)) MB free on this disk; the install needs about 2,200 MB" >&2
	python3 -m venv $(VENV)
	# torch first and pinned: the CPU wheel on this disk; anything else pulls a multi-GB CUDA build.
	$(VENV)/bin/pip install -q torch==2.13.0 2>&1 | $(QUIET_PIP)
	$(VENV)/bin/pip install -q -e '.[dev]' 2>&1 | $(QUIET_PIP)
	$(PY) -c "import torch, sentence_transformers, prefect, datasketch, polars, sklearn, trafilatura"
	mkdir -p $(PREFECT_HOME)
	touch $(STAMP)

install: $(STAMP)

run: install
	$(VENV)/bin/newsdedup run --input data/raw --output data/clusters --config $(CONFIG)

test: install
	$(PY) -m pytest -q

bench: install
	$(PY) bench/pipeline.py

# Everything generated: the virtualenv, Prefect's home, and the outputs with the state (the next run starts afresh).
clean:
	rm -rf $(VENV) .prefect .pytest_cache data/clusters

# A local Prefect server (UI on http://127.0.0.1:4200) and the ingest flow served on the configured cron
# schedule; Ctrl-C stops both.
PREFECT_PORT ?= 4200
serve: install
	@$(VENV)/bin/prefect server start --host 127.0.0.1 --port $(PREFECT_PORT) > .prefect/server.log 2>&1 & \
	server=$$!; trap 'kill $$server 2>/dev/null' EXIT INT TERM; \
	for i in $$(seq 1 60); do \
	  curl -sf http://127.0.0.1:$(PREFECT_PORT)/api/health >/dev/null && break; sleep 1; \
	done; \
	curl -sf http://127.0.0.1:$(PREFECT_PORT)/api/health >/dev/null || { echo "prefect server did not start: see .prefect/server.log"; exit 1; }; \
	echo "Prefect UI: http://127.0.0.1:$(PREFECT_PORT)"; \
	PREFECT_API_URL=http://127.0.0.1:$(PREFECT_PORT)/api $(VENV)/bin/newsdedup serve --config $(CONFIG)
