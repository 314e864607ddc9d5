#!/bin/sh
# make kcheck: vmeta.ko on Debian's current 6.1 and 6.12 cloud kernels,
# booted under QEMU (TCG), driven by Linux's own tools/virtio/virtio_test.
#
# Installs what it needs (qemu-system-x86; linux-source-6.1/6.12 and
# the kernel headers through apt-get; busybox-static and the kernel images
# through apt-get download, unpacked into build/), builds vmeta.ko per
# kernel (scripts/kbuild.sh), the stock vhost_test.ko per kernel from the
# matching linux-source (scripts/kstock.sh), virtio_test statically from
# linux-source-6.1 and our in-VM programs (into build/, never committed),
# packs an initramfs per kernel around scripts/kcheck-init.sh, boots it
# with two NUMA nodes, and compares the stock module's answers with ours
# (scripts/kanswers.sh).  Prints TAP and a
# final "N passed, N failed"; exits non-zero on any failure.
#
# Usage: scripts/kcheck.sh [6.1] [6.12]
# Environment: KCHECK_OPTS (virtio_test option sets, comma-separated,
# "none" for the defaults), KCHECK_STRATEGIES (comma-separated),
# KCHECK_TIMEOUT (seconds per virtio_test run in the guest),
# KCHECK_TORTURE_MS (per strategy and memory kind), KCHECK_SEED;
# KCHECK_FULL=1 runs every strategy with every option set on every
# kernel (about 8 minutes per kernel); by default the kernels share the
# matrix: each pair runs on one of them, each strategy and each option
# set on both.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/build/kcheck"
dl="$out/dl"
series=${*:-6.1 6.12}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
mkdir -p "$dl"

log() { echo "# $*"; }
apt_install() {
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends "$@" > "$out/apt.log" 2>&1 || {
		$SUDO apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
			--no-install-recommends "$@" >&2
	}
}
# apt-get download into $dl; prints the .deb's path.
download() {
	(cd "$dl" && apt-get download "$1" > /dev/null 2>&1) || {
		$SUDO apt-get update -qq >&2
		(cd "$dl" && apt-get download "$1" >&2)
	}
	ls "$dl/$1"_*.deb | head -n 1
}

# -- the tools --------------------------------------------------------------
command -v qemu-system-x86_64 > /dev/null || apt_install qemu-system-x86
bb="$out/busybox/bin/busybox"
if [ ! -x "$bb" ]; then
	deb=$(download busybox-static)
	dpkg-deb -x "$deb" "$out/busybox"
fi

# -- virtio_test from linux-source-6.1 ---------------------------------------
src=/usr/src/linux-source-6.1.tar.xz
[ -e "$src" ] || apt_install linux-source-6.1
vt="$out/linux/tools/virtio/virtio_test"
if [ ! -x "$vt" ]; then
	log "building virtio_test from $src"
	rm -rf "$out/linux"
	mkdir -p "$out/linux"
	tar -xf "$src" -C "$out/linux" --strip-components=1 \
		linux-source-6.1/tools/virtio linux-source-6.1/tools/include \
		linux-source-6.1/drivers/virtio/virtio_ring.c \
		linux-source-6.1/drivers/vhost/test.h \
		linux-source-6.1/include/linux/kconfig.h \
		linux-source-6.1/include/linux/byteorder/generic.h \
		linux-source-6.1/include/linux/irqreturn.h \
		linux-source-6.1/include/linux/kern_levels.h \
		linux-source-6.1/include/linux/virtio_byteorder.h \
		linux-source-6.1/include/linux/virtio_ring.h \
		linux-source-6.1/include/uapi/linux/virtio_config.h \
		linux-source-6.1/include/uapi/linux/virtio_ring.h \
		linux-source-6.1/include/uapi/linux/virtio_types.h
	# 6.1's virtio_ring.c uses data_race(), which tools/ lacks.
	CFLAGS="-D'data_race(e)=(e)'" LDFLAGS="-static" \
		make -s -C "$out/linux/tools/virtio" virtio_test >&2
fi

# Our in-VM programs, static.
for t in vhost_check vhost_answers vhost_torture; do
	if [ ! -x "$out/$t" ] || [ "$top/tests/kmod/$t.c" -nt "$out/$t" ]; then
		${CC:-gcc} -O2 -Wall -Wextra -Werror -static -pthread \
			-o "$out/$t" "$top/tests/kmod/$t.c"
	fi
