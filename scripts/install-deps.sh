#!/bin/sh
# Installs the Debian packages isms needs to build, run and test, if any are missing.
set -e
PKGS="build-essential pkg-config libmicrohttpd-dev libjansson-dev libsodium-dev libsqlite3-dev
libpq-dev libcmocka-dev libxlsxwriter-dev libcmark-dev sqlite3 postgresql postgresql-client chromium nodejs npm"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node.js may come from elsewhere than Debian (e.g. a preinstalled newer version).
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
	missing=$(echo "$missing" | tr ' ' '\n' | grep -v -x -e nodejs -e npm | tr '\n' ' ')
fi
missing=$(echo $missing)
[ -z "$missing" ] && exit 0
echo "isms: installing Debian packages: $missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
