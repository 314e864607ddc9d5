// SPDX-License-Identifier: GPL-2.0
/* umm: spinlocks, mutexes, rw-semaphores and wait queues (see headers). */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <linux/kernel.h>
#include <asm/barrier.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

void umm_spin_lock_init(spinlock_t *lock, const char *name)
{
	lock->locked = 0;
	lock->owner = NULL;
	lock->dep_map.name = name;
}

static void spin_check_recursion(spinlock_t *lock)
{
	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == current)
		umm_report(UMM_REPORT_LOCK_MISUSE, __FILE__, __LINE__,
			   "recursive spin_lock(%s)", lock->dep_map.name);
}

static bool spin_acquire(spinlock_t *lock)
{
	return !__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE);
}

static void spin_take(spinlock_t *lock)
{
	__atomic_store_n(&lock->owner, current, __ATOMIC_RELAXED);
	umm_lock_acquired(&lock->dep_map, UMM_HOLD_EXCL);
}

void spin_lock(spinlock_t *lock)
{
	int spins = 0;

	preempt_disable();
	spin_check_recursion(lock);
	while (!spin_acquire(lock)) {
		/* More lab threads than CPUs: let a preempted holder run. */
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED)) {
			if (++spins < 64)
				cpu_relax();
			else
				sched_yield();
		}
	}
	spin_take(lock);
}

bool spin_trylock(spinlock_t *lock)
{
	preempt_disable();
	if (!spin_acquire(lock)) {
		preempt_enable();
		return false;
	}
	spin_take(lock);
	return true;
}

void spin_unlock(spinlock_t *lock)
{
	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) != current) {
		umm_report(UMM_REPORT_LOCK_MISUSE, __FILE__, __LINE__,
			   "spin_unlock(%s) by a task that does not own it",
			   lock->dep_map.name);
		return;
	}
	umm_lock_released(&lock->dep_map);
	__atomic_store_n(&lock->owner, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
	preempt_enable();
}

void umm_mutex_init(struct mutex *lock, const char *name)
{
	pthread_mutex_init(&lock->m, NULL);
	lock->owner = NULL;
	lock->dep_map.name = name;
}

void mutex_lock(struct mutex *lock)
{
	might_sleep();
	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == current)
		umm_report(UMM_REPORT_LOCK_MISUSE, __FILE__, __LINE__,
			   "recursive mutex_lock(%s)", lock->dep_map.name);
	pthread_mutex_lock(&lock->m);
	__atomic_store_n(&lock->owner, current, __ATOMIC_RELAXED);
	umm_lock_acquired(&lock->dep_map, UMM_HOLD_EXCL);
}

bool mutex_trylock(struct mutex *lock)
{
	if (pthread_mutex_trylock(&lock->m))
		return false;
	__atomic_store_n(&lock->owner, current, __ATOMIC_RELAXED);
	umm_lock_acquired(&lock->dep_map, UMM_HOLD_EXCL);
	return true;
}

void mutex_unlock(struct mutex *lock)
{
	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) != current) {
		umm_report(UMM_REPORT_LOCK_MISUSE, __FILE__, __LINE__,
			   "mutex_unlock(%s) by a task that does not own it",
			   lock->dep_map.name);
		return;
	}
	umm_lock_released(&lock->dep_map);
	__atomic_store_n(&lock->owner, NULL, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&lock->m);
}

void mutex_destroy(struct mutex *lock)
{
	WARN_ON(mutex_is_locked(lock));
	pthread_mutex_destroy(&lock->m);
}

void umm_init_rwsem(struct rw_semaphore *sem, const char *name)
{
	pthread_rwlockattr_t attr;

	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr,
			PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&sem->rw, &attr);
	pthread_rwlockattr_destroy(&attr);
	sem->writer = NULL;
	sem->dep_map.name = name;
}

void umm_destroy_rwsem(struct rw_semaphore *sem)
{
	pthread_rwlock_destroy(&sem->rw);
}

static void rwsem_check_recursion(struct rw_semaphore *sem)
{
	if (umm_lock_is_held(&sem->dep_map, -1))
		umm_report(UMM_REPORT_LOCK_MISUSE, __FILE__, __LINE__,
			   "recursive locking of %s", sem->dep_map.name);
}

void down_read(struct rw_semaphore *sem)
{
	might_sleep();
	rwsem_check_recursion(sem);
	pthread_rwlock_rdlock(&sem->rw);
	umm_lock_acquired(&sem->dep_map, UMM_HOLD_SHARED);
}

bool down_read_trylock(struct rw_semaphore *sem)
{
	if (pthread_rwlock_tryrdlock(&sem->rw))
		return false;
	umm_lock_acquired(&sem->dep_map, UMM_HOLD_SHARED);
	return true;
}

void up_read(struct rw_semaphore *sem)
{
	if (!umm_lock_is_held(&sem->dep_map, UMM_HOLD_SHARED)) {
		umm_report(UMM_REPORT_LOCK_MISUSE, __FILE__, __LINE__,
			   "up_read(%s) not held for read", sem->dep_map.name);
		return;
	}
	umm_lock_released(&sem->dep_map);
	pthread_rwlock_unlock(&sem->rw);
}

void down_write(struct rw_semaphore *sem)
{
	might_sleep();
	rwsem_check_recursion(sem);
	pthread_rwlock_wrlock(&sem->rw);
	__atomic_store_n(&sem->writer, current, __ATOMIC_RELAXED);
	umm_lock_acquired(&sem->dep_map, UMM_HOLD_EXCL);
}

bool down_write_trylock(struct rw_semaphore *sem)
{
	if (pthread_rwlock_trywrlock(&sem->rw))
		return false;
	__atomic_store_n(&sem->writer, current, __ATOMIC_RELAXED);
	umm_lock_acquired(&sem->dep_map, UMM_HOLD_EXCL);
	return true;
}

void up_write(struct rw_semaphore *sem)
{
	if (__atomic_load_n(&sem->writer, __ATOMIC_RELAXED) != current) {
		umm_report(UMM_REPORT_LOCK_MISUSE, __FILE__, __LINE__,
			   "up_write(%s) not held for write", sem->dep_map.name);
		return;
	}
	umm_lock_released(&sem->dep_map);
	__atomic_store_n(&sem->writer, NULL, __ATOMIC_RELAXED);
	pthread_rwlock_unlock(&sem->rw);
}

void init_waitqueue_head(struct wait_queue_head *wq)
{
	pthread_mutex_init(&wq->lock, NULL);
	pthread_cond_init(&wq->cond, NULL);
}

void wake_up_all(struct wait_queue_head *wq)
{
	pthread_mutex_lock(&wq->lock);
	pthread_cond_broadcast(&wq->cond);
	pthread_mutex_unlock(&wq->lock);
}
