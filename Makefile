# SPDX-License-Identifier: MIT
# Two commands do everything on a fresh Debian 12 machine:
#   make demo   install missing packages, configure, build, run rouse on the bundled sample
#               (per-customer summary, the purchase models with their holdout check, then
#               the main job: states, scores, lists and the analysis report in build/demo/run)
#   make test   the same set-up, then the full test suite (release, sanitizers, fuzz smoke)
# The program is at build/rouse after either.

BUILD ?= build
DEMO_OUT ?= $(BUILD)/demo

.PHONY: all build deps deps-test demo test bench clean

all: build

deps:
	@ci/deps.sh build

deps-test:
	@ci/deps.sh test

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

demo: build
	@mkdir -p $(DEMO_OUT)
	./$(BUILD)/rouse summary data/cdnow_sample/transactions.csv -o $(DEMO_OUT)/summary.csv
	@echo
	@echo "First rows of $(DEMO_OUT)/summary.csv:"
	@head -6 $(DEMO_OUT)/summary.csv | awk -F, '{printf "  %-12s %-15s %-14s %-4s %-8s %-8s %s\n", $$1, $$2, $$3, $$6, $$7, $$8, $$9}'
	@echo "..."
	@echo "$$(($$(wc -l < $(DEMO_OUT)/summary.csv) - 1)) customers written to $(DEMO_OUT)/summary.csv"
	@echo
	@echo "Purchase models fitted to the first 39 weeks, checked against the next 39:"
	./$(BUILD)/rouse fit data/cdnow_sample/transactions.csv --calibration-end 1997-09-30 \
	  --model all -q -o $(DEMO_OUT)/models.json
	@echo "Models saved to $(DEMO_OUT)/models.json (rouse predict --model-file ...)"
	@echo
	./$(BUILD)/rouse run data/cdnow_sample/transactions.csv --out $(DEMO_OUT)/run --currency USD \
	  --budget 200 --holdout 10 -q

test: deps-test
	ci/test.sh

bench: build
	bench/bench_ingest.sh
	bench/bench_run.sh

clean:
	rm -rf build build-asan build-tsan build-fuzz
