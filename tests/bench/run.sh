#!/bin/sh
# run.sh: `make bench`: wrk through nginx against the release build of
# palaver, with a temporary database seeded with threads of 10, 100, 1,000
# and 20,000 comments.  For each size, the first page of the thread as
# HTML and the same through the JSON API, each
#   - through the recommended configuration, conf/dev/nginx.conf.in as it
#     is (nginx's microcache keeps each public read for up to a second),
#   - through the same configuration with the microcache off (its
#     fastcgi_cache line removed, as README says): palaver's page cache,
#   - rendered for every request: a reader with an author cookie (the
#     page) or author tokens (the API), whom both caches pass by,
# beside the same bytes served by nginx as a static file (the ceiling for
# anything behind it here) ("read").  Then reads of a page during a flood
# of 100 parallel moderator logins ("login"), and while readers vote, each
# vote from a new address (votes must leave the page cache alone)
# ("vote").  Then posting ("post"), into a new thread and into the
# 20,000-comment one, by this palaver and by the one built from
# BENCH_BEFORE in the temporary directory, each on a database of its own,
# taking turns; every acknowledged post is then looked up in the database,
# and for each run the report gives p50, p99 and max latency, the
# machine's load just before it, palaver's CPU a post by thread (request,
# writer, checkpoint, feedback, from /proc) and nginx's, and where a
# post's time goes (palaver's log with PALAVER_STAGES=1).  Then the
# engines side by side ("engines"): the same seeded threads on SQLite and,
# moved there with palaver migrate --to, on PostgreSQL (a throwaway cluster
# from tests/pg.sh), with one palaver host and with two behind one nginx
# upstream; for each, every thread's page and API reads without the
# microcache (palaver's page cache, and rendered for every request, where
# the engine is read each time) and durable posting, every acknowledged
# post looked up in that engine's database.  Prints
# requests/s, p50 and p99 latency, the ratios to static, the share of
# requests that reached palaver, palaver's peak RSS and the targets, and
# writes the same to tests/bench/last.txt.
#
# Exit status: 0 when palaver worked, even if a target is missed (this is a
# measurement); 1 when it failed (no 200s, a post acknowledged but not in
# the database, a wrong page, a crash).
#
# Environment: BENCH_DURATION (wrk -d, default 10s), BENCH_CONNS (32),
# BENCH_THREADS (wrk -t, 2), BENCH_WORKERS / BENCH_POOL ([server] workers /
# threads, default: conf/palaver.conf's), BENCH_PORT (first port tried),
# BENCH_SIZES (thread sizes), BENCH_CASES ("read login vote post
# engines", the default: which parts to run), BENCH_ENGINES (for
# "engines": "sqlite postgres postgres2", the default; postgres2 is two
# hosts), BENCH_BEFORE (the git revision to compare
# posting with, default below; empty: none), BENCH_ROUNDS (posting runs of
# each case and build, 1; the report gives their medians), BENCH_KEEP
# (keep the temporary directory).
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH=$ROOT/tests/bench
BIN=$ROOT/build/palaver
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNS:-32}
WTHREADS=${BENCH_THREADS:-2}
SIZES=${BENCH_SIZES:-"10 100 1000 20000"}
CASES=${BENCH_CASES:-"read login vote post engines"}
ENGINES=${BENCH_ENGINES:-"sqlite postgres postgres2"}
# The palaver posting is compared with: main as issue 18 began (b81fa4e)
# plus the stage timing of PALAVER_STAGES, which changes nothing else, so
# that both builds say where a post's time goes.
BEFORE=${BENCH_BEFORE-39e16f4}
ROUNDS=${BENCH_ROUNDS:-1}
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
for t in wrk nginx sqlite3 curl awk; do
	command -v $t >/dev/null 2>&1 || die "$t is not installed (apt-get install -y $t)"
done

DIR=$(mktemp -d /tmp/palaver-bench.XXXXXX)
chmod 755 "$DIR"
mkdir -p "$DIR/nginx-tmp" "$DIR/static" "$DIR/wrk"
SOCK=$DIR/palaver.sock
REPORT=$DIR/report.txt
PGDIR=

pal=
ngx=
epals=
cleanup() {
	rc=$?
	trap - EXIT INT TERM
	for n in $ngx; do
		if kill -0 "$n" 2>/dev/null; then
			kill -TERM "$n" 2>/dev/null || true
			wait "$n" 2>/dev/null || true
		fi
	done
	for p in $pal $epals; do
		if kill -0 "$p" 2>/dev/null; then
			kill -TERM "$p" 2>/dev/null || true
			wait "$p" 2>/dev/null || true
		fi
	done
	if [ $rc -ne 0 ]; then
		for l in "$DIR/palaver.log" "$DIR"/eng/palaver-*.log; do
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

has_case() {
	case " $CASES " in *" $1 "*) return 0 ;; esac
	return 1
}
for c in $CASES; do
	case $c in
	read|login|vote|post|engines) ;;
	*) die "BENCH_CASES: no case '$c' (read, login, vote, post, engines)" ;;
	esac
done
if has_case engines; then
	for e in $ENGINES; do
		case $e in
		sqlite|postgres|postgres2) ;;
		*) die "BENCH_ENGINES: no engine '$e' (sqlite, postgres, postgres2)" ;;
		esac
	done
	case " $ENGINES " in
	*" postgres"*)
		command -v psql >/dev/null 2>&1 ||
		    die "psql is not installed (sh conf/dev/deps.sh test)" ;;
	esac
fi
# The login flood and the votes read a seeded thread too.
READS=
if has_case read || has_case login || has_case vote; then
	READS=1
fi

# The palaver built from BENCH_BEFORE: its source from git (git archive
# reads the repository and writes only the temporary directory), its own
# Makefile.  A revision that cannot be built is a note, not a failure.
BIN_BEFORE=
BEFORE_REV=
if has_case post && [ -n "$BEFORE" ]; then
	if BEFORE_REV=$(git -C "$ROOT" rev-parse --short "$BEFORE^{commit}" \
	    2>/dev/null); then
		echo "bench: building palaver $BEFORE_REV (BENCH_BEFORE) to compare..."
		mkdir -p "$DIR/before-src"
		if git -C "$ROOT" archive "$BEFORE_REV" |
		    tar -x -C "$DIR/before-src" &&
		    make -C "$DIR/before-src" -j"$(nproc)" build/palaver \
		    >"$DIR/before-build.log" 2>&1; then
			BIN_BEFORE=$DIR/before-src/build/palaver
		else
			tail -5 "$DIR/before-build.log" >&2
			echo "bench: cannot build $BEFORE_REV: no comparison" >&2
		fi
	else
		echo "bench: BENCH_BEFORE=$BEFORE is no commit here: no comparison" >&2
	fi
fi

article_add() {
	id=$($runas "$1" -c "$2" article add --uri "$3" --title "$4" \
	    2>"$DIR/article.log") || { cat "$DIR/article.log" >&2;
	    die "palaver article add $3 failed"; }
	id=$(printf '%s\n' "$id" | grep -o '[0-9][0-9]*' | head -1)
	[ -n "$id" ] || die "palaver article add $3 printed no id"
	echo "$id"
}

