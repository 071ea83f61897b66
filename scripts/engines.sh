#!/usr/bin/env bash
# engines.sh builds, starts and stops the distributed SQL engines of issue
# 18 on loopback, for the tests that ORMC_TEST_TIDB and ORMC_TEST_VITESS
# enable (see docs/scaling.md and internal/testdb).
#
#   scripts/engines.sh build  [tidb|vitess]   build the binaries (cached)
#   scripts/engines.sh start  [tidb|vitess]   start them and wait until they answer
#   scripts/engines.sh stop   [tidb|vitess]   stop them (their whole process group)
#   scripts/engines.sh status [tidb|vitess]   say what runs, and the DSNs to export
#   scripts/engines.sh env                    print the export lines of what runs
#
# Without a name, each command acts on both. The binaries are built from
# the pinned versions of tools/tidb/go.mod and tools/vitess/go.mod (never
# ormc's own go.mod) into ORMC_ENGINES_CACHE, $HOME/.cache/ormc-engines by
# default, outside the repository; a build present there is reused, and
# one whose go.sum changed is rebuilt. Builds run under nice -n 19: the
# machine is shared. The servers keep their data in memory (TiDB) or under
# ORMC_ENGINES_RUN (Vitess), which start empties, so every start begins
# with empty engines.
#
# Vitess runs on MariaDB (mariadb-server from apt: Debian has no MySQL
# server), as the mysql user, since mysqlctl refuses to run as root.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${ORMC_ENGINES_CACHE:-$HOME/.cache/ormc-engines}
# RUN holds the servers' pid files, logs and data. It is outside $HOME
# because Vitess runs as the mysql user, who cannot enter root's home: its
# binaries are linked (or copied) there at each start.
RUN=${ORMC_ENGINES_RUN:-/tmp/ormc-engines-$(id -u)}

TIDB_PORT=${ORMC_TIDB_PORT:-4000}
TIDB_STATUS_PORT=${ORMC_TIDB_STATUS_PORT:-10081}
# TIDB_VERSION is what SELECT VERSION() reports after "8.0.11-TiDB-": the
# pinned commit, rather than TiDB's "v8.4.0-this-is-a-placeholder".
TIDB_VERSION=v9.0.0-alpha-e4e814f

# vttestserver's base port: vtcombo's HTTP is BASE, its gRPC BASE+1,
# mariadbd BASE+2 and vtgate's MySQL protocol BASE+3.
VITESS_BASE=${ORMC_VITESS_PORT:-15000}
VITESS_MYSQL_PORT=$((VITESS_BASE + 3))
# VITESS_POOL unsharded keyspaces ormc0 … ormcN-1 are leased one per test
# by internal/testdb (keyspaces cannot be created through vtgate), and
# ormcsharded has two shards.
VITESS_POOL=${ORMC_VITESS_POOL:-8}

log() { printf '%s\n' "$*" >&2; }
die() { log "engines.sh: $*"; exit 1; }

# stamp is the checksum of a tool module's go.sum: a build made from
# another go.sum is rebuilt.
stamp() { sha256sum "$ROOT/tools/$1/go.sum" | cut -c1-16; }

# ---------------------------------------------------------------- build

build_tidb() {
	local out=$CACHE/tidb/bin/tidb-server want
	want=$(stamp tidb)
	if [ -x "$out" ] && [ "$(cat "$CACHE/tidb/stamp" 2>/dev/null)" = "$want" ]; then
		log "tidb: built already ($out)"
		return
	fi
	mkdir -p "$CACHE/tidb/bin"
	log "tidb: building tidb-server (cold: about 6 min on 2 idle cores, longer when shared)"
	local t0=$SECONDS
	(cd "$ROOT/tools/tidb" && CGO_ENABLED=1 nice -n 19 go build -o "$out" \
		-ldflags "-X github.com/pingcap/tidb/pkg/parser/mysql.TiDBReleaseVersion=$TIDB_VERSION" \
		github.com/pingcap/tidb/cmd/tidb-server)
	echo "$want" >"$CACHE/tidb/stamp"
	log "tidb: built in $((SECONDS - t0)) s"
}

