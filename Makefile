# sketchlab — build, serve, test and bench.
#
#   make demo    install what is missing, build native + wasm, serve web/ on
#                http://127.0.0.1:$(PORT) (Ctrl-C stops)
#   make test    install what is missing, build, run every test (native and node
#                under each OpenBLAS kernel, ASan+UBSan, wasm, browser); non-zero
#                exit on any failure
#   make bench   native vs OpenBLAS/LAPACK vs wasm vs ml-matrix; table + JSON lines
#
# Everything is built under build/ and wasm/dist/ (both git-ignored).

SHELL := /bin/bash
.DEFAULT_GOAL := all
PORT ?= 8000

# Debian's emcc needs its bundled node modules on NODE_PATH.
export NODE_PATH := /usr/share/nodejs

APT_PACKAGES := build-essential emscripten chromium libcmocka-dev liblapacke-dev libopenblas-dev \
                python3-numpy python3-scipy clang libclang-rt-dev
# clang + libclang-rt-dev: the libFuzzer harnesses (make fuzz, make test-fuzz).
# libFuzzer's runtime, wherever this clang keeps it; expanded only when the
# probes are checked (APT_PROBES is recursive), so a machine without clang
# yet gets a path that does not exist.
FUZZ_RT_PROBE = $(shell clang -print-runtime-dir 2>/dev/null || echo /missing)/libclang_rt.fuzzer-x86_64.a
# A file each package installs, to see what is missing without asking apt.
APT_PROBES = /usr/bin/gcc /usr/bin/emcc /usr/bin/chromium /usr/include/cmocka.h \
              /usr/include/lapacke.h /usr/include/x86_64-linux-gnu/cblas.h \
              /usr/lib/python3/dist-packages/numpy/__init__.py \
              /usr/lib/python3/dist-packages/scipy/linalg/__init__.py \
              /usr/bin/clang $(FUZZ_RT_PROBE)

CC      ?= gcc
# -ffp-contract=off: no fused multiply-add contraction, so native and wasm round alike.
CSTD    := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wno-unused-parameter -ffp-contract=off
CFLAGS_NATIVE := $(CSTD) -O3 -fPIC
CFLAGS_ASAN   := $(CSTD) -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
INCLUDES := -Ic/include -Ic/src/core

