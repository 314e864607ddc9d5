#!/bin/sh
# make kcheck: vmeta.ko on Debian's current 6.1 and 6.12 cloud kernels and
# its 6.12 PREEMPT_RT kernel, booted under QEMU (TCG), driven by Linux's
# own tools/virtio/virtio_test; make kcheck-debug: the same on our own 6.1
# with KASAN, lockdep, kmemleak & co. (scripts/kdebug.sh).
#
# Installs what it needs (qemu-system-x86; linux-source-6.1/6.12 and
# the kernel headers through apt-get; busybox-static and the kernel images
# through apt-get download, unpacked into build/), builds vmeta.ko per
# kernel (scripts/kbuild.sh), the stock vhost_test.ko per kernel from the
# matching linux-source (scripts/kstock.sh), virtio_test statically from
# linux-source-6.1 and our in-VM programs (into build/, never committed),
# packs an initramfs per kernel around scripts/kcheck-init.sh, boots it
# with two NUMA nodes, and compares the stock module's answers with ours
# (scripts/kanswers.sh).  Prints TAP and a final "N passed, N skipped,
# N failed"; exits non-zero on any failure.
#
# Usage: scripts/kcheck.sh [6.1] [6.12] [6.12-rt] [debug]
# debug boots with kasan.fault=panic, swap on a RAM disk and a kmemleak
# scan at the end; with VMETA_PLANT=name its vmeta.ko carries that planted
# bug (core/vmeta_plant.h).  The kernels slower under TCG, 6.12-rt and
# debug, run virtio_test with a quarter of the buffers (the count scaled,
# never the limits).
# Environment: KCHECK_OPTS (virtio_test option sets, comma-separated,
# "none" for the defaults), KCHECK_STRATEGIES (comma-separated),
# KCHECK_TIMEOUT (seconds per virtio_test run in the guest),
# KCHECK_TORTURE_MS (per strategy and memory kind), KCHECK_SEED,
# KCHECK_STOCK=0 (skip the stock device: the plants' runs),
# KCHECK_LOGLEVEL (the guest console's loglevel, default 1: emergencies);
# KCHECK_FULL=1 runs every strategy with every option set on every
# kernel; by default several kernels share the matrix (halves in turn:
# each pair runs on one of them at least, each strategy and each option
# set on all), and a kernel alone runs it whole.
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

# virtio_test_N: the same client with N buffers instead of 0x100000, for
# a kernel several times slower under TCG; the guest checks completed=
# against the count it was given (kcheck.bufs).  Prints its path.
virtio_test_scaled() {
	d="$out/linux/tools/virtio"
	if [ ! -x "$d/virtio_test_$1" ]; then
		sed "s/reset, 0x100000);/reset, $1);/" "$d/virtio_test.c" \
			> "$d/virtio_test_$1.c"
		grep -q "reset, $1);" "$d/virtio_test_$1.c"
		CFLAGS="-D'data_race(e)=(e)'" make -s -C "$d" \
			"virtio_test_$1.o" virtio_ring.o >&2
		(cd "$d" && ${CC:-gcc} -static -pthread -o "virtio_test_$1" \
			"virtio_test_$1.o" virtio_ring.o)
	fi
	echo "$d/virtio_test_$1"
}

# Our in-VM programs, static.
for t in vhost_check vhost_answers vhost_torture mm_check; do
	if [ ! -x "$out/$t" ] || [ "$top/tests/kmod/$t.c" -nt "$out/$t" ] ||
	   [ "$top/tests/kmod/vm_check.h" -nt "$out/$t" ]; then
		${CC:-gcc} -O2 -Wall -Wextra -Werror -static -pthread \
			-o "$out/$t" "$top/tests/kmod/$t.c"
	fi
done
command -v xz > /dev/null || apt_install xz-utils