# A database, its configuration and its threads for one build of palaver:
# make_db LABEL BIN SIZES SRC.  The configuration is that build's own
# conf/palaver.conf (its defaults), except the paths and the two spam rules
# that would refuse a benchmark's posts (one address, posting at once).
# Sets CONF_LABEL, DB_LABEL, ART_LABEL_N for each size and ART_LABEL_post.
make_db() {
	label=$1 bin=$2 sizes=$3 src=$4
	d=$DIR/$label
	mkdir -p "$d"
	conf=$d/palaver.conf
	sed -e "s|^path = .*|path = $d/palaver.db|" \
	    -e "s|^socket = .*|socket = $SOCK|" \
	    -e "s|^posts_per_minute = .*|posts_per_minute = 0|" \
	    -e "s|^min_submit_seconds = .*|min_submit_seconds = 0|" \
	    "$src/conf/palaver.conf" > "$conf"
	[ -n "${BENCH_WORKERS:-}" ] &&
	    sed -i "s|^workers = .*|workers = $BENCH_WORKERS|" "$conf"
	[ -n "${BENCH_POOL:-}" ] &&
	    sed -i "s|^threads = .*|threads = $BENCH_POOL|" "$conf"
	[ -n "$runas" ] && sed -i "s|^user =.*|user = palaver|" "$conf"
	[ -n "$runas" ] && chown -R palaver:palaver "$DIR"
	eval "CONF_$label=\$conf DB_$label=\$d/palaver.db"
	$runas "$bin" -c "$conf" init >"$d/init.log" 2>&1 ||
	    { cat "$d/init.log" >&2; die "palaver init ($label) failed"; }
	now=$(date +%s)
	next=1
	for n in $sizes; do
		a=$(article_add "$bin" "$conf" "/bench/t$n" \
		    "A thread of $n comments")
		eval "ART_${label}_$n=$a"
		awk -v article="$a" -v n="$n" -v first="$next" -v now="$now" \
		    -f "$BENCH/seed.awk" > "$d/seed-$n.sql"
		$runas sqlite3 -bail "$d/palaver.db" < "$d/seed-$n.sql" ||
		    die "seeding the $n-comment thread ($label) failed"
		rm -f "$d/seed-$n.sql"
		next=$((next + n))
	done
	a=$(article_add "$bin" "$conf" "/bench/post" "Posting here")
	eval "ART_${label}_post=$a"
}

# Posting also goes into a thread of 20,000 comments.
NOW_SIZES=
[ -n "$READS" ] && NOW_SIZES=$SIZES
if has_case post; then
	case " $NOW_SIZES " in *" 20000 "*) ;; *) NOW_SIZES="$NOW_SIZES 20000" ;; esac
fi
echo "bench: seeding threads of$(printf ' %s' $NOW_SIZES) comments..."
make_db now "$BIN" "$NOW_SIZES" "$ROOT"
if [ -n "$BIN_BEFORE" ]; then
	echo "bench: seeding the same for $BEFORE_REV..."
	make_db before "$BIN_BEFORE" 20000 "$DIR/before-src"
fi
CONF=$CONF_now
DB=$DB_now
conf_get() {
	sed -n "s|^$1 = *||p" "$CONF" | head -1
}
WORKERS=$(conf_get workers)
POOL=$(conf_get threads)
PAGE_SIZE=$(conf_get page_size)
ART_POST=$ART_now_post
if [ -n "$READS" ]; then
	for n in $SIZES; do eval "ART_$n=\$ART_now_$n"; done
fi

# --- palaver and nginx ------------------------------------------------------

# start_palaver BIN CONF LOG [stages]: serve; with "stages", each
# request's stages in its log line (PALAVER_STAGES; a build without them
# ignores it).  The reads are measured without: a mark costs little, but
# nothing.
start_palaver() {
	rm -f "$SOCK"
	if [ "${4:-}" = stages ]; then
		PALAVER_STAGES=1 "$1" -c "$2" serve >"$3" 2>&1 &
	else
		"$1" -c "$2" serve >"$3" 2>&1 &
	fi
	pal=$!
	i=0
	while [ ! -S "$SOCK" ]; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$pal" 2>/dev/null; then
			die "palaver did not start"
		fi
		sleep 0.1
	done
}

stop_palaver() {
	kill -TERM "$pal" 2>/dev/null || true
	wait "$pal" 2>/dev/null || true
	pal=
}

start_palaver "$BIN" "$CONF" "$DIR/palaver.log"

free_port() {
	p=$1
	while :; do
		rc=0
		curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/" || rc=$?
		[ $rc -eq 7 ] && break	# connection refused: free
		p=$((p + 1))
		[ $p -lt $((${BENCH_PORT:-18080} + 100)) ] || die "no free port"
	done
	echo "$p"
}

# conf/dev/nginx.conf.in for nginx in directory $1 on port $2, plus a
# location for the static ceiling; $3 = nomc: without the microcache (its
# fastcgi_cache line removed, as README says to turn it off).
nginx_conf() {
	sed -e "s|@VAR@|$1|g" -e "s|@ROOT@|$ROOT|g" -e "s|@PORT@|$2|g" \
	    -e "s|@SOCK@|$SOCK|g" -e "s|@USER@|$userline|" \
	    -e "s|@ACCESS_LOG@|off|" \
	    "$ROOT/conf/dev/nginx.conf.in" |
	awk -v dir="$DIR/static" -v nomc="${3:-}" '
		/^[ \t]*location \/ \{/ && !done {
			print "\t\tlocation /bench-static/ {"
			print "\t\t\talias " dir "/;"
			print "\t\t}"
			print ""
			done = 1
		}
		nomc != "" && /^[ \t]*fastcgi_cache palaver_cache;/ { cut = 1; next }
		{ print }
		END { if (nomc != "" && !cut) exit 1 }' > "$1/nginx.conf" ||
	    die "could not turn the microcache off in nginx.conf"
	grep -q bench-static "$1/nginx.conf" ||
	    die "could not add the static location to nginx.conf"
}

# Start nginx in directory $1; it answers on $2.
nginx_start() {
	[ -n "$runas" ] && chown -R palaver:palaver "$1"
	nginx -c "$1/nginx.conf" -p "$1" 2>"$1/nginx.stderr" &
	ngx="$ngx $!"
	NGX_LAST=$!
	i=0
	until curl -sf -o /dev/null "$2/static/palaver.css"; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 $! 2>/dev/null; then
			cat "$1/nginx.stderr" "$1/nginx-error.log" >&2 2>/dev/null
			die "nginx did not start for $2"
		fi
		sleep 0.1
	done
}

# The recommended configuration, and the same without the microcache.
port=$(free_port "${BENCH_PORT:-18080}")
BASE=http://127.0.0.1:$port
nginx_conf "$DIR" "$port"
nginx_start "$DIR" "$BASE"
NGX_MAIN=$NGX_LAST	# the one posting goes through
NOMC_DIR=$DIR/nomc
mkdir -p "$NOMC_DIR/nginx-tmp"
port2=$(free_port $((port + 1)))
NOMC=http://127.0.0.1:$port2
nginx_conf "$NOMC_DIR" "$port2" nomc
nginx_start "$NOMC_DIR" "$NOMC"

# --- checks before measuring -----------------------------------------------

status_of() {
	if [ -n "${3:-}" ]; then
		curl -s -o "$2" -w '%{http_code}' -H "$3" "$1" || echo 000
	else
		curl -s -o "$2" -w '%{http_code}' "$1" || echo 000
	fi
}

# The same answer, but for the form token each reader is given.
same_but_token() {
	sed -e 's/name="ts" value="[^"]*"/name="ts" value=""/g' \
	    -e 's/"form_token":"[^"]*"/"form_token":""/g' "$1" > "$DIR/a.cmp"
	sed -e 's/name="ts" value="[^"]*"/name="ts" value=""/g' \
	    -e 's/"form_token":"[^"]*"/"form_token":""/g' "$2" > "$DIR/b.cmp"
	cmp -s "$DIR/a.cmp" "$DIR/b.cmp"
}

# What reaches palaver: a reader whom both caches pass by.
AUTHOR='Cookie: palaver_author=bench'
TOKEN='X-Palaver-Token: bench'

if has_case read; then
	for n in $SIZES; do
		eval "a=\$ART_$n"
		code=$(status_of "$BASE/articles/$a" "$DIR/static/t$n.html")
		[ "$code" = 200 ] || die "GET /articles/$a answered $code"
		got=$(grep -o '<li class="comment' "$DIR/static/t$n.html" | wc -l)
		want=$n
		[ "$want" -gt $((PAGE_SIZE * 2)) ] && want=$((PAGE_SIZE * 2))
		[ "$got" -eq "$want" ] ||
		    die "the $n-comment thread's first page shows $got comments, not $want"
		eval "BYTES_$n=$(wc -c < "$DIR/static/t$n.html")"
		code=$(status_of "$BASE/bench-static/t$n.html" "$DIR/check.html")
		[ "$code" = 200 ] && cmp -s "$DIR/check.html" "$DIR/static/t$n.html" ||
		    die "nginx does not serve the static copy (status $code)"
		# Each path gives the same page.
		code=$(status_of "$NOMC/articles/$a" "$DIR/check.html")
		[ "$code" = 200 ] && same_but_token "$DIR/check.html" "$DIR/static/t$n.html" ||
		    die "without the microcache, /articles/$a differs (status $code)"
		code=$(status_of "$NOMC/articles/$a" "$DIR/check.html" "$AUTHOR")
		[ "$code" = 200 ] && same_but_token "$DIR/check.html" "$DIR/static/t$n.html" ||
		    die "rendered for an author, /articles/$a differs (status $code)"
		code=$(status_of "$BASE/api/comments?uri=/bench/t$n" "$DIR/static/api-$n.json")
		eval "API_$n=$code"
		[ "$code" = 200 ] || continue
		eval "ABYTES_$n=$(wc -c < "$DIR/static/api-$n.json")"
		code=$(status_of "$NOMC/api/comments?uri=/bench/t$n" "$DIR/check.json")
		[ "$code" = 200 ] && same_but_token "$DIR/check.json" "$DIR/static/api-$n.json" ||
		    die "without the microcache, the API's /bench/t$n differs (status $code)"
		code=$(status_of "$NOMC/api/comments?uri=/bench/t$n" "$DIR/check.json" "$TOKEN")
		[ "$code" = 200 ] && same_but_token "$DIR/check.json" "$DIR/static/api-$n.json" ||
		    die "rendered for author tokens, the API's /bench/t$n differs (status $code)"
	done
fi
# The two configurations are what they say: one keeps pages, one not.
curl -s -o /dev/null "$BASE/articles/$ART_POST"
curl -s -D "$DIR/h1" -o /dev/null "$BASE/articles/$ART_POST"
grep -qi '^X-Cache-Status: *\(HIT\|STALE\|UPDATING\)' "$DIR/h1" ||
    die "the microcache kept no copy of /articles/$ART_POST"
curl -s -D "$DIR/h2" -o /dev/null "$NOMC/articles/$ART_POST"
grep -qi '^X-Cache-Status: *.' "$DIR/h2" &&
    die "the configuration without the microcache still has one"

# --- measuring --------------------------------------------------------------

# Other work on the machine skews every number: say how busy it was just
# before a run (one second of /proc/stat) and its load average.
cpu_sample() {
	awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i;
	    print t, $5 + $6 }' /proc/stat
}
busy() {
	s0=$(cpu_sample)
	sleep 1
	s1=$(cpu_sample)
	echo "$s0 $s1" | awk '{ d = $3 - $1;
	    printf "%.0f", (d > 0 ? 100 * (d - ($4 - $2)) / d : 0) }'
}
BUSY=$(busy)
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

