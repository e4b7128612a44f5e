#!/bin/sh
# run.sh: `make bench`: wrk through nginx against the release build of
# palaver, on SQLite and on PostgreSQL (one host, and two hosts behind one
# nginx upstream), with the same data: threads of 10, 100, 1,000 and 20,000
# comments seeded into SQLite and moved to PostgreSQL with palaver migrate
# --to.  For each engine and size: the first page of the thread as HTML and
# the same through the JSON API; once, the page's bytes served by nginx as a
# static file (the ceiling for any FastCGI app here); then posting; then
# reads of a page during a flood of 100 parallel moderator logins.  Prints
# requests/s, p50 and p99 latency, palaver's peak RSS and the targets, and
# writes the same to tests/bench/last.txt.
#
# Exit status: 0 when palaver worked, even if a target is missed (this is a
# measurement); 1 when it failed (no 200s, a post acknowledged but not in
# the database, a wrong page, a crash).
#
# Environment: BENCH_DURATION (wrk -d, default 10s), BENCH_CONNS (32),
# BENCH_THREADS (wrk -t, 2), BENCH_WORKERS / BENCH_POOL ([server] workers /
# threads, default: conf/palaver.conf's), BENCH_PORT (first port tried),
# BENCH_SIZES (thread sizes), BENCH_ENGINES (default "sqlite postgres
# postgres2": postgres2 is two hosts), BENCH_KEEP (keep the temporary
# directory).
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH=$ROOT/tests/bench
BIN=$ROOT/build/palaver
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNS:-32}
WTHREADS=${BENCH_THREADS:-2}
SIZES=${BENCH_SIZES:-"10 100 1000 20000"}
ENGINES=${BENCH_ENGINES:-"sqlite postgres postgres2"}
WRK="wrk -t$WTHREADS -c$CONNS -d$DURATION --latency"
CMD="sh tests/bench/run.sh"

die() {
	echo "bench: $*" >&2
	exit 1
}

[ -x "$BIN" ] || die "$BIN missing: run 'make build/palaver' first"
# The release binary only: sanitizers would measure themselves.
if nm -D "$BIN" 2>/dev/null | grep -q __asan_init; then
	die "$BIN is an ASan build; the benchmark needs the release build"
fi
for t in wrk nginx sqlite3 psql curl awk; do
	command -v $t >/dev/null 2>&1 || die "$t is not installed (sh conf/dev/deps.sh bench)"
done

DIR=$(mktemp -d /tmp/palaver-bench.XXXXXX)
chmod 755 "$DIR"
mkdir -p "$DIR/nginx-tmp" "$DIR/static" "$DIR/wrk"
DB=$DIR/palaver.db
REPORT=$DIR/report.txt
PGDIR=

