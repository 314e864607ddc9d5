#!/bin/sh
# Build kmod/ (with core/) out of tree.  Usage:
# scripts/kbuild.sh [6.1] [6.12] [6.12-rt] [NAME=DIR]
# A series builds against the current Debian kernel headers of that
# series into build/kmod/$ABI; NAME=DIR builds against the kernel build
# tree DIR (e.g. the debug kernel of scripts/kdebug.sh) into
# build/kmod/NAME.  VMETA_PLANT=name in the environment plants a bug
# (core/vmeta_plant.h; kmod/Kbuild), for the debug tier's own test only.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
for series in "${@:-6.1 6.12}"; do
	for s in $series; do
		case "$s" in
		*=*)	abi=${s%%=*}; kdir=${s#*=} ;;
		*)	abi=$("$top/scripts/kheaders.sh" "$s")
			kdir="/usr/src/linux-headers-$abi" ;;
		esac
		out="$top/build/kmod/$abi"
		mkdir -p "$out"
		for f in "$top"/kmod/* "$top"/core/*; do
			ln -sf "$f" "$out/"
		done
		echo "kbuild: $abi${VMETA_PLANT:+ (planted: $VMETA_PLANT)}"
		make -s -C "$kdir" M="$out" \
			${VMETA_PLANT:+VMETA_PLANT=$VMETA_PLANT} modules
		ls -l "$out/vmeta.ko"
	done
done