# Requests palaver has answered so far (its log: one line each).
answered() {
	grep -c '^palaver\[[0-9]*\]: [A-Z]* /' "$DIR/palaver.log" || true
}

# Run wrk, keep its output in $DIR/wrk/NAME, and in NAME.pal how many of
# the requests reached palaver.
bench() {
	name=$1
	shift
	echo "bench: $name"
	before=$(answered)
	$WRK "$@" > "$DIR/wrk/$name" 2>&1 || {
		cat "$DIR/wrk/$name" >&2
		die "wrk failed for $name"
	}
	sleep 0.2	# palaver logs a request after answering it
	echo $(($(answered) - before)) > "$DIR/wrk/$name.pal"
}

# Print "rps p50 p99 requests bad sockerr max" from wrk --latency output,
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
	$1 == "Latency" && $2 != "Distribution"	{ max = ms($4) }
	/Latency Distribution/	{ dist = 1; next }
	dist && $1 == "50%"	{ p50 = ms($2) }
	dist && $1 == "99%"	{ p99 = ms($2); dist = 0 }
	/requests in/		{ reqs = $1 }
	/Non-2xx or 3xx/	{ bad += $NF }
	/Socket errors/		{ gsub(/,/, ""); sock += $4 + $6 + $8 + $10 }
	/^Requests\/sec:/	{ rps = $2 }
	END { printf "%.1f %.2f %.2f %d %d %d %.2f\n", rps, p50, p99, reqs,
	    bad, sock, max }
	' "$DIR/wrk/$1"
}

FAIL=
NOTES=
fail() {
	echo "bench: FAILED: $*" >&2
	FAIL="$FAIL
FAILED: $*"
}

# Each page and API read: as the recommended configuration serves
# anonymous readers (the microcache), without the microcache (palaver's
# page cache), and rendered for every request (a reader with an author
# cookie or tokens, whom both caches pass by).
if has_case read; then
	for n in $SIZES; do
		eval "a=\$ART_$n"
		bench "static-$n" "$BASE/bench-static/t$n.html"
		bench "page-$n" "$BASE/articles/$a"
		bench "page-nomc-$n" "$NOMC/articles/$a"
		bench "page-render-$n" -H "$AUTHOR" "$BASE/articles/$a"
		eval "code=\$API_$n"
		if [ "$code" = 200 ]; then
			bench "static-api-$n" "$BASE/bench-static/api-$n.json"
			bench "api-$n" "$BASE/api/comments?uri=/bench/t$n"
			bench "api-nomc-$n" "$NOMC/api/comments?uri=/bench/t$n"
			bench "api-render-$n" -H "$TOKEN" "$BASE/api/comments?uri=/bench/t$n"
		fi
	done
fi
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# The login flood and the votes: 4 readers read the 100-comment thread (or
# the first one seeded) without the microcache, which would answer them
# itself: palaver's page cache.
ART_READ=${ART_100:-}
if [ -z "$ART_READ" ] && [ -n "$READS" ]; then
	for n in $SIZES; do eval "ART_READ=\$ART_$n"; break; done
fi

# A login flood: 100 connections logging in with new names from new
# addresses (each one an Argon2id hash or a 503 from the hash gate) while
# the 4 readers read.  The readers' latency is the figure: logins must not
# hold readers' threads.
LOGINS=
if has_case login; then
	curl -s -D "$DIR/login.head" -o "$DIR/login.html" "$BASE/mod/login" ||
	    die "GET /mod/login failed"
	LOGIN_CK=$(sed -n 's/^[Ss]et-[Cc]ookie: *\([^;]*\).*/\1/p' "$DIR/login.head" | head -1)
	LOGIN_CSRF=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$DIR/login.html" | head -1)
	[ -n "$LOGIN_CK" ] && [ -n "$LOGIN_CSRF" ] ||
	    die "the login form gave no cookie or token"
	echo "bench: login flood with readers"
	wrk -t2 -c100 -d"$DURATION" -s "$BENCH/login.lua" "$BASE/mod/login" -- \
	    "$LOGIN_CK" "$LOGIN_CSRF" > "$DIR/wrk/logins" 2>&1 &
	flood=$!
	wrk -t1 -c4 -d"$DURATION" --latency "$NOMC/articles/$ART_READ" \
	    > "$DIR/wrk/flood-reads" 2>&1 || {
		cat "$DIR/wrk/flood-reads" >&2
		die "wrk failed for the reads during the login flood"
	}
	wait $flood || { cat "$DIR/wrk/logins" >&2; die "wrk failed for the login flood"; }
	LOGINS=$(sed -n 's/^LOGINS //p' "$DIR/wrk/logins")
fi

# Reads while readers vote (when this palaver takes votes): the 4 readers
# read while 4 connections vote as fast as palaver takes them, each vote
# from a new address, on the thread's top-level comments.  Votes must not
# empty the page cache: the figure is the readers' rate and latency.
VOTES=
if has_case vote; then
	VOTE_IDS=$($runas sqlite3 "$DB" "SELECT group_concat(id, ' ') FROM (SELECT
	    id FROM comments WHERE article = $ART_READ AND parent IS NULL LIMIT 20)")
	code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
	    -d '{"vote": 0}' "$BASE/api/comments/${VOTE_IDS%% *}/vote" || echo 000)
	if [ "$code" = 200 ]; then
		echo "bench: reads while votes arrive"
		# shellcheck disable=SC2086
		wrk -t1 -c4 -d"$DURATION" -s "$BENCH/vote.lua" "$BASE/api/comments/" \
		    -- $VOTE_IDS > "$DIR/wrk/votes" 2>&1 &
		vflood=$!
		wrk -t1 -c4 -d"$DURATION" --latency "$NOMC/articles/$ART_READ" \
		    > "$DIR/wrk/vote-reads" 2>&1 || {
			cat "$DIR/wrk/vote-reads" >&2
			die "wrk failed for the reads while votes arrive"
		}
		wait $vflood || { cat "$DIR/wrk/votes" >&2; die "wrk failed for the votes"; }
		VOTES=$(sed -n 's/^VOTES //p' "$DIR/wrk/votes")
	else
		NOTES="$NOTES