pals=
ngx=
stop_all() {
	if [ -n "$ngx" ] && kill -0 "$ngx" 2>/dev/null; then
		kill -TERM "$ngx" 2>/dev/null || true
		wait "$ngx" 2>/dev/null || true
	fi
	ngx=
	for p in $pals; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in $pals; do
		wait "$p" 2>/dev/null || true
	done
	pals=
}
cleanup() {
	rc=$?
	trap - EXIT INT TERM
	stop_all
	if [ $rc -ne 0 ]; then
		for l in "$DIR"/palaver-*.log; do
			[ -s "$l" ] || continue
			echo "--- $l (last 20 lines):" >&2
			tail -20 "$l" >&2
		done
	fi
	[ -n "$PGDIR" ] && sh "$ROOT/tests/pg.sh" stop "$PGDIR"
	if [ -n "${BENCH_KEEP:-}" ]; then
		echo "bench: kept $DIR" >&2
	else
		rm -rf "$DIR"
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- configuration, user, database -----------------------------------------

runas=
userline=
if [ "$(id -u)" = 0 ]; then
	if ! getent passwd palaver >/dev/null; then
		useradd --system --no-create-home --home-dir /nonexistent \
		    --shell /usr/sbin/nologin palaver
	fi
	runas="setpriv --reuid=palaver --regid=palaver --clear-groups"
	userline="user palaver palaver;"
fi

# A configuration: defaults from conf/palaver.conf, except the database,
# the socket, and the two spam rules that would refuse a benchmark's posts
# (one address, posting at once).  conf FILE SOCKET (path|url) VALUE
conf() {
	awk -v key="$3" -v val="$4" -v sock="$2" '
		/^path = / { next }
		/^socket = / { print "socket = " sock; next }
		/^posts_per_minute = / { print "posts_per_minute = 0"; next }
		/^min_submit_seconds = / { print "min_submit_seconds = 0"; next }
		{ print }
		/^\[database\]/ { print key " = " val }
	' "$ROOT/conf/palaver.conf" > "$1"
	# Every host of the site holds the same address key file.
	printf '\n[privacy]\nkey_file = %s\n' "$DIR/palaver.key" >> "$1"
	[ -n "${BENCH_WORKERS:-}" ] &&
	    sed -i "s|^workers = .*|workers = $BENCH_WORKERS|" "$1"
	[ -n "${BENCH_POOL:-}" ] &&
	    sed -i "s|^threads = .*|threads = $BENCH_POOL|" "$1"
	[ -n "$runas" ] && sed -i "s|^user =.*|user = palaver|" "$1"
	return 0
}
CONF=$DIR/sqlite.conf
conf "$CONF" "$DIR/palaver.sock" path "$DB"
conf_get() {
	sed -n "s|^$1 = *||p" "$CONF" | head -1
}
WORKERS=$(conf_get workers)
POOL=$(conf_get threads)
PAGE_SIZE=$(conf_get page_size)
[ -n "$runas" ] && chown -R palaver:palaver "$DIR"

$runas "$BIN" -c "$CONF" init >"$DIR/init.log" 2>&1 ||
    { cat "$DIR/init.log" >&2; die "palaver init failed"; }

article_add() {
	id=$($runas "$BIN" -c "$CONF" article add --uri "$1" --title "$2" \
	    2>"$DIR/article.log") || { cat "$DIR/article.log" >&2;
	    die "palaver article add $1 failed"; }
	id=$(printf '%s\n' "$id" | grep -o '[0-9][0-9]*' | head -1)
	[ -n "$id" ] || die "palaver article add $1 printed no id"
	echo "$id"
}

echo "bench: seeding threads of $SIZES comments..."
now=$(date +%s)
next=1
for n in $SIZES; do
	a=$(article_add "/bench/t$n" "A thread of $n comments")
	eval "ART_$n=$a"
	awk -v article="$a" -v n="$n" -v first="$next" -v now="$now" \
	    -f "$BENCH/seed.awk" > "$DIR/seed-$n.sql"
	$runas sqlite3 -bail "$DB" < "$DIR/seed-$n.sql" ||
	    die "seeding the $n-comment thread failed"
	rm -f "$DIR/seed-$n.sql"
	next=$((next + n))
done
ART_POST=$(article_add "/bench/post" "Posting here")

# The same site on PostgreSQL: a throwaway cluster (tests/pg.sh), the
# database moved there by palaver migrate --to.
case " $ENGINES " in
*" postgres"*)
	echo "bench: PostgreSQL: a cluster, and the site moved there..."
	PGDIR=$(sh "$ROOT/tests/pg.sh" start)
	psql -X -q -h "$PGDIR" -U postgres -d postgres \
	    -c "CREATE DATABASE bench OWNER palaver" >/dev/null
	URL="postgresql:///bench?host=$PGDIR&user=palaver"
	$runas "$BIN" -c "$CONF" migrate --to "$URL" >"$DIR/migrate.log" 2>&1 ||
	    { cat "$DIR/migrate.log" >&2; die "palaver migrate --to failed"; }
	psql -X -q -h "$PGDIR" -U postgres -d bench -c "VACUUM ANALYZE" \
	    >/dev/null
	;;
esac

# SQL on the engine's database; one value.
db_value() {
	case $1 in
	sqlite) $runas sqlite3 "$DB" "$2" ;;
	*) psql -X -q -A -t -h "$PGDIR" -U postgres -d bench -c "$2" ;;
	esac
}

