// SPDX-License-Identifier: GPL-2.0
/*
 * umm: task_struct per thread, atomic-context checking (might_sleep) and
 * the held-lock stack behind lockdep_assert_held().
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <umm/urcu.h>

__thread struct task_struct *umm_current_task;

static int next_pid = 1;
static pthread_key_t task_key;
static pthread_once_t task_key_once = PTHREAD_ONCE_INIT;

static void task_detach(void *arg)
{
	struct task_struct *t = arg;

	if (t->nr_held)
		umm_report(UMM_REPORT_LOCK_MISUSE, __FILE__, __LINE__,
			   "thread exits holding %d locks, first %s",
			   t->nr_held, t->held[0].map->name);
	umm_urcu_unregister_thread();
	umm_current_task = NULL;
	free(t->kmap_slots);
	free(t);
}

static void task_key_create(void)
{
	pthread_key_create(&task_key, task_detach);
}

/* Make the calling thread's task_struct: the first use of current. */
struct task_struct *umm_task_attach(void)
{
	struct task_struct *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	t->pid = __atomic_fetch_add(&next_pid, 1, __ATOMIC_RELAXED);
	snprintf(t->comm, sizeof(t->comm), "umm/%d", t->pid);
	umm_current_task = t;
	pthread_once(&task_key_once, task_key_create);
	pthread_setspecific(task_key, t);
	umm_urcu_register_thread();
	return t;
}

void set_task_comm(struct task_struct *t, const char *name)
{
	snprintf(t->comm, sizeof(t->comm), "%s", name);
}

void umm_might_sleep(const char *file, int line)
{
	struct task_struct *t = current;

	if (t->preempt_count || t->non_block_count || t->rcu_read_depth)
		umm_report(UMM_REPORT_SLEEP_IN_ATOMIC, file, line,
			   "preempt_count=%d non_block=%d rcu_read_depth=%d%s%s",
			   t->preempt_count, t->non_block_count,
			   t->rcu_read_depth, t->nr_held ? ", holding " : "",
			   t->nr_held ? t->held[t->nr_held - 1].map->name : "");
}

void schedule(void)
{
	might_sleep();
	sched_yield();
}

void umm_lock_acquired(struct lockdep_map *map, enum umm_hold how)
{
	struct task_struct *t = current;

	if (t->nr_held == UMM_MAX_HELD) {
		umm_report(UMM_REPORT_LOCK_MISUSE, __FILE__, __LINE__,
			   "more than %d locks held", UMM_MAX_HELD);
		return;
	}
	t->held[t->nr_held].map = map;
	t->held[t->nr_held].how = how;
	t->nr_held++;
}

void umm_lock_released(struct lockdep_map *map)
{
	struct task_struct *t = current;
	int i;

	for (i = t->nr_held - 1; i >= 0; i--) {
		if (t->held[i].map != map)
			continue;
		memmove(&t->held[i], &t->held[i + 1],
			(t->nr_held - i - 1) * sizeof(t->held[0]));
		t->nr_held--;
		return;
	}
	umm_report(UMM_REPORT_LOCK_MISUSE, __FILE__, __LINE__,
		   "releasing %s, which this task does not hold", map->name);
}

bool umm_lock_is_held(const struct lockdep_map *map, int how)
{
	struct task_struct *t = current;
	int i;

	for (i = 0; i < t->nr_held; i++)
		if (t->held[i].map == map &&
		    (how < 0 || t->held[i].how == (enum umm_hold)how))
			return true;
	return false;
}

void umm_lockdep_assert(const struct lockdep_map *map, int how,
			const char *what, const char *file, int line)
{
	if (!umm_lock_is_held(map, how))
		umm_report(UMM_REPORT_LOCK_NOT_HELD, file, line,
			   "%s (%s) not held%s", what, map->name,
			   how == UMM_HOLD_EXCL ? " for write" :
			   how == UMM_HOLD_SHARED ? " for read" : "");
}
