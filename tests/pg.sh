#!/bin/sh
# pg.sh: a throwaway PostgreSQL cluster for the tests: initdb into a
# temporary directory, the server on a unix socket in that directory only
# (no TCP), as an unprivileged user (palaver when run as root), stopped and
# removed afterwards.  Debian's postgresql-15 (conf/dev/deps.sh test).
#
#   sh tests/pg.sh run CMD [ARG...]   start one, run CMD with
#                                     PALAVER_TEST_PG=<its directory>, stop
#   sh tests/pg.sh start              start one; print its directory
#   sh tests/pg.sh stop DIR           stop it and remove DIR
#
# In the cluster: the superuser postgres, and the role palaver (LOGIN, no
# other privilege) that owns the databases the tests make, as a site's
# database would be owned by the role palaver connects as.  Local
# connections are trusted: the socket's directory is the only way in.
set -eu

bindir() {
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/initdb" ] && { echo "$d"; return; }
	done
	echo "pg.sh: PostgreSQL's server is not installed" \
	    "(sh conf/dev/deps.sh test installs postgresql-15)" >&2
	exit 1
}

PGBIN=$(bindir)
if [ "$(id -u)" = 0 ]; then
	if ! getent passwd palaver >/dev/null; then
		useradd --system --no-create-home --home-dir /nonexistent \
		    --shell /usr/sbin/nologin palaver
	fi
	OWNER=palaver
	AS="setpriv --reuid=palaver --regid=palaver --clear-groups"
else
	OWNER=$(id -un)
	AS=
fi

start() {
	dir=$(mktemp -d /tmp/palaver-pg.XXXXXX)
	chmod 755 "$dir"
	[ -n "$AS" ] && chown "$OWNER" "$dir"
	# The server's own fsync stays on (the durability tests need it);
	# only initdb's files are not synced.
	$AS "$PGBIN/initdb" -D "$dir/data" -U postgres --auth=trust \
	    -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		rm -rf "$dir"
		exit 1
	}
	cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
max_connections = 300
shared_buffers = 64MB
log_min_messages = warning
log_min_error_statement = panic
EOF
	$AS "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
	    start >/dev/null || {
		cat "$dir/server.log" >&2
		rm -rf "$dir"
		exit 1
	}
	"$PGBIN/psql" -X -q -h "$dir" -U postgres -d postgres \
	    -c "CREATE ROLE palaver LOGIN" >/dev/null
	echo "$dir"
}

stop() {
	dir=$1
	case $dir in
	/tmp/palaver-pg.*) ;;
	*) echo "pg.sh: $dir is not a cluster of pg.sh" >&2; exit 1 ;;
	esac
	if [ -f "$dir/data/postmaster.pid" ]; then
		$AS "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop \
		    >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

case ${1:-} in
start)
	start
	;;
stop)
	stop "$2"
	;;
run)
	shift
	dir=$(start)
	trap 'stop "$dir"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	PALAVER_TEST_PG=$dir PALAVER_PGBIN=$PGBIN "$@"
	;;
*)
	echo "usage: sh tests/pg.sh run CMD... | start | stop DIR" >&2
	exit 2
	;;
esac