# --- palaver and nginx ------------------------------------------------------

# Other runs may share the machine: start the search somewhere of our own.
first_port=${BENCH_PORT:-$((18080 + $$ % 1000))}
port=$first_port
while :; do
	rc=0
	curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" || rc=$?
	[ $rc -eq 7 ] && break	# connection refused: free
	port=$((port + 1))
	[ $port -lt $((first_port + 100)) ] || die "no free port"
done
BASE=http://127.0.0.1:$port

# Start the engine's palaver hosts (sockets in $DIR/<engine>-N.sock) and
# one nginx whose upstream takes them all: conf/dev/nginx.conf.in, plus a
# location for the static ceiling.
start() {
	engine=$1
	hosts=1
	[ "$engine" = postgres2 ] && hosts=2
	socks=
	i=1
	while [ $i -le $hosts ]; do
		sock=$DIR/$engine-$i.sock
		c=$DIR/$engine-$i.conf
		case $engine in
		sqlite) conf "$c" "$sock" path "$DB" ;;
		*) conf "$c" "$sock" url "$URL" ;;
		esac
		[ -n "$runas" ] && chown palaver:palaver "$c"
		"$BIN" -c "$c" serve >"$DIR/palaver-$engine-$i.log" 2>&1 &
		pals="$pals $!"
		socks="$socks $sock"
		i=$((i + 1))
	done
	for sock in $socks; do
		i=0
		while [ ! -S "$sock" ]; do
			i=$((i + 1))
			[ $i -le 100 ] || die "palaver ($engine) did not start"
			sleep 0.1
		done
	done
	servers=$(for s in $socks; do printf 'server unix:%s\\1;\\n\\t\\t' "$s"; done)
	sed -e "s|@VAR@|$DIR|g" -e "s|@ROOT@|$ROOT|g" -e "s|@PORT@|$port|g" \
	    -e "s|server unix:@SOCK@\\([^;]*\\);|$servers|" -e "s|@USER@|$userline|" \
	    -e "s|@ACCESS_LOG@|off|" \
	    "$ROOT/conf/dev/nginx.conf.in" |
	awk -v dir="$DIR/static" '
		/^[ \t]*location \/ \{/ && !done {
			print "\t\tlocation /bench-static/ {"
			print "\t\t\talias " dir "/;"
			print "\t\t}"
			print ""
			done = 1
		}
		{ print }' > "$DIR/nginx.conf"
	grep -q bench-static "$DIR/nginx.conf" ||
	    die "could not add the static location to nginx.conf"
	[ -n "$runas" ] && chown -R palaver:palaver "$DIR"
	nginx -c "$DIR/nginx.conf" -p "$DIR" 2>"$DIR/nginx.stderr" &
	ngx=$!
	i=0
	until curl -sf -o /dev/null "$BASE/static/palaver.css"; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$ngx" 2>/dev/null; then
			cat "$DIR/nginx.stderr" "$DIR/nginx-error.log" >&2 2>/dev/null
			die "nginx did not start on port $port"
		fi
		sleep 0.1
	done
	# Ours that answered, not something that took the port meanwhile.
	sleep 0.3
	kill -0 "$ngx" 2>/dev/null || {
		cat "$DIR/nginx.stderr" >&2
		die "nginx could not take port $port (taken by another program?)"
	}
}

# --- measuring --------------------------------------------------------------

status_of() {
	curl -s -o "$2" -w '%{http_code}' "$1" || echo 000
}

