# spot — the two commands a newcomer needs:
#   make run    builds spot, sets it up on first run (spot init), and serves it on http://localhost:8080
#   make test   installs what the tests need, then runs formatting, lint and the whole test suite
#   make check  the fast tier while working: formatting, lint, unit tests and tests/fast (no browsers, no bots)
#
# Everything is built with the debug profile (bcrypt and SQLite are optimised even there); `make release`
# builds the optimised binary for deployment. Every cargo build also bundles the web client (build.rs runs
# npm ci and esbuild in web/), so Node.js 20+ and npm must be installed.

CARGO  ?= cargo
CONFIG ?= spot.toml
SPOT   := target/debug/spot
VENV   := target/test-venv
NODE_DEPS := tests/bots/node_modules
WEB_DEPS  := web/node_modules
OIDC_DEPS := tests/oidc/node_modules
# The serenity bot of the library matrix: its own crate and target directory (tests/it/serenity.rs).
SERENITY_BOT := target/serenity-bot/debug/spot-serenity-bot

SUDO   := $(if $(filter 0,$(shell id -u)),,sudo)
# Debian packages the build needs: cmake builds the libopus bundled with audiopus (linked statically).
BUILD_PACKAGES := cmake
# ... and the tests: util-linux `script` (terminal test), sox with MP3 support and opus-tools (the DJ's tests
# write their audio fixtures with them), chromium and an emoji font (the browser tests), systemd (`systemd-analyze verify` checks deploy/spot.service).
TEST_PACKAGES := bsdutils sox libsox-fmt-mp3 opus-tools chromium fonts-noto-color-emoji systemd

.PHONY: all build release run test check fuzz deps build-deps lint unit it fast fmt clean

all: build

build: build-deps
	$(CARGO) build

release: build-deps
	$(CARGO) build --release

# Installs the missing ones among the Debian packages given in PACKAGES (needs root or sudo).
define apt_install
	@missing=""; for pkg in $(1); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi
endef

build-deps:
	$(call apt_install,$(BUILD_PACKAGES))

# First run: `spot init` asks for the admin's name and password on a terminal (or prints a generated one).
run: build
	@test -f $(CONFIG) || $(SPOT) --config $(CONFIG) init
	$(SPOT) --config $(CONFIG) serve

test: deps lint
	$(CARGO) test --all-targets

# The in-process tier: the router and store without sockets, time moved by hand (tests/fast). Needs only the
# build's own dependencies.
check: build-deps lint
	$(CARGO) test --lib --test fast

# What the tests use, installed only when missing: the Debian packages above, discord.py and hikari from PyPI in
# a venv, the serenity bot (crates.io) in its own target directory,
# discord.js from npm (pinned by tests/bots/package-lock.json), the web client's toolchain with playwright-core
# (web/package-lock.json), and for single sign-on oidc-provider and jose (tests/oidc/package-lock.json); the
# browser tests drive Debian's chromium (never a downloaded one).
deps: build-deps $(VENV)/.installed $(NODE_DEPS)/.installed $(WEB_DEPS)/.installed $(OIDC_DEPS)/.installed $(SERENITY_BOT)
	$(call apt_install,$(TEST_PACKAGES))

$(VENV)/.installed: tests/bots/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r tests/bots/requirements.txt
	touch $@

$(NODE_DEPS)/.installed: tests/bots/package.json tests/bots/package-lock.json
	cd tests/bots && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WEB_DEPS)/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(SERENITY_BOT): tests/bots/serenity/Cargo.toml tests/bots/serenity/Cargo.lock tests/bots/serenity/src/main.rs
	CARGO_TARGET_DIR=target/serenity-bot $(CARGO) build --quiet --manifest-path tests/bots/serenity/Cargo.toml

$(OIDC_DEPS)/.installed: tests/oidc/package.json tests/oidc/package-lock.json
	cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: $(WEB_DEPS)/.installed
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	cd web && npx --no-install tsc --noEmit -p .

unit:
	$(CARGO) test --lib

it:
	$(CARGO) test --test it

# Coverage-guided fuzzing with AFL++ (cargo-afl, from crates.io; it builds its own AFL++ runtime): each target of
# src/fuzz.rs runs FUZZ_SECONDS from its corpus in fuzz/corpus/; a crash stops with the input's path. Not part
# of `make test`, which replays the corpora instead (tests/fast/fuzz.rs).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := gateway_payload message_body preview_html oembed image audio
fuzz: build-deps
	@command -v cargo-afl >/dev/null || $(CARGO) install cargo-afl --locked
	cd fuzz && CARGO_TARGET_DIR=../target/fuzz $(CARGO) afl build --release
	@mkdir -p target/fuzz/out; for t in $(FUZZ_TARGETS); do \
	  echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_QUIET=1 \
	    $(CARGO) afl fuzz -V $(FUZZ_SECONDS) -i fuzz/corpus/$$t -o target/fuzz/out/$$t \
	    target/fuzz/release/spot-fuzz $$t > target/fuzz/$$t.log 2>&1 || { tail -20 target/fuzz/$$t.log; exit 1; }; \
	  if ls target/fuzz/out/$$t/default/crashes/id* >/dev/null 2>&1; then \
	    echo "$$t: crashing inputs in target/fuzz/out/$$t/default/crashes"; exit 1; fi; \
	  grep -h "execs_done\|corpus_count\|saved_crashes" target/fuzz/out/$$t/default/fuzzer_stats | tr '\n' ' '; echo; \
	done

fast:
	$(CARGO) test --test fast

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
