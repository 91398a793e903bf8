# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# A thin front to CMake.  make run: build and run the main job (the
# fsu_* tools on a sample image, share/examples/rump/demo.sh).
# make test: install what the tests need, build, run every test, then
# again under AddressSanitizer and UndefinedBehaviorSanitizer, and build
# with clang too.  make bench: the benchmarks and their report.

PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# ctest slots: a test takes two, one if it mostly waits (tests/slots).
SLOTS = $(shell expr $(JOBS) \* 2)
CMAKE_FLAGS ?=

BUILD = build
BUILD_SAN = build-san
BUILD_CLANG = build-clang

.PHONY: all run test deps deps-test deps-bench build build-san build-clang test-plain test-san \
	install bench clean

all: build

deps:
	@sh tools/install-deps.sh build

deps-test:
	@sh tools/install-deps.sh test

build:
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-san:
	@cmake -S . -B $(BUILD_SAN) -DRUMP_SANITIZE=ON \
	    -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_SAN) -j $(JOBS)

build-clang:
	@cmake -S . -B $(BUILD_CLANG) -DCMAKE_C_COMPILER=clang \
	    $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_CLANG) -j $(JOBS)

run: deps build
	@sh share/examples/rump/demo.sh $(BUILD)/bin

test-plain: build
	@cd $(BUILD) && ctest --output-on-failure -j $(SLOTS)

test-san: build-san
	@cd $(BUILD_SAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    ctest --output-on-failure -j $(SLOTS)

test: deps-test
	@$(MAKE) --no-print-directory test-plain
	@$(MAKE) --no-print-directory test-san
	@$(MAKE) --no-print-directory build-clang

install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

deps-bench:
	@sh tools/install-deps.sh bench

bench: deps-bench build
	@cmake --build $(BUILD) --target bench

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_CLANG)