# The pages are right before they are measured: as many comments as the
# first page holds; the static copy is made from the first engine's page.
check() {
	engine=$1
	for n in $SIZES; do
		eval "a=\$ART_$n"
		code=$(status_of "$BASE/articles/$a" "$DIR/$engine-t$n.html")
		[ "$code" = 200 ] || die "$engine: GET /articles/$a answered $code"
		got=$(grep -o '<li class="comment' "$DIR/$engine-t$n.html" | wc -l)
		want=$n
		[ "$want" -gt $((PAGE_SIZE * 2)) ] && want=$((PAGE_SIZE * 2))
		[ "$got" -eq "$want" ] ||
		    die "$engine: the $n-comment thread's first page shows $got comments, not $want"
		if [ ! -f "$DIR/static/t$n.html" ]; then
			cp "$DIR/$engine-t$n.html" "$DIR/static/t$n.html"
			eval "BYTES_$n=$(wc -c < "$DIR/static/t$n.html")"
			code=$(status_of "$BASE/bench-static/t$n.html" "$DIR/check.html")
			[ "$code" = 200 ] && cmp -s "$DIR/check.html" \
			    "$DIR/static/t$n.html" ||
			    die "nginx does not serve the static copy (status $code)"
		fi
		code=$(status_of "$BASE/api/comments?uri=/bench/t$n" "$DIR/api-$engine-$n.json")
		eval "API_${engine}_$n=$code"
	done
}

# Other work on the machine skews every number: say how busy it was just
# before we started (one second of /proc/stat).
cpu_sample() {
	awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i;
	    print t, $5 + $6 }' /proc/stat
}
s0=$(cpu_sample)
sleep 1
s1=$(cpu_sample)
BUSY=$(echo "$s0 $s1" | awk '{ d = $3 - $1;
    printf "%.0f", (d > 0 ? 100 * (d - ($4 - $2)) / d : 0) }')
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

# Run wrk, keep its output in $DIR/wrk/NAME.
bench() {
	name=$1
	shift
	echo "bench: $name"
	$WRK "$@" > "$DIR/wrk/$name" 2>&1 || {
		cat "$DIR/wrk/$name" >&2
		die "wrk failed for $name"
	}
}

# Print "rps p50 p99 requests bad sockerr" from wrk --latency output,
# latencies in ms: bad counts 4xx/5xx answers (palaver or nginx failing),
# sockerr wrk's socket errors (mostly timeouts: slowness, not failure).
parse() {
	awk '
	function ms(v) {
		if (v ~ /us$/) return v / 1000
		if (v ~ /ms$/) return v + 0
		if (v ~ /m$/)  return v * 60000
		if (v ~ /s$/)  return v * 1000
		return v + 0
	}
	/Latency Distribution/	{ dist = 1; next }
	dist && $1 == "50%"	{ p50 = ms($2) }
	dist && $1 == "99%"	{ p99 = ms($2); dist = 0 }
	/requests in/		{ reqs = $1 }
	/Non-2xx or 3xx/	{ bad += $NF }
	/Socket errors/		{ gsub(/,/, ""); sock += $4 + $6 + $8 + $10 }
	/^Requests\/sec:/	{ rps = $2 }
	END { printf "%.1f %.2f %.2f %d %d %d\n", rps, p50, p99, reqs, bad,
	    sock }
	' "$DIR/wrk/$1"
}

FAIL=
NOTES=
fail() {
	echo "bench: FAILED: $*" >&2
	FAIL="$FAIL
FAILED: $*"
}

