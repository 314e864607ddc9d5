/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: sleepable RCU.  A read-side section may sleep (unlike
 * rcu_read_lock(), it is not atomic context for might_sleep()), and
 * synchronize_srcu() waits for every section of the same srcu_struct that
 * began before it.
 *
 * The lab's implementation is the textbook one, not Linux's per-CPU
 * counters: two reader counts, one per epoch.  srcu_read_lock() counts
 * itself in the current epoch under ->lock and returns the epoch's index;
 * synchronize_srcu() flips the epoch under ->lock and waits for the old
 * epoch's count to drain.  A reader that counted itself before the flip is
 * waited for; one that counts itself after it is ordered after everything
 * the updater did before synchronize_srcu() (both took ->lock).  Readers
 * that arrive during a wait join the new epoch, so updaters never starve.
 *
 * A read section is tracked like a lock held for read (lockdep does the
 * same in Linux): synchronize_srcu() from inside a read section of the
 * same srcu_struct, which would wait for itself, is reported.
 */
#ifndef _LINUX_SRCU_H
#define _LINUX_SRCU_H

#include <pthread.h>
#include <linux/lockdep.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

struct srcu_struct {
	spinlock_t lock;		/* orders readers against a flip */
	unsigned long epoch;		/* low bit: current index; ->lock */
	long readers[2];		/* per epoch; inc under ->lock */
	pthread_mutex_t gp_mutex;	/* one grace period at a time */
	struct wait_queue_head wq;	/* a count dropped to zero */
	struct lockdep_map dep_map;	/* the read side, as a shared lock */
};

#define __SRCU_STRUCT_INIT(name)					\
	{								\
		.lock = __SPIN_LOCK_UNLOCKED(name.lock),		\
		.gp_mutex = PTHREAD_MUTEX_INITIALIZER,			\
		.wq = __WAIT_QUEUE_HEAD_INITIALIZER(name.wq),		\
		.dep_map = { #name },					\
	}

#define DEFINE_SRCU(name)						\
	struct srcu_struct name = __SRCU_STRUCT_INIT(name)
#define DEFINE_STATIC_SRCU(name) \
	static struct srcu_struct name = __SRCU_STRUCT_INIT(name)

int init_srcu_struct(struct srcu_struct *ssp);
void cleanup_srcu_struct(struct srcu_struct *ssp);
int srcu_read_lock(struct srcu_struct *ssp);
void srcu_read_unlock(struct srcu_struct *ssp, int idx);
void synchronize_srcu(struct srcu_struct *ssp);
bool srcu_read_lock_held(const struct srcu_struct *ssp);

#endif /* _LINUX_SRCU_H */
