// SPDX-License-Identifier: GPL-2.0
/*
 * umm: the kernel's RCU API over liburcu's memb flavour (umm/urcu.c).  call_rcu() queues on a list that
 * one lab thread drains: it takes the whole list, waits for a grace
 * period with urcu's synchronize_rcu, then runs the callbacks.
 */
#include <pthread.h>
#include <stdlib.h>
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <umm/urcu.h>

static pthread_mutex_t cb_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cb_cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t cb_done_cond = PTHREAD_COND_INITIALIZER;
static struct rcu_head *cb_list;	/* protected by cb_lock */
static unsigned long cb_queued, cb_done;	/* protected by cb_lock */
static pthread_once_t cb_thread_once = PTHREAD_ONCE_INIT;

void rcu_read_lock(void)
{
	current->rcu_read_depth++;
	umm_urcu_read_lock();
}

void rcu_read_unlock(void)
{
	struct task_struct *t = current;

	if (WARN_ON(t->rcu_read_depth <= 0))
		return;
	umm_urcu_read_unlock();
	t->rcu_read_depth--;
}

bool rcu_read_lock_held(void)
{
	return current->rcu_read_depth > 0;
}

void synchronize_rcu(void)
{
	might_sleep();
	/* Waiting for our own read section would never end: report only. */
	if (current->rcu_read_depth)
		return;
	umm_urcu_synchronize();
}

static void run_callbacks(struct rcu_head *list)
{
	while (list) {
		struct rcu_head *next = list->next;

		list->func(list);
		list = next;
	}
}

static void *rcu_callback_thread(void *arg)
{
	unsigned long n;

	set_task_comm(current, "rcu_cb");
	for (;;) {
		struct rcu_head *list;

		pthread_mutex_lock(&cb_lock);
		while (!cb_list)
			pthread_cond_wait(&cb_cond, &cb_lock);
		list = cb_list;
		cb_list = NULL;
		n = cb_queued;
		pthread_mutex_unlock(&cb_lock);

		umm_urcu_synchronize();
		run_callbacks(list);

		pthread_mutex_lock(&cb_lock);
		cb_done = n;
		pthread_cond_broadcast(&cb_done_cond);
		pthread_mutex_unlock(&cb_lock);
	}
	return NULL;
}

static void start_callback_thread(void)
{
	pthread_t tid;

	if (pthread_create(&tid, NULL, rcu_callback_thread, NULL))
		abort();
	pthread_detach(tid);
}

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	pthread_once(&cb_thread_once, start_callback_thread);
	head->func = func;
	pthread_mutex_lock(&cb_lock);
	head->next = cb_list;
	cb_list = head;
	cb_queued++;
	pthread_cond_signal(&cb_cond);
	pthread_mutex_unlock(&cb_lock);
}

void rcu_barrier(void)
{
	might_sleep();
	pthread_mutex_lock(&cb_lock);
	while (cb_done != cb_queued)
		pthread_cond_wait(&cb_done_cond, &cb_lock);
	pthread_mutex_unlock(&cb_lock);
}
