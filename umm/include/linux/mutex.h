/* SPDX-License-Identifier: GPL-2.0 */
/* umm: sleeping mutexes over pthread mutexes; mutex_lock() might sleep. */
#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H

#include <pthread.h>
#include <linux/lockdep.h>
#include <linux/sched.h>

struct mutex {
	pthread_mutex_t m;
	struct task_struct *owner;
	struct lockdep_map dep_map;
};

#define __MUTEX_INITIALIZER(n) \
	{ .m = PTHREAD_MUTEX_INITIALIZER, .owner = NULL, .dep_map = { #n } }
#define DEFINE_MUTEX(n)		struct mutex n = __MUTEX_INITIALIZER(n)
#define mutex_init(l)		umm_mutex_init(l, #l)

void umm_mutex_init(struct mutex *lock, const char *name);
void mutex_lock(struct mutex *lock);
bool mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
void mutex_destroy(struct mutex *lock);

static inline bool mutex_is_locked(struct mutex *lock)
{
	return __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) != NULL;
}

#endif /* _LINUX_MUTEX_H */