note: votes: not measured (a vote through the API answered $code)"
	fi
fi

# Peak RSS of the supervisor and its workers, after the reads (posting
# runs a palaver of its own each time).
rss_kb=0
for p in $pal $(pgrep -P "$pal" || true); do
	kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$p/status" 2>/dev/null || true)
	rss_kb=$((rss_kb + ${kb:-0}))
done
RSS=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
NPROC_PAL=$(( $(pgrep -P "$pal" | wc -l) + 1 ))
kill -0 "$pal" 2>/dev/null || fail "palaver exited during the benchmark"
stop_palaver

# The source the binary was built from, as far as git knows.
SRCREV=unknown
if rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null); then
	SRCREV=$rev
	git -C "$ROOT" diff --quiet HEAD -- src sql 2>/dev/null ||
	    SRCREV="$rev + uncommitted changes in src/ or sql/"
fi

# CPU time (user and system, in clock ticks) of the processes given.
cpu_ticks() {
	t=0
	for p in "$@"; do
		v=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || true)
		t=$((t + ${v:-0}))
	done
	echo "$t"
}
# The same by thread name (request, writer, checkpoint, feedback: palaver
# names them) over palaver's processes: "name ticks" lines.
cpu_threads() {
	for p in $pal $(pgrep -P "$pal" || true); do
		cat /proc/"$p"/task/*/stat 2>/dev/null
	done | awk '{
		i = index($0, "("); j = index($0, ") ")
		name = substr($0, i + 1, j - i - 1)
		split(substr($0, j + 2), f, " ")
		t[name] += f[12] + f[13]
	} END { for (n in t) print n, t[n] }'
}
HZ=$(getconf CLK_TCK)
per_post() {
	awk -v t="$1" -v n="$2" -v hz="$HZ" 'BEGIN {
	    printf "%.0f", (n > 0 ? t * 1000000 / hz / n : 0) }'
}

# Posting: post_run NAME LABEL THREAD (new or 20000), with LABEL's palaver
# serving its own database, through the recommended configuration (POSTs
# pass the microcache by).  Every acknowledged (303) post must be in it.
# Appends "case label rps p50 p99 max busy load1" to $DIR/posting.
# What a posting run must show, whatever the engine: posts acknowledged,
# each in the database under the id its 303 named.  The caller's $name,
# $acked, $missing, $noid, $ids and $indb.
posts_check() {
	[ "$acked" -gt 0 ] || fail "$name: no post was acknowledged"
	[ "$missing" -eq 0 ] ||
	    fail "$name: $missing acknowledged posts are not in the database"
	[ "$noid" -eq 0 ] ||
	    fail "$name: $noid 303s without posted=ID in Location"
	[ "$ids" -eq "$acked" ] ||
	    fail "$name: $acked acknowledged but $ids distinct ids"
	[ "$indb" -ge "$acked" ] ||
	    fail "$name: $acked acknowledged but only $indb new rows"
}

post_run() {
	name=$1 label=$2 thread=$3
	eval "db=\$DB_$label conf=\$CONF_$label"
	if [ "$thread" = new ]; then
		eval "art=\$ART_${label}_post"
	else
		eval "art=\$ART_${label}_$thread"
	fi
	if [ "$label" = now ]; then bin=$BIN; else bin=$BIN_BEFORE; fi
	start_palaver "$bin" "$conf" "$DIR/$name.log" stages
	pbusy=$(busy)
	pload=$(cut -d' ' -f1 /proc/loadavg)
	before=$($runas sqlite3 "$db" \
	    "SELECT count(*) FROM comments WHERE article = $art")
	mkdir -p "$DIR/wrk/$name.acked"
	[ -n "$runas" ] && chown -R palaver:palaver "$DIR/wrk"
	echo "bench: $name"
	pcpu0=$(cpu_ticks $pal $(pgrep -P "$pal" || true))
	ncpu0=$(cpu_ticks $NGX_MAIN $(pgrep -P "$NGX_MAIN" || true))
	cpu_threads > "$DIR/$name.cpu0"
	$WRK -s "$BENCH/post.lua" "$BASE/articles/$art/comments" -- \
	    "$DIR/wrk/$name.acked" "$name" > "$DIR/wrk/$name" 2>&1 || {
		cat "$DIR/wrk/$name" >&2
		die "wrk failed for $name"
	}
	pcpu=$(( $(cpu_ticks $pal $(pgrep -P "$pal" || true)) - pcpu0 ))
	ncpu=$(( $(cpu_ticks $NGX_MAIN $(pgrep -P "$NGX_MAIN" || true)) - ncpu0 ))
	cpu_threads > "$DIR/$name.cpu1"
	# What palaver answered but wrk stopped waiting for may still land:
	# palaver finishes every request in flight before it stops.
	kill -0 "$pal" 2>/dev/null || fail "$name: palaver exited"
	stop_palaver
	cat "$DIR/wrk/$name.acked"/acked-* 2>/dev/null | sort -un \
	    > "$DIR/$name.acked"
	acked=$(sed -n 's/^POSTS acked=\([0-9]*\).*/\1/p' "$DIR/wrk/$name")
	refused=$(sed -n 's/^POSTS .*other=\([0-9]*\).*/\1/p' "$DIR/wrk/$name")
	noid=$(sed -n 's/^POSTS .*noid=\([0-9]*\).*/\1/p' "$DIR/wrk/$name")
	acked=${acked:-0}
	refused=${refused:-0}
	noid=${noid:-0}
	ids=$(wc -l < "$DIR/$name.acked")
	indb=$($runas sqlite3 "$db" \
	    "SELECT count(*) FROM comments WHERE article = $art")
	indb=$((indb - before))
	# palaver's CPU a post by thread, the busiest first.
	threads=$(awk -v n="$acked" -v hz="$HZ" '
		NR == FNR { t0[$1] = $2; next }
		{ d = $2 - t0[$1]; if (d > 0 && n > 0) printf "%d %s\n",
		    d * 1000000 / hz / n, $1 }' "$DIR/$name.cpu0" \
	    "$DIR/$name.cpu1" | sort -rn | awk '{ printf "%s%s %s", \
	    (NR > 1 ? ", " : ""), $2, $1 }')
	# The acknowledged ids missing from the database (or not approved,
	# or on another article).
	{
		echo "CREATE TEMP TABLE acked (id INTEGER PRIMARY KEY);"
		echo "BEGIN;"
		sed 's/.*/INSERT OR IGNORE INTO acked VALUES (&);/' \
		    "$DIR/$name.acked"
		echo "COMMIT;"
		echo "SELECT count(*) FROM acked WHERE id NOT IN (SELECT id FROM"
		echo "    comments WHERE article = $art AND status = 'approved'"
		echo "    AND author = 'bench');"
	} > "$DIR/$name.sql"
	missing=$($runas sqlite3 -bail "$db" < "$DIR/$name.sql")
	set -- $(parse "$name")
	# Durable posts a second: acknowledged ones over wrk's duration.
	rps=$(awk -v a="$acked" -v f="$DIR/wrk/$name" 'BEGIN {
		while ((getline l < f) > 0)
			if (l ~ /requests in/) { split(l, w, " "); t = w[4] }
		sub(/s,?$/, "", t); printf "%.1f", (t > 0 ? a / t : 0) }')
	echo "$thread $label $rps $2 $3 $7 $pbusy $pload" >> "$DIR/posting"
	TOTAL_MISSING=$((TOTAL_MISSING + missing))
	POST_NOTES="$POST_NOTES
$name: $acked acknowledged (303), $refused refused, $indb new rows, $missing acknowledged but missing
    CPU a post: palaver $(per_post "$pcpu" "$acked") us ($threads), nginx $(per_post "$ncpu" "$acked") us"
	[ "$refused" -gt 0 ] && POST_NOTES="$POST_NOTES
$(sed -n 's/^FIRST-REFUSED /         first refusal: /p' "$DIR/wrk/$name")"
	posts_check
}

TOTAL_MISSING=0
POST_NOTES=
: > "$DIR/posting"
if has_case post; then
	labels=now
	[ -n "$BIN_BEFORE" ] && labels="before now"
	r=1
	while [ $r -le "$ROUNDS" ]; do
		for thread in new 20000; do
			for label in $labels; do
				post_run "post-$thread-$label-$r" "$label" \
				    "$thread"
			done
		done
		r=$((r + 1))
	done
fi

# --- the engines side by side ("engines") ---------------------------------

# The same threads on each engine: seeded into a SQLite database of their
# own, moved to PostgreSQL (a throwaway cluster, tests/pg.sh) by palaver
# migrate --to before anything is posted.  Each engine's hosts have their
# sockets in $DIR/eng and one nginx without the microcache whose upstream
# takes them all; the hosts share the address key (palaver.key beside
# their configurations).
eng_db_value() {
	case $1 in
	sqlite) $runas sqlite3 "$DB_eng" "$2" ;;
	*) psql -X -q -A -t -h "$PGDIR" -U postgres -d bench -c "$2" ;;
	esac
}
name_of() {
	case $1 in
	sqlite) echo "SQLite" ;;
	postgres) echo "PostgreSQL" ;;
	postgres2) echo "PG, 2 hosts" ;;
	esac
}

