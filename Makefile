# spot — the two commands a newcomer needs:
#   make run    builds spot, sets it up on first run (spot init), and serves it on http://localhost:8080
#   make test   installs what the tests need, then runs formatting, lint and the whole test suite
#
# Everything is built with the debug profile (bcrypt and SQLite are optimised even there); `make release`
# builds the optimised binary for deployment.

CARGO  ?= cargo
CONFIG ?= spot.toml
SPOT   := target/debug/spot

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

# System packages the tests use, installed only when missing (Debian; needs root or sudo).
deps:
	@command -v script >/dev/null || { echo "installing bsdutils (script) for the terminal test"; \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq bsdutils; }

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