LIB_SRC  := $(sort $(wildcard c/src/*/*.c))
LIB_HDR  := $(wildcard c/include/*.h c/include/sketchlab/*.h c/src/*/*.h)
TEST_SRC := $(sort $(wildcard tests/c/test_*.c))
TEST_HELPERS := $(filter-out $(TEST_SRC),$(wildcard tests/c/*.c))
TEST_LIBS := -lcmocka -llapacke -lopenblas -lm

NATIVE_OBJ := $(patsubst c/src/%.c,build/native/obj/%.o,$(LIB_SRC))
ASAN_OBJ   := $(patsubst c/src/%.c,build/asan/obj/%.o,$(LIB_SRC))
NATIVE_TESTS := $(patsubst tests/c/%.c,build/native/%,$(TEST_SRC))
ASAN_TESTS   := $(patsubst tests/c/%.c,build/asan/%,$(TEST_SRC))

EMCC := emcc
WASM_FLAGS := -O3 -ffp-contract=off --no-entry -sSTANDALONE_WASM -sALLOW_MEMORY_GROWTH=1 \
              -sMAXIMUM_MEMORY=4GB -sINITIAL_MEMORY=16MB -sTOTAL_STACK=1MB
WASM_OUT := wasm/dist/sketchlab.wasm wasm/dist/sketchlab-simd.wasm wasm/dist/inline.js wasm/dist/sketchlab.iife.js
ESBUILD := node_modules/.bin/esbuild

.PHONY: all deps apt-deps bench-deps npm-deps native asan wasm web site demo serve test test-c test-asan \
        test-js test-kernels test-browser test-examples test-fuzz fuzz bench clean redraw-times

all: native wasm web

# ---------------------------------------------------------------- set-up
deps: apt-deps npm-deps

# $(call apt_install,PROBE FILES,PACKAGES,WHAT): install PACKAGES with apt-get when
# any probe file is missing (as root), or print the exact command and stop.
define apt_install
	@missing=""; for f in $(1); do [ -e $$f ] || missing="$$missing $$f"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages for $(3) (missing:$$missing)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2); \
	  else \
	    echo "Missing:$$missing"; \
	    echo "Run as root:  apt-get update && apt-get install -y $(2)"; exit 1; \
	  fi; \
	fi
endef

apt-deps:
	$(call apt_install,$(APT_PROBES),$(APT_PACKAGES),building and testing)

npm-deps: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# ---------------------------------------------------------------- native library
native: build/native/libsketchlab.a

build/native/obj/%.o: c/src/%.c $(LIB_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_NATIVE) $(INCLUDES) -c $< -o $@

build/native/libsketchlab.a: $(NATIVE_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/native/test_%: tests/c/test_%.c $(TEST_HELPERS) tests/c/testutil.h build/native/libsketchlab.a
	$(CC) $(CSTD) -O2 $(INCLUDES) -Itests/c $< $(TEST_HELPERS) build/native/libsketchlab.a $(TEST_LIBS) -o $@

asan: build/asan/libsketchlab.a

build/asan/obj/%.o: c/src/%.c $(LIB_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ASAN) $(INCLUDES) -c $< -o $@

build/asan/libsketchlab.a: $(ASAN_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/asan/test_%: tests/c/test_%.c $(TEST_HELPERS) tests/c/testutil.h build/asan/libsketchlab.a
	$(CC) $(CFLAGS_ASAN) $(INCLUDES) -Itests/c $< $(TEST_HELPERS) build/asan/libsketchlab.a $(TEST_LIBS) -o $@

# Softmax-regression test problems T1–T4 (specs/softmax_regression.md §10),
# written by the reference oracle tests/ref/softmax_ref.py (Debian numpy) so
# that the C, wasm and JS tests run on numpy's exact data. Generated, never committed.
REGRESSION_DUMP := build/regression/T4_xstar.txt
$(REGRESSION_DUMP): tests/ref/softmax_ref.py
	/usr/bin/python3 tests/ref/softmax_ref.py --dump build/regression > /dev/null

build/native/test_regression build/asan/test_regression: $(REGRESSION_DUMP)

# The native shared library the JS parity tests call through a tiny C driver.
build/native/sk_cli: tests/c/cli/sk_cli.c build/native/libsketchlab.a
	$(CC) $(CSTD) -O2 $(INCLUDES) $< build/native/libsketchlab.a -lm -o $@

# ---------------------------------------------------------------- wasm
wasm: $(WASM_OUT)

build/wasm/exports.txt: $(LIB_HDR) wasm/tools/exports.mjs
	@mkdir -p $(dir $@)
	node wasm/tools/exports.mjs c/include/sketchlab > $@

wasm/dist/sketchlab.wasm: $(LIB_SRC) $(LIB_HDR) build/wasm/exports.txt
	@mkdir -p $(dir $@)
	$(EMCC) $(WASM_FLAGS) $(INCLUDES) -sEXPORTED_FUNCTIONS=$$(cat build/wasm/exports.txt) $(LIB_SRC) -o $@

wasm/dist/sketchlab-simd.wasm: $(LIB_SRC) $(LIB_HDR) build/wasm/exports.txt
	@mkdir -p $(dir $@)
	$(EMCC) $(WASM_FLAGS) -msimd128 $(INCLUDES) -sEXPORTED_FUNCTIONS=$$(cat build/wasm/exports.txt) $(LIB_SRC) -o $@

wasm/dist/inline.js: wasm/dist/sketchlab.wasm wasm/dist/sketchlab-simd.wasm wasm/tools/inline.mjs
	node wasm/tools/inline.mjs $@

# A classic script (no modules, no fetch) for pages opened from file://:
# <script src="sketchlab.iife.js"></script> defines the global `sketchlab`
# (the 'sketchlab/inline' API, wasm embedded). import.meta is empty there, which is
# fine: the embedded bytes replace the default URLs.
wasm/dist/sketchlab.iife.js: wasm/dist/inline.js $(wildcard wasm/*.js) | npm-deps
	$(ESBUILD) wasm/inline.js --bundle --format=iife --global-name=sketchlab --platform=browser \
	  --target=es2020 --log-level=warning --log-override:empty-import-meta=silent --outfile=$@

# ---------------------------------------------------------------- web
# web/vendor/ gets Chart.js (from node_modules) and the built package, so the
# pages are served from web/ alone, offline, with no CDN.
web: npm-deps wasm
	@mkdir -p web/vendor/sketchlab/dist
	cp node_modules/chart.js/dist/chart.umd.js web/vendor/chart.umd.js
	cp wasm/*.js web/vendor/sketchlab/
	cp wasm/dist/*.wasm wasm/dist/inline.js web/vendor/sketchlab/dist/

# build/site/: the demo site as a folder that works opened from file:// (no
# server): module scripts bundled into classic ones, the worker as a classic
# blob: worker with the wasm embedded (scripts/build-site.mjs).
site: web
	node scripts/build-site.mjs build/site

demo: deps all
	node scripts/serve.mjs web $(PORT)

serve:
	node scripts/serve.mjs web $(PORT)

# ---------------------------------------------------------------- tests
# -k: run every suite even when an earlier one fails; make still exits non-zero.
# test-kernels runs test-c and test-js under each OpenBLAS kernel (the native one included).
test: deps all
	$(MAKE) -k test-kernels test-asan test-fuzz test-browser test-examples
	@echo "make test: all suites passed"

test-c: $(NATIVE_TESTS)
	@bash tests/c/run_all.sh native $(NATIVE_TESTS)

test-asan: $(ASAN_TESTS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  bash tests/c/run_all.sh asan $(ASAN_TESTS)

test-js: wasm build/native/sk_cli
	node --test --test-concurrency=1 tests/js/

# The native tests' oracle (OpenBLAS + LAPACKE) rounds differently on each
# OpenBLAS kernel, and a machine OpenBLAS does not know runs the generic one:
# run the C and node suites under each kernel listed (native = the one this
# CPU gets; OPENBLAS_CORETYPE for the others). The probe shows which kernel
# really runs; build/tolerance-report.tsv gets the worst err/bound per check.
KERNELS ?= native Prescott Haswell SkylakeX

build/native/openblas_core: tests/c/tools/openblas_core.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) -O2 $< -lopenblas -o $@

test-kernels: $(NATIVE_TESTS) build/native/openblas_core wasm build/native/sk_cli
	@KERNELS="$(KERNELS)" bash tests/run_kernels.sh build/native/openblas_core $(NATIVE_TESTS)

test-browser: web site
	node --test --test-concurrency=1 tests/browser/

# The pages' own redraw times (control change → figure drawn; docs/PERFORMANCE.md): runs
# the three browser tests that drive every control RUNS times, one after another, then
# prints one table of control → median / max ms per page. Reports only, asserts no time.
REDRAW_TESTS := tests/browser/sampler-redraw.test.mjs tests/browser/kv-cache-perf.test.mjs tests/browser/softmax.test.mjs
RUNS ?= 1
redraw-times: web
	@rm -f build/redraw-times/*.jsonl
	@for i in $$(seq $(RUNS)); do node --test --test-concurrency=1 $(REDRAW_TESTS) || exit 1; done
	@node tests/browser/redraw-times.mjs

# The README's examples must keep running: build each C example, run every example.
EXAMPLES_C := $(patsubst examples/c/%.c,build/examples/%,$(wildcard examples/c/*.c))

build/examples/%: examples/c/%.c build/native/libsketchlab.a
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) -O2 -Ic/include $< build/native/libsketchlab.a -lm -o $@

test-examples: $(EXAMPLES_C) wasm
	@set -e; for e in $(EXAMPLES_C); do echo "== $$e"; $$e; done; \
	for e in examples/node/*.mjs; do echo "== node $$e"; node $$e; done; \
	echo "examples: all ran"

# ---------------------------------------------------------------- fuzz
# libFuzzer harnesses (tests/fuzz/fuzz_*.c, one per family of entry points) on
# the library built with clang, coverage and ASan+UBSan. A crash, sanitizer
# report, broken invariant or an input slower than FUZZ_TIMEOUT s is a finding;
# libFuzzer writes the input to build/fuzz/ (crash-*, timeout-*).
#   make fuzz        each harness for FUZZ_SECONDS (default 60) from the committed
#                    seeds (tests/fuzz/corpus/<name>/, read only); new inputs
#                    collect in build/fuzz/corpus/<name>/
#   make test-fuzz   the short pass of make test: every committed seed, then
#                    mutated inputs up to FUZZ_CI_RUNS per harness with a fixed
#                    seed (so CI is reproducible); every input class, as in
#                    make fuzz. A fixed finding's input goes into the seeds.
FUZZ_CC := clang
FUZZ_CFLAGS := -std=c11 -g -O1 -ffp-contract=off -fno-omit-frame-pointer \
               -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
FUZZ_OBJ := $(patsubst c/src/%.c,build/fuzz/obj/%.o,$(LIB_SRC))
FUZZ_SECONDS ?= 60
FUZZ_CI_RUNS ?= 5000
FUZZ_TIMEOUT ?= 10
FUZZ_OPTS := -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=4096 \
             -print_final_stats=1
FUZZ_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1

build/fuzz/obj/%.o: c/src/%.c $(LIB_HDR)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(INCLUDES) -c $< -o $@

build/fuzz/libsketchlab.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_input.h build/fuzz/libsketchlab.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(INCLUDES) $< build/fuzz/libsketchlab.a -lm -o $@

fuzz: $(FUZZ_BIN)
	@fail=0; for f in $(FUZZ_BIN); do \
	  name=$$(basename $$f); mkdir -p build/fuzz/corpus/$$name build/fuzz/findings tests/fuzz/corpus/$$name; \
	  echo "== $$name for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_ENV) $$f $(FUZZ_OPTS) -max_total_time=$(FUZZ_SECONDS) \
	    -artifact_prefix=build/fuzz/findings/$$name- \
	    build/fuzz/corpus/$$name tests/fuzz/corpus/$$name > build/fuzz/$$name.log 2>&1; rc=$$?; \
	  grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec|cov:' build/fuzz/$$name.log | tail -n 3; \
	  if [ $$rc -ne 0 ]; then fail=1; grep -A6 -E 'ERROR|invariant broken|runtime error' build/fuzz/$$name.log | cut -c1-160 | head -n 20; \
	    echo "!! $$name: finding (log build/fuzz/$$name.log, input in build/fuzz/findings/)"; fi; \
	done; [ $$fail -eq 0 ] && echo "fuzz: no findings"

test-fuzz: $(FUZZ_BIN)
	@set -e; for f in $(FUZZ_BIN); do \
	  name=$$(basename $$f); mkdir -p build/fuzz/ci/$$name build/fuzz/findings tests/fuzz/corpus/$$name; \
	  rm -f build/fuzz/ci/$$name/*; \
	  $(FUZZ_ENV) $$f $(FUZZ_OPTS) -seed=1 -runs=$(FUZZ_CI_RUNS) \
	    -artifact_prefix=build/fuzz/findings/$$name- \
	    build/fuzz/ci/$$name tests/fuzz/corpus/$$name > build/fuzz/$$name.log 2>&1 \
	    || { tail -n 40 build/fuzz/$$name.log; echo "!! $$name: finding (log build/fuzz/$$name.log)"; exit 1; }; \
	  echo "$$name: $$(grep -o 'stat::number_of_executed_units: [0-9]*' build/fuzz/$$name.log | grep -o '[0-9]*$$') inputs, no findings"; \
	done

# ---------------------------------------------------------------- bench
# `make bench` only: SciPy is the baseline of the pivoting section and
# scikit-learn's randomized_svd that of the sketched SVD (bench/bench_scipy.py and
# bench/bench_sklearn.py run Debian's /usr/bin/python3).
BENCH_APT_PACKAGES := python3-scipy python3-numpy python3-sklearn
BENCH_APT_PROBES := /usr/lib/python3/dist-packages/scipy/linalg/interpolative.py \
                    /usr/lib/python3/dist-packages/numpy/__init__.py \
                    /usr/lib/python3/dist-packages/sklearn/utils/extmath.py

bench-deps:
	$(call apt_install,$(BENCH_APT_PROBES),$(BENCH_APT_PACKAGES),make bench)

bench: deps bench-deps all build/bench/bench_native build/bench/bench_pivoting build/bench/bench_rsvd build/bench/bench_regression \
       build/bench/bench_attention build/bench/bench_stream
	node bench/run.mjs

# Native benchmark drivers: OpenBLAS/LAPACKE are the peers and the error oracles.
build/bench/%: bench/%.c bench/bench_util.h bench/stream_floor.h build/native/libsketchlab.a
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) -O2 $(INCLUDES) -Ibench $< build/native/libsketchlab.a -llapacke -lopenblas -lm -o $@

# bench_cs_parts compiles the CountSketch kernel itself (it includes
# cs_kernel.c to time its static loops), so it takes the library's -O3: at
# -O2 GCC 12 does not vectorize the hashing (poly timed 0.48 s there, 0.09 s at -O3)
# and the parts would not be the library's loops.
build/bench/bench_cs_parts: bench/bench_cs_parts.c bench/stream_floor.h c/src/stream/cs_kernel.c c/src/stream/cs_kernel.h \
                            c/src/stream/stream_internal.h build/native/libsketchlab.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_NATIVE) $(INCLUDES) $< build/native/libsketchlab.a -lm -o $@

clean:
	rm -rf build wasm/dist web/vendor
