#!/bin/sh
# run.sh: `make bench`: wrk through nginx against the release build of
# palaver, with a temporary database seeded with threads of 10, 100, 1,000
# and 20,000 comments.  For each size: the first page of the thread as HTML,
# the same through the JSON API, and the page's bytes served by nginx as a
# static file (the ceiling for any FastCGI app here); then posting; then
# reads of a page during a flood of 100 parallel moderator logins, and
# while readers vote (votes must leave the page cache alone).  Prints
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
# BENCH_SIZES (thread sizes), BENCH_KEEP (keep the temporary directory).
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH=$ROOT/tests/bench
BIN=$ROOT/build/palaver
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNS:-32}
WTHREADS=${BENCH_THREADS:-2}
SIZES=${BENCH_SIZES:-"10 100 1000 20000"}
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
DB=$DIR/palaver.db
SOCK=$DIR/palaver.sock
CONF=$DIR/palaver.conf
REPORT=$DIR/report.txt

pal=
ngx=
cleanup() {
	rc=$?
	trap - EXIT INT TERM
	if [ -n "$ngx" ] && kill -0 "$ngx" 2>/dev/null; then
		kill -TERM "$ngx" 2>/dev/null || true
		wait "$ngx" 2>/dev/null || true
	fi
	if [ -n "$pal" ] && kill -0 "$pal" 2>/dev/null; then
		kill -TERM "$pal" 2>/dev/null || true
		wait "$pal" 2>/dev/null || true
	fi
	if [ $rc -ne 0 ] && [ -s "$DIR/palaver.log" ]; then
		echo "--- palaver's log (last 20 lines):" >&2
		tail -20 "$DIR/palaver.log" >&2
	fi
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

# Defaults from conf/palaver.conf, except the paths and the two spam rules
# that would refuse a benchmark's posts (one address, posting at once).
sed -e "s|^path = .*|path = $DB|" \
    -e "s|^socket = .*|socket = $SOCK|" \
    -e "s|^posts_per_minute = .*|posts_per_minute = 0|" \
    -e "s|^min_submit_seconds = .*|min_submit_seconds = 0|" \
    "$ROOT/conf/palaver.conf" > "$CONF"
[ -n "${BENCH_WORKERS:-}" ] &&
    sed -i "s|^workers = .*|workers = $BENCH_WORKERS|" "$CONF"
[ -n "${BENCH_POOL:-}" ] &&
    sed -i "s|^threads = .*|threads = $BENCH_POOL|" "$CONF"
[ -n "$runas" ] && sed -i "s|^user =.*|user = palaver|" "$CONF"
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

# --- palaver and nginx ------------------------------------------------------

"$BIN" -c "$CONF" serve >"$DIR/palaver.log" 2>&1 &
pal=$!
i=0
while [ ! -S "$SOCK" ]; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$pal" 2>/dev/null; then
		die "palaver did not start"
	fi
	sleep 0.1
done

port=${BENCH_PORT:-18080}
while :; do
	rc=0
	curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" || rc=$?
	[ $rc -eq 7 ] && break	# connection refused: free
	port=$((port + 1))
	[ $port -lt $((${BENCH_PORT:-18080} + 100)) ] || die "no free port"
done
BASE=http://127.0.0.1:$port

# conf/dev/nginx.conf.in, plus a location for the static ceiling.
sed -e "s|@VAR@|$DIR|g" -e "s|@ROOT@|$ROOT|g" -e "s|@PORT@|$port|g" \
    -e "s|@SOCK@|$SOCK|g" -e "s|@USER@|$userline|" \
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

# --- checks before measuring -----------------------------------------------

status_of() {
	curl -s -o "$2" -w '%{http_code}' "$1" || echo 000
}

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
	code=$(status_of "$BASE/api/comments?uri=/bench/t$n" "$DIR/api-$n.json")
	eval "API_$n=$code"
done

# --- measuring --------------------------------------------------------------

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

for n in $SIZES; do
	eval "a=\$ART_$n"
	bench "static-$n" "$BASE/bench-static/t$n.html"
	bench "page-$n" "$BASE/articles/$a"
	eval "code=\$API_$n"
	if [ "$code" = 200 ]; then
		bench "api-$n" "$BASE/api/comments?uri=/bench/t$n"
	fi
done

# Posting: every acknowledged (303) post must be in the database.
before=$($runas sqlite3 "$DB" \
    "SELECT count(*) FROM comments WHERE article = $ART_POST")
echo "bench: post"
$WRK -s "$BENCH/post.lua" "$BASE/articles/$ART_POST/comments" -- \
    "$DIR/wrk" > "$DIR/wrk/post" 2>&1 || {
	cat "$DIR/wrk/post" >&2
	die "wrk failed for the posting run"
}
# What palaver answered but wrk stopped waiting for may still land: wait
# until the writers are idle before counting.
sleep 1
cat "$DIR"/wrk/acked-* 2>/dev/null | sort -un > "$DIR/acked.txt"
ACKED=$(sed -n 's/^POSTS acked=\([0-9]*\).*/\1/p' "$DIR/wrk/post")
REFUSED=$(sed -n 's/^POSTS .*other=\([0-9]*\).*/\1/p' "$DIR/wrk/post")
NOID=$(sed -n 's/^POSTS .*noid=\([0-9]*\).*/\1/p' "$DIR/wrk/post")
ACKED=${ACKED:-0}
REFUSED=${REFUSED:-0}
NOID=${NOID:-0}
ACKED_IDS=$(wc -l < "$DIR/acked.txt")
INDB=$($runas sqlite3 "$DB" \
    "SELECT count(*) FROM comments WHERE article = $ART_POST")
INDB=$((INDB - before))
# The acknowledged ids missing from the database (or not approved, or on
# another article).
{
	echo "CREATE TEMP TABLE acked (id INTEGER PRIMARY KEY);"
	echo "BEGIN;"
	sed 's/.*/INSERT OR IGNORE INTO acked VALUES (&);/' "$DIR/acked.txt"
	echo "COMMIT;"
	echo "SELECT count(*) FROM acked WHERE id NOT IN (SELECT id FROM"
	echo "    comments WHERE article = $ART_POST AND status = 'approved'"
	echo "    AND author = 'bench');"
} > "$DIR/acked.sql"
MISSING=$($runas sqlite3 -bail "$DB" < "$DIR/acked.sql")

# A login flood: 100 connections logging in with new names from new
# addresses (each one an Argon2id hash or a 503 from the hash gate) while
# 4 readers read the 100-comment thread (or the first one seeded).  The
# readers' latency is the figure: logins must not hold readers' threads.
ART_READ=${ART_100:-}
if [ -z "$ART_READ" ]; then
	for n in $SIZES; do eval "ART_READ=\$ART_$n"; break; done
fi
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
wrk -t1 -c4 -d"$DURATION" --latency "$BASE/articles/$ART_READ" \
    > "$DIR/wrk/flood-reads" 2>&1 || {
	cat "$DIR/wrk/flood-reads" >&2
	die "wrk failed for the reads during the login flood"
}
wait $flood || { cat "$DIR/wrk/logins" >&2; die "wrk failed for the login flood"; }
LOGINS=$(sed -n 's/^LOGINS //p' "$DIR/wrk/logins")

# Reads while readers vote (when this palaver takes votes): the page read
# as in "page" above while 4 connections vote as fast as palaver takes them,
# each vote from a new address, on the page's top-level comments.  Votes
# must not empty the page cache: the figure is the page's rate beside it.
VOTE_IDS=$($runas sqlite3 "$DB" "SELECT group_concat(id, ' ') FROM (SELECT
    id FROM comments WHERE article = $ART_READ AND parent IS NULL LIMIT 20)")
VOTES=
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"vote": 0}' "$BASE/api/comments/${VOTE_IDS%% *}/vote" || echo 000)
if [ "$code" = 200 ]; then
	echo "bench: reads while votes arrive"
	# shellcheck disable=SC2086
	wrk -t1 -c4 -d"$DURATION" -s "$BENCH/vote.lua" "$BASE/api/comments/" \
	    -- $VOTE_IDS > "$DIR/wrk/votes" 2>&1 &
	vflood=$!
	bench "page-votes" "$BASE/articles/$ART_READ"
	wait $vflood || { cat "$DIR/wrk/votes" >&2; die "wrk failed for the votes"; }
	VOTES=$(sed -n 's/^VOTES //p' "$DIR/wrk/votes")
