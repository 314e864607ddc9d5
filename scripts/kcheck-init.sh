#!/bin/busybox sh
# /init of the kcheck initramfs (scripts/kcheck.sh): load vmeta.ko, run
# Linux's own virtio_test against /dev/vhost-test for every strategy and
# option set, check the module's totals and the kernel log, power off.
# Result lines start with "KCHECK: "; the host numbers them as TAP.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t debugfs debugfs /sys/kernel/debug
# Options (read from the kernel command line): kcheck.opts=a,b,...
# kcheck.strategies=a,b,...  kcheck.timeout=seconds; kcheck.half=0|1
# runs the (strategy i, option set j) pairs with i + j even or odd only,
# so that two kernels share the matrix; kcheck.half=all runs it whole.
opts="none --no-indirect --no-event-idx --batch=random --reset"
strategies="uaccess uaccess-scoped vmap-pin vmap kmap"
tmo=300
half=all
for w in $(cat /proc/cmdline); do
	case "$w" in
	kcheck.opts=*) opts=$(echo "${w#*=}" | tr , ' ') ;;
	kcheck.strategies=*) strategies=$(echo "${w#*=}" | tr , ' ') ;;
	kcheck.timeout=*) tmo=${w#*=} ;;
	kcheck.half=*) half=${w#*=} ;;
	esac
done

say() { echo "KCHECK: $*"; }
check() {	# check "description" command...
	d=$1
	shift
	if "$@"; then say "ok - $d"; else say "not ok - $d"; fi
}
total() {	# the module-wide total of a counter
	sed -n "s/^$1: //p" /sys/kernel/debug/vmeta/totals
}

say "kernel $(uname -r)"
if ! insmod /vmeta.ko; then
	say "not ok - insmod vmeta.ko"
	say "end"
	poweroff -f
fi
say "ok - insmod vmeta.ko"
check "/dev/vhost-test exists" test -c /dev/vhost-test

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
		timeout "$tmo" /virtio_test $o > /tmp/out 2>&1
		rc=$?
		t1=$(date +%s)
		c1=$(total chains)
		h1=$(total hits)
		say "# $name: batches $(($(total batches) - b0))," \
		    "hits $((h1 - h0)), fallbacks $(($(total fallbacks) - f0))," \
		    "invalidations $(($(total invalidations) - i0))"
		if [ $rc -eq 0 ] &&
		   grep -q 'completed=0x100000$' /tmp/out; then
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
done
check "no call went missing: calls counted" [ "$(total calls)" -gt 0 ]
check "rmmod vmeta" rmmod vmeta
check "/dev/vhost-test gone" test ! -e /dev/vhost-test
bad=$(dmesg | grep -E 'BUG:|WARNING:|Oops|Call Trace|general protection')
if [ -n "$bad" ]; then
	say "not ok - kernel log clean"
	echo "$bad" | head -n 20 | sed 's/^/KCHECK: # /'
else
	say "ok - kernel log clean"
fi
say "end"
poweroff -f
