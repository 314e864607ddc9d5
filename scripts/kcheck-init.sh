#!/bin/busybox sh
# /init of the kcheck initramfs (scripts/kcheck.sh).  First the stock
# vhost_test.ko (with the image's vhost_iotlb.ko and vhost.ko): the
# answers (tests/kmod/vhost_answers) and virtio_test's runtime per option
# set; then vmeta.ko: the same answers, and for every strategy
# vhost_check, mm_check (tests/kmod/mm_check), virtio_test per option set
# and the torture (tests/kmod/vhost_torture) per memory kind; then the
# module's totals, a kmemleak scan where the kernel has kmemleak, and the
# kernel log; power off.  Result lines start with "KCHECK: "
# (the host numbers them as TAP), answers with "KANS: <module> ", runtimes
# with "KTIME: <module> <option set> <seconds>".
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t debugfs debugfs /sys/kernel/debug
echo 0 > /proc/sys/kernel/numa_balancing 2>/dev/null
# Options (read from the kernel command line): kcheck.opts=a,b,...
# kcheck.strategies=a,b,...  kcheck.timeout=seconds; kcheck.half=0|1
# runs the (strategy i, option set j) pairs with i + j even or odd only,
# so that two kernels share the matrix; kcheck.half=all runs it whole.
# kcheck.bufs: the buffer count the virtio_test given runs (scaled down
# for a slow kernel).  kcheck.watchdog=seconds: see below.
# kcheck.loglevel: the console's (default 1).  kcheck.debug=1: the debug
# kernel, whose checkers must be seen on.
opts="none --no-indirect --no-event-idx --batch=random --reset"
strategies="uaccess uaccess-scoped vmap-pin vmap kmap"
tmo=300
half=all
tms=2500	# torture milliseconds per strategy and memory kind
seed=$(date +%s)
bufs=0x100000
wd=0
loglevel=1
debug=0
for w in $(cat /proc/cmdline); do
	case "$w" in
	kcheck.opts=*) opts=$(echo "${w#*=}" | tr , ' ') ;;
	kcheck.strategies=*) strategies=$(echo "${w#*=}" | tr , ' ') ;;
	kcheck.timeout=*) tmo=${w#*=} ;;
	kcheck.half=*) half=${w#*=} ;;
	kcheck.torture_ms=*) tms=${w#*=} ;;
	kcheck.seed=*) seed=${w#*=} ;;
	kcheck.bufs=*) bufs=${w#*=} ;;
	kcheck.watchdog=*) wd=${w#*=} ;;
	kcheck.loglevel=*) loglevel=${w#*=} ;;
	kcheck.debug=*) debug=${w#*=} ;;
	esac
done
# Only emergencies on the console: the result lines must not be cut by
# kernel messages (stock test.c prints at KERN_ERR); dmesg keeps all.
# The planted bugs' runs raise it: their report must reach the console
# even if the guest then hangs for good.
dmesg -n "$loglevel"

say() { echo "KCHECK: $*"; }
dmesg_has() { dmesg | grep -q "$1"; }
check() {	# check "description" command...
	d=$1
	shift
	if "$@"; then say "ok - $d"; else say "not ok - $d"; fi
}
total() {	# the module-wide total of a counter
	sed -n "s/^$1: //p" /sys/kernel/debug/vmeta/totals
}

say "kernel $(uname -r)"
# A guest that hangs must still say why (the console shows only
# emergencies): after kcheck.watchdog seconds the blocked tasks are
# dumped and the kernel crashed on purpose; panic_print=0x20 then replays
# the whole kernel log on the console.
if [ "$wd" -gt 0 ]; then
	(sleep "$wd"
	 say "not ok - the guest finished within the watchdog's $wd s"
	 echo w > /proc/sysrq-trigger
	 echo c > /proc/sysrq-trigger) &
fi
# Swap on a RAM disk (built into the debug kernel, brd.ko from Debian's
# images), so that MADV_PAGEOUT really reclaims; kmemleak's suspects from
# boot set aside, so that the scan at the end reports what the tests
# leaked.
[ -e /brd.ko ] && insmod /brd.ko rd_nr=1 rd_size=16384
if [ -b /dev/ram0 ] && mkswap /dev/ram0 > /dev/null 2>&1; then
	check "swap on /dev/ram0" swapon /dev/ram0
fi
leak=/sys/kernel/debug/kmemleak
if [ -w $leak ]; then
	echo scan > $leak
	echo clear > $leak
fi
# On the debug kernel (kcheck.debug=1) a checker that is not running is a
# check that cannot fail: those visible from here must be seen on (the
# build checked the whole fragment; make kcheck-debug-plants shows the
# sleep checks fire).
if [ "$debug" = 1 ]; then
	check "debug: KASAN is on" dmesg_has "KernelAddressSanitizer initialized"
	check "debug: lockdep is on" test -e /proc/lockdep
	check "debug: kmemleak is on" test -w $leak
fi
phase0=$(date +%s)
phase() {	# say how long the part before took
	local p1
	p1=$(date +%s)
	say "# $1: $((p1 - phase0)) s"
	phase0=$p1
}

# virtio_test with option set $1 ("none": the defaults) against whatever
# /dev/vhost-test is loaded; $2 names the module for KTIME.
virtio_run() {
	local vo=$1 v0 v1
	[ "$vo" = none ] && vo=""
	v0=$(date +%s)
	timeout "$tmo" /virtio_test $vo > /tmp/out 2>&1
	rc=$?
	v1=$(date +%s)
	echo "KTIME: $2 $1 $((v1 - v0))"
	[ $rc -eq 0 ] && grep -q "completed=$bufs\$" /tmp/out
}

# -- the stock device ---------------------------------------------------------
if [ -e /stock/vhost_test.ko ]; then
	if insmod /stock/vhost_iotlb.ko && insmod /stock/vhost.ko &&
	   insmod /stock/vhost_test.ko; then
		say "ok - insmod vhost_iotlb.ko, vhost.ko, stock vhost_test.ko"
		/vhost_answers > /tmp/ans 2>&1
		sed 's/^/KANS: stock /' /tmp/ans
		# Like ours, the kernels share the option sets (half=0|1).
		j=0
		for o in $opts; do
			j=$((j + 1))
			[ "$half" = all ] || [ $((j % 2)) -eq "$half" ] ||
				continue
			if virtio_run "$o" stock; then
				say "ok - stock: virtio_test $o"
			else
				say "not ok - stock: virtio_test $o (rc $rc)"
				sed 's/^/KCHECK: # /' /tmp/out | tail -n 5
			fi
		done
		phase "stock: answers and virtio_test"
		check "rmmod stock vhost_test" rmmod vhost_test
		check "rmmod vhost vhost_iotlb" rmmod vhost vhost_iotlb
	else
		say "not ok - insmod vhost_iotlb.ko, vhost.ko, stock vhost_test.ko"
	fi
fi

# -- ours ------------------------------------------------------------------------
if ! insmod /vmeta.ko; then
	say "not ok - insmod vmeta.ko"
	say "end"
	poweroff -f
fi
say "ok - insmod vmeta.ko"
check "/dev/vhost-test exists" test -c /dev/vhost-test
/vhost_answers > /tmp/ans 2>&1
sed 's/^/KANS: ours /' /tmp/ans
phase "ours: answers"

i=0
for s in $strategies; do
	i=$((i + 1))
	if ! echo "$s" > /sys/module/vmeta/parameters/strategy; then
		say "not ok - strategy=$s accepted"
		continue
	fi
	/vhost_check > /tmp/out 2>&1
	rc=$?
	sed -n "s/^\(ok\|not ok\) - /KCHECK: \1 - $s: /p" /tmp/out
	[ $rc -eq 0 ] || sed 's/^/KCHECK: # /' /tmp/out | grep -v ' ok - '
	i0=$(total invalidations)
	/mm_check "$s" > /tmp/out 2>&1
	rc=$?
	sed -n "s/^\(ok\|not ok\) - /KCHECK: \1 - $s: mm: /p" /tmp/out
	[ $rc -le 1 ] || say "not ok - $s: mm_check exited $rc"
	case "$s" in
	vmap|kmap)
		check "$s: mm: the events invalidated the rings" \
			[ "$(($(total invalidations) - i0))" -gt 0 ] ;;
	esac
	phase "$s: vhost_check and mm_check"
	j=0
	for o in $opts; do
		j=$((j + 1))
		[ "$half" = all ] || [ $(((i + j) % 2)) -eq "$half" ] ||
			continue
		[ "$o" = none ] && o=""
		name="$s ${o:-(defaults)}"
		c0=$(total chains)
		h0=$(total hits)
		b0=$(total batches)
		f0=$(total fallbacks)
		i0=$(total invalidations)
		t0=$(date +%s)
		virtio_run "${o:-none}" "$s"
		ok=$?
		t1=$(date +%s)
		c1=$(total chains)
		h1=$(total hits)
		say "# $name: batches $(($(total batches) - b0))," \
		    "hits $((h1 - h0)), fallbacks $(($(total fallbacks) - f0))," \
		    "invalidations $(($(total invalidations) - i0))"
		if [ $ok -eq 0 ]; then
			say "ok - virtio_test $name # $((t1 - t0)) s," \
			    "$((c1 - c0)) chains"
		else
			say "not ok - virtio_test $name (rc $rc)"
			sed 's/^/KCHECK: # /' /tmp/out | tail -n 5
		fi
		case "$s" in
		vmap-pin|vmap|kmap)
			check "$name: batches ran through the mapping" \
				[ "$((h1 - h0))" -gt 0 ] ;;
		*)
			check "$name: no batch ran through a mapping" \
				[ "$((h1 - h0))" -eq 0 ] ;;
		esac
	done
	phase "$s: virtio_test"
	need=""
	case "$s" in vmap|kmap) need=--need-invalidations ;; esac
	for m in anon memfd thp; do
		/vhost_torture --mode $m --ms "$tms" --seed "$seed" $need \
			> /tmp/out 2>&1
		rc=$?
		sed -n "s/^\(ok\|not ok\) - /KCHECK: \1 - $s: torture /p" /tmp/out
		sed -n "s/^# /KCHECK: # $s: torture /p" /tmp/out
		[ $rc -le 1 ] || say "not ok - $s: torture $m exited $rc"
	done
	phase "$s: torture"