fi

# Peak RSS of the supervisor and its workers.
rss_kb=0
for p in $pal $(pgrep -P "$pal" || true); do
	kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$p/status" 2>/dev/null || true)
	rss_kb=$((rss_kb + ${kb:-0}))
done
RSS=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
NPROC_PAL=$(( $(pgrep -P "$pal" | wc -l) + 1 ))
kill -0 "$pal" 2>/dev/null || fail "palaver exited during the benchmark"

# --- the report -------------------------------------------------------------

# The source the binary was built from, as far as git knows.
SRCREV=unknown
if rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null); then
	SRCREV=$rev
	git -C "$ROOT" diff --quiet HEAD -- src sql 2>/dev/null ||
	    SRCREV="$rev + uncommitted changes in src/ or sql/"
fi
CPU=$(sed -n 's/^model name[^:]*: *//p' /proc/cpuinfo | head -1)
{
	echo "palaver benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "machine: $(nproc) CPUs, ${CPU:-unknown CPU}, $(uname -sr)"
	echo "command: $CMD  (each case: $WRK URL)"
	echo "palaver: $BIN (built $(date -u -r "$BIN" "+%Y-%m-%d %H:%M UTC")), source $SRCREV, workers = $WORKERS, threads = $POOL, page_size = $PAGE_SIZE"
	echo "         [spam] posts_per_minute = 0, min_submit_seconds = 0"
	echo "nginx:   $(nginx -v 2>&1 | sed 's/.*: //'), sqlite3 $(sqlite3 --version | cut -d' ' -f1), wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
	echo "load:    ${BUSY}% CPU busy in the second before the first run, load average $LOAD$([ "$BUSY" -ge 10 ] && echo ' (not idle: numbers are noisy)')"
	echo "threads: top-level comments each with one reply; first page = $PAGE_SIZE top-level"
	echo
	printf '%-22s %8s %10s %8s %8s %9s\n' case bytes 'req/s' 'p50 ms' \
	    'p99 ms' 'vs static'
} > "$REPORT"