# Posting: every acknowledged (303) post must be in the database, once.
post() {
	engine=$1
	before=$(db_value "$engine" \
	    "SELECT count(*) FROM comments WHERE article = $ART_POST")
	mkdir -p "$DIR/wrk/$engine"
	echo "bench: post-$engine"
	$WRK -s "$BENCH/post.lua" "$BASE/articles/$ART_POST/comments" -- \
	    "$DIR/wrk/$engine" "$engine" > "$DIR/wrk/post-$engine" 2>&1 || {
		cat "$DIR/wrk/post-$engine" >&2
		die "wrk failed for the posting run ($engine)"
	}
	# What palaver answered but wrk stopped waiting for may still land:
	# wait until the writers are idle before counting.
	sleep 1
	cat "$DIR/wrk/$engine"/acked-* 2>/dev/null | sort -un > "$DIR/acked.txt"
	f=$DIR/wrk/post-$engine
	acked=$(sed -n 's/^POSTS acked=\([0-9]*\).*/\1/p' "$f")
	refused=$(sed -n 's/^POSTS .*other=\([0-9]*\).*/\1/p' "$f")
	noid=$(sed -n 's/^POSTS .*noid=\([0-9]*\).*/\1/p' "$f")
	acked=${acked:-0}
	refused=${refused:-0}
	noid=${noid:-0}
	ids=$(wc -l < "$DIR/acked.txt")
	indb=$(db_value "$engine" \
	    "SELECT count(*) FROM comments WHERE article = $ART_POST")
	indb=$((indb - before))
	# The acknowledged ids missing from the database (or not approved,
	# or on another article).
	{
		echo "CREATE TEMP TABLE acked (id INTEGER PRIMARY KEY);"
		echo "BEGIN;"
		if [ "$engine" = sqlite ]; then
			sed 's/.*/INSERT OR IGNORE INTO acked VALUES (&);/' "$DIR/acked.txt"
		else
			sed 's/.*/INSERT INTO acked VALUES (&) ON CONFLICT DO NOTHING;/' "$DIR/acked.txt"
		fi
		echo "COMMIT;"
		echo "SELECT count(*) FROM acked WHERE id NOT IN (SELECT id FROM"
		echo "    comments WHERE article = $ART_POST AND status = 'approved'"
		echo "    AND author = 'bench');"
	} > "$DIR/acked.sql"
	if [ "$engine" = sqlite ]; then
		missing=$($runas sqlite3 -bail "$DB" < "$DIR/acked.sql")
	else
		missing=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$PGDIR" \
		    -U postgres -d bench -f "$DIR/acked.sql")
	fi
	eval "ACKED_$engine=$acked REFUSED_$engine=$refused NOID_$engine=$noid"
	eval "IDS_$engine=$ids INDB_$engine=$indb MISSING_$engine=$missing"
}

# A login flood: 100 connections logging in with new names from new
# addresses (each one an Argon2id hash or a 503 from the hash gate) while
# 4 readers read the 100-comment thread (or the first one seeded).  The
# readers' latency is the figure: logins must not hold readers' threads.
flood() {
	engine=$1
	art=${ART_100:-}
	if [ -z "$art" ]; then
		for n in $SIZES; do eval "art=\$ART_$n"; break; done
	fi
	curl -s -D "$DIR/login.head" -o "$DIR/login.html" "$BASE/mod/login" ||
	    die "GET /mod/login failed"
	ck=$(sed -n 's/^[Ss]et-[Cc]ookie: *\([^;]*\).*/\1/p' "$DIR/login.head" | head -1)
	csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$DIR/login.html" | head -1)
	[ -n "$ck" ] && [ -n "$csrf" ] ||
	    die "the login form gave no cookie or token"
	echo "bench: login flood with readers, $engine"
	wrk -t2 -c100 -d"$DURATION" -s "$BENCH/login.lua" "$BASE/mod/login" -- \
	    "$ck" "$csrf" > "$DIR/wrk/logins-$engine" 2>&1 &
	fl=$!
	wrk -t1 -c4 -d"$DURATION" --latency "$BASE/articles/$art" \
	    > "$DIR/wrk/flood-$engine" 2>&1 || {
		cat "$DIR/wrk/flood-$engine" >&2
		die "wrk failed for the reads during the login flood"
	}
	wait $fl || { cat "$DIR/wrk/logins-$engine" >&2; die "wrk failed for the login flood"; }
	eval "LOGINS_$engine=\"$(sed -n 's/^LOGINS //p' "$DIR/wrk/logins-$engine")\""
}

# Peak RSS of every palaver process of the run, in MiB.
rss() {
	kb=0
	for p in $pals; do
		for q in $p $(pgrep -P "$p" || true); do
			v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$q/status" \
			    2>/dev/null || true)
			kb=$((kb + ${v:-0}))
		done
	done
	awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }'
}

