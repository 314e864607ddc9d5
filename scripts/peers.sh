#!/bin/sh
# Build Linux's own ring benchmarks from Debian's linux-source-6.1 into
# build/peers, for vmeta bench: tools/virtio/ringtest (ring,
# virtio_ring_0_9) into build/peers/ringtest, and tools/virtio/vringh_test
# (the host library vringh against the guest's virtio_ring) into
# build/peers/linux/tools/virtio.  Nothing of it is committed.  Prints
# build/peers; a peer that does not build is left out (the bench says so).
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
mkdir -p "$out"
if [ ! -x "$out/ringtest/virtio_ring_0_9" ]; then
	tar -xf "$src" -C "$out" --strip-components=3 \
		linux-source-6.1/tools/virtio/ringtest
	make -s -C "$out/ringtest" ring virtio_ring_0_9 >&2
fi
vt="$out/linux/tools/virtio"
if [ ! -x "$vt/vringh_test" ]; then
	rm -rf "$out/linux"
	mkdir -p "$out/linux"
	# vringh.h pulls in much of include/: take it whole.
	tar -xf "$src" -C "$out/linux" --strip-components=1 \
		linux-source-6.1/tools/virtio linux-source-6.1/tools/include \
		linux-source-6.1/include linux-source-6.1/arch/x86/include \
		linux-source-6.1/drivers/virtio/virtio_ring.c \
		linux-source-6.1/drivers/vhost
	# 6.1's virtio_ring.c uses data_race(), which tools/ lacks.
	CFLAGS="-D'data_race(e)=(e)'" make -s -C "$vt" vringh_test >&2 ||
		echo "peers.sh: vringh_test did not build" >&2
fi
echo "$out"