done
command -v xz > /dev/null || apt_install xz-utils

# -- one kernel ----------------------------------------------------------------
pass=0
fail=0
n=0
tap() {	# tap ok|"not ok" description
	n=$((n + 1))
	if [ "$1" = ok ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
	echo "$1 $n - $2"
}

# Boot the initramfs of $1 with kernel arguments $2; $vm_status: QEMU's
# exit status (124 when the timeout stopped it).
boot_vm() {
	vm_status=0
	timeout "${KCHECK_VM_TIMEOUT:-1800}" qemu-system-x86_64 -accel tcg \
		-nographic -no-reboot -m 1024 \
		-smp 2,sockets=2,cores=1,threads=1 \
		-object memory-backend-ram,id=m0,size=512M \
		-object memory-backend-ram,id=m1,size=512M \
		-numa node,nodeid=0,cpus=0,memdev=m0 \
		-numa node,nodeid=1,cpus=1,memdev=m1 -kernel "$1/vmlinuz" \
		-initrd "$1/initramfs.cpio.gz" -append "$2" \
		< /dev/null > "$1/console.log" 2>&1 || vm_status=$?
}

run_kernel() {
	s=$1
	part=$2
	abi=$("$top/scripts/kheaders.sh" "$s")
	k="$out/$abi"
	mkdir -p "$k"
	# The image: vmlinuz, and the vhost.ko and vhost_iotlb.ko that the
	# stock vhost_test.ko links against.
	if [ ! -s "$k/vmlinuz" ] || [ ! -s "$k/mods/vhost.ko" ] ||
	   [ ! -s "$k/image-version" ]; then
		deb=$(download "linux-image-$abi")
		dpkg-deb --fsys-tarfile "$deb" |
			tar -xO "./boot/vmlinuz-$abi" > "$k/vmlinuz"
		rm -rf "$k/mods"
		mkdir -p "$k/mods"
		vdir="./lib/modules/$abi/kernel/drivers/vhost"
		for m in vhost vhost_iotlb; do
			f=$(dpkg-deb -c "$deb" | awk '{print $NF}' |
			    grep -x "$vdir/$m\.ko\(\.xz\)\?" || true)
			[ -n "$f" ] || continue
			dpkg-deb --fsys-tarfile "$deb" | tar -xO "$f" \
				> "$k/mods/$m.ko${f##*.ko}"
			[ "${f##*.}" = xz ] && xz -df "$k/mods/$m.ko.xz"
		done
		dpkg-deb -f "$deb" Version > "$k/image-version"
		rm -f "$deb"
	fi
	ver=$(cat "$k/image-version")
	if [ -s "$k/mods/vhost.ko" ] && [ -s "$k/mods/vhost_iotlb.ko" ]; then
		tap ok "$abi: the image ($ver) ships vhost.ko, vhost_iotlb.ko"
	else
		tap "not ok" "$abi: the image ($ver) ships vhost.ko, vhost_iotlb.ko"
	fi
	if "$top/scripts/kstock.sh" "$s" "$ver" "$k/stock" \
		> "$k/kstock.log" 2>&1; then
		tap ok "$abi: stock vhost_test.ko builds from linux-source-$s $(cat "$k/stock/source-version")"
	else
		sed 's/^/# /' "$k/kstock.log"
		tap "not ok" "$abi: stock vhost_test.ko builds ($k/kstock.log)"
	fi
	"$top/scripts/kbuild.sh" "$s" > "$k/kbuild.log" 2>&1 || {
		cat "$k/kbuild.log" >&2
		tap "not ok" "$abi: vmeta.ko builds"
		return
	}
	tap ok "$abi: vmeta.ko builds"

	r="$k/root"
	rm -rf "$r"
	mkdir -p "$r/bin" "$r/dev" "$r/proc" "$r/sys" "$r/tmp"
	cp "$bb" "$r/bin/busybox"
	cp "$top/scripts/kcheck-init.sh" "$r/init"
	chmod 755 "$r/init"
	cp "$vt" "$r/virtio_test"
	for t in vhost_check vhost_answers vhost_torture; do
		cp "$out/$t" "$r/$t"
	done
	if [ -s "$k/stock/vhost_test.ko" ] && [ -s "$k/mods/vhost.ko" ]; then
		mkdir -p "$r/stock"
		cp "$k/mods/vhost.ko" "$k/mods/vhost_iotlb.ko" \
			"$k/stock/vhost_test.ko" "$r/stock/"
	fi
	cp "$top/build/kmod/$abi/vmeta.ko" "$r/vmeta.ko"
	(cd "$r" && find . | sort | "$bb" cpio -o -H newc -R 0:0 2>/dev/null |
		gzip -1 > "$k/initramfs.cpio.gz")

	append="console=ttyS0 panic=-1 quiet numa_balancing=disable"
	append="$append kcheck.half=$part"
	[ -z "${KCHECK_OPTS:-}" ] || append="$append kcheck.opts=$KCHECK_OPTS"
	[ -z "${KCHECK_STRATEGIES:-}" ] ||
		append="$append kcheck.strategies=$KCHECK_STRATEGIES"
	[ -z "${KCHECK_TIMEOUT:-}" ] ||
		append="$append kcheck.timeout=$KCHECK_TIMEOUT"
	[ -z "${KCHECK_TORTURE_MS:-}" ] ||
		append="$append kcheck.torture_ms=$KCHECK_TORTURE_MS"
	[ -z "${KCHECK_SEED:-}" ] || append="$append kcheck.seed=$KCHECK_SEED"
	log "booting $abi under QEMU (TCG)"
	t0=$(date +%s)
	boot_vm "$k" "$append"
	# QEMU itself has crashed here (a segfault in TCG, seen once, before
	# the kernel printed anything): boot again once, and say so.
	if [ "$vm_status" -gt 128 ] && [ "$vm_status" -ne 137 ] &&
	   ! grep -q "KCHECK:" "$k/console.log"; then
		log "$abi: qemu-system-x86_64 died of signal $((vm_status - 128)) before the guest started; booting again"
		boot_vm "$k" "$append"
	fi
	t1=$(date +%s)
	tr -d '\r' < "$k/console.log" | sed -n 's/^KCHECK: //p' > "$k/results"
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) tap ok "$abi: ${line#ok - }" ;;
		"not ok - "*) tap "not ok" "$abi: ${line#not ok - }" ;;
		"#"*|kernel*|end) echo "# $abi: $line" ;;
		esac
	done < "$k/results"
	# Answer for answer: the stock module's against ours.
	tr -d '\r' < "$k/console.log" > "$k/console.txt"
	sed -n 's/^KANS: stock //p' "$k/console.txt" > "$k/answers.stock"
	sed -n 's/^KANS: ours //p' "$k/console.txt" > "$k/answers.ours"
	"$top/scripts/kanswers.sh" "$s" "$k/answers.stock" \
		"$k/answers.ours" > "$k/answers.tap"
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) tap ok "$abi: ${line#ok - }" ;;
		"not ok - "*) tap "not ok" "$abi: ${line#not ok - }" ;;
		*) echo "$line" ;;
		esac
	done < "$k/answers.tap"
	# virtio_test's runtime, the stock device beside ours.
	sed -n 's/^KTIME: //p' "$k/console.txt" > "$k/times"
	echo "# $abi: virtio_test seconds per option set, stock vhost_test.ko" \
	     "and vmeta.ko by strategy (QEMU TCG: indicative only)"
	for o in $(awk '$1 == "stock" {print $2}' "$k/times"); do
		echo "# $abi:   $o: $(awk -v o="$o" '$2 == o {
			printf "%s %s s  ", $1, $3 }' "$k/times")"
	done
	if grep -qx end "$k/results"; then
		tap ok "$abi: the guest ran to the end # $((t1 - t0)) s"
	else
		tap "not ok" "$abi: the guest ran to the end ($k/console.log)"
		tail -n 20 "$k/console.log" | sed 's/^/# /'
	fi
}

half=0
for s in $series; do
	if [ "${KCHECK_FULL:-0}" = 1 ] || [ "$(echo $series | wc -w)" -eq 1 ]
	then
		run_kernel "$s" all
	else
		run_kernel "$s" $half
		half=$((1 - half))
	fi
done
echo "1..$n"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