first=
for engine in $ENGINES; do
	start "$engine"
	check "$engine"
	for n in $SIZES; do
		eval "a=\$ART_$n"
		[ -z "$first" ] && bench "static-$n" "$BASE/bench-static/t$n.html"
		bench "page-$engine-$n" "$BASE/articles/$a"
		eval "code=\$API_${engine}_$n"
		if [ "$code" = 200 ]; then
			bench "api-$engine-$n" "$BASE/api/comments?uri=/bench/t$n"
		fi
	done
	post "$engine"
	flood "$engine"
	eval "RSS_$engine=$(rss)"
	for p in $pals; do
		kill -0 "$p" 2>/dev/null || fail "palaver ($engine) exited during the benchmark"
	done
	stop_all
	first=$engine
done

# --- the report -------------------------------------------------------------

name_of() {
	case $1 in
	sqlite) echo "SQLite" ;;
	postgres) echo "PostgreSQL" ;;
	postgres2) echo "PG, 2 hosts" ;;
	esac
}

# The source the binary was built from, as far as git knows.
SRCREV=unknown
if rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null); then
	SRCREV=$rev
	git -C "$ROOT" diff --quiet HEAD -- src sql 2>/dev/null ||
	    SRCREV="$rev + uncommitted changes in src/ or sql/"
fi
CPU=$(sed -n 's/^model name[^:]*: *//p' /proc/cpuinfo | head -1)
PGVER=
[ -n "$PGDIR" ] && PGVER=", PostgreSQL $(psql -X -A -t -h "$PGDIR" -U postgres \
    -d bench -c 'SHOW server_version' | cut -d' ' -f1) (synchronous_commit $(psql \
    -X -A -t -h "$PGDIR" -U postgres -d bench -c 'SHOW synchronous_commit'), fsync $(psql \
    -X -A -t -h "$PGDIR" -U postgres -d bench -c 'SHOW fsync'), unix socket)"
{
	echo "palaver benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "machine: $(nproc) CPUs, ${CPU:-unknown CPU}, $(uname -sr)"
	echo "command: $CMD  (each case: $WRK URL)"
	echo "palaver: $BIN (built $(date -u -r "$BIN" "+%Y-%m-%d %H:%M UTC")), source $SRCREV, workers = $WORKERS, threads = $POOL a host, page_size = $PAGE_SIZE"
	echo "         [spam] posts_per_minute = 0, min_submit_seconds = 0; engines: $ENGINES"
	echo "nginx:   $(nginx -v 2>&1 | sed 's/.*: //'), sqlite3 $(sqlite3 --version | cut -d' ' -f1)$PGVER, wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
	echo "load:    ${BUSY}% CPU busy in the second before the first run, load average $LOAD$([ "$BUSY" -ge 10 ] && echo ' (not idle: numbers are noisy)')"
	echo "threads: top-level comments each with one reply; first page = $PAGE_SIZE top-level"
	echo
	printf '%-22s %-12s %8s %10s %8s %8s %9s %9s\n' case engine bytes \
	    'req/s' 'p50 ms' 'p99 ms' 'vs static' 'vs SQLite'
} > "$REPORT"

