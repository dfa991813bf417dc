#!/bin/sh
# The container's entry point (also runs outside one: tests/it/deploy.rs does that). On the first start it makes
# the install in $DATA_DIR (default /data): spot.toml, the database and the first admin ($ADMIN_USERNAME, default
# admin), whose generated password it prints once to the log; spot listens on $LISTEN (default 0.0.0.0:8080).
# Then it serves, replacing this shell so SIGTERM reaches spot. (Not SPOT_* names: spot reads every SPOT_*
# variable as a configuration key, and refuses those it does not know.)
set -eu
data="${DATA_DIR:-/data}"
config="$data/spot.toml"
if [ ! -f "$config" ]; then
    echo "spot: first start: creating the install in $data"
    spot --config "$config" init --data-dir "$data" --listen "${LISTEN:-0.0.0.0:8080}" \
        --admin-username "${ADMIN_USERNAME:-admin}"
fi
exec spot --config "$config" serve
