#!/bin/sh
# run.sh: `make run`: palaver and nginx in the foreground on 127.0.0.1:$PORT,
# with the database, the settings and the logs under var/.  Ctrl-C stops both.
#
# Environment (the Makefile passes them on; the tests set them):
#   PORT         port on 127.0.0.1 (default 8080)
#   VAR          directory for the database, settings and logs (var)
#   CONF         a configuration to use instead of $VAR/palaver.conf
#   VERBOSE      1: show palaver's request log in the terminal as well
#   PALAVER_BIN  the binary (build/palaver; the tests use the ASan build)
#
# $VAR/palaver.conf is made once from conf/palaver.conf and never rewritten:
# it is the developer's.  Each start overrides only what make run must
# decide itself: the socket (serve -s $VAR/palaver.sock, which nginx is
# pointed at) and, when started as root, the user (palaver runs as the
# palaver user through setpriv).  "serving" is printed only after a request
# through nginx to palaver has been answered.
set -eu
ROOT=$(pwd)
PORT=${PORT:-8080}
VAR=${VAR:-var}
BIN=${PALAVER_BIN:-build/palaver}
CONF=${CONF:-}
VERBOSE=${VERBOSE:-}
[ "$VERBOSE" != 0 ] || VERBOSE=
case $VAR in /*) ;; *) VAR=$ROOT/$VAR ;; esac
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac

fail() {
	echo "make run: $*" >&2
	exit 1
}

# A path as the developer typed it: relative to the checkout when inside.
rel() {
	case $1 in "$ROOT"/*) echo "${1#"$ROOT"/}" ;; *) echo "$1" ;; esac
}

# The inodes of the sockets listening on 127.0.0.1:PORT (IPv4 table only:
# an IPv6 wildcard listener may or may not take IPv4, and nginx will say).
listeners() {
	awk -v a="$1:$(printf '%04X' "$PORT")" \
	    '$2 == a && $4 == "0A" { print $10 }' /proc/net/tcp
}

# The same for IPv6 (an IPv6 wildcard listener takes IPv4 too, unless it
# was made IPv6-only; either way the port is not free for us to count on).
listeners6() {
	[ -r /proc/net/tcp6 ] || return 0
	awk -v a="$1:$(printf '%04X' "$PORT")" \
	    '$2 == a && $4 == "0A" { print $10 }' /proc/net/tcp6
}

# A process that has not exited (a zombie has).
alive() {
	st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

case $PORT in
'' | *[!0-9]* | 0*) fail "PORT=$PORT is not a port number (1 to 65535)" ;;
esac
[ "$PORT" -le 65535 ] || fail "PORT=$PORT is not a port number (1 to 65535)"
[ -x "$BIN" ] || fail "$(rel "$BIN") is missing: build it with make"
command -v nginx >/dev/null || fail "nginx is missing: sh conf/dev/deps.sh run"
command -v curl >/dev/null || fail "curl is missing: sh conf/dev/deps.sh run"

# Fail at once on a taken port, not after nginx's 2.5 s of retries.
if [ -n "$(listeners 0100007F)$(listeners 00000000)$(listeners6 \
    00000000000000000000000000000000)$(listeners6 \
    0000000000000000FFFF00000100007F)" ]; then
	fail "port $PORT is taken: something already listens on" \
	    "127.0.0.1:$PORT.  Stop it, or choose another port:" \
	    "PORT=$((PORT % 65535 + 1)) make run"
fi

mkdir -p "$VAR/nginx-tmp"
# One make run a directory: palaver would take over the other's socket.
exec 9>"$VAR/run.lock"
flock -n 9 || fail "another make run is using $(rel "$VAR")/; stop it" \
    "first (Ctrl-C in its terminal)"

# The settings: the developer's file, made once.
created=
if [ -n "$CONF" ]; then
	case $CONF in /*) ;; *) CONF=$ROOT/$CONF ;; esac
	[ -f "$CONF" ] || fail "CONF=$CONF: no such file"
else
	CONF=$VAR/palaver.conf
	if [ ! -e "$CONF" ]; then
		db=$(rel "$VAR/palaver.db")
		sock=$(rel "$VAR/palaver.sock")
		{
			echo "; $(rel "$CONF"): the settings of make run, copied" \
			    "once from conf/palaver.conf."
			echo "; Yours to edit: make run never rewrites it" \
			    "(restart make run to apply a change)."
			echo "; It overrides only [server] socket (serve -s) and," \
			    "as root, the user."
			sed -e "/^\[database\]/,/^\[/s|^path *=.*|path = $db|" \
			    -e "/^\[server\]/,/^\[/s|^socket *=.*|socket = $sock|" \
			    conf/palaver.conf
		} > "$CONF.tmp"
		mv "$CONF.tmp" "$CONF"
		created=1
	fi
fi

# As root: palaver and nginx's workers run as the palaver user (palaver
# never serves as root), so var/ is given to that user.
runas=
userline=
if [ "$(id -u)" = 0 ]; then
	if ! getent passwd palaver >/dev/null; then
		useradd --system --no-create-home --home-dir /nonexistent \
		    --shell /usr/sbin/nologin palaver
		echo "make run: created the system user palaver (no home, no" \
		    "login): you are root, and palaver never serves as root"
	fi
	chown -R palaver:palaver "$VAR"
	runas="setpriv --reuid=palaver --regid=palaver --clear-groups"
	userline="user palaver palaver;"
	$runas test -r "$CONF" || fail "CONF=$CONF: the palaver user cannot" \
	    "read it (as root, make run runs palaver as palaver)"
fi

sed -e "s|@VAR@|$VAR|g" -e "s|@ROOT@|$ROOT|g" -e "s|@PORT@|$PORT|g" \
    -e "s|@SOCK@|$VAR/palaver.sock|g" -e "s|@USER@|$userline|" \
    -e "s|@ACCESS_LOG@|$VAR/nginx-access.log|" \
    conf/dev/nginx.conf.in > "$VAR/nginx.conf"

pal=
ngx=
tailer=
cleanup() {
	trap - INT TERM EXIT
	[ -z "$tailer" ] || kill "$tailer" 2>/dev/null || true
	[ -z "$ngx" ] || kill -TERM "$ngx" 2>/dev/null || true
	[ -z "$pal" ] || kill -TERM "$pal" 2>/dev/null || true
	wait 2>/dev/null || true
}
on_signal() {
	cleanup
	echo "stopped."
	exit 0
}
on_exit() {
	rc=$?
	cleanup
	exit $rc
}
trap on_signal INT TERM
trap on_exit EXIT

# nginx first: were the port taken after all (an IPv6 listener that takes
# IPv4 too), its retries overlap the database work below.
# -e: its start-up complaints go to its log too (and not, as non-root, to
# an unwritable /var/log/nginx/error.log); stderr only repeats them.
nginx -e "$VAR/nginx-error.log" -c "$VAR/nginx.conf" -p "$VAR" \
    2> /dev/null 9>&- &
ngx=$!

# The database: migrated, and on first use the demo and a moderator.  What
# the commands say goes to the log; it is shown when one fails.
LOG=$VAR/palaver.log
echo "--- make run, $(date -u '+%F %T') UTC, port $PORT, $CONF" >> "$LOG"
pal_cli() {
	if ! $runas "$BIN" -c "$CONF" "$@" >> "$LOG" 2>&1; then
		tail -n 5 "$LOG" >&2
		fail "palaver $1 failed (above; settings: $(rel "$CONF"))"
	fi
}
pal_cli init
pal_cli demo
if [ -z "$($runas "$BIN" -c "$CONF" user list 2>>"$LOG")" ]; then
	pw=$(head -c 18 /dev/urandom | base64 | tr '+/' 'xy')
	printf '%s\n' "$pw" | pal_cli user add admin --role admin
	printf 'admin %s\n' "$pw" > "$VAR/admin-login.txt"
	chmod 600 "$VAR/admin-login.txt"
	[ -z "$runas" ] || chown palaver:palaver "$VAR/admin-login.txt"
fi

logfrom=$(($(wc -c < "$LOG") + 1))
rm -f "$VAR/palaver.sock"
$runas "$BIN" -c "$CONF" serve -s "$VAR/palaver.sock" >> "$LOG" 2>&1 9>&- &
pal=$!
i=0
until [ -S "$VAR/palaver.sock" ]; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! alive "$pal"; then
		tail -c +"$logfrom" "$LOG" | tail -n 5 >&2
		fail "palaver did not start (above; all of it in $(rel "$LOG"))"
	fi
	sleep 0.1
done

# Serving means: our nginx holds 127.0.0.1:PORT and a page came back from
# palaver through it.  Anything else within 15 s is a failure, named.
i=0
code=
while :; do
	if ! alive "$ngx"; then
		tail -n 3 "$VAR/nginx-error.log" >&2
		fail "nginx could not start on 127.0.0.1:$PORT (above; all" \
		    "of it in $(rel "$VAR")/nginx-error.log)"
	fi
	if ! alive "$pal"; then
		tail -c +"$logfrom" "$LOG" | tail -n 5 >&2
		fail "palaver stopped (above; all of it in $(rel "$LOG"))"
	fi
	ours=
	for inode in $(listeners 0100007F); do
		if ls -l "/proc/$ngx/fd" 2>/dev/null |
		    grep -q "socket:\[$inode\]"; then
			ours=1
		fi
	done
	if [ -n "$ours" ]; then
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
		    "http://127.0.0.1:$PORT/") || code=
		[ "$code" != 200 ] || break
	fi
	i=$((i + 1))
	if [ $i -gt 150 ]; then
		fail "no page from palaver through nginx on 127.0.0.1:$PORT" \
		    "within 15 s${code:+ (last status $code)}; see" \
		    "$(rel "$LOG") and $(rel "$VAR")/nginx-error.log"
	fi
	sleep 0.1
done

# The banner: everything a newcomer needs, short enough to stay on screen.
cmd="make cli"
[ "$VAR" = "$ROOT/var" ] || cmd="$cmd VAR=$(rel "$VAR")"
[ "$CONF" = "$VAR/palaver.conf" ] || cmd="$cmd CONF=$(rel "$CONF")"
[ "$BIN" = "$ROOT/build/palaver" ] || cmd="$cmd PALAVER_BIN=$(rel "$BIN")"
url=http://127.0.0.1:$PORT
echo
echo "palaver is serving at $url/"
echo
if [ -f "$VAR/admin-login.txt" ]; then
	read -r who pw < "$VAR/admin-login.txt"
	echo "  moderators    $url/mod/login as $who, password $pw"
fi
if [ -n "$created" ]; then
	echo "  settings      $(rel "$CONF") (new, from conf/palaver.conf;" \
	    "edit it, then restart)"
else
	echo "  settings      $(rel "$CONF") (edit it, then restart)"
fi
if [ -n "$VERBOSE" ]; then
	echo "  request log   $(rel "$LOG"), shown below"
else
	echo "  request log   $(rel "$LOG") (VERBOSE=1 make run shows it here)"
fi
echo "  command line  $cmd ARGS=\"user list\"   (ARGS=help: all commands)"
if [ -n "$runas" ]; then
	echo "  as root       palaver and nginx's workers run as the user" \
	    "palaver, and $(rel "$VAR")/ belongs to it"
fi
echo "  stop          Ctrl-C"
echo

if [ -n "$VERBOSE" ]; then
	tail -c +"$logfrom" -f "$LOG" 9>&- &
	tailer=$!
fi
while alive "$pal" && alive "$ngx"; do
	sleep 1 9>&- &
	wait $! || true
done
if ! alive "$pal"; then
	tail -n 5 "$LOG" >&2
	fail "palaver stopped (above; all of it in $(rel "$LOG"))"
fi
tail -n 3 "$VAR/nginx-error.log" >&2
fail "nginx stopped (above; all of it in $(rel "$VAR")/nginx-error.log)"