build_vitess() {
	local vtroot=$CACHE/vitess want
	want=$(stamp vitess)
	if [ -x "$vtroot/bin/vttestserver" ] && [ "$(cat "$vtroot/stamp" 2>/dev/null)" = "$want" ]; then
		log "vitess: built already ($vtroot/bin)"
		return
	fi
	command -v mariadbd >/dev/null || die "vitess needs mariadbd: apt-get install -y --no-install-recommends mariadb-server mariadb-client"
	mkdir -p "$vtroot/bin"
	log "vitess: building vttestserver, vtcombo and mysqlctl (cold: about 2.5 min on 2 idle cores)"
	local t0=$SECONDS dir
	(cd "$ROOT/tools/vitess" && nice -n 19 go build -o "$vtroot/bin/" \
		vitess.io/vitess/go/cmd/vttestserver vitess.io/vitess/go/cmd/vtcombo vitess.io/vitess/go/cmd/mysqlctl)
	# Vitess's config, patched for MariaDB: its semisync plugins are
	# built in (an empty plugin-load resets the list the embedded cnf
	# loads), and it has no super_read_only.
	dir=$(cd "$ROOT/tools/vitess" && go list -m -f '{{.Dir}}' vitess.io/vitess)
	rm -rf "$vtroot/config"
	cp -r "$dir/config" "$vtroot/config"
	chmod -R u+w "$vtroot/config"
	sed -i 's/^super-read-only = false/plugin-load =/' "$vtroot/config/mycnf/test-suite.cnf"
	grep -q '^plugin-load =' "$vtroot/config/mycnf/test-suite.cnf" || die "vitess: test-suite.cnf changed; recheck the patch"
	sed -i '/^SET .*super_read_only/s/^/# /' "$vtroot/config/init_db.sql"
	! grep -q '^SET .*super_read_only' "$vtroot/config/init_db.sql" || die "vitess: init_db.sql changed; recheck the patch"
	echo "$want" >"$vtroot/stamp"
	log "vitess: built in $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------- start

# answers reports whether a MySQL-protocol server answers on port $1.
answers() {
	mariadb -h 127.0.0.1 -P "$1" -u root --connect-timeout=2 -N -e 'SELECT 1' >/dev/null 2>&1
}

# alive reports whether the process group in pid file $1 still runs.
alive() { [ -f "$1" ] && kill -0 -- "-$(cat "$1")" 2>/dev/null; }

start_tidb() {
	local pidf=$RUN/tidb.pid bin=$CACHE/tidb/bin/tidb-server
	[ -x "$bin" ] || die "tidb: not built (scripts/engines.sh build tidb)"
	if alive "$pidf"; then log "tidb: running already"; return; fi
	rm -rf "$RUN/tidb"
	mkdir -p "$RUN/tidb/tmp"
	local t0=$SECONDS
	# The store is in memory (-path ""), so each start is a fresh
	# cluster; everything listens on 127.0.0.1 only, and every file it
	# writes is under the run directory (its slow-query log would
	# otherwise land in the working directory).
	setsid "$bin" -store unistore -path "" \
		-host 127.0.0.1 -advertise-address 127.0.0.1 -P "$TIDB_PORT" \
		-status "$TIDB_STATUS_PORT" -status-host 127.0.0.1 \
		-temp-dir "$RUN/tidb/tmp" -socket "$RUN/tidb/tidb.sock" \
		-log-file "$RUN/tidb/tidb.log" -log-slow-query "$RUN/tidb/tidb-slow.log" \
		>"$RUN/tidb/stdout.log" 2>&1 </dev/null &
	echo $! >"$pidf"
	for _ in $(seq 1 120); do
		if answers "$TIDB_PORT"; then
			# TiDB parses CHECK constraints but enforces them only with
			# this on (off by default); foreign keys are on by default.
			mariadb -h 127.0.0.1 -P "$TIDB_PORT" -u root -e 'SET GLOBAL tidb_enable_check_constraint = ON' ||
				die "tidb: cannot turn CHECK constraints on"
			log "tidb: ready in $((SECONDS - t0)) s on 127.0.0.1:$TIDB_PORT"
			return
		fi
		alive "$pidf" || { tail -20 "$RUN/tidb/stdout.log" "$RUN/tidb/tidb.log" >&2 || true; die "tidb: exited"; }
		sleep 0.5
	done
	stop_one tidb
	die "tidb: no answer in 60 s (see $RUN/tidb/tidb.log)"
}

start_vitess() {
	local pidf=$RUN/vitess.pid built=$CACHE/vitess vtroot=$RUN/vitess/vtroot
	[ -x "$built/bin/vttestserver" ] && [ -f "$built/stamp" ] || die "vitess: not built (scripts/engines.sh build vitess)"
	if alive "$pidf"; then log "vitess: running already"; return; fi
	id mysql >/dev/null 2>&1 || die "vitess: no mysql user (install mariadb-server)"
	rm -rf "$RUN/vitess"
	mkdir -p "$RUN/vitess/data" "$RUN/vitess/vtdataroot" "$RUN/vitess/schema/ormcsharded" "$vtroot"
	cp -rl "$built/bin" "$vtroot/" 2>/dev/null || cp -r "$built/bin" "$vtroot/"
	cp -r "$built/config" "$vtroot/"
	# vttestserver passes vtcombo no flags of ours: a wrapper adds them.
	# KILL through vtgate, which the mysql driver sends when a
	# statement's context ends (VT07001 without it), and results of up
	# to a million rows rather than 10,000 (1317 beyond).
	mv "$vtroot/bin/vtcombo" "$vtroot/bin/vtcombo.real"
	printf '#!/bin/sh\nexec "$(dirname "$0")/vtcombo.real" --allow-kill-statement --queryserver-config-max-result-size=1000000 "$@"\n' \
		>"$vtroot/bin/vtcombo"
	chmod 755 "$vtroot/bin/vtcombo"
	local keyspaces=ormcsharded shards=2 i
	for i in $(seq 0 $((VITESS_POOL - 1))); do
		mkdir -p "$RUN/vitess/schema/ormc$i"
		keyspaces=$keyspaces,ormc$i
		shards=$shards,1
	done
	# ormcsharded is sharded by each table's key: a table gets its vindex
	# with ALTER VSCHEMA (see docs/scaling.md): hash, or for the suites
	# (testdb.VitessShardedSchema) reverse_bits of an integer key, which
	# puts consecutive keys on alternate shards, and xxhash of any other.
	echo '{"sharded": true, "vindexes": {"hash": {"type": "hash"}, "reverse_bits": {"type": "reverse_bits"}, "xxhash": {"type": "xxhash"}}, "tables": {}}' \
		>"$RUN/vitess/schema/ormcsharded/vschema.json"
	# Otherwise mariadbd listens on every address, and in utf8mb3:
	# Vitess's mariadb10.cnf sets character_set_server = utf8, which
	# vttablet's connections then take, and a 4-byte character fails
	# with 1366 even in a utf8mb4 column.
	printf '[mysqld]\nbind-address = 127.0.0.1\ncharacter_set_server = utf8mb4\ncollation_server = utf8mb4_nopad_bin\n' >"$RUN/vitess/extra.cnf"
	# Not vtroot: its binaries may be hard links to the cache's.
	chown -R mysql:mysql "$RUN/vitess/data" "$RUN/vitess/vtdataroot" "$RUN/vitess/schema" "$RUN/vitess/extra.cnf"
	chmod 755 "$RUN" "$RUN/vitess"
	local t0=$SECONDS
	setsid runuser -u mysql -- env VTROOT="$vtroot" VTDATAROOT="$RUN/vitess/vtdataroot" VT_MYSQL_ROOT=/usr \
		PATH="$vtroot/bin:$PATH" \
		vttestserver --port "$VITESS_BASE" --mysql-bind-host 127.0.0.1 --vtcombo-bind-host 127.0.0.1 \
		--tablet-hostname 127.0.0.1 --keyspaces "$keyspaces" --num-shards "$shards" \
		--data-dir "$RUN/vitess/data" --schema-dir "$RUN/vitess/schema" \
		--extra-my-cnf "$RUN/vitess/extra.cnf" --foreign-key-mode allow \
		--vschema-ddl-authorized-users '%' --enable-system-settings=true \
		>"$RUN/vitess/vttestserver.log" 2>&1 </dev/null &
	echo $! >"$pidf"
	for _ in $(seq 1 240); do
		if grep -q 'Local cluster started' "$RUN/vitess/vttestserver.log" && answers "$VITESS_MYSQL_PORT"; then
			log "vitess: ready in $((SECONDS - t0)) s on 127.0.0.1:$VITESS_MYSQL_PORT ($keyspaces)"
			return
		fi
		# vttestserver can exit and leave vtcombo and mariadbd behind: stop
		# the whole group.
		kill -0 "$(cat "$pidf")" 2>/dev/null || { tail -20 "$RUN/vitess/vttestserver.log" >&2; stop_one vitess; die "vitess: exited"; }
		sleep 0.5
	done
	stop_one vitess
	die "vitess: not ready in 120 s (see $RUN/vitess/vttestserver.log)"
}

# ---------------------------------------------------------------- stop

# stop_one sends SIGTERM to the engine's process group, then SIGKILL to
# what is left after 15 s.
stop_one() {
	local pidf=$RUN/$1.pid pgid
	[ -f "$pidf" ] || { log "$1: not running"; return 0; }
	pgid=$(cat "$pidf")
	if kill -0 -- "-$pgid" 2>/dev/null; then
		kill -TERM -- "-$pgid" 2>/dev/null || true
		for _ in $(seq 1 30); do
			kill -0 -- "-$pgid" 2>/dev/null || break
			sleep 0.5
		done
		if kill -0 -- "-$pgid" 2>/dev/null; then
			log "$1: still running after 15 s; killing"
			kill -KILL -- "-$pgid" 2>/dev/null || true
		fi
	fi
	rm -f "$pidf"
	log "$1: stopped"
}

# ---------------------------------------------------------------- status

dsn() {
	case $1 in
	tidb) echo "mysql://root@127.0.0.1:$TIDB_PORT/test" ;;
	vitess) echo "mysql://root@127.0.0.1:$VITESS_MYSQL_PORT/ormc0" ;;
	esac
}

