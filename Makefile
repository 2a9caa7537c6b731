# Two commands for a newcomer: `make synth` and `make test`. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

# Quiet jsii's end-of-life banner on Node 20 (the value is a list of major versions).
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CHECKPOINT_DISABLE := 1

BIN := $(CURDIR)/bin
GOLANGCI_LINT_VERSION := v2.15.0
GOLANGCI_LINT := $(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION)
# Packages held to the coverage gate (percent of statements).
COVERAGE_MIN := 90
COVERAGE_PKGS := constructs/|examples/tapstack$$

.PHONY: synth test tools golden fmt-check vet lint go-test

## synth: synthesize the example TapStack into cdktf.out/ (or $CDKTF_OUTDIR)
synth:
	go run ./examples/tapstack/cmd/tapstack

## test: every check CI runs: gofmt, go vet, golangci-lint, go test with coverage gate
## (including terraform validate and a mock-provider terraform test of every variant)
test: fmt-check vet lint go-test

## tools: pinned Go tools into ./bin (skipped when already present)
tools: $(GOLANGCI_LINT)

$(GOLANGCI_LINT):
	mkdir -p $(BIN)
	GOBIN=$(BIN) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv $(BIN)/golangci-lint $@

## golden: regenerate testdata/*.golden.json (read the diff: it is a Terraform diff)
golden:
	UPDATE_GOLDEN=1 go test -count=1 ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './bin/*')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	go vet ./...
	cd examples/consumer && go vet ./...

lint: $(GOLANGCI_LINT)
	$(GOLANGCI_LINT) run ./...
	cd examples/consumer && $(GOLANGCI_LINT) run ./...

go-test:
	TAPSTACK_REQUIRE_TERRAFORM=1 go test -count=1 -timeout 20m -cover ./... | tee $(BIN)/go-test.log
	@awk -v min=$(COVERAGE_MIN) -v pkgs='$(COVERAGE_PKGS)' ' \
	  $$1 == "?" && $$2 ~ pkgs { printf "coverage gate: %s has no tests\n", $$2; bad = 1 } \
	  $$1 == "ok" && $$2 ~ pkgs { \
	    cov = "none"; for (i = 1; i <= NF; i++) if ($$i == "coverage:") cov = $$(i+1); \
	    sub("%", "", cov); \
	    if (cov == "none" || cov + 0 < min) { printf "coverage gate: %s has %s%%, below %s%%\n", $$2, cov, min; bad = 1 } \
	  } \
	  END { exit bad }' $(BIN)/go-test.log
	@echo "coverage gate: every gated package is at or above $(COVERAGE_MIN)%"
