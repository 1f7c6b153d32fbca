# Treue: run it locally, test it, benchmark it. `make help` lists the targets.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
# Several targets start and stop shared processes: order matters, never run them in parallel.
.NOTPARALLEL:
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never

LOCAL := deploy/local
BIN := .venv/bin
PACKAGES := services contacts-service survey-service analytics-service gateway
SERVICES := contacts surveys analytics gateway

# `make up REPLICAS=2`: that many replicas of every service and of the gateway (8010-8013, …).
ifdef REPLICAS
export TREUE_REPLICAS := $(REPLICAS)
endif
# `make contacts-stop REPLICA=2`: one replica of a service alone (default: the first).
REPLICA ?= 1

# The stack's environment (database URLs, Kafka, secrets, admin login) for tests and benchmarks.
WITH_ENV := $(LOCAL)/with-env.sh

# run_pytest <dirs> <what> [prefix]: only the folders that exist; none at all is an error, not a silent pass.
define run_pytest
	@dirs="$(wildcard $(1))"; \
	if [ -z "$$dirs" ]; then echo "no $(2) tests found (looked in: $(1))" >&2; exit 5; fi; \
	echo "pytest -q $$dirs"; \
	$(3) $(BIN)/pytest -q $$dirs
endef

.PHONY: help up down logs install infra lock migrate lint typecheck test test-unit test-integration \
	test-e2e test-browser bench scale clean kafka-start kafka-stop kafka-check postgres-start \
	postgres-stop status \
	$(addsuffix -start,$(SERVICES)) $(addsuffix -stop,$(SERVICES)) \
	frontend-install frontend-build frontend-lint frontend-test frontend-client \
	mail-start mail-stop

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z0-9%-]+:.*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  <svc>-start/-stop  one process alone: $(SERVICES) (REPLICA=2 for the second replica)"

up: ## install, start postgres, kafka and every service (REPLICAS=2: two of each), seed, print the login
	@$(LOCAL)/up.sh

scale: install ## run REPLICAS replicas of every service and of the gateway (starts or stops some)
	@$(LOCAL)/scale.sh

down: ## stop everything up started
	@$(LOCAL)/down.sh

status: ## what is running
	@$(LOCAL)/postgres.sh status; $(LOCAL)/kafka.sh status; $(LOCAL)/mail.sh status
	@for s in $(SERVICES); do $(LOCAL)/service.sh $$s status; done

logs: ## follow every log under .run/logs
	@tail -n 100 -F .run/logs/*.log

install: ## install what is missing (uv env, postgres, kafka jars)
	@$(LOCAL)/install.sh

infra: install ## start only postgres and kafka (integration tests)
	@$(LOCAL)/infra.sh

postgres-start: ## start postgres alone
	@$(LOCAL)/postgres.sh start
postgres-stop: ## stop postgres alone
	@$(LOCAL)/postgres.sh stop

kafka-start: install ## start kafka alone
	@$(LOCAL)/kafka.sh start
kafka-stop: ## stop kafka alone
	@$(LOCAL)/kafka.sh stop
kafka-check: install ## produce and consume one message through the broker
	@$(LOCAL)/kafka.sh check

mail-start: install ## start the local SMTP sink alone (mails shown at http://127.0.0.1:8025)
	@$(LOCAL)/mail.sh start
mail-stop: ## stop the local SMTP sink
	@$(LOCAL)/mail.sh stop

$(addsuffix -start,$(SERVICES)): %-start: install
	@$(LOCAL)/service.sh $* start $(REPLICA)
$(addsuffix -stop,$(SERVICES)): %-stop:
	@$(LOCAL)/service.sh $* stop $(REPLICA)

lock: ## re-resolve the Python dependencies and write requirements.lock (after editing a pyproject.toml)
	uv lock
	uv export --frozen --all-packages --format requirements-txt --no-header > requirements.lock

migrate: install postgres-start ## run every service's migrations
	@for s in $(SERVICES); do $(LOCAL)/service.sh $$s migrate; done

lint: install frontend-lint check-manifests ## ruff check and format check, eslint and tsc for the web app
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: check-manifests
check-manifests: install ## offline: hadolint on deploy/Dockerfile, compose.yaml and deploy/k8s by their schemas
	$(BIN)/pytest -q tests/deploy

typecheck: install ## mypy (strict) over every package, the cross-service tests, the seed and the benchmarks
	$(BIN)/mypy $(addsuffix /src,$(PACKAGES))
	$(BIN)/mypy tests deploy/local/seed.py bench

test-unit: install frontend-test ## unit tests of every package and of the web app
	$(call run_pytest,$(addsuffix /tests/unit,$(PACKAGES)),unit)

test-integration: install infra ## integration tests against real postgres and kafka
	$(call run_pytest,$(addsuffix /tests/integration,$(PACKAGES)),integration,$(WITH_ENV))

test-e2e: up ## end-to-end tests through the gateway
	$(call run_pytest,tests/e2e tests/faults,end-to-end,$(WITH_ENV))

# Playwright drives Debian's chromium through the gateway `up` started; one PNG per main page.
SCREENSHOTS := $(CURDIR)/.run/screenshots

# A failed browser test's page as Playwright saw it (its accessibility tree): CI keeps no files.
PRINT_PAGE_SNAPSHOTS = for f in test-results/*/error-context.md; do [ -f "$$f" ] && echo "--- $$f" && cat "$$f"; done

test-browser: up frontend-install ## browser tests (Playwright, headless chromium) through the running stack
	@$(LOCAL)/install.sh browser
	@mkdir -p $(SCREENSHOTS)
	$(WITH_ENV) env E2E_SCREENSHOTS=$(SCREENSHOTS) bash -c 'cd $(FRONTEND) && { E2E_BASE_URL="$$TREUE_GATEWAY_URL" npm run test:e2e || { $(PRINT_PAGE_SNAPSHOTS); exit 1; }; }'
	@echo "screenshots: $(SCREENSHOTS)"

test: lint typecheck test-unit test-integration test-e2e test-browser ## all of the above, stopping at the first failure

bench: up ## benchmarks (print figures)
	$(WITH_ENV) $(BIN)/python bench/run_all.py

# --- the web app (frontend/) -------------------------------------------------
FRONTEND := frontend
# Empty: the OpenAPI document is built from the code; set it to read a running gateway's instead.
OPENAPI_URL ?=

frontend-install: ## npm ci for the web app (when package-lock.json is newer than node_modules)
	@$(LOCAL)/frontend.sh install

frontend-build: frontend-install ## build the web app into frontend/dist (the gateway serves it at /)
	cd $(FRONTEND) && npm run build

frontend-lint: frontend-install ## eslint and tsc --noEmit for the web app
	cd $(FRONTEND) && npm run lint && npm run typecheck

frontend-test: frontend-install ## the web app's unit tests (vitest)
	cd $(FRONTEND) && npm test

frontend-client: install frontend-install ## regenerate frontend/src/client from the API (OPENAPI_URL=… reads a running gateway)
	@if [ -n "$(OPENAPI_URL)" ]; then \
		curl -fsS "$(OPENAPI_URL)" -o $(FRONTEND)/openapi.json; \
	else \
		$(BIN)/python $(FRONTEND)/scripts/export_openapi.py > $(FRONTEND)/openapi.json; \
	fi
	cd $(FRONTEND) && npm run generate:client

clean: down ## stop, drop the local postgres cluster and remove .run (the kafka jar cache stays)
	@$(LOCAL)/postgres.sh drop
	rm -rf .run