envvar() {
	case $1 in
	tidb) echo ORMC_TEST_TIDB ;;
	vitess) echo ORMC_TEST_VITESS ;;
	esac
}

status_one() {
	if alive "$RUN/$1.pid"; then
		log "$1: running (process group $(cat "$RUN/$1.pid")): export $(envvar "$1")=$(dsn "$1")"
	else
		log "$1: not running"
		return 1
	fi
}

env_all() {
	local e
	for e in tidb vitess; do
		if alive "$RUN/$e.pid"; then echo "export $(envvar $e)=$(dsn $e)"; fi
	done
}

# ---------------------------------------------------------------- main

cmd=${1:-}
shift || true
engines=("$@")
[ ${#engines[@]} -gt 0 ] || engines=(tidb vitess)
for e in "${engines[@]}"; do
	case $e in tidb | vitess) ;; *) die "unknown engine $e (tidb or vitess)" ;; esac
done
mkdir -p "$RUN"
case $cmd in
build) for e in "${engines[@]}"; do "build_$e"; done ;;
start) for e in "${engines[@]}"; do "start_$e"; done ;;
stop) for e in "${engines[@]}"; do stop_one "$e"; done ;;
status)
	rc=0
	for e in "${engines[@]}"; do status_one "$e" || rc=1; done
	exit $rc
	;;
env) env_all ;;
*) die "usage: scripts/engines.sh build|start|stop|status [tidb|vitess], or env" ;;
esac
