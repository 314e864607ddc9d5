// SPDX-License-Identifier: GPL-2.0
/*
 * The lab's SRCU: read sections may sleep, synchronize_srcu() waits for
 * the sections that began before it and only those, and waiting for
 * one's own section is reported.
 */
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/srcu.h>
#include "notifier_mm.h"
#include "tap.h"

DEFINE_STATIC_SRCU(test_srcu);
static DEFINE_MUTEX(test_mutex);

static int reader_go;		/* atomic: the reader may leave */
static int reader_in;		/* atomic: the reader is inside */

static void long_reader(void *arg)
{
	int idx = srcu_read_lock(&test_srcu);

	__atomic_store_n(&reader_in, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&reader_go, __ATOMIC_ACQUIRE))
		test_msleep(1);
	srcu_read_unlock(&test_srcu, idx);
}

static void do_synchronize(void *arg)
{
	synchronize_srcu(&test_srcu);
}

static int late_readers_stop;	/* atomic */

/* Readers that keep arriving after synchronize_srcu() started. */
static void late_readers(void *arg)
{
	while (!__atomic_load_n(&late_readers_stop, __ATOMIC_ACQUIRE)) {
		int idx = srcu_read_lock(&test_srcu);

		test_msleep(1);
		srcu_read_unlock(&test_srcu, idx);
	}
}

static void test_sleep_allowed(void)
{
	unsigned long before = umm_report_count(UMM_REPORT_SLEEP_IN_ATOMIC);
	int idx;

	idx = srcu_read_lock(&test_srcu);
	ok(srcu_read_lock_held(&test_srcu), "the read section is tracked");
	mutex_lock(&test_mutex);
	mutex_unlock(&test_mutex);
	srcu_read_unlock(&test_srcu, idx);
	is(umm_report_count(UMM_REPORT_SLEEP_IN_ATOMIC), before,
	   "sleeping inside an SRCU read section is allowed");
	ok(!srcu_read_lock_held(&test_srcu), "and its end too");
}

static void test_synchronize_waits(void)
{
	struct test_thread reader, sync, late;

	test_thread_start(&reader, long_reader, NULL);
	while (!__atomic_load_n(&reader_in, __ATOMIC_ACQUIRE))
		test_msleep(1);
	test_thread_start(&sync, do_synchronize, NULL);
	test_thread_start(&late, late_readers, NULL);
	test_msleep(100);
	ok(!test_thread_done(&sync),
	   "synchronize_srcu waits for a section that began before it");
	__atomic_store_n(&reader_go, 1, __ATOMIC_RELEASE);
	ok(test_thread_join_within(&sync, 5000),
	   "and returns when it ends, though new sections keep starting");
	__atomic_store_n(&late_readers_stop, 1, __ATOMIC_RELEASE);
	ok(test_thread_join_within(&reader, 5000) &&
	   test_thread_join_within(&late, 5000), "readers done");
}

static void test_self_deadlock_reported(void)
{
	unsigned long before = umm_report_count(UMM_REPORT_LOCK_MISUSE);
	int idx;

	umm_reports_expect(true);
	idx = srcu_read_lock(&test_srcu);
	synchronize_srcu(&test_srcu);
	srcu_read_unlock(&test_srcu, idx);
	umm_reports_expect(false);
	is(umm_report_count(UMM_REPORT_LOCK_MISUSE), before + 1,
	   "synchronize_srcu inside its own read section is reported");
}

int main(void)
{
	test_sleep_allowed();
	test_synchronize_waits();
	test_self_deadlock_reported();
	return done_testing();
}
