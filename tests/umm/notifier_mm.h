/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers for the MMU-notifier tests: a bare mm (no page tables, no
 * VMAs: the tests announce invalidations themselves, as an mm operation
 * would), and threads with a deadline.
 */
#ifndef _TESTS_NOTIFIER_MM_H
#define _TESTS_NOTIFIER_MM_H

#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

/*
 * The lab's address-space code provides mmgrab()/mmdrop(); until it is
 * linked in, these count mm_count.  A test mm keeps its own reference, so
 * the count never reaches zero through mmdrop().
 */
__attribute__((weak)) void mmgrab(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_count);
}

__attribute__((weak)) void mmdrop(struct mm_struct *mm)
{
	atomic_dec(&mm->mm_count);
}

static inline struct mm_struct *test_mm_create(void)
{
	struct mm_struct *mm = calloc(1, sizeof(*mm));

	if (!mm)
		abort();
	init_rwsem(&mm->mmap_lock);
	spin_lock_init(&mm->page_table_lock);
	INIT_LIST_HEAD(&mm->vmas);
	INIT_LIST_HEAD(&mm->mm_list);
	atomic_set(&mm->mm_users, 1);
	atomic_set(&mm->mm_count, 1);
	mmu_notifier_subscriptions_init(mm);
	return mm;
}

/* Returns the mm_count the mm had: 1 when every notifier let go of it. */
static inline int test_mm_destroy(struct mm_struct *mm)
{
	int count = atomic_read(&mm->mm_count);

	mmu_notifier_subscriptions_destroy(mm);
	umm_destroy_rwsem(&mm->mmap_lock);
	free(mm);
	return count;
}

/* Announce and complete one invalidation, as an mm operation does. */
static inline void test_invalidate(struct mm_struct *mm,
				   enum mmu_notifier_event event,
				   unsigned long start, unsigned long end)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, event, 0, mm, start, end);
	mmu_notifier_invalidate_range_start(&range);
	mmu_notifier_invalidate_range_end(&range);
}

static inline void test_msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* A thread whose completion the test can poll. */
struct test_thread {
	pthread_t tid;
	void (*fn)(void *arg);
	void *arg;
	int done;		/* atomic */
};

static void *test_thread_main(void *p)
{
	struct test_thread *t = p;

	t->fn(t->arg);
	__atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static inline void test_thread_start(struct test_thread *t,
				     void (*fn)(void *), void *arg)
{
	t->fn = fn;
	t->arg = arg;
	t->done = 0;
	if (pthread_create(&t->tid, NULL, test_thread_main, t))
		abort();
}

static inline bool test_thread_done(struct test_thread *t)
{
	return __atomic_load_n(&t->done, __ATOMIC_ACQUIRE);
}

/* Wait up to @ms for the thread; true if it finished (and was joined). */
static inline bool test_thread_join_within(struct test_thread *t, long ms)
{
	for (; ms > 0 && !test_thread_done(t); ms -= 5)
		test_msleep(5);
	if (!test_thread_done(t))
		return false;
	pthread_join(t->tid, NULL);
	return true;
}

#endif /* _TESTS_NOTIFIER_MM_H */