# eng_start ENGINE: its palaver hosts and its nginx, on port $EPORT.
eng_start() {
	engine=$1
	hosts=1
	[ "$engine" = postgres2 ] && hosts=2
	socks=
	i=1
	while [ $i -le $hosts ]; do
		sock=$DIR/eng/$engine-$i.sock
		c=$DIR/eng/$engine-$i.conf
		sed -e "s|^socket = .*|socket = $sock|" "$CONF_eng" > "$c"
		if [ "$engine" != sqlite ]; then
			# The URL's & and | are sed's: escaped.
			u=$(printf '%s' "$PG_URL" | sed 's/[&|\\]/\\&/g')
			sed -i -e "s|^path = .*|path =|" \
			    -e "s|^;*url =.*|url = $u|" "$c"
			grep -q "^url = " "$c" || die "no url line in $c"
		fi
		[ -n "$runas" ] && chown palaver:palaver "$c"
		"$BIN" -c "$c" serve >"$DIR/eng/palaver-$engine-$i.log" 2>&1 &
		epals="$epals $!"
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
	ed=$DIR/eng/nginx-$engine
	mkdir -p "$ed/nginx-tmp"
	EPORT=$(free_port $((port + 2)))
	EBASE=http://127.0.0.1:$EPORT
	nginx_conf "$ed" "$EPORT" nomc
	servers=$(for s in $socks; do printf 'server unix:%s\\1;\\n\\t\\t' "$s"; done)
	sed -i "s|server unix:$SOCK\\([^;]*\\);|$servers|" "$ed/nginx.conf"
	for s in $socks; do
		grep -q "server unix:$s " "$ed/nginx.conf" ||
		    die "could not put $s in nginx's upstream"
	done
	nginx_start "$ed" "$EBASE"
	ENGX=$NGX_LAST
}

eng_stop() {
	for p in $epals; do
		kill -0 "$p" 2>/dev/null ||
		    fail "palaver ($1) exited during the benchmark"
	done
	kill -TERM "$ENGX" 2>/dev/null || true
	wait "$ENGX" 2>/dev/null || true
	ngx=$(for n in $ngx; do [ "$n" = "$ENGX" ] || printf '%s ' "$n"; done)
	for p in $epals; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in $epals; do
		wait "$p" 2>/dev/null || true
	done
	epals=
}

# The pages are right before they are measured, the same on each engine
# (but for the form token); the static copy is SQLite's (the first
# engine's) page.
eng_check() {
	engine=$1
	for n in $SIZES; do
		eval "a=\$ART_eng_$n"
		f=$DIR/eng/$engine-t$n.html
		code=$(status_of "$EBASE/articles/$a" "$f")
		[ "$code" = 200 ] || die "$engine: GET /articles/$a answered $code"
		got=$(grep -o '<li class="comment' "$f" | wc -l)
		want=$n
		[ "$want" -gt $((PAGE_SIZE * 2)) ] && want=$((PAGE_SIZE * 2))
		[ "$got" -eq "$want" ] ||
		    die "$engine: the $n-comment thread's first page shows $got comments, not $want"
		if [ ! -f "$DIR/static/eng-t$n.html" ]; then
			cp "$f" "$DIR/static/eng-t$n.html"
			eval "EBYTES_$n=$(wc -c < "$f")"
		else
			same_but_token "$f" "$DIR/static/eng-t$n.html" ||
			    die "$engine: the $n-comment thread's page differs from $(name_of "${ENGINES%% *}")'s"
		fi
		code=$(status_of "$EBASE/articles/$a" "$DIR/check.html" "$AUTHOR")
		[ "$code" = 200 ] && same_but_token "$DIR/check.html" "$f" ||
		    die "$engine: rendered for an author, /articles/$a differs (status $code)"
		code=$(status_of "$EBASE/api/comments?uri=/bench/t$n" "$DIR/eng/api-$engine-$n.json")
		eval "EAPI_${engine}_$n=$code"
		[ "$code" = 200 ] || continue
		code=$(status_of "$EBASE/api/comments?uri=/bench/t$n" "$DIR/check.json" "$TOKEN")
		[ "$code" = 200 ] && same_but_token "$DIR/check.json" "$DIR/eng/api-$engine-$n.json" ||
		    die "$engine: rendered for author tokens, the API's /bench/t$n differs (status $code)"
	done
}

# Durable posting into a new thread on ENGINE: every acknowledged (303)
# post must be in that engine's database, once.
eng_post() {
	engine=$1
	name=eng-post-$engine
	art=$ART_eng_post
	before=$(eng_db_value "$engine" \
	    "SELECT count(*) FROM comments WHERE article = $art")
	mkdir -p "$DIR/wrk/$name.acked"
	[ -n "$runas" ] && chown -R palaver:palaver "$DIR/wrk"
	echo "bench: $name"
	$WRK -s "$BENCH/post.lua" "$EBASE/articles/$art/comments" -- \
	    "$DIR/wrk/$name.acked" "$name" > "$DIR/wrk/$name" 2>&1 || {
		cat "$DIR/wrk/$name" >&2
		die "wrk failed for $name"
	}
	# What palaver answered but wrk stopped waiting for may still land:
	# let the writers finish before counting.
	sleep 1
	cat "$DIR/wrk/$name.acked"/acked-* 2>/dev/null | sort -un \
	    > "$DIR/$name.acked"
	acked=$(sed -n 's/^POSTS acked=\([0-9]*\).*/\1/p' "$DIR/wrk/$name")
	refused=$(sed -n 's/^POSTS .*other=\([0-9]*\).*/\1/p' "$DIR/wrk/$name")
	noid=$(sed -n 's/^POSTS .*noid=\([0-9]*\).*/\1/p' "$DIR/wrk/$name")
	acked=${acked:-0}
	refused=${refused:-0}
	noid=${noid:-0}
	ids=$(wc -l < "$DIR/$name.acked")
	indb=$(eng_db_value "$engine" \
	    "SELECT count(*) FROM comments WHERE article = $art")
	indb=$((indb - before))
	{
		echo "CREATE TEMP TABLE acked (id INTEGER PRIMARY KEY);"
		echo "BEGIN;"
		if [ "$engine" = sqlite ]; then
			sed 's/.*/INSERT OR IGNORE INTO acked VALUES (&);/' "$DIR/$name.acked"
		else
			sed 's/.*/INSERT INTO acked VALUES (&) ON CONFLICT DO NOTHING;/' "$DIR/$name.acked"
		fi
		echo "COMMIT;"
		echo "SELECT count(*) FROM acked WHERE id NOT IN (SELECT id FROM"
		echo "    comments WHERE article = $art AND status = 'approved'"
		echo "    AND author = 'bench');"
	} > "$DIR/$name.sql"
	if [ "$engine" = sqlite ]; then
		missing=$($runas sqlite3 -bail "$DB_eng" < "$DIR/$name.sql")
	else
		missing=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$PGDIR" \
		    -U postgres -d bench -f "$DIR/$name.sql")
	fi
	pps=$(awk -v a="$acked" -v f="$DIR/wrk/$name" 'BEGIN {
		while ((getline l < f) > 0)
			if (l ~ /requests in/) { split(l, w, " "); t = w[4] }
		sub(/s,?$/, "", t); printf "%.1f", (t > 0 ? a / t : 0) }')
	eval "EPPS_$engine=$pps EMISSING_$engine=$missing"
	ENG_NOTES="$ENG_NOTES
posting, $(name_of "$engine"): $acked acknowledged (303), $refused refused, $indb new rows in the db, $missing acknowledged but missing"
	[ "$refused" -gt 0 ] && ENG_NOTES="$ENG_NOTES
$(sed -n 's/^FIRST-REFUSED /         first refusal: /p' "$DIR/wrk/$name")"
	posts_check
}

