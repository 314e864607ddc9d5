/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: tasks.  Every thread of the lab has a task_struct, made the first
 * time it asks for current; a lab user process (a guest driver) and a
 * kernel thread (a vhost worker) differ only in what they do with ->mm.
 *
 * The fields that define "atomic context" are what might_sleep() checks:
 * preempt_count (spinlocks, kmap_atomic, preempt_disable), non_block_count
 * (non_block_start(): a notifier called for a non-blockable range) and
 * rcu_read_depth (rcu_read_lock()).
 */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

#include <linux/lockdep.h>
#include <linux/types.h>

struct mm_struct;

#define TASK_COMM_LEN	16
#define UMM_MAX_HELD	48
#define UMM_KMAP_SLOTS	16

struct umm_held_lock {
	struct lockdep_map *map;
	enum umm_hold how;
};

struct umm_kmap_slot;

struct task_struct {
	int pid;
	char comm[TASK_COMM_LEN];
	struct mm_struct *mm;		/* the address space user access uses */
	int preempt_count;
	int non_block_count;
	int rcu_read_depth;
	int nr_held;
	struct umm_held_lock held[UMM_MAX_HELD];
	int kmap_nr;			/* kmap_local slots in use, a stack */
	struct umm_kmap_slot *kmap_slots;
};

extern __thread struct task_struct *umm_current_task;
struct task_struct *umm_task_attach(void);

static __always_inline struct task_struct *get_current(void)
{
	struct task_struct *t = umm_current_task;

	return likely(t) ? t : umm_task_attach();
}

#define current get_current()

void umm_might_sleep(const char *file, int line);

/* Inline test, out-of-line report: the check costs a few loads. */
#define might_sleep()							\
do {									\
	struct task_struct *__t = current;				\
									\
	if (unlikely(__t->preempt_count | __t->non_block_count |	\
		     __t->rcu_read_depth))				\
		umm_might_sleep(__FILE__, __LINE__);			\
} while (0)
#define might_fault()		might_sleep()
#define cond_resched()		({ might_sleep(); 0; })

/* Calls that may not sleep, though preemption stays on (mmu_notifier.c). */
static inline void non_block_start(void)
{
	current->non_block_count++;
}

static inline void non_block_end(void)
{
	current->non_block_count--;
}

void schedule(void);
void set_task_comm(struct task_struct *t, const char *name);

#endif /* _LINUX_SCHED_H */
