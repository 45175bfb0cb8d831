# Jiance — `make demo` runs the whole pipeline on samples/, `make test` runs every test.
# Both install what a fresh Debian machine with Swift lacks (libxlsxwriter-dev, libfreexl-dev, pkg-config,
# and for the browser tests chromium, chromium-driver and python3).

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build release demo test samples bench bench-serve clean fuzz format lint screenshots

deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists xlsxwriter freexl sqlite3; then \
		echo "Installing libxlsxwriter-dev, libfreexl-dev, libsqlite3-dev and pkg-config…"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libxlsxwriter-dev libfreexl-dev libsqlite3-dev pkg-config; \
	fi
	@if ! command -v chromedriver >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then \
		echo "Installing chromium, chromium-driver and python3 for the browser tests…"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver python3 fonts-wqy-microhei; \
	fi

build: deps
	$(SWIFT) build

# The binary to deploy and to measure: optimised, with the Swift runtime linked in, so that it runs
# on a machine without Swift and spends no start-up time binding the runtime's symbols.
RELEASE := -c release --static-swift-stdlib
release: deps
	$(SWIFT) build $(RELEASE) --product jiance

demo: build
	$(SWIFT) run jiance demo --samples samples --out exports

test: deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test

# The formatter's configuration is .swift-format (line length 120); CI keeps the tree formatted.
format:
	$(SWIFT) format format --in-place --recursive Sources Tests Package.swift

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

samples: build
	rm -rf samples/*/ samples/学校名单.xlsx
	$(SWIFT) run jiance samples --students 3000 --seed 2025 --out samples

# The web server under load: the 250 schools of the 100k county each upload their own fitness file,
# 16 at a time, while the county dashboard is requested (release build; figures to benchmarks/RESULTS.md).
bench-serve: release
	$(SWIFT) build $(RELEASE) --product jiance-bench
	[ -f benchmarks/data/100000/fitness.csv ] || .build/release/jiance-bench generate --students 100000 --out benchmarks/data/100000
	python3 benchmarks/serve_load.py .build/release/jiance benchmarks/data/100000/fitness.csv --concurrency 16

# The PNG screenshots of the main pages in docs/screenshots, taken by the browser test.
screenshots: deps
	mkdir -p docs/screenshots
	JIANCE_SCREENSHOTS=$(CURDIR)/docs/screenshots $(SWIFT) test --filter BrowserTests

clean:
	rm -rf .build exports/*.xlsx exports/*.sqlite*

# A longer deterministic fuzz run (50× the mutations of `make test`).
fuzz: deps
	JIANCE_FUZZ_ITERATIONS=50 $(SWIFT) test --filter FuzzTests

# Release benchmarks: a 100k-student county and a 1M-student province-sized file
# (BENCH_SIZES="100000 1000000 10000000" for more). Results go to benchmarks/RESULTS.md by hand.
BENCH_SIZES ?= 100000 1000000
# The pandas reference (benchmarks/pandas_import.py) runs when python3 has pandas and numpy; the
# 100k county also gets the sample files of `jiance samples`, on which `jiance demo` is timed.
bench: release
	$(SWIFT) build $(RELEASE) --product jiance-bench
	@for n in $(BENCH_SIZES); do \
		[ -f benchmarks/data/$$n/fitness.csv ] || .build/release/jiance-bench generate --students $$n --out benchmarks/data/$$n || exit 1; \
		[ $$n != 100000 ] || [ -d benchmarks/data/$$n/samples ] || .build/release/jiance samples --students $$n --seed 2025 --out benchmarks/data/$$n/samples > /dev/null || exit 1; \
		.build/release/jiance-bench run --data benchmarks/data/$$n || exit 1; \
	done