# Peak RSS of the engine's palaver processes, in MiB.
eng_rss() {
	kb=0
	for p in $epals; do
		for q in $p $(pgrep -P "$p" || true); do
			v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$q/status" \
			    2>/dev/null || true)
			kb=$((kb + ${v:-0}))
		done
	done
	awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }'
}

ENG_NOTES=
PGVER=
if has_case engines; then
	mkdir -p "$DIR/eng"
	echo "bench: engines: seeding threads of$(printf ' %s' $SIZES) comments..."
	make_db eng "$BIN" "$SIZES" "$ROOT"
	case " $ENGINES " in
	*" postgres"*)
		echo "bench: engines: a PostgreSQL cluster, and the site moved there..."
		PGDIR=$(sh "$ROOT/tests/pg.sh" start)
		psql -X -q -h "$PGDIR" -U postgres -d postgres \
		    -c "CREATE DATABASE bench OWNER palaver" >/dev/null
		PG_URL="postgresql:///bench?host=$PGDIR&user=palaver"
		$runas "$BIN" -c "$CONF_eng" migrate --to "$PG_URL" \
		    >"$DIR/eng/migrate.log" 2>&1 ||
		    { cat "$DIR/eng/migrate.log" >&2; die "palaver migrate --to failed"; }
		psql -X -q -h "$PGDIR" -U postgres -d bench -c "VACUUM ANALYZE" \
		    >/dev/null
		pgshow() {
			psql -X -A -t -h "$PGDIR" -U postgres -d bench -c "SHOW $1"
		}
		PGVER="PostgreSQL $(pgshow server_version | cut -d' ' -f1) (synchronous_commit $(pgshow synchronous_commit), fsync $(pgshow fsync), unix socket)"
		;;
	esac
	ELOAD=$(cut -d' ' -f1-3 /proc/loadavg)
	first=
	for engine in $ENGINES; do
		eng_start "$engine"
		eng_check "$engine"
		for n in $SIZES; do
			eval "a=\$ART_eng_$n"
			[ -z "$first" ] && bench "eng-static-$n" \
			    "$EBASE/bench-static/eng-t$n.html"
			bench "eng-page-$engine-$n" "$EBASE/articles/$a"
			bench "eng-page-render-$engine-$n" -H "$AUTHOR" "$EBASE/articles/$a"
			eval "code=\$EAPI_${engine}_$n"
			if [ "$code" = 200 ]; then
				bench "eng-api-$engine-$n" "$EBASE/api/comments?uri=/bench/t$n"
				bench "eng-api-render-$engine-$n" -H "$TOKEN" \
				    "$EBASE/api/comments?uri=/bench/t$n"
			fi
		done
		eng_post "$engine"
		eval "ERSS_$engine=$(eng_rss)"
		eng_stop "$engine"
		first=$engine
	done
fi

# --- the report -------------------------------------------------------------

CPU=$(sed -n 's/^model name[^:]*: *//p' /proc/cpuinfo | head -1)
{
	echo "palaver benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "machine: $(nproc) CPUs, ${CPU:-unknown CPU}, $(uname -sr)"
	echo "command: $CMD  (each case: $WRK URL); cases: $CASES"
	echo "palaver: $BIN (built $(date -u -r "$BIN" "+%Y-%m-%d %H:%M UTC")), source $SRCREV, workers = $WORKERS, threads = $POOL, page_size = $PAGE_SIZE"
	echo "         [spam] posts_per_minute = 0, min_submit_seconds = 0"
	echo "nginx:   $(nginx -v 2>&1 | sed 's/.*: //'), sqlite3 $(sqlite3 --version | cut -d' ' -f1), wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
	[ -n "$PGVER" ] && echo "         $PGVER"
	echo "load:    ${BUSY}% CPU busy in the second before the first run, load average $LOAD$([ "$BUSY" -ge 10 ] && echo ' (not idle: numbers are noisy)')$(has_case read && echo "; after the reads: $LOAD_END")"
} > "$REPORT"

if [ -n "$READS" ]; then
	{
		echo "threads: top-level comments each with one reply; first page = $PAGE_SIZE top-level"
		has_case read && {
			echo "cases:   static: nginx serves the same bytes from a file; microcache: conf/dev/nginx.conf.in"
			echo "         as it is, anonymous readers; palaver cache: the same without the microcache;"
			echo "         rendered: a reader with an author cookie (page) or tokens (API), whom both"
			echo "         caches pass by; palaver: the share of requests that reached it"
		}
		(has_case login || has_case vote) &&
		    echo "         page in login flood / while votes: 4 readers, palaver cache, beside 100 logins / 4 voters"
		echo
		printf '%-26s %8s %10s %8s %8s %9s %8s\n' case bytes 'req/s' 'p50 ms' \
		    'p99 ms' 'vs static' palaver
	} >> "$REPORT"
fi

# One line of the table for wrk run $1, labelled $2, of $3 bytes, beside
# static requests/s $4 (empty: no ratio); sets R_RPS, R_P99, R_RATIO.
row() {
	set -- "$@" $(parse "$1")
	R_RPS=$5 R_P99=$7 R_RATIO=
	[ -n "$4" ] && R_RATIO=$(awk -v a="$5" -v b="$4" \
	    'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	share=$(awk -v p="$(cat "$DIR/wrk/$1.pal" 2>/dev/null || echo 0)" \
	    -v n="$8" 'BEGIN { s = n > 0 ? 100 * p / n : 0; if (s > 100) s = 100;
	    printf (s > 0 && s < 0.1 ? "%.3f%%" : "%.0f%%"), s }')
	case $1 in static-*) share= ;; esac
	printf '%-26s %8s %10s %8s %8s %9s %8s\n' "$2" "$3" "$5" "$6" "$7" \
	    "$R_RATIO" "$share" >> "$REPORT"
	[ "$8" -gt 0 ] && [ "$9" -lt "$8" ] || fail "$2: no successful answers"
	[ "$9" -eq 0 ] || fail "$2: $9 of $8 answers were errors"
	[ "${10}" -eq 0 ] || NOTES="$NOTES
note: $2: wrk $(grep 'Socket errors' "$DIR/wrk/$1" | sed 's/^ *//')"
}

if has_case read; then
	for n in $SIZES; do
		eval "bytes=\$BYTES_$n"
		row "static-$n" "static $n" "$bytes" ""
		srps=$R_RPS
		row "page-$n" "page $n microcache" "$bytes" "$srps"
		eval "PAGE_RPS_$n=$R_RPS PAGE_P99_$n=$R_P99 RATIO_$n=$R_RATIO"
		row "page-nomc-$n" "page $n palaver cache" "$bytes" "$srps"
		eval "NOMC_RPS_$n=$R_RPS NOMC_P99_$n=$R_P99 NOMC_RATIO_$n=$R_RATIO"
		row "page-render-$n" "page $n rendered" "$bytes" "$srps"
		eval "RENDER_RPS_$n=$R_RPS"
		eval "code=\$API_$n abytes=\${ABYTES_$n:-}"
		if [ "$code" = 200 ]; then
			row "static-api-$n" "static api $n" "$abytes" ""
			srps=$R_RPS
			row "api-$n" "api $n microcache" "$abytes" "$srps"
			row "api-nomc-$n" "api $n palaver cache" "$abytes" "$srps"
			row "api-render-$n" "api $n rendered" "$abytes" "$srps"
			eval "API_RENDER_RPS_$n=$R_RPS"
		else
			printf '%-26s %s\n' "api $n" "API not available (answers $code)" \
			    >> "$REPORT"
		fi
	done
