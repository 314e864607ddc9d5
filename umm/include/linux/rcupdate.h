/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: RCU from liburcu (the memb flavour).  Every lab thread is
 * registered with liburcu when its task_struct is made.  A read-side
 * section counts as atomic context for might_sleep(), as in a
 * non-preemptible kernel; synchronize_rcu() inside one is reported.
 * call_rcu() callbacks run in the lab's RCU thread after a grace period.
 */
#ifndef _LINUX_RCUPDATE_H
#define _LINUX_RCUPDATE_H

#include <linux/compiler.h>
#include <asm/barrier.h>

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};

typedef void (*rcu_callback_t)(struct rcu_head *head);

void rcu_read_lock(void);
void rcu_read_unlock(void);
void synchronize_rcu(void);
void call_rcu(struct rcu_head *head, rcu_callback_t func);
void rcu_barrier(void);
bool rcu_read_lock_held(void);

#define rcu_dereference(p)		__atomic_load_n(&(p), __ATOMIC_CONSUME)
#define rcu_dereference_protected(p, c)	(p)
#define rcu_access_pointer(p)		READ_ONCE(p)
/* Pairs with rcu_dereference(): publish after initialising. */
#define rcu_assign_pointer(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v)		WRITE_ONCE(p, v)

#endif /* _LINUX_RCUPDATE_H */
