#!/bin/sh
# make kcheck-debug-plants: the debug tier proves it can fail.  For each
# bug class of the 2019 series planted in core/ (core/vmeta_plant.h),
# build vmeta.ko with that plant alone, run the debug tier on it
# (scripts/kcheck.sh debug, the kmap strategy, which the plants live in)
# and require that the run fails with the report of the checker expected
# for that class.  Fails if any plant goes unreported.
#
# Usage: scripts/kdebug-plants.sh [plant...]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/build/kcheck"
plants=${*:-dirty-under-lock use-after-inval sleep-nonblock notifier-leak}

# The report each plant must produce, as an extended regexp.
expect() {
	case "$1" in
	# lock_page() in set_page_dirty_lock() under map_lock: the page
	# lock is not lockdep-tracked, DEBUG_ATOMIC_SLEEP sees the sleep.
	dirty-under-lock) echo 'BUG: sleeping function called from invalid context|BUG: scheduling while atomic' ;;
	# the stale direct-map address of a migrated or freed ring page:
	# KASAN poisons freed pages.
	use-after-inval) echo 'BUG: KASAN: use-after-free' ;;
	# synchronize_rcu() in the callback of a non-blockable range, which
	# the callback runs inside non_block_start(): the OOM reaper's
	# unmapping of an OOM-killed owner (mm_check).
	sleep-nonblock) echo 'non_block: [1-9]' ;;
	# the notifier's node freed with the device but left in the mm's
	# interval tree, walked by the next insert, munmap or exit: KASAN
	# (seen: its null-ptr-deref report from the rbtree insert of the
	# next queue's notifier); a leaked reference shows in kmemleak.
	notifier-leak) echo 'BUG: KASAN: .*use-after-free|KASAN: null-ptr-deref|new suspected memory leak' ;;
	*) echo "kdebug-plants.sh: no plant $1" >&2; exit 2 ;;
	esac
}

n=0
fail=0
for p in $plants; do
	pat=$(expect "$p")
	n=$((n + 1))
	log="$out/plant-$p.log"
	t0=$(date +%s)
	# Errors on the console as they happen (loglevel 4: KERN_ERR and
	# up): a plant may hang the guest on both CPUs, no log dump then.
	VMETA_PLANT=$p KCHECK_STRATEGIES=kmap KCHECK_OPTS=none KCHECK_STOCK=0 \
		KCHECK_LOGLEVEL=4 \
		KCHECK_VM_TIMEOUT=${KCHECK_VM_TIMEOUT:-180} \
		"$top/scripts/kcheck.sh" debug > "$log" 2>&1
	rc=$?
	t1=$(date +%s)
	con="$out/kdebug-$p/console.log"
	hit=$(cat "$log" "$con" 2>/dev/null | tr -d '\r' | grep -E -m 1 "$pat")
	if [ "$rc" -ne 0 ] && [ -n "$hit" ]; then
		echo "ok $n - plant $p is reported # $((t1 - t0)) s"
		echo "#   $hit"
	else
		echo "not ok $n - plant $p is reported (rc $rc; $log)"
		grep '^not ok' "$log" | head -n 5 | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
done
echo "1..$n"
[ "$fail" -eq 0 ]