# -- one kernel ----------------------------------------------------------------
pass=0
fail=0
skipped=0
n=0
tap() {	# tap ok|"not ok" description
	n=$((n + 1))
	case "$1 $2" in
	"ok "*"# SKIP"*) skipped=$((skipped + 1)) ;;
	"ok "*) pass=$((pass + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
	echo "$1 $n - $2"
}

# Boot the initramfs of $1 with kernel arguments $2 and $mem MiB; $vm_status:
# QEMU's exit status (124 when the timeout stopped it).
boot_vm() {
	vm_status=0
	timeout "${KCHECK_VM_TIMEOUT:-1800}" qemu-system-x86_64 -accel tcg \
		-nographic -no-reboot -m "$mem" \
		-smp 2,sockets=2,cores=1,threads=1 \
		-object memory-backend-ram,id=m0,size=$((mem / 2))M \
		-object memory-backend-ram,id=m1,size=$((mem / 2))M \
		-numa node,nodeid=0,cpus=0,memdev=m0 \
		-numa node,nodeid=1,cpus=1,memdev=m1 -kernel "$1/vmlinuz" \
		-initrd "$1/initramfs.cpio.gz" -append "$2" \
		< /dev/null > "$1/console.log" 2>&1 || vm_status=$?
}

# A Debian kernel of series $s: sets abi, k (its directory, with vmlinuz
# and mods/: the vhost.ko and vhost_iotlb.ko the stock vhost_test.ko links
# against, and brd.ko, a RAM disk to swap to), kb (what scripts/kbuild.sh
# builds against) and builds the stock module from linux-source of the
# image's version.
debian_kernel() {
	abi=$("$top/scripts/kheaders.sh" "$s")
	k="$out/$abi"
	kb=$s
	mkdir -p "$k"
	if [ ! -s "$k/vmlinuz" ] || [ ! -s "$k/mods/vhost.ko" ] ||
	   [ ! -s "$k/mods/brd.ko" ] || [ ! -s "$k/image-version" ]; then
		deb=$(download "linux-image-$abi")
		dpkg-deb --fsys-tarfile "$deb" |
			tar -xO "./boot/vmlinuz-$abi" > "$k/vmlinuz"
		rm -rf "$k/mods"
		mkdir -p "$k/mods"
		mdir="./lib/modules/$abi/kernel/drivers"
		for m in vhost/vhost vhost/vhost_iotlb block/brd; do
			f=$(dpkg-deb -c "$deb" | awk '{print $NF}' |
			    grep -x "$mdir/$m\.ko\(\.xz\)\?" || true)
			m=${m#*/}
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
	stock_module "${s%-rt}" "$ver" "/usr/src/linux-headers-$abi"
}

# Our debug kernel (scripts/kdebug.sh builds it or takes it from its
# cache): the same variables as debian_kernel.
debug_kernel() {
	t0=$(date +%s)
	kd=$("$top/scripts/kdebug.sh") || {
		tap "not ok" "the debug kernel builds"
		return 1
	}
	tap ok "the debug kernel builds or is cached # $(($(date +%s) - t0)) s"
	abi=kdebug${VMETA_PLANT:+-$VMETA_PLANT}
	k="$out/$abi"
	kb="$abi=$kd/obj"
	rm -rf "$k/mods"
	mkdir -p "$k/mods"
	cp "$kd/bzImage" "$k/vmlinuz"
	cp "$kd/modules/vhost.ko" "$kd/modules/vhost_iotlb.ko" "$k/mods/"
	stock_module 6.1 "$(dpkg-query -W -f='${Version}' linux-source-6.1)" \
		"$kd/obj"
}

# The stock vhost_test.ko from linux-source-$1 version $2, built against
# the kernel tree $3, into $k/stock.
stock_module() {
	if [ "${KCHECK_STOCK:-1}" != 1 ]; then
		rm -rf "$k/stock"
		return
	fi
	if "$top/scripts/kstock.sh" "$1" "$2" "$k/stock" "$3" \
		> "$k/kstock.log" 2>&1; then
		tap ok "$abi: stock vhost_test.ko builds from linux-source-$1 $(cat "$k/stock/source-version")"
	else
		sed 's/^/# /' "$k/kstock.log"
		tap "not ok" "$abi: stock vhost_test.ko builds ($k/kstock.log)"
	fi
}

run_kernel() {
	s=$1
	part=$2
	# Memory, kernel arguments, the virtio_test client and the series
	# whose deliberate answers apply, per kernel.
	base=${s%-rt}
	mem=1024
	extra=""
	client=$vt
	bufs=0x100000
	case "$s" in
	debug)
		debug_kernel || return
		# KASAN's shadow and kmemleak's metadata need room.  A KASAN
		# report panics: after a use-after-free the guest may run on
		# corrupted data and hang, its report never seen.
		base=6.1
		mem=2048
		extra="kasan.fault=panic kcheck.debug=1"
		bufs=0x40000 ;;
	*-rt)
		debian_kernel
		bufs=0x40000 ;;
	*)
		debian_kernel ;;
	esac
	[ "$bufs" = 0x100000 ] || client=$(virtio_test_scaled "$bufs")
	"$top/scripts/kbuild.sh" "$kb" > "$k/kbuild.log" 2>&1 || {
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
	cp "$client" "$r/virtio_test"
	for t in vhost_check vhost_answers vhost_torture mm_check; do
		cp "$out/$t" "$r/$t"
	done
	if [ -s "$k/stock/vhost_test.ko" ] && [ -s "$k/mods/vhost.ko" ]; then
		mkdir -p "$r/stock"
		cp "$k/mods/vhost.ko" "$k/mods/vhost_iotlb.ko" \
			"$k/stock/vhost_test.ko" "$r/stock/"
	fi
	[ ! -s "$k/mods/brd.ko" ] || cp "$k/mods/brd.ko" "$r/brd.ko"
	cp "$top/build/kmod/$abi/vmeta.ko" "$r/vmeta.ko"
	(cd "$r" && find . | sort | "$bb" cpio -o -H newc -R 0:0 2>/dev/null |
		gzip -1 > "$k/initramfs.cpio.gz")

	# oops=panic: a crashed guest powers off at once rather than hang
	# until the timeout; panic_print=0x20: the panic replays the whole
	# kernel log on the console (which shows only emergencies before).
	append="console=ttyS0 panic=-1 oops=panic panic_print=0x20 quiet"
	append="$append numa_balancing=disable"
	# The guest crashes itself a minute before the host's timeout, so
	# that a hang leaves its kernel log (scripts/kcheck-init.sh).
	append="$append kcheck.watchdog=$((${KCHECK_VM_TIMEOUT:-1800} - 60))"
	append="$append kcheck.half=$part kcheck.bufs=$bufs $extra"
	[ -z "${KCHECK_OPTS:-}" ] || append="$append kcheck.opts=$KCHECK_OPTS"
	[ -z "${KCHECK_STRATEGIES:-}" ] ||
		append="$append kcheck.strategies=$KCHECK_STRATEGIES"
	[ -z "${KCHECK_TIMEOUT:-}" ] ||
		append="$append kcheck.timeout=$KCHECK_TIMEOUT"
	[ -z "${KCHECK_TORTURE_MS:-}" ] ||
		append="$append kcheck.torture_ms=$KCHECK_TORTURE_MS"
	[ -z "${KCHECK_SEED:-}" ] || append="$append kcheck.seed=$KCHECK_SEED"
	[ -z "${KCHECK_LOGLEVEL:-}" ] ||
		append="$append kcheck.loglevel=$KCHECK_LOGLEVEL"
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
	tr -d '\r' < "$k/console.log" > "$k/console.txt"
	[ "${KCHECK_STOCK:-1}" = 1 ] || { guest_end; return; }
	# Answer for answer: the stock module's against ours.
	sed -n 's/^KANS: stock //p' "$k/console.txt" > "$k/answers.stock"
	sed -n 's/^KANS: ours //p' "$k/console.txt" > "$k/answers.ours"
	"$top/scripts/kanswers.sh" "$base" "$k/answers.stock" \
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
	guest_end
}

guest_end() {
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
echo "$pass passed, $skipped skipped, $fail failed"
[ "$fail" -eq 0 ]