for n in $SIZES; do
	eval "bytes=\$BYTES_$n"
	set -- $(parse "static-$n")
	srps=$1
	printf '%-22s %8s %10s %8s %8s %9s\n' "static $n" "$bytes" "$1" \
	    "$2" "$3" "" >> "$REPORT"
	set -- $(parse "page-$n")
	ratio=$(awk -v a="$1" -v b="$srps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	printf '%-22s %8s %10s %8s %8s %9s\n' "page $n" "$bytes" "$1" "$2" \
	    "$3" "$ratio" >> "$REPORT"
	eval "PAGE_RPS_$n=$1 PAGE_P99_$n=$3 RATIO_$n=$ratio"
	[ "$4" -gt 0 ] && [ "$5" -lt "$4" ] ||
	    fail "page $n: no successful answers"
	[ "$5" -eq 0 ] || fail "page $n: $5 of $4 answers were errors"
	[ "$6" -eq 0 ] || NOTES="$NOTES
note: page $n: wrk $(grep 'Socket errors' "$DIR/wrk/page-$n" | sed 's/^ *//')"
	eval "code=\$API_$n"
	if [ "$code" = 200 ]; then
		set -- $(parse "api-$n")
		printf '%-22s %8s %10s %8s %8s %9s\n' "api $n" \
		    "$(wc -c < "$DIR/api-$n.json")" "$1" \
		    "$2" "$3" "" >> "$REPORT"
		[ "$4" -gt 0 ] && [ "$5" -eq 0 ] ||
		    fail "api $n: $5 of $4 answers were errors"
		[ "$6" -eq 0 ] || NOTES="$NOTES
note: api $n: wrk $(grep 'Socket errors' "$DIR/wrk/api-$n" | sed 's/^ *//')"
	else
		printf '%-22s %s\n' "api $n" "API not available (answers $code)" \
		    >> "$REPORT"
	fi
done
set -- $(parse post)
POST_RPS=$(awk -v a="$ACKED" -v f="$DIR/wrk/post" 'BEGIN {
	while ((getline l < f) > 0)
		if (l ~ /requests in/) { split(l, w, " "); t = w[4] }
	sub(/s,?$/, "", t); printf "%.1f", (t > 0 ? a / t : 0) }')
printf '%-22s %8s %10s %8s %8s %9s\n' "post (posts/s)" "" "$POST_RPS" "$2" \
    "$3" "" >> "$REPORT"
set -- $(parse flood-reads)
FLOOD_P99=$3
FLOOD_BAD=$5
printf '%-22s %8s %10s %8s %8s %9s\n' "page in login flood" "" "$1" "$2" \
    "$3" "" >> "$REPORT"
if [ -n "$VOTES" ]; then
	set -- $(parse page-votes)
	VOTE_BAD=$5
	VOTE_RATE=$(awk -v v="$VOTES" -v d="$DURATION" 'BEGIN {
	    split(v, a, /[ =]/); sub(/s$/, "", d); printf "%.0f", a[2] / d }')
	printf '%-22s %8s %10s %8s %8s %9s\n' "page while votes" "" "$1" "$2" \
	    "$3" "" >> "$REPORT"
fi
{
	echo
	echo "posting: $ACKED acknowledged (303), $REFUSED refused, $INDB new rows in the db," \
	    "$MISSING acknowledged but missing"
	[ "$REFUSED" -gt 0 ] && sed -n 's/^FIRST-REFUSED /         first refusal: /p' "$DIR/wrk/post"
	echo "palaver's log: $(awk 'NF == 5 && $2 ~ /^[A-Z]+$/ { n[$4]++ }
	    END { for (s in n) printf "%s %d, ", s, n[s] }' "$DIR/palaver.log" |
	    sed 's/, $//') (answers by status)"
	echo "login flood: 100 connections, a new name and address each; answers by status: $LOGINS"
	[ -n "$VOTES" ] && echo "votes while reading: 4 connections, a new address each: $VOTES (about $VOTE_RATE votes/s)"
	echo "peak RSS: $RSS MiB (VmHWM summed over $NPROC_PAL palaver processes)"
	[ -n "$NOTES" ] && printf '%s\n' "$NOTES" | sed 1d
	echo
	echo "targets:"
} >> "$REPORT"

