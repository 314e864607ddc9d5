#!/bin/sh
# Install the Debian packages a target needs, only when they are missing.
# Usage: scripts/deps.sh build|bench|kernel
set -eu

case "${1:-build}" in
build)	pkgs="gcc clang make perl liburcu-dev libclang-rt-14-dev" ;;
bench)	pkgs="gcc clang make perl liburcu-dev gnuplot-nox util-linux" ;;
*)	echo "deps.sh: unknown set '$1'" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
