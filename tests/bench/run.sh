#!/bin/sh
# run.sh: `make bench`: wrk through nginx against the release build of
# palaver, with a temporary database seeded with threads of 10, 100, 1,000
# and 20,000 comments.  For each size: the first page of the thread as HTML,
# the same through the JSON API, and the page's bytes served by nginx as a
# static file (the ceiling for any FastCGI app here).  Then posting, into a
# new thread and into the 20,000-comment one, by this palaver and by the
# one built from BENCH_BEFORE in the temporary directory, each on a
# database of its own, taking turns; every acknowledged post is then looked
# up in the database.  Prints requests/s, p50 and p99 latency (and for
# posting the maximum and where a post's time goes), palaver's peak RSS and
# the targets, and writes the same to tests/bench/last.txt.
#
# Exit status: 0 when palaver worked, even if a target is missed (this is a
# measurement); 1 when it failed (no 200s, a post acknowledged but not in
# the database, a wrong page, a crash).
#
# Environment: BENCH_DURATION (wrk -d, default 10s), BENCH_CONNS (32),
# BENCH_THREADS (wrk -t, 2), BENCH_WORKERS / BENCH_POOL ([server] workers /
# threads, default: conf/palaver.conf's), BENCH_PORT (first port tried),
# BENCH_SIZES (thread sizes), BENCH_CASES ("read post": the reading cases,
# the posting ones, or both), BENCH_BEFORE (the git revision to compare
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
CASES=${BENCH_CASES:-"read post"}
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

has_case() {
	case " $CASES " in *" $1 "*) return 0 ;; esac
	return 1
}

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

# A database, its configuration and its threads for one build of palaver:
# make_db LABEL BIN SIZES.  The configuration is that build's own
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

article_add() {
	id=$($runas "$1" -c "$2" article add --uri "$3" --title "$4" \
	    2>"$DIR/article.log") || { cat "$DIR/article.log" >&2;
	    die "palaver article add $3 failed"; }
	id=$(printf '%s\n' "$id" | grep -o '[0-9][0-9]*' | head -1)
	[ -n "$id" ] || die "palaver article add $3 printed no id"
	echo "$id"
}

# Posting also goes into a thread of 20,000 comments.
NOW_SIZES=
has_case read && NOW_SIZES=$SIZES
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

# --- palaver and nginx ------------------------------------------------------

