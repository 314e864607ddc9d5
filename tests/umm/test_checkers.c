// SPDX-License-Identifier: GPL-2.0
/*
 * The lab's own checkers: each must report the misuse it exists for, and
 * stay quiet on correct use.  If a check is removed, its test fails.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "tap.h"

static DEFINE_SPINLOCK(test_lock);
static DEFINE_MUTEX(test_mutex);
static struct rw_semaphore test_sem;

static unsigned long count(enum umm_report_kind kind)
{
	return umm_report_count(kind);
}

static void test_sleep_in_atomic(void)
{
	unsigned long before = count(UMM_REPORT_SLEEP_IN_ATOMIC);
	void *p;

	mutex_lock(&test_mutex);
	p = kmalloc(64, GFP_KERNEL);
	mutex_unlock(&test_mutex);
	kfree(p);
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), before,
	   "sleeping under a mutex is allowed");

	spin_lock(&test_lock);
	mutex_lock(&test_mutex);
	mutex_unlock(&test_mutex);
	spin_unlock(&test_lock);
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), before + 1,
	   "mutex_lock under a spinlock is reported");

	spin_lock(&test_lock);
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	p = kmalloc(64, GFP_ATOMIC);
	kfree(p);
	spin_unlock(&test_lock);
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), before + 2,
	   "GFP_KERNEL under a spinlock is reported, GFP_ATOMIC is not");

	non_block_start();
	down_read(&test_sem);
	up_read(&test_sem);
	non_block_end();
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), before + 3,
	   "down_read in a non-blocking section is reported");

	rcu_read_lock();
	synchronize_rcu();
	rcu_read_unlock();
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), before + 4,
	   "synchronize_rcu inside rcu_read_lock is reported");

	synchronize_rcu();
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), before + 4,
	   "synchronize_rcu outside a read section is allowed");
}

static void test_lock_held(void)
{
	unsigned long before = count(UMM_REPORT_LOCK_NOT_HELD);

	spin_lock(&test_lock);
	lockdep_assert_held(&test_lock);
	spin_unlock(&test_lock);
	is(count(UMM_REPORT_LOCK_NOT_HELD), before,
	   "lockdep_assert_held passes with the lock held");

	lockdep_assert_held(&test_lock);
	is(count(UMM_REPORT_LOCK_NOT_HELD), before + 1,
	   "lockdep_assert_held reports a lock not held");

	down_read(&test_sem);
	lockdep_assert_held_read(&test_sem);
	lockdep_assert_held(&test_sem);
	lockdep_assert_held_write(&test_sem);
	up_read(&test_sem);
	is(count(UMM_REPORT_LOCK_NOT_HELD), before + 2,
	   "held for read satisfies _read and plain, not _write");

	down_write(&test_sem);
	lockdep_assert_held_write(&test_sem);
	up_write(&test_sem);
	is(count(UMM_REPORT_LOCK_NOT_HELD), before + 2,
	   "held for write satisfies _write");
}

static void *other_thread_asserts(void *arg)
{
	lockdep_assert_held(&test_lock);
	return NULL;
}

static void test_lock_held_other_thread(void)
{
	unsigned long before = count(UMM_REPORT_LOCK_NOT_HELD);
	pthread_t t;

	spin_lock(&test_lock);
	pthread_create(&t, NULL, other_thread_asserts, NULL);
	pthread_join(t, NULL);
	spin_unlock(&test_lock);
	is(count(UMM_REPORT_LOCK_NOT_HELD), before + 1,
	   "a lock held by another thread does not satisfy the assertion");
}

static void test_misuse(void)
{
	unsigned long before = count(UMM_REPORT_LOCK_MISUSE);

	spin_unlock(&test_lock);
	mutex_unlock(&test_mutex);
	is(count(UMM_REPORT_LOCK_MISUSE), before + 2,
	   "unlocking locks not held is reported");
}

/* Without umm_reports_expect(), a report must end the program. */
static void test_default_aborts(void)
{
	int pipefd[2], status;
	char buf[512] = "";
	pid_t pid;

	if (pipe(pipefd))
		BAIL_OUT("pipe");
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 2);
		umm_reports_expect(false);
		spin_lock(&test_lock);
		might_sleep();
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	   "an unexpected report aborts the program");
	ok(strstr(buf, "sleeping function called from invalid context"),
	   "and says what was wrong");
}

int main(void)
{
	init_rwsem(&test_sem);
	test_default_aborts();
	umm_reports_expect(true);
	test_sleep_in_atomic();
	test_lock_held();
	test_lock_held_other_thread();
	test_misuse();
	return done_testing();
}
