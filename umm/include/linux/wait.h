/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: wait queues.  The waiter tests its condition under the queue's
 * mutex; a waker changes the state first and then takes the same mutex to
 * broadcast, so no wake-up is lost between the test and the sleep.
 */
#ifndef _LINUX_WAIT_H
#define _LINUX_WAIT_H

#include <pthread.h>
#include <linux/sched.h>

struct wait_queue_head {
	pthread_mutex_t lock;
	pthread_cond_t cond;
};
typedef struct wait_queue_head wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(n) \
	{ PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER }
#define DECLARE_WAIT_QUEUE_HEAD(n) \
	wait_queue_head_t n = __WAIT_QUEUE_HEAD_INITIALIZER(n)

void init_waitqueue_head(struct wait_queue_head *wq);
void wake_up_all(struct wait_queue_head *wq);
#define wake_up(wq)	wake_up_all(wq)

#define wait_event(wq, condition)					\
do {									\
	might_sleep();							\
	if (condition)							\
		break;							\
	pthread_mutex_lock(&(wq).lock);					\
	while (!(condition))						\
		pthread_cond_wait(&(wq).cond, &(wq).lock);		\
	pthread_mutex_unlock(&(wq).lock);				\
} while (0)

#endif /* _LINUX_WAIT_H */
