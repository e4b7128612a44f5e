#!/bin/sh
# run.sh: `make run`: palaver and nginx in the foreground on 127.0.0.1:$PORT,
# with the database under var/.  Ctrl-C stops both.
set -eu
ROOT=$(pwd)
VAR=$ROOT/var
PORT=${PORT:-8080}
BIN=$ROOT/build/palaver

mkdir -p "$VAR/nginx-tmp"
# The development configuration: conf/palaver.conf with the paths under var/
# and, when we are root, a user to drop to (palaver never serves as root).
runas=
userline=
sed -e "s|^path = .*|path = $VAR/palaver.db|" \
    -e "s|^socket = .*|socket = $VAR/palaver.sock|" \
    conf/palaver.conf > "$VAR/palaver.conf"
if [ "$(id -u)" = 0 ]; then
	if ! getent passwd palaver >/dev/null; then
		useradd --system --no-create-home --home-dir /nonexistent \
		    --shell /usr/sbin/nologin palaver
	fi
	sed -i "s|^user =.*|user = palaver|" "$VAR/palaver.conf"
	chown -R palaver:palaver "$VAR"
	runas="setpriv --reuid=palaver --regid=palaver --clear-groups"
	userline="user palaver palaver;"
fi
CONF=$VAR/palaver.conf

$runas "$BIN" -c "$CONF" init
$runas "$BIN" -c "$CONF" demo
# A moderator for the demo, made once; its password is kept in var/ (this
# is a development database: a real one gets `palaver user add`).
if [ -z "$($runas "$BIN" -c "$CONF" user list)" ]; then
	pw=$(head -c 18 /dev/urandom | base64 | tr '+/' 'xy')
	printf '%s\n' "$pw" | $runas "$BIN" -c "$CONF" user add admin \
	    --role admin >/dev/null
	printf 'admin %s\n' "$pw" > "$VAR/admin-login.txt"
	chmod 600 "$VAR/admin-login.txt"
fi

sed -e "s|@VAR@|$VAR|g" -e "s|@ROOT@|$ROOT|g" -e "s|@PORT@|$PORT|g" \
    -e "s|@SOCK@|$VAR/palaver.sock|g" -e "s|@USER@|$userline|" \
    -e "s|@ACCESS_LOG@|$VAR/nginx-access.log|" \
    conf/dev/nginx.conf.in > "$VAR/nginx.conf"
nginx -t -q -c "$VAR/nginx.conf" -p "$VAR" 2>&1 | grep -v 'nginx.pid' || true

pal=
ngx=
stop() {
	trap - INT TERM EXIT
	[ -n "$ngx" ] && kill -TERM "$ngx" 2>/dev/null
	[ -n "$pal" ] && kill -TERM "$pal" 2>/dev/null
	wait 2>/dev/null || true
	echo "stopped."
	exit 0
}
trap stop INT TERM EXIT

"$BIN" -c "$CONF" serve &
pal=$!
i=0
while [ ! -S "$VAR/palaver.sock" ]; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$pal" 2>/dev/null; then
		echo "run.sh: palaver did not start; see the messages above" >&2
		exit 1
	fi
	sleep 0.1
done
nginx -c "$VAR/nginx.conf" -p "$VAR" &
ngx=$!
sleep 0.3
if ! kill -0 "$ngx" 2>/dev/null; then
	echo "run.sh: nginx did not start (port $PORT in use?); see" \
	    "$VAR/nginx-error.log" >&2
	exit 1
fi
echo
echo "palaver is serving at http://127.0.0.1:$PORT/"
if [ -f "$VAR/admin-login.txt" ]; then
	read -r who pw < "$VAR/admin-login.txt"
	echo "moderators log in at http://127.0.0.1:$PORT/mod/login as $who," \
	    "password $pw"
fi
echo "(database $VAR/palaver.db; Ctrl-C stops palaver and nginx)"
echo
wait
