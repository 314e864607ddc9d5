/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: read-write semaphores over pthread rwlocks that prefer writers, so
 * that a reader who takes the lock recursively while a writer waits
 * deadlocks here as it can in the kernel.
 */
#ifndef _LINUX_RWSEM_H
#define _LINUX_RWSEM_H

#include <pthread.h>
#include <linux/lockdep.h>
#include <linux/sched.h>

struct rw_semaphore {
	pthread_rwlock_t rw;
	struct task_struct *writer;
	struct lockdep_map dep_map;
};

#define init_rwsem(s)		umm_init_rwsem(s, #s)

void umm_init_rwsem(struct rw_semaphore *sem, const char *name);
void down_read(struct rw_semaphore *sem);
bool down_read_trylock(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
bool down_write_trylock(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
void umm_destroy_rwsem(struct rw_semaphore *sem);

#endif /* _LINUX_RWSEM_H */
