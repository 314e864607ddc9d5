#!/bin/sh
# Build kmod/ (with core/) against the current Debian cloud kernels of
# the given series, out of tree, into build/kmod/$ABI.  Usage:
# scripts/kbuild.sh [6.1] [6.12]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
for series in "${@:-6.1 6.12}"; do
	for s in $series; do
		abi=$("$top/scripts/kheaders.sh" "$s")
		out="$top/build/kmod/$abi"
		mkdir -p "$out"
		for f in "$top"/kmod/* "$top"/core/*; do
			ln -sf "$f" "$out/"
		done
		echo "kbuild: $abi"
		make -s -C "/usr/src/linux-headers-$abi" M="$out" modules
		ls -l "$out/vmeta.ko"
	done
done