fi
if has_case login; then
	set -- $(parse flood-reads)
	FLOOD_P99=$3
	FLOOD_BAD=$5
	printf '%-26s %8s %10s %8s %8s %9s\n' "page in login flood" "" "$1" "$2" \
	    "$3" "" >> "$REPORT"
fi
if [ -n "$VOTES" ]; then
	set -- $(parse vote-reads)
	VOTE_P99=$3
	VOTE_BAD=$5
	VOTE_RATE=$(awk -v v="$VOTES" -v f="$DIR/wrk/votes" 'BEGIN {
		while ((getline l < f) > 0)
			if (l ~ /requests in/) { split(l, w, " "); t = w[4] }
		sub(/s,?$/, "", t); split(v, a, /[ =]/)
		printf "%.0f", (t > 0 ? a[2] / t : 0) }')
	printf '%-26s %8s %10s %8s %8s %9s\n' "page while votes" "" "$1" "$2" \
	    "$3" "" >> "$REPORT"
fi
if [ -n "$READS" ]; then
	{
		echo
		echo "palaver's log: $(awk 'NF >= 5 && $2 ~ /^[A-Z]+$/ && $4 ~ /^[0-9]+$/ { n[$4]++ }
		    END { for (s in n) printf "%s %d, ", s, n[s] }' \
		    "$DIR/palaver.log" | sed 's/, $//') (answers by status, reading)"
		has_case login &&
		    echo "login flood: 100 connections, a new name and address each; answers by status: $LOGINS"
		[ -n "$VOTES" ] &&
		    echo "votes while reading: 4 connections, a new address each: $VOTES (about $VOTE_RATE votes/s)"
		echo "peak RSS: $RSS MiB (VmHWM summed over $NPROC_PAL palaver processes, after the reads)"
		if [ -n "$NOTES" ]; then printf '%s\n' "$NOTES" | sed 1d; fi
	} >> "$REPORT"
fi

# Posting: the medians of the rounds, each with the machine's load just
# before it (% CPU busy over one second, 1-minute load average).
if has_case post; then
	{
		echo
		echo "posting, durable (synchronous=FULL): $CONNS connections, $DURATION a run, medians of $ROUNDS round(s);"
		echo "  before = ${BEFORE_REV:-none} (BENCH_BEFORE), after = $SRCREV; load = % CPU busy / load average before each run"
		printf '%-24s %-7s %9s %8s %8s %8s  %s\n' case build 'posts/s' \
		    'p50 ms' 'p99 ms' 'max ms' load
		awk '
		function med(s,   v, n, i, j, t) {
			n = split(s, v, " ")
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
					t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
				}
			return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		}
		{
			k = $1 " " $2
			if (!(k in seen)) { seen[k] = 1; order[++nk] = k }
			rps[k] = rps[k] " " $3; p50[k] = p50[k] " " $4
			p99[k] = p99[k] " " $5; mx[k] = mx[k] " " $6
			ld[k] = ld[k] " " $7 "%/" $8
		}
		END {
			for (i = 1; i <= nk; i++) {
				split(order[i], w, " ")
				name = w[1] == "new" ? "new thread" : w[1] "-comment thread"
				printf "%-24s %-7s %9.1f %8.2f %8.2f %8.2f %s\n", name,
				    (w[2] == "now" ? "after" : "before"), med(rps[order[i]]),
				    med(p50[order[i]]), med(p99[order[i]]),
				    med(mx[order[i]]), ld[order[i]]
				if (w[2] == "now")
					printf "%s %s %s %s\n", w[1], med(rps[order[i]]),
					    med(p99[order[i]]), med(mx[order[i]]) > "/dev/stderr"
			}
		}' "$DIR/posting" 2> "$DIR/posting.now"
		printf '%s\n' "$POST_NOTES" | sed 1d
		echo
		echo "where a post's time goes (PALAVER_STAGES=1; microseconds, mean / p99 over every"
		echo "acknowledged post of the runs; see README: Performance):"
		for thread in new 20000; do
			for label in before now; do
				set -- "$DIR"/post-$thread-$label-*.log
				[ -e "$1" ] || continue
				if [ "$label" = now ]; then l=after; else l=before; fi
				echo "  $thread thread, $l:"
				cat "$@" | awk -f "$BENCH/stages.awk" | sed 's/^/    /'
			done
		done
	} >> "$REPORT"
fi

# The engines side by side: reads per request against the first engine's
# (SQLite's, by default), and posting.
WORST_READ=0
WORST_CASE=
if has_case engines; then
	base_engine=${ENGINES%% *}
	{
		echo
		echo "engines side by side: the same threads on each (seeded into SQLite, moved with palaver migrate --to);"
		echo "  ${PGVER:-no PostgreSQL}; load average before: $ELOAD"
		echo "  reads without the microcache: cache = palaver's page cache (anonymous readers), rendered ="
		echo "  an author cookie (page) or tokens (API), read from the engine each time; posting durable,"
		echo "  into a new thread; vs $(name_of "$base_engine") = req/s over $(name_of "$base_engine")'s"
		printf '%-22s %-12s %8s %10s %8s %8s %9s %9s\n' case engine bytes \
		    'req/s' 'p50 ms' 'p99 ms' 'vs static' "vs $(name_of "$base_engine" | cut -c1-6)"
	} >> "$REPORT"
	erow() {
		printf '%-22s %-12s %8s %10s %8s %8s %9s %9s\n' "$@" >> "$REPORT"
	}
	for n in $SIZES; do
		eval "bytes=\$EBYTES_$n"
		set -- $(parse "eng-static-$n")
		srps=$1
		erow "static $n" nginx "$bytes" "$1" "$2" "$3" "" ""
		for kind in page page-render api api-render; do
			case $kind in
			page) label="page $n cache" ;;
			page-render) label="page $n rendered" ;;
			api) label="api $n cache" ;;
			api-render) label="api $n rendered" ;;
			esac
			base_rps=
			for engine in $ENGINES; do
				bytes=
				case $kind in
				api*)
					eval "code=\$EAPI_${engine}_$n"
					if [ "$code" != 200 ]; then
						erow "$label" "$(name_of "$engine")" "" \
						    "API answers $code" "" "" "" ""
						continue
					fi
					bytes=$(wc -c < "$DIR/eng/api-$engine-$n.json")
					;;
				*) eval "bytes=\$EBYTES_$n" ;;
				esac
				set -- $(parse "eng-$kind-$engine-$n")
				ratio=
				case $kind in page*) ratio=$(awk -v a="$1" -v b="$srps" \
				    'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }') ;; esac
				[ -z "$base_rps" ] && base_rps=$1
				vs=$(awk -v a="$1" -v b="$base_rps" \
				    'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
				erow "$label" "$(name_of "$engine")" "$bytes" "$1" "$2" \
				    "$3" "$ratio" "$vs"
				k=$(echo "$kind" | tr - _)
				eval "ERPS_${k}_${engine}_$n=$1 EP99_${k}_${engine}_$n=$3"
				[ "$kind" = page ] && eval "ERATIO_${engine}_$n=$ratio"
				[ "$4" -gt 0 ] && [ "$5" -lt "$4" ] ||
				    fail "$label ($engine): no successful answers"
				[ "$5" -eq 0 ] || fail "$label ($engine): $5 of $4 answers were errors"
				[ "$6" -eq 0 ] || ENG_NOTES="$ENG_NOTES
note: $label ($engine): wrk $(grep 'Socket errors' "$DIR/wrk/eng-$kind-$engine-$n" | sed 's/^ *//')"
				# A read's cost on PostgreSQL, per request,
				# against SQLite's: the worst case of all.
				if [ "$engine" != sqlite ] && [ "$base_engine" = sqlite ]; then
					eval "s=\${ERPS_${k}_sqlite_$n:-}"
					[ -n "$s" ] || continue
					c=$(awk -v s="$s" -v p="$1" 'BEGIN { printf "%.2f", (p > 0 ? s / p : 99) }')
					if awk -v c="$c" -v w="$WORST_READ" 'BEGIN { exit !(c > w) }'; then
						WORST_READ=$c
						WORST_CASE="$label, $(name_of "$engine")"
					fi
				fi
			done
		done
	done
	for engine in $ENGINES; do
		set -- $(parse "eng-post-$engine")
		eval "pps=\$EPPS_$engine"
		erow "post (posts/s)" "$(name_of "$engine")" "" "$pps" "$2" "$3" "" ""
	done
	{
		printf '%s\n' "$ENG_NOTES" | sed 1d
		for engine in $ENGINES; do
			eval "r=\$ERSS_$engine"
			echo "peak RSS, $(name_of "$engine"): $r MiB (VmHWM summed over its palaver processes)"
		done
	} >> "$REPORT"
fi

{
	echo
	echo "targets:"
} >> "$REPORT"

verdict() {
	if [ "$1" = 1 ]; then echo PASS; else echo MISS; fi
}
has_size() {
	case " $SIZES " in *" $1 "*) return 0 ;; esac
	return 1
}
if has_case read && ! has_size 100; then
	echo "  --   the reading targets are for the 100-comment thread: not in BENCH_SIZES" >> "$REPORT"
