# spot — the two commands a newcomer needs:
#   make run    builds spot, sets it up on first run (spot init), and serves it on http://localhost:8080
#   make test   installs what the tests need, then runs formatting, lint and the whole test suite
#
# Everything is built with the debug profile (bcrypt and SQLite are optimised even there); `make release`
# builds the optimised binary for deployment.

CARGO  ?= cargo
CONFIG ?= spot.toml
SPOT   := target/debug/spot
VENV   := target/test-venv
NODE_DEPS := tests/bots/node_modules
OIDC_DEPS := tests/oidc/node_modules
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

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
# and for single sign-on oidc-provider, jose and playwright-core from npm (pinned by tests/oidc/package-lock.json)
# driving Debian's chromium (playwright never downloads a browser).
deps: $(VENV)/.installed $(NODE_DEPS)/.installed $(OIDC_DEPS)/.installed
	@command -v script >/dev/null || { echo "installing bsdutils (script) for the terminal test"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq bsdutils; }
	@test -x /usr/bin/chromium || { echo "installing chromium for the single sign-on browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

$(VENV)/.installed: tests/bots/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r tests/bots/requirements.txt
	touch $@

$(NODE_DEPS)/.installed: tests/bots/package.json tests/bots/package-lock.json
	cd tests/bots && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(OIDC_DEPS)/.installed: tests/oidc/package.json tests/oidc/package-lock.json
	cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

unit:
	$(CARGO) test --lib

it:
	$(CARGO) test --test it

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