verdict() {
	if [ "$1" = 1 ]; then echo PASS; else echo MISS; fi
}
ok=$(awk -v r="${RATIO_100:-0}" -v p="${PAGE_P99_100:-999}" 'BEGIN { print ((r >= 1/3 && p < 20) ? 1 : 0) }')
printf '  %-4s 100-comment page >= 1/3 of static (%s) with p99 < 20 ms (%s ms)\n' \
    "$(verdict "$ok")" "${RATIO_100:-}" "${PAGE_P99_100:-}" >> "$REPORT"
cost=$(awk -v a="${PAGE_RPS_100:-0}" -v b="${PAGE_RPS_20000:-0}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 99) }')
ok=$(awk -v c="$cost" 'BEGIN { print (c <= 1.5 ? 1 : 0) }')
printf '  %-4s 20,000-comment first page within 1.5x the cost of the 100 one (%sx)\n' \
    "$(verdict "$ok")" "$cost" >> "$REPORT"
ok=$(awk -v r="$POST_RPS" -v m="$MISSING" -v n="$NOID" 'BEGIN { print ((r >= 2000 && m == 0 && n == 0) ? 1 : 0) }')
printf '  %-4s >= 2,000 posts/s (%s), every acknowledged post in the db (%s missing)\n' \
    "$(verdict "$ok")" "$POST_RPS" "$MISSING" >> "$REPORT"

ok=$(awk -v p="${FLOOD_P99:-999}" 'BEGIN { print (p < 100 ? 1 : 0) }')
printf '  %-4s reads during a flood of 100 parallel logins: p99 < 100 ms (%s ms)\n' \
    "$(verdict "$ok")" "$FLOOD_P99" >> "$REPORT"

[ "${FLOOD_BAD:-1}" -eq 0 ] || fail "reads during the login flood: $FLOOD_BAD errors"
[ -z "$VOTES" ] || [ "${VOTE_BAD:-1}" -eq 0 ] || fail "reads while votes arrive: $VOTE_BAD errors"
case "$VOTES" in
*"other="[1-9]*) fail "votes: $VOTES";;
esac
case "$LOGINS" in
*" 500="[1-9]*|*" 502="[1-9]*|*" 504="[1-9]*) fail "login flood: $LOGINS";;
esac
[ "$ACKED" -gt 0 ] || fail "posting: no post was acknowledged"
[ "$MISSING" -eq 0 ] || fail "posting: $MISSING acknowledged posts are not in the database"
[ "$NOID" -eq 0 ] || fail "posting: $NOID 303s without posted=ID in Location"
[ "$ACKED_IDS" -eq "$ACKED" ] || fail "posting: $ACKED acknowledged but $ACKED_IDS distinct ids"
[ "$INDB" -ge "$ACKED" ] || fail "posting: $ACKED acknowledged but only $INDB new rows"
[ -n "$FAIL" ] && printf '%s\n' "$FAIL" >> "$REPORT"

echo
cat "$REPORT"
cp "$REPORT" "$BENCH/last.txt"
[ -z "$FAIL" ]