row() {
	printf '%-22s %-12s %8s %10s %8s %8s %9s %9s\n' "$@" >> "$REPORT"
}
WORST_READ=0
WORST_CASE=
for n in $SIZES; do
	eval "bytes=\$BYTES_$n"
	set -- $(parse "static-$n")
	srps=$1
	row "static $n" nginx "$bytes" "$1" "$2" "$3" "" ""
	for kind in page api; do
		base_rps=
		for engine in $ENGINES; do
			if [ $kind = api ]; then
				eval "code=\$API_${engine}_$n"
				if [ "$code" != 200 ]; then
					row "api $n" "$(name_of "$engine")" "" \
					    "API answers $code" "" "" "" ""
					continue
				fi
				bytes=$(wc -c < "$DIR/api-$engine-$n.json")
			fi
			set -- $(parse "$kind-$engine-$n")
			ratio=
			[ $kind = page ] && ratio=$(awk -v a="$1" -v b="$srps" \
			    'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
			[ -z "$base_rps" ] && base_rps=$1
			vs=$(awk -v a="$1" -v b="$base_rps" \
			    'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
			row "$kind $n" "$(name_of "$engine")" "$bytes" "$1" "$2" \
			    "$3" "$ratio" "$vs"
			eval "RPS_${kind}_${engine}_$n=$1 P99_${kind}_${engine}_$n=$3"
			[ $kind = page ] && eval "RATIO_${engine}_$n=$ratio"
			[ "$4" -gt 0 ] && [ "$5" -lt "$4" ] ||
			    fail "$kind $n ($engine): no successful answers"
			[ "$5" -eq 0 ] || fail "$kind $n ($engine): $5 of $4 answers were errors"
			[ "$6" -eq 0 ] || NOTES="$NOTES
note: $kind $n ($engine): wrk $(grep 'Socket errors' "$DIR/wrk/$kind-$engine-$n" | sed 's/^ *//')"
			# The cost of a read on PostgreSQL, per request,
			# against SQLite's: the worst case over all.
			if [ "$engine" != sqlite ] && [ -n "${RPS_page_sqlite_10:-}" ]; then
				eval "s=\$RPS_${kind}_sqlite_$n"
				c=$(awk -v s="$s" -v p="$1" 'BEGIN { printf "%.2f", (p > 0 ? s / p : 99) }')
				if awk -v c="$c" -v w="$WORST_READ" 'BEGIN { exit !(c > w) }'; then
					WORST_READ=$c
					WORST_CASE="$kind $n, $(name_of "$engine")"
				fi
			fi
		done
	done
done
for engine in $ENGINES; do
	set -- $(parse "post-$engine")
	eval "acked=\$ACKED_$engine"
	pps=$(awk -v a="$acked" -v f="$DIR/wrk/post-$engine" 'BEGIN {
		while ((getline l < f) > 0)
			if (l ~ /requests in/) { split(l, w, " "); t = w[4] }
		sub(/s,?$/, "", t); printf "%.1f", (t > 0 ? a / t : 0) }')
	eval "PPS_$engine=$pps"
	row "post (posts/s)" "$(name_of "$engine")" "" "$pps" "$2" "$3" "" ""
done
for engine in $ENGINES; do
	set -- $(parse "flood-$engine")
	eval "FLOOD_P99_$engine=$3 FLOOD_BAD_$engine=$5"
	row "page in login flood" "$(name_of "$engine")" "" "$1" "$2" "$3" "" ""
done
{
	echo
	for engine in $ENGINES; do
		eval "acked=\$ACKED_$engine refused=\$REFUSED_$engine indb=\$INDB_$engine missing=\$MISSING_$engine rssv=\$RSS_$engine"
		echo "posting, $(name_of "$engine"): $acked acknowledged (303), $refused refused, $indb new rows in the db, $missing acknowledged but missing"
		[ "$refused" -gt 0 ] && sed -n 's/^FIRST-REFUSED /         first refusal: /p' "$DIR/wrk/post-$engine"
		eval "logins=\$LOGINS_$engine"
		echo "login flood, $(name_of "$engine"): 100 connections, a new name and address each; answers by status: $logins"
		echo "peak RSS, $(name_of "$engine"): $rssv MiB (VmHWM summed over palaver's processes)"
	done
	for l in "$DIR"/palaver-*.log; do
		echo "$(basename "$l" .log): $(awk 'NF == 5 && $2 ~ /^[A-Z]+$/ { n[$4]++ }
		    END { for (s in n) printf "%s %d, ", s, n[s] }' "$l" |
		    sed 's/, $//') (answers by status)"
	done
	[ -n "$NOTES" ] && printf '%s\n' "$NOTES" | sed 1d
	echo
	echo "targets:"
} >> "$REPORT"

verdict() {
	if [ "$1" = 1 ]; then echo PASS; else echo MISS; fi
}
case " $ENGINES " in
*" sqlite "*)
	ok=$(awk -v r="${RATIO_sqlite_100:-0}" -v p="${P99_page_sqlite_100:-999}" 'BEGIN { print ((r >= 1/3 && p < 20) ? 1 : 0) }')
	printf '  %-4s 100-comment page >= 1/3 of static (%s) with p99 < 20 ms (%s ms), SQLite\n' \
	    "$(verdict "$ok")" "${RATIO_sqlite_100:-}" "${P99_page_sqlite_100:-}" >> "$REPORT"
	cost=$(awk -v a="${RPS_page_sqlite_100:-0}" -v b="${RPS_page_sqlite_20000:-0}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 99) }')
	ok=$(awk -v c="$cost" 'BEGIN { print (c <= 1.5 ? 1 : 0) }')
	printf '  %-4s 20,000-comment first page within 1.5x the cost of the 100 one (%sx), SQLite\n' \
	    "$(verdict "$ok")" "$cost" >> "$REPORT"
	ok=$(awk -v r="${PPS_sqlite:-0}" -v m="${MISSING_sqlite:-1}" -v n="${NOID_sqlite:-1}" 'BEGIN { print ((r >= 2000 && m == 0 && n == 0) ? 1 : 0) }')
	printf '  %-4s >= 2,000 posts/s (%s), every acknowledged post in the db (%s missing), SQLite\n' \
	    "$(verdict "$ok")" "${PPS_sqlite:-}" "${MISSING_sqlite:-}" >> "$REPORT"
	;;
esac
case " $ENGINES " in
*" sqlite "*" postgres"*)
	ok=$(awk -v c="$WORST_READ" 'BEGIN { print (c <= 1.5 ? 1 : 0) }')
	printf '  %-4s reads on PostgreSQL within 1.5x of SQLite'"'"'s cost a request (worst: %sx, %s)\n' \
	    "$(verdict "$ok")" "$WORST_READ" "$WORST_CASE" >> "$REPORT"
	;;
