# A throwaway PostgreSQL cluster on 127.0.0.1 for the tests (sourced by .ci/run; usable by hand):
#   source .ci/postgres.sh && postgres_start    # exports VILLAGEBOT_TEST_POSTGRES_URL
#   postgres_stop
# Installs Debian's postgresql package when it is missing. PostgreSQL refuses to run as root,
# so as root the cluster belongs to the postgres user. Durability is off: it only serves tests.

postgres_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
    done
    return 1
}

postgres_start() {
    local port="${VILLAGEBOT_TEST_POSTGRES_PORT:-54329}" bin as_pg=()
    if ! bin="$(postgres_bin)"; then
        echo "== installing PostgreSQL (Debian's package)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq --no-install-recommends postgresql >/dev/null
        bin="$(postgres_bin)"
    fi
    POSTGRES_DIR="$(mktemp -d /tmp/villagebot-postgres.XXXXXX)"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$POSTGRES_DIR"
        as_pg=(runuser -u postgres --)
    fi
    "${as_pg[@]}" "$bin/initdb" -D "$POSTGRES_DIR/data" -U villagebot --auth=trust \
        -E UTF8 --locale=C.UTF-8 >"$POSTGRES_DIR/initdb.log"
    "${as_pg[@]}" "$bin/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $POSTGRES_DIR -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null
    POSTGRES_CTL=("${as_pg[@]}" "$bin/pg_ctl" -D "$POSTGRES_DIR/data")
    export VILLAGEBOT_TEST_POSTGRES_URL="postgresql+asyncpg://villagebot@127.0.0.1:$port/postgres"
    echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

postgres_stop() {
    if [ -n "${POSTGRES_DIR:-}" ]; then
        "${POSTGRES_CTL[@]}" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$POSTGRES_DIR"
        POSTGRES_DIR=""
    fi
}
