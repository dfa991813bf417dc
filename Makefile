# spot — the two commands a newcomer needs:
#   make run    builds spot, sets it up on first run (spot init), and serves it on http://localhost:8080
#   make test   installs what the tests need, then runs formatting, lint and the whole test suite
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
SUDO      := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: all build release run test deps lint unit it fmt clean

all: build

build:
	$(CARGO) build

release:
	$(CARGO) build --release

# First run: `spot init` asks for the admin's name and password on a terminal (or prints a generated one).
run: build
	@test -f $(CONFIG) || $(SPOT) --config $(CONFIG) init
	$(SPOT) --config $(CONFIG) serve

test: deps lint
	$(CARGO) test --all-targets

# What the tests use, installed only when missing: util-linux `script` (Debian; needs root or sudo) for the
# terminal test, discord.py from PyPI in a venv, discord.js from npm (pinned by tests/bots/package-lock.json),
# the web client's toolchain and playwright-core (web/package-lock.json), and Debian's chromium with an emoji
# font for the browser test (playwright never downloads a browser here).
deps: $(VENV)/.installed $(NODE_DEPS)/.installed $(WEB_DEPS)/.installed
	@command -v script >/dev/null || { echo "installing bsdutils (script) for the terminal test"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq bsdutils; }
	@test -x /usr/bin/chromium && test -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf || { \
	  echo "installing chromium and fonts-noto-color-emoji for the browser test"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-noto-color-emoji; }

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

lint: $(WEB_DEPS)/.installed
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	cd web && npx --no-install tsc --noEmit -p .

unit:
	$(CARGO) test --lib

it:
	$(CARGO) test --test it

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