elif has_case read; then
	ok=$(awk -v r="${RATIO_100:-0}" 'BEGIN { print (r >= 0.8 ? 1 : 0) }')
	printf '  %-4s 100-comment page through the recommended configuration (microcache) >= 0.8 of static (%s)\n' \
	    "$(verdict "$ok")" "${RATIO_100:-}" >> "$REPORT"
	ok=$(awk -v r="${RENDER_RPS_100:-0}" 'BEGIN { print (r >= 5000 ? 1 : 0) }')
	printf '  %-4s 100-comment page rendered for every request >= 5,000 req/s (%s; the API %s)\n' \
	    "$(verdict "$ok")" "${RENDER_RPS_100:-}" "${API_RENDER_RPS_100:-}" >> "$REPORT"
	ok=$(awk -v r="${NOMC_RATIO_100:-0}" -v p="${NOMC_P99_100:-999}" 'BEGIN { print ((r >= 1/3 && p < 20) ? 1 : 0) }')
	printf '  %-4s 100-comment page without the microcache >= 1/3 of static (%s) with p99 < 20 ms (%s ms)\n' \
	    "$(verdict "$ok")" "${NOMC_RATIO_100:-}" "${NOMC_P99_100:-}" >> "$REPORT"
fi
if has_case read && has_size 100 && ! has_size 20000; then
	echo "  --   20,000-comment first page beside the 100 one: 20000 not in BENCH_SIZES" >> "$REPORT"
elif has_case read && has_size 100; then
	# Rendered, so that the index range scan is what is compared.
	cost=$(awk -v a="${RENDER_RPS_100:-0}" -v b="${RENDER_RPS_20000:-0}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 99) }')
	ok=$(awk -v c="$cost" 'BEGIN { print (c <= 1.5 ? 1 : 0) }')
	printf '  %-4s 20,000-comment first page rendered within 1.5x the cost of the 100 one (%sx)\n' \
	    "$(verdict "$ok")" "$cost" >> "$REPORT"
fi
if has_case login; then
	ok=$(awk -v p="${FLOOD_P99:-999}" 'BEGIN { print (p < 100 ? 1 : 0) }')
	printf '  %-4s reads during a flood of 100 parallel logins: p99 < 100 ms (%s ms)\n' \
	    "$(verdict "$ok")" "$FLOOD_P99" >> "$REPORT"
fi
if has_case post; then
	while read -r thread rps p99 max; do
		name="new thread"
		[ "$thread" = new ] || name="$thread-comment thread"
		ok=$(awk -v r="$rps" -v m="$TOTAL_MISSING" 'BEGIN { print ((r >= 5000 && m == 0) ? 1 : 0) }')
		printf '  %-4s >= 5,000 durable posts/s into a %s (%s), every acknowledged post in the db (%s missing)\n' \
		    "$(verdict "$ok")" "$name" "$rps" "$TOTAL_MISSING" >> "$REPORT"
		ok=$(awk -v p="$p99" 'BEGIN { print (p < 50 ? 1 : 0) }')
		printf '  %-4s posting p99 < 50 ms at %s connections into a %s (%s ms; max %s ms)\n' \
		    "$(verdict "$ok")" "$CONNS" "$name" "$p99" "$max" >> "$REPORT"
	done < "$DIR/posting.now"
fi

if has_case engines; then
	for engine in $ENGINES; do
		if ! has_size 100; then
			echo "  --   $(name_of "$engine"): the reading targets are for the 100-comment thread: not in BENCH_SIZES" >> "$REPORT"
			break
		fi
		eval "r=\${ERATIO_${engine}_100:-0} p=\${EP99_page_${engine}_100:-999}"
		ok=$(awk -v r="$r" -v p="$p" 'BEGIN { print ((r >= 1/3 && p < 20) ? 1 : 0) }')
		printf '  %-4s 100-comment page from palaver'"'"'s cache >= 1/3 of static (%s) with p99 < 20 ms (%s ms), %s\n' \
		    "$(verdict "$ok")" "$r" "$p" "$(name_of "$engine")" >> "$REPORT"
		if has_size 20000; then
			eval "a=\${ERPS_page_render_${engine}_100:-0} b=\${ERPS_page_render_${engine}_20000:-0}"
			cost=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 99) }')
			ok=$(awk -v c="$cost" 'BEGIN { print (c <= 1.5 ? 1 : 0) }')
			printf '  %-4s 20,000-comment first page rendered within 1.5x the cost of the 100 one (%sx), %s\n' \
			    "$(verdict "$ok")" "$cost" "$(name_of "$engine")" >> "$REPORT"
		fi
	done
	case " $ENGINES " in
	" sqlite "*" postgres"*)
		ok=$(awk -v c="$WORST_READ" 'BEGIN { print (c <= 1.5 ? 1 : 0) }')
		printf '  %-4s reads on PostgreSQL within 1.5x of SQLite'"'"'s cost a request (worst: %sx, %s)\n' \
		    "$(verdict "$ok")" "$WORST_READ" "$WORST_CASE" >> "$REPORT"
		;;
	esac
	for engine in $ENGINES; do
		want=1000
		[ "$engine" = sqlite ] && want=5000
		eval "pps=\$EPPS_$engine missing=\$EMISSING_$engine"
		ok=$(awk -v r="$pps" -v m="$missing" -v w="$want" 'BEGIN { print ((r >= w && m == 0) ? 1 : 0) }')
		printf '  %-4s >= %s durable posts/s on %s (%s), every acknowledged post in the db (%s missing)\n' \
		    "$(verdict "$ok")" "$(echo "$want" | sed 's/000$/,000/')" "$(name_of "$engine")" "$pps" "$missing" >> "$REPORT"
	done
fi

if has_case login; then
	[ "${FLOOD_BAD:-1}" -eq 0 ] || fail "reads during the login flood: $FLOOD_BAD errors"
	case "$LOGINS" in
	*" 500="[1-9]*|*" 502="[1-9]*|*" 504="[1-9]*) fail "login flood: $LOGINS";;
	esac
fi
[ -z "$VOTES" ] || [ "${VOTE_BAD:-1}" -eq 0 ] || fail "reads while votes arrive: $VOTE_BAD errors"
case "$VOTES" in
*"other="[1-9]*) fail "votes: $VOTES";;
esac
[ -n "$FAIL" ] && printf '%s\n' "$FAIL" >> "$REPORT"

echo
cat "$REPORT"
cp "$REPORT" "$BENCH/last.txt"
[ -z "$FAIL" ]