done
check "no call went missing: calls counted" [ "$(total calls)" -gt 0 ]
check "rmmod vmeta" rmmod vmeta
check "/dev/vhost-test gone" test ! -e /dev/vhost-test
if [ -w $leak ]; then
	sleep 6			# kmemleak reports objects 5 s old or more
	echo scan > $leak
	if [ -s $leak ]; then
		say "not ok - kmemleak: nothing leaked"
		head -n 60 $leak | sed 's/^/KCHECK: # /'
	else
		say "ok - kmemleak: nothing leaked"
	fi
fi
# KASAN and the sleep checks report as "BUG:", lockdep as "WARNING:";
# the debug kernel's other checkers as below.  The report is printed
# from its first line.
pat='BUG:|WARNING:|Oops|Call Trace|general protection|new suspected memory leak'
pat="$pat|possible (circular|recursive) locking|inconsistent lock state"
pat="$pat|invalid context|scheduling while atomic|list_(add|del) corruption"
# mm_check OOM-kills a queue's owner on purpose: the "Call Trace:" of
# the OOM report (from "invoked oom-killer" to "Killed process") is its
# dump, not a failure; any other line matching is.
dmesg | awk -v pat="$pat" '
	/invoked oom-killer:/ { oom = 1 }
	$0 ~ pat && !(oom && /Call Trace:/) { print NR }
	/Killed process [0-9]+/ { oom = 0 }' > /tmp/bad
if [ -s /tmp/bad ]; then
	say "not ok - kernel log clean"
	first=$(head -n 1 /tmp/bad)
	dmesg | tail -n +"$first" | head -n 80 | sed 's/^/KCHECK: # /'
else
	say "ok - kernel log clean"
fi
say "end"
poweroff -f
