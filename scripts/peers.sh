#!/bin/sh
# Build Linux's own ring benchmarks (tools/virtio/ringtest) from Debian's
# linux-source-6.1 into build/peers/ringtest, for vmeta bench.  Nothing of
# it is committed.  Prints the directory.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/build/peers"
src=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)
if [ -z "$src" ]; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		linux-source-6.1 >&2
	src=/usr/src/linux-source-6.1.tar.xz
fi
if [ ! -x "$out/ringtest/virtio_ring_0_9" ]; then
	mkdir -p "$out"
	tar -xf "$src" -C "$out" --strip-components=3 \
		linux-source-6.1/tools/virtio/ringtest
	make -s -C "$out/ringtest" ring virtio_ring_0_9 >&2
fi
echo "$out/ringtest"
