/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: held-lock tracking that really checks.
 *
 * Every lock embeds a lockdep_map.  Taking a lock pushes it on the current
 * task's held-lock stack (struct task_struct::held), releasing pops it; so
 * lockdep_assert_held() is a search of that stack and fails with a report
 * (UMM_REPORT_LOCK_NOT_HELD) when the caller does not hold the lock.  The
 * lab does not build the lock-class dependency graph of real lockdep; the
 * kernel tier with PROVE_LOCKING does that (Documentation/umm.md).
 */
#ifndef _LINUX_LOCKDEP_H
#define _LINUX_LOCKDEP_H

#include <linux/compiler.h>

struct lockdep_map {
	const char *name;
};

enum umm_hold {
	UMM_HOLD_EXCL,		/* spinlock, mutex, rwsem for write */
	UMM_HOLD_SHARED,	/* rwsem for read, rcu_read_lock */
};

void umm_lock_acquired(struct lockdep_map *map, enum umm_hold how);
void umm_lock_released(struct lockdep_map *map);
bool umm_lock_is_held(const struct lockdep_map *map, int how);
void umm_lockdep_assert(const struct lockdep_map *map, int how,
			const char *what, const char *file, int line);

/* @how: UMM_HOLD_EXCL, UMM_HOLD_SHARED, or -1 for either. */
#define lockdep_is_held(l)	umm_lock_is_held(&(l)->dep_map, -1)
#define lockdep_assert_held(l)						\
	umm_lockdep_assert(&(l)->dep_map, -1, #l, __FILE__, __LINE__)
#define lockdep_assert_held_write(l)					\
	umm_lockdep_assert(&(l)->dep_map, UMM_HOLD_EXCL, #l, __FILE__, __LINE__)
#define lockdep_assert_held_read(l)					\
	umm_lockdep_assert(&(l)->dep_map, UMM_HOLD_SHARED, #l, __FILE__, __LINE__)

#endif /* _LINUX_LOCKDEP_H */
