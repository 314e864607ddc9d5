#!/bin/sh
# Resolve the current Debian cloud kernel ABI of a series and install its
# headers when missing; print the ABI.  Usage: scripts/kheaders.sh 6.1|6.12|6.12-rt
set -eu

case "${1:-}" in
6.1)	meta=linux-image-cloud-amd64 ;;
6.12)	meta=linux-image-6.12-cloud-amd64 ;;
6.12-rt) meta=linux-image-6.12-rt-amd64 ;;	# PREEMPT_RT
*)	echo "kheaders.sh: series 6.1, 6.12 or 6.12-rt" >&2; exit 2 ;;
esac

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
abi_of() {
	apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\(.*\)$/\1/p' | head -n 1
}
abi=$(abi_of)
if [ -z "$abi" ]; then
	$SUDO apt-get update -qq >&2
	abi=$(abi_of)
fi
[ -n "$abi" ] || { echo "kheaders.sh: cannot resolve $meta" >&2; exit 1; }
if [ ! -e "/usr/src/linux-headers-$abi/Makefile" ]; then
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends "linux-headers-$abi" >&2
fi
echo "$abi"