esac
for engine in postgres postgres2; do
	case " $ENGINES " in *" $engine "*) ;; *) continue ;; esac
	eval "pps=\$PPS_$engine missing=\$MISSING_$engine noid=\$NOID_$engine"
	ok=$(awk -v r="$pps" -v m="$missing" -v n="$noid" 'BEGIN { print ((r >= 1000 && m == 0 && n == 0) ? 1 : 0) }')
	printf '  %-4s >= 1,000 durable posts/s on %s (%s), every acknowledged post in the db (%s missing)\n' \
	    "$(verdict "$ok")" "$(name_of "$engine")" "$pps" "$missing" >> "$REPORT"
done

for engine in $ENGINES; do
	eval "p99=\$FLOOD_P99_$engine"
	ok=$(awk -v p="${p99:-999}" 'BEGIN { print (p < 100 ? 1 : 0) }')
	printf '  %-4s reads during a flood of 100 parallel logins: p99 < 100 ms (%s ms), %s\n' \
	    "$(verdict "$ok")" "$p99" "$(name_of "$engine")" >> "$REPORT"
done

for engine in $ENGINES; do
	eval "bad=\$FLOOD_BAD_$engine logins=\$LOGINS_$engine"
	[ "${bad:-1}" -eq 0 ] || fail "reads during the login flood ($engine): $bad errors"
	case "$logins" in
	*" 500="[1-9]*|*" 502="[1-9]*|*" 504="[1-9]*) fail "login flood ($engine): $logins";;
	esac
	eval "acked=\$ACKED_$engine missing=\$MISSING_$engine noid=\$NOID_$engine ids=\$IDS_$engine indb=\$INDB_$engine"
	[ "$acked" -gt 0 ] || fail "posting ($engine): no post was acknowledged"
	[ "$missing" -eq 0 ] || fail "posting ($engine): $missing acknowledged posts are not in the database"
	[ "$noid" -eq 0 ] || fail "posting ($engine): $noid 303s without posted=ID in Location"
	[ "$ids" -eq "$acked" ] || fail "posting ($engine): $acked acknowledged but $ids distinct ids"
	[ "$indb" -ge "$acked" ] || fail "posting ($engine): $acked acknowledged but only $indb new rows"
done
[ -n "$FAIL" ] && printf '%s\n' "$FAIL" >> "$REPORT"

echo
cat "$REPORT"
cp "$REPORT" "$BENCH/last.txt"
[ -z "$FAIL" ]
