/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: spinlocks.  A test-and-set lock that yields the CPU while it
 * spins (the lab runs more threads than this machine has CPUs), with an
 * owner for lockdep_assert_held() and unlock checking.  Holding one is
 * atomic context: preempt_count is raised, so might_sleep() reports.
 */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H

#include <linux/lockdep.h>
#include <linux/preempt.h>

typedef struct spinlock {
	int locked;
	struct task_struct *owner;
	struct lockdep_map dep_map;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(n)	{ .locked = 0, .owner = NULL, .dep_map = { #n } }
#define DEFINE_SPINLOCK(n)	spinlock_t n = __SPIN_LOCK_UNLOCKED(n)
#define spin_lock_init(l)	umm_spin_lock_init(l, #l)

void umm_spin_lock_init(spinlock_t *lock, const char *name);
void spin_lock(spinlock_t *lock);
bool spin_trylock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);

#define spin_lock_irq(l)		spin_lock(l)
#define spin_unlock_irq(l)		spin_unlock(l)
#define spin_lock_bh(l)			spin_lock(l)
#define spin_unlock_bh(l)		spin_unlock(l)
#define spin_lock_irqsave(l, f)		do { (f) = 0; spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, f)	do { (void)(f); spin_unlock(l); } while (0)
#define assert_spin_locked(l)		lockdep_assert_held(l)

#endif /* _LINUX_SPINLOCK_H */
