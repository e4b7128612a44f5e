#!/bin/sh
# deps.sh: install the Debian packages a target needs, when missing.
# Usage: deps.sh run|test|bench
set -eu
what=${1:-run}

pkgs="make gcc libc6-dev pkg-config libfcgi-dev libsqlite3-dev sqlite3
libpq-dev libsodium-dev libmd4c-dev libinih-dev libjansson-dev libxml2-dev
zlib1g-dev util-linux curl libcurl4-openssl-dev gettext locales tzdata"
command -v nginx >/dev/null 2>&1 || pkgs="$pkgs nginx-light"
case $what in
test|bench)
	# postgresql-15: the throwaway cluster of tests/pg.sh (server,
	# initdb, pg_ctl, psql, amcheck).
	pkgs="$pkgs libcmocka-dev clang libclang-rt-14-dev wrk chromium
python3 python3-seccomp python3-prometheus-client systemd tidy python3-aiosmtpd python3-feedparser openssl
postgresql-15 postgresql-client-15"
	# Node.js may come from elsewhere (with its own npm): only install
	# Debian's when there is none.
	command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
	command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"
	;;
esac

missing=
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
# The locales of palaver's languages ([site] language, src/core/i18n.c):
# a fresh Debian has only C.UTF-8, and palaver refuses a language whose
# locale is not generated rather than show English.
LOCALES="de_DE.UTF-8"

locales_missing() {
	have=$(locale -a 2>/dev/null | tr 'A-Z' 'a-z')
	for l in $LOCALES; do
		want=$(echo "$l" | tr 'A-Z' 'a-z' | sed 's/utf-8$/utf8/')
		echo "$have" | grep -qx "$want" || echo "$l"
	done
}

gen_locales() {
	lm=$(locales_missing)
	[ -z "$lm" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "deps.sh: missing locales:" $lm >&2
		echo "deps.sh: as root, uncomment them in /etc/locale.gen" \
		    "and run locale-gen" >&2
		exit 1
	fi
	echo "deps.sh: generating the locales" $lm
	for l in $lm; do
		# Debian's locale-gen builds what /etc/locale.gen lists.
		if grep -q "^# *$l UTF-8" /etc/locale.gen; then
			sed -i "s/^# *$l UTF-8/$l UTF-8/" /etc/locale.gen
		elif ! grep -q "^$l UTF-8" /etc/locale.gen; then
			echo "$l UTF-8" >> /etc/locale.gen
		fi
	done
	locale-gen >/dev/null
}

if [ -z "$missing" ]; then
	gen_locales
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing Debian packages:$missing" >&2
	echo "deps.sh: install them as root (apt-get install$missing)" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
gen_locales