# start_palaver BIN CONF LOG: serve, with each request's stages in its log
# line (PALAVER_STAGES; a build without them ignores it).
start_palaver() {
	rm -f "$SOCK"
	PALAVER_STAGES=1 "$1" -c "$2" serve >"$3" 2>&1 &
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

if has_case read; then
	for n in $SIZES; do
		eval "a=\$ART_now_$n"
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
fi

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

if has_case read; then
	for n in $SIZES; do
		eval "a=\$ART_now_$n"
		bench "static-$n" "$BASE/bench-static/t$n.html"
		bench "page-$n" "$BASE/articles/$a"
		eval "code=\$API_$n"
		if [ "$code" = 200 ]; then
			bench "api-$n" "$BASE/api/comments?uri=/bench/t$n"
		fi
	done
fi

# Peak RSS of the supervisor and its workers, after reading.
rss_kb=0
for p in $pal $(pgrep -P "$pal" || true); do
	kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$p/status" 2>/dev/null || true)
	rss_kb=$((rss_kb + ${kb:-0}))
done
RSS=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
NPROC_PAL=$(( $(pgrep -P "$pal" | wc -l) + 1 ))
kill -0 "$pal" 2>/dev/null || fail "palaver exited during the benchmark"
stop_palaver

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
# serving its own database.  Every acknowledged (303) post must be in it.
# Appends "case label rps p50 p99 max busy load1" to $DIR/posting.
post_run() {
	name=$1 label=$2 thread=$3
	eval "db=\$DB_$label conf=\$CONF_$label"
	if [ "$thread" = new ]; then
		eval "art=\$ART_${label}_post"
	else
		eval "art=\$ART_${label}_$thread"
	fi
	if [ "$label" = now ]; then bin=$BIN; else bin=$BIN_BEFORE; fi
	start_palaver "$bin" "$conf" "$DIR/$name.log"
	pbusy=$(busy)
	pload=$(cut -d' ' -f1 /proc/loadavg)
	before=$($runas sqlite3 "$db" \
	    "SELECT count(*) FROM comments WHERE article = $art")
	mkdir -p "$DIR/wrk/$name.acked"
	[ -n "$runas" ] && chown -R palaver:palaver "$DIR/wrk"
	echo "bench: $name"
	pcpu0=$(cpu_ticks $pal $(pgrep -P "$pal" || true))
	ncpu0=$(cpu_ticks $ngx $(pgrep -P "$ngx" || true))
	cpu_threads > "$DIR/$name.cpu0"
	$WRK -s "$BENCH/post.lua" "$BASE/articles/$art/comments" -- \
	    "$DIR/wrk/$name.acked" "$name" > "$DIR/wrk/$name" 2>&1 || {
		cat "$DIR/wrk/$name" >&2
		die "wrk failed for $name"
	}
	pcpu=$(( $(cpu_ticks $pal $(pgrep -P "$pal" || true)) - pcpu0 ))
	ncpu=$(( $(cpu_ticks $ngx $(pgrep -P "$ngx" || true)) - ncpu0 ))
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
} > "$REPORT"

if has_case read; then
	{
		echo "threads: top-level comments each with one reply; first page = $PAGE_SIZE top-level"
		echo
		printf '%-22s %8s %10s %8s %8s %9s\n' case bytes 'req/s' \
		    'p50 ms' 'p99 ms' 'vs static'
	} >> "$REPORT"
	for n in $SIZES; do
		eval "bytes=\$BYTES_$n"
		set -- $(parse "static-$n")
		srps=$1
		printf '%-22s %8s %10s %8s %8s %9s\n' "static $n" "$bytes" \
		    "$1" "$2" "$3" "" >> "$REPORT"
		set -- $(parse "page-$n")
		ratio=$(awk -v a="$1" -v b="$srps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
		printf '%-22s %8s %10s %8s %8s %9s\n' "page $n" "$bytes" \
		    "$1" "$2" "$3" "$ratio" >> "$REPORT"
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
			printf '%-22s %s\n' "api $n" \
			    "API not available (answers $code)" >> "$REPORT"
		fi
	done
	{
		echo
		echo "palaver's log: $(awk 'NF >= 5 && $2 ~ /^[A-Z]+$/ && $4 ~ /^[0-9]+$/ { n[$4]++ }
		    END { for (s in n) printf "%s %d, ", s, n[s] }' \
		    "$DIR/palaver.log" | sed 's/, $//') (answers by status)"
		echo "peak RSS: $RSS MiB (VmHWM summed over $NPROC_PAL palaver processes)"
		[ -n "$NOTES" ] && printf '%s\n' "$NOTES" | sed 1d
	} >> "$REPORT"
fi

# Posting: the medians of the rounds, each with the machine's load just
# before it (% CPU busy over one second, 1-minute load average).
if has_case post; then
	{
		echo
		echo "posting, durable (synchronous=FULL): $CONNS connections, $DURATION a run, medians of $ROUNDS round(s);"
		echo "  before = $BEFORE_REV (BENCH_BEFORE), after = $SRCREV; load = % CPU busy / load average before each run"
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

{
	echo
	echo "targets:"
} >> "$REPORT"

verdict() {
	if [ "$1" = 1 ]; then echo PASS; else echo MISS; fi
}
if has_case read; then
	ok=$(awk -v r="${RATIO_100:-0}" -v p="${PAGE_P99_100:-999}" 'BEGIN { print ((r >= 1/3 && p < 20) ? 1 : 0) }')
	printf '  %-4s 100-comment page >= 1/3 of static (%s) with p99 < 20 ms (%s ms)\n' \
	    "$(verdict "$ok")" "${RATIO_100:-}" "${PAGE_P99_100:-}" >> "$REPORT"
	cost=$(awk -v a="${PAGE_RPS_100:-0}" -v b="${PAGE_RPS_20000:-0}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 99) }')
	ok=$(awk -v c="$cost" 'BEGIN { print (c <= 1.5 ? 1 : 0) }')
	printf '  %-4s 20,000-comment first page within 1.5x the cost of the 100 one (%sx)\n' \
	    "$(verdict "$ok")" "$cost" >> "$REPORT"
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
[ -n "$FAIL" ] && printf '%s\n' "$FAIL" >> "$REPORT"

echo
cat "$REPORT"
cp "$REPORT" "$BENCH/last.txt"
[ -z "$FAIL" ]
