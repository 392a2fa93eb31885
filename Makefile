# sketchlab — build, serve, test and bench.
#
#   make demo    install what is missing, build native + wasm, serve web/ on
#                http://127.0.0.1:$(PORT) (Ctrl-C stops)
#   make test    install what is missing, build, run every test (native, ASan+UBSan,
#                wasm, node, browser); non-zero exit on any failure
#   make bench   native vs OpenBLAS/LAPACK vs wasm vs ml-matrix; table + JSON lines
#
# Everything is built under build/ and wasm/dist/ (both git-ignored).

SHELL := /bin/bash
.DEFAULT_GOAL := all
PORT ?= 8000

# Debian's emcc needs its bundled node modules on NODE_PATH.
export NODE_PATH := /usr/share/nodejs

APT_PACKAGES := build-essential emscripten chromium libcmocka-dev liblapacke-dev libopenblas-dev \
                python3-numpy python3-scipy
# A file each package installs, to see what is missing without asking apt.
APT_PROBES := /usr/bin/gcc /usr/bin/emcc /usr/bin/chromium /usr/include/cmocka.h \
              /usr/include/lapacke.h /usr/include/x86_64-linux-gnu/cblas.h \
              /usr/lib/python3/dist-packages/numpy/__init__.py \
              /usr/lib/python3/dist-packages/scipy/linalg/__init__.py

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
WASM_OUT := wasm/dist/sketchlab.wasm wasm/dist/sketchlab-simd.wasm wasm/dist/inline.js

.PHONY: all deps apt-deps bench-deps npm-deps native asan wasm web demo serve test test-c test-asan \
        test-js test-browser test-examples bench clean

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

# ---------------------------------------------------------------- web
# web/vendor/ gets Chart.js (from node_modules) and the built package, so the
# pages are served from web/ alone, offline, with no CDN.
web: npm-deps wasm
	@mkdir -p web/vendor/sketchlab/dist
	cp node_modules/chart.js/dist/chart.umd.js web/vendor/chart.umd.js
	cp wasm/*.js web/vendor/sketchlab/
	cp wasm/dist/*.wasm wasm/dist/inline.js web/vendor/sketchlab/dist/

demo: deps all
	node scripts/serve.mjs web $(PORT)

serve:
	node scripts/serve.mjs web $(PORT)

# ---------------------------------------------------------------- tests
# -k: run every suite even when an earlier one fails; make still exits non-zero.
test: deps all
	$(MAKE) -k test-c test-asan test-js test-browser test-examples
	@echo "make test: all suites passed"

test-c: $(NATIVE_TESTS)
	@bash tests/c/run_all.sh native $(NATIVE_TESTS)

test-asan: $(ASAN_TESTS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  bash tests/c/run_all.sh asan $(ASAN_TESTS)

test-js: wasm build/native/sk_cli
	node --test --test-concurrency=1 tests/js/

test-browser: web
	node --test --test-concurrency=1 tests/browser/

# The README's examples must keep running: build each C example, run every example.
EXAMPLES_C := $(patsubst examples/c/%.c,build/examples/%,$(wildcard examples/c/*.c))

build/examples/%: examples/c/%.c build/native/libsketchlab.a
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) -O2 -Ic/include $< build/native/libsketchlab.a -lm -o $@

test-examples: $(EXAMPLES_C) wasm
	@set -e; for e in $(EXAMPLES_C); do echo "== $$e"; $$e; done; \
	for e in examples/node/*.mjs; do echo "== node $$e"; node $$e; done; \
	echo "examples: all ran"

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

bench: deps bench-deps all build/bench/bench_native build/bench/bench_pivoting build/bench/bench_rsvd \
       build/bench/bench_stream
	node bench/run.mjs

# Native benchmark drivers: OpenBLAS/LAPACKE are the peers and the error oracles.
build/bench/%: bench/%.c bench/bench_util.h build/native/libsketchlab.a
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) -O2 $(INCLUDES) -Ibench $< build/native/libsketchlab.a -llapacke -lopenblas -lm -o $@

clean:
	rm -rf build wasm/dist web/vendor
