# PipeBound: `make run` installs what is missing, builds and certifies a default fixture;
# `make test` runs the test suite.
SHELL := /bin/bash
SWIFT ?= swift
RELEASE_BIN = .build/release
# One optimised build for the programs and the tests: `make test` runs the tests in release (the brute-force
# soundness checks are CPU-bound Swift), which needs testability; the programs share that build.
RELEASE_FLAGS = -c release -Xswiftc -enable-testing
APT_PACKAGES = libglpk-dev coinor-libcbc-dev libopenblas-dev pkg-config coinor-cbc glpk-utils graphviz

.PHONY: deps build release test test-slurm run bench fixtures valgrind clean

## deps: install the C libraries and solver programs with apt-get, only when something is missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

# The xUnit file of a parallel run counts a skipped test as passed, so the Slurm self-test
# (SlurmSelfTestTests) notes its outcome, skipped with the reason included, for this target to print.
# The tests run in the release build, programs and tests built together: the end-to-end time-limit tests
# and the 500-graph soundness check run release programs (PIPEBOUND_REQUIRE_RELEASE turns a missing or
# stale release build into a failure), and one build instead of two saves CI a minute.
test: deps
	$(SWIFT) build $(RELEASE_FLAGS) --build-tests
	@mkdir -p .build && rm -f .build/slurm-selftest.txt
	@status=0; PIPEBOUND_REQUIRE_RELEASE=1 PIPEBOUND_SLURM_NOTE=$(CURDIR)/.build/slurm-selftest.txt $(SWIFT) test $(RELEASE_FLAGS) --skip-build --parallel --xunit-output .build/xunit.xml || status=$$?; \
	cat .build/slurm-selftest.txt 2>/dev/null; exit $$status
	@scripts/test-summary.sh .build/xunit.xml

## test-slurm: the Slurm job scripts (scripts/slurm) on a single-node cluster started in a temporary
## directory, as root (installs slurm-wlm and munge if missing): the CI suite in 4 shards must merge to
## the results of one run, and a worsened golden must reach the merged table and fail the merge job.
test-slurm: release
	scripts/slurm/selftest.sh --bin $(RELEASE_BIN)/pipebound

run: release
	$(RELEASE_BIN)/pipebound certify Fixtures/models/resnet50.json --stages 8 --solver cbc --time-limit 30

bench: release
	$(RELEASE_BIN)/pipebound-bench all

clean:
	rm -rf .build

## fixtures: regenerate Fixtures/models/ from the onnx wheel's light models and the synthetic generators.
fixtures: build
	scripts/make-fixtures.sh

## valgrind: the MIP backend tests under valgrind (DWARF 4, which valgrind 3.19 reads, in a
## separate build directory); prints the leak summary. "definitely lost" must show nothing from
## GLPK, CBC or our code (XCTest's runner itself loses a few bytes).
valgrind:
	$(SWIFT) build --build-tests --scratch-path .build/valgrind -Xswiftc -dwarf-version=4 -Xcc -gdwarf-4 -Xcxx -gdwarf-4
	valgrind --leak-check=full .build/valgrind/debug/PipeBoundPackageTests.xctest \
		MIPTests.TextbookSolveTests,MIPTests.InvalidModelTests,MIPTests.BackendSafetyTests/testGLPKErrorsReturnInsteadOfAborting,MIPTests.LimitTests/testMIPStartIsUsed \
		2>&1 | grep -E "definitely lost|indirectly lost|ERROR SUMMARY|Executed .* tests"
