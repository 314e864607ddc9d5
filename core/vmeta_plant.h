/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmeta: bugs planted on purpose, to prove that the debug-kernel tier
 * (make kcheck-debug; README, "The debug tier") reports each class of bug
 * that got the 2019 vhost series reverted.
 *
 * Nothing is planted unless the build defines VMETA_PLANT to one of the
 * numbers below (make kcheck-debug PLANT=name; kmod/Kbuild passes it).
 * Otherwise vmeta_planted() is constant false and the compiler drops
 * every planted line: the code that ships has none of them.
 */
#ifndef _VMETA_PLANT_H
#define _VMETA_PLANT_H

#include <linux/types.h>

enum vmeta_plant {
	VMETA_PLANT_NONE,
	/* set_page_dirty_lock() under map_lock: page lock inside it */
	VMETA_PLANT_DIRTY_UNDER_LOCK,
	/* the callback forgets to clear valid: stale mapping used */
	VMETA_PLANT_USE_AFTER_INVAL,
	/* the callback waits for a grace period, blockable or not */
	VMETA_PLANT_SLEEP_NONBLOCK,
	/* teardown leaves the interval notifiers in the mm */
	VMETA_PLANT_NOTIFIER_LEAK,
};

#ifndef VMETA_PLANT
#define VMETA_PLANT VMETA_PLANT_NONE
#endif

/* Is the bug @which planted in this build?  A compile-time constant. */
static inline bool vmeta_planted(enum vmeta_plant which)
{
	return which != VMETA_PLANT_NONE && which == VMETA_PLANT;
}

#endif /* _VMETA_PLANT_H */
