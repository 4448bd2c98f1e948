# The two commands of the README. Everything they need is installed here, into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CACHE  ?= cache
HOST   ?= 127.0.0.1
PORT   ?= 8050

.PHONY: dashboard test lint snapshot benchmark chromium clean

$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.test: $(VENV)/.runtime
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

# plotly.js's basic bundle (bar, pie, scatter: every chart the dashboard draws), fetched from
# the npm registry and checked against a pinned SHA-256; never committed (.gitignore). Without
# a network the script says so and the dashboard loads Dash's full plotly.js instead.
PLOTLY_BUNDLE := dashboards/assets/vendor/plotly-basic.min.js
$(PLOTLY_BUNDLE): $(VENV)/.runtime scripts/fetch_plotly_bundle.py
	$(BIN)/python scripts/fetch_plotly_bundle.py

# The benchmark's extra: statfin, the peer client benchmarks/refresh.py compares with (not for CI).
$(VENV)/.bench: $(VENV)/.test
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test,bench]"
	touch $@

## make dashboard: install, refresh when Statistics Finland answers within 5 s, serve.
dashboard: $(VENV)/.runtime $(PLOTLY_BUNDLE)
	-$(BIN)/digiindicators refresh --cache-dir $(CACHE) --if-online 5 --no-progress
	$(BIN)/digiindicators dashboard --cache-dir $(CACHE) --host $(HOST) --port $(PORT)

## make test: install test tools and Debian's Chromium when missing, then lint and run every test.
test: $(VENV)/.test chromium $(PLOTLY_BUNDLE)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(VENV)/.test
	$(BIN)/ruff check .

chromium:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then \
		echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	elif [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	else \
		echo "Browser tests need Debian's chromium and chromium-driver: sudo apt-get install chromium chromium-driver"; \
		exit 1; \
	fi

## make snapshot: rebuild the embedded example snapshot from the fake PxWeb, Sotkanet and WFS servers.
snapshot: $(VENV)/.test
	$(BIN)/python scripts/make_snapshot.py

## make benchmark: install the bench extra (statfin), then run benchmarks/refresh.py.
benchmark: $(VENV)/.bench
	$(BIN)/python benchmarks/refresh.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache dashboards/assets/vendor
