// SPDX-License-Identifier: GPL-2.0
/* umm: sleepable RCU with two epoch counts (see linux/srcu.h). */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/srcu.h>

/**
 * init_srcu_struct - initialise an srcu_struct that is not statically defined
 * @ssp: the structure
 *
 * Context: any.  Returns 0.
 */
int init_srcu_struct(struct srcu_struct *ssp)
{
	spin_lock_init(&ssp->lock);
	ssp->epoch = 0;
	ssp->readers[0] = 0;
	ssp->readers[1] = 0;
	pthread_mutex_init(&ssp->gp_mutex, NULL);
	init_waitqueue_head(&ssp->wq);
	ssp->dep_map.name = "srcu";
	return 0;
}

/**
 * cleanup_srcu_struct - tear down an srcu_struct
 * @ssp: the structure; no reader may be inside a section of it
 *
 * Context: process context.
 */
void cleanup_srcu_struct(struct srcu_struct *ssp)
{
	WARN_ON(__atomic_load_n(&ssp->readers[0], __ATOMIC_ACQUIRE) ||
		__atomic_load_n(&ssp->readers[1], __ATOMIC_ACQUIRE));
	pthread_mutex_destroy(&ssp->gp_mutex);
}

/**
 * srcu_read_lock - enter a read-side section of @ssp
 * @ssp: the structure
 *
 * The section may sleep.  Sections nest.
 *
 * Context: any; the same task must call srcu_read_unlock().
 * Return: the index to pass to srcu_read_unlock().
 */
int srcu_read_lock(struct srcu_struct *ssp)
{
	int idx;

	spin_lock(&ssp->lock);
	idx = ssp->epoch & 1;
	/* Read under ->lock by a flip; decremented outside it. */
	__atomic_add_fetch(&ssp->readers[idx], 1, __ATOMIC_RELAXED);
	spin_unlock(&ssp->lock);
	umm_lock_acquired(&ssp->dep_map, UMM_HOLD_SHARED);
	return idx;
}

/**
 * srcu_read_unlock - leave a read-side section of @ssp
 * @ssp: the structure
 * @idx: what the matching srcu_read_lock() returned
 *
 * Context: any; the task that called srcu_read_lock().
 */
void srcu_read_unlock(struct srcu_struct *ssp, int idx)
{
	umm_lock_released(&ssp->dep_map);
	/*
	 * Release: the section's accesses happen before the updater's
	 * acquire load in srcu_epoch_drained() that sees the count drop.
	 */
	if (__atomic_sub_fetch(&ssp->readers[idx], 1, __ATOMIC_RELEASE) == 0)
		wake_up_all(&ssp->wq);
}

/**
 * srcu_read_lock_held - is the current task inside a section of @ssp?
 * @ssp: the structure
 *
 * Context: any.
 */
bool srcu_read_lock_held(const struct srcu_struct *ssp)
{
	return umm_lock_is_held(&ssp->dep_map, UMM_HOLD_SHARED);
}

static bool srcu_epoch_drained(struct srcu_struct *ssp, int idx)
{
	/* Pairs with the release decrement in srcu_read_unlock(). */
	return __atomic_load_n(&ssp->readers[idx], __ATOMIC_ACQUIRE) == 0;
}

/* Start a new epoch; return the index of the one that ended. */
static int srcu_flip(struct srcu_struct *ssp)
{
	int old;

	spin_lock(&ssp->lock);
	old = ssp->epoch & 1;
	ssp->epoch++;
	spin_unlock(&ssp->lock);
	return old;
}

/**
 * synchronize_srcu - wait for the read sections of @ssp that began before
 * @ssp: the structure
 *
 * Everything the caller wrote before the call is visible to any section
 * that begins after the call starts; every section that began before has
 * ended when it returns.  Calling it inside a section of the same @ssp
 * would never return: the lab reports it (UMM_REPORT_LOCK_MISUSE) and
 * returns at once.
 *
 * Context: process context, may sleep.
 */
void synchronize_srcu(struct srcu_struct *ssp)
{
	int old;

	might_sleep();
	if (srcu_read_lock_held(ssp)) {
		umm_report(UMM_REPORT_LOCK_MISUSE, __FILE__, __LINE__,
			   "synchronize_srcu(%s) inside its own read section",
			   ssp->dep_map.name);
		return;
	}
	pthread_mutex_lock(&ssp->gp_mutex);
	old = srcu_flip(ssp);
	wait_event(ssp->wq, srcu_epoch_drained(ssp, old));
	pthread_mutex_unlock(&ssp->gp_mutex);
}
