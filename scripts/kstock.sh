#!/bin/sh
# Build Linux's own drivers/vhost/test.c (the stock /dev/vhost-test,
# vhost_test.ko) out of tree against a Debian cloud kernel's headers, from
# the Debian linux-source package of the same version as the kernel image
# (test.c is compiled against the private drivers/vhost/vhost.h and linked
# to that image's vhost.ko: the struct layouts must match).  Nothing of it
# is committed: the sources are unpacked into build/.
#
# Usage: scripts/kstock.sh 6.1|6.12 IMAGE_VERSION OUTDIR [KDIR]
# KDIR: the kernel build tree to build against (our debug kernel's);
# by default the Debian headers of the series' current image.
# Installs linux-source-<series> (that exact version) with apt-get when
# missing; leaves OUTDIR/vhost_test.ko.  Exits non-zero, saying why, if the
# matching source cannot be had or the module does not build.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
s=$1
want=$2
out=$3
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

have=$(dpkg-query -W -f '${Version}' "linux-source-$s" 2>/dev/null || true)
if [ "$have" != "$want" ]; then
	echo "kstock: linux-source-$s is '$have', the image is $want;" \
	     "installing linux-source-$s=$want" >&2
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends "linux-source-$s=$want" >&2 || {
		$SUDO apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
			--no-install-recommends "linux-source-$s=$want" >&2
	} || {
		echo "kstock: no linux-source-$s $want in the archive:" \
		     "the stock module cannot be built for this image" >&2
		exit 1
	}
fi

kdir=${4:-/usr/src/linux-headers-$("$top/scripts/kheaders.sh" "$s")}
rm -rf "$out"
mkdir -p "$out"
tar -xf "/usr/src/linux-source-$s.tar.xz" -C "$out" --strip-components=3 \
	"linux-source-$s/drivers/vhost/test.c" \
	"linux-source-$s/drivers/vhost/test.h" \
	"linux-source-$s/drivers/vhost/vhost.h"
printf 'obj-m := vhost_test.o\nvhost_test-y := test.o\n' > "$out/Kbuild"
echo "$want" > "$out/source-version"
make -s -C "$kdir" M="$out" modules 2>&1 |
	grep -v '^Skipping BTF' >&2 || true
[ -s "$out/vhost_test.ko" ] || {
	echo "kstock: $out/vhost_test.ko did not build" >&2
	exit 1
}
