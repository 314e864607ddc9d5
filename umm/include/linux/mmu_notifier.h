/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: MMU notifiers with Linux 6.12's interface and semantics: classic
 * notifiers (struct mmu_notifier) and interval notifiers (struct
 * mmu_interval_notifier, read_begin / read_retry).  The protocol, the
 * lab's choices and where they differ from Linux are described once, at
 * the top of umm/mmu_notifier.c.
 */
#ifndef _LINUX_MMU_NOTIFIER_H
#define _LINUX_MMU_NOTIFIER_H

#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mmap_lock.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

struct mmu_notifier_subscriptions;
struct mmu_notifier;
struct mmu_notifier_range;
struct mmu_interval_notifier;

/**
 * enum mmu_notifier_event - why the range is invalidated
 * @MMU_NOTIFY_UNMAP: munmap(), mremap() moving the range, exit's final unmap
 * @MMU_NOTIFY_CLEAR: page table entries cleared (madvise, COW, reclaim,
 *	migration, THP split, ...)
 * @MMU_NOTIFY_PROTECTION_VMA: mprotect(): the VMA's protection applies to
 *	the whole range
 * @MMU_NOTIFY_PROTECTION_PAGE: write-protection of individual pages (fork,
 *	writeback)
 * @MMU_NOTIFY_SOFT_DIRTY: soft-dirty tracking reset
 * @MMU_NOTIFY_RELEASE: the mm is going away (interval notifiers only, from
 *	mmu_notifier_release())
 * @MMU_NOTIFY_MIGRATE: device migration (migrate_vma); @owner may be set
 * @MMU_NOTIFY_EXCLUSIVE: device-exclusive access; @owner may be set
 */
enum mmu_notifier_event {
	MMU_NOTIFY_UNMAP = 0,
	MMU_NOTIFY_CLEAR,
	MMU_NOTIFY_PROTECTION_VMA,
	MMU_NOTIFY_PROTECTION_PAGE,
	MMU_NOTIFY_SOFT_DIRTY,
	MMU_NOTIFY_RELEASE,
	MMU_NOTIFY_MIGRATE,
	MMU_NOTIFY_EXCLUSIVE,
};

#define MMU_NOTIFIER_RANGE_BLOCKABLE	(1 << 0)

/**
 * struct mmu_notifier_range - one invalidation
 * @mm: the address space
 * @start: first byte
 * @end: first byte after: [@start, @end), never clipped to a notifier
 * @flags: MMU_NOTIFIER_RANGE_BLOCKABLE when the callbacks may sleep
 * @event: why
 * @owner: the device owner for MIGRATE/EXCLUSIVE, otherwise NULL
 * @umm_nosub_idx: lab: the srcu index of an invalidation that began while
 *	@mm had no subscriptions, else -1 (see umm/mmu_notifier.c)
 * @umm_gen: lab: the classic-notifier generation seen at start
 */
struct mmu_notifier_range {
	struct mm_struct *mm;
	unsigned long start;
	unsigned long end;
	unsigned int flags;
	enum mmu_notifier_event event;
	void *owner;
	int umm_nosub_idx;
	unsigned long umm_gen;
};

/**
 * struct mmu_notifier_ops - the classic notifier's callbacks
 * @release: the mm is being torn down (mmu_notifier_release() at exit) or
 *	the notifier unregistered; called once, before the pages are freed.
 *	May sleep.
 * @invalidate_range_start: the range is about to be invalidated.  May
 *	sleep if mmu_notifier_range_blockable(); otherwise must not, and
 *	returns -EAGAIN if it would have to (then it may not implement
 *	@invalidate_range_end).  Returns 0 otherwise.
 * @invalidate_range_end: the range's page table entries are gone.
 * @arch_invalidate_secondary_tlbs: a TLB sharing the CPU's page tables
 *	must be flushed; called under the page table lock, must not sleep.
 *	Exclusive with @invalidate_range_start/@invalidate_range_end.
 *
 * The young-bit callbacks and the get/put interface (alloc_notifier,
 * free_notifier) are not in the lab.
 */
struct mmu_notifier_ops {
	void (*release)(struct mmu_notifier *subscription,
			struct mm_struct *mm);
	int (*invalidate_range_start)(struct mmu_notifier *subscription,
				      const struct mmu_notifier_range *range);
	void (*invalidate_range_end)(struct mmu_notifier *subscription,
				     const struct mmu_notifier_range *range);
	void (*arch_invalidate_secondary_tlbs)(
				struct mmu_notifier *subscription,
				struct mm_struct *mm,
				unsigned long start, unsigned long end);
};

/**
 * struct mmu_notifier - a classic notifier; embed it in your structure
 * @hlist: entry in the mm's notifier list (the subscriptions' lock; walked
 *	under SRCU).  A list_head in the lab, an hlist_node in Linux.
 * @ops: the callbacks
 * @mm: the mm it is registered on; the notifier holds an mmgrab() on it
 * @rcu: unused by the lab (Linux frees put notifiers through it)
 * @users: 1 once registered
 * @umm_gen: lab: the generation at which it was registered
 */
struct mmu_notifier {
	struct list_head hlist;
	const struct mmu_notifier_ops *ops;
	struct mm_struct *mm;
	struct rcu_head rcu;
	unsigned int users;
	unsigned long umm_gen;
};

/**
 * struct mmu_interval_notifier_ops
 * @invalidate: the range overlaps the interval: on return the caller must
 *	have stopped using anything it mapped in the range.  Called with the
 *	mm's range unchanged and an odd @cur_seq that it must store with
 *	mmu_interval_set_seq() under the lock that mmu_interval_read_retry()
 *	is called under.  May sleep if mmu_notifier_range_blockable(range);
 *	otherwise returns false if it would have had to sleep.
 */
struct mmu_interval_notifier_ops {
	bool (*invalidate)(struct mmu_interval_notifier *interval_sub,
			   const struct mmu_notifier_range *range,
			   unsigned long cur_seq);
};

/*
 * lab: the interval, with Linux's interval_tree_node names for the bounds
 * (last is inclusive).  The "tree" is a list sorted by @start.
 */
struct umm_interval_node {
	struct list_head link;		/* in the tree: subscriptions' lock */
	unsigned long start;
	unsigned long last;
};

/**
 * struct mmu_interval_notifier - an interval notifier; embed it
 * @interval_tree: the interval [start, last]; linked in the mm's tree
 *	under the subscriptions' lock
 * @ops: the callback
 * @mm: the mm; the notifier holds an mmgrab() on it
 * @deferred_item: on the deferred insert/remove list (subscriptions' lock)
 * @invalidate_seq: odd; the cur_seq of the last invalidation, written by
 *	mmu_interval_set_seq() under the user's lock
 */
struct mmu_interval_notifier {
	struct umm_interval_node interval_tree;
	const struct mmu_interval_notifier_ops *ops;
	struct mm_struct *mm;
	struct list_head deferred_item;
	unsigned long invalidate_seq;
};

/* ---- registration ---- */

int mmu_notifier_register(struct mmu_notifier *subscription,
			  struct mm_struct *mm);
int __mmu_notifier_register(struct mmu_notifier *subscription,
			    struct mm_struct *mm);
void mmu_notifier_unregister(struct mmu_notifier *subscription,
			     struct mm_struct *mm);
void mmu_notifier_synchronize(void);

int mmu_interval_notifier_insert(struct mmu_interval_notifier *interval_sub,
				 struct mm_struct *mm, unsigned long start,
				 unsigned long length,
				 const struct mmu_interval_notifier_ops *ops);
int mmu_interval_notifier_insert_locked(
	struct mmu_interval_notifier *interval_sub, struct mm_struct *mm,
	unsigned long start, unsigned long length,
	const struct mmu_interval_notifier_ops *ops);
void mmu_interval_notifier_remove(struct mmu_interval_notifier *interval_sub);

/* ---- the interval read side ---- */

unsigned long
mmu_interval_read_begin(struct mmu_interval_notifier *interval_sub);

/**
 * mmu_interval_set_seq - record the invalidation in the subscription
 * @interval_sub: the subscription passed to invalidate()
 * @cur_seq: the cur_seq passed to invalidate(); always odd
 *
 * Call it unconditionally from invalidate(), under the same user lock
 * that mmu_interval_read_retry() is called under.
 *
 * WRITE_ONCE() in Linux.  It pairs with the lockless reads of
 * mmu_interval_read_begin() (under the subscriptions' lock, not the
 * user's) and mmu_interval_check_retry(); the user lock orders it with
 * mmu_interval_read_retry().  The lab writes it as a relaxed atomic store
 * (the same single untorn store) so that ThreadSanitizer sees the pairing
 * too.
 *
 * Context: invalidate() callback, holding the user lock.
 */
static inline void
mmu_interval_set_seq(struct mmu_interval_notifier *interval_sub,
		     unsigned long cur_seq)
{
	__atomic_store_n(&interval_sub->invalidate_seq, cur_seq,
			 __ATOMIC_RELAXED);
}

/**
 * mmu_interval_read_retry - end a read side critical section
 * @interval_sub: the subscription
 * @seq: what the paired mmu_interval_read_begin() returned
 *
 * MUST be called under the user lock that invalidate() holds when it
 * calls mmu_interval_set_seq(): the lock, not a barrier, orders the two.
 *
 * Context: holding the user lock.
 * Return: true if an invalidation collided with the critical section:
 * drop what was mapped and start again with mmu_interval_read_begin().
 */
static inline bool
mmu_interval_read_retry(struct mmu_interval_notifier *interval_sub,
			unsigned long seq)
{
	return interval_sub->invalidate_seq != seq;
}

/**
 * mmu_interval_check_retry - lockless early test for a collision
 * @interval_sub: the subscription
 * @seq: what the matching mmu_interval_read_begin() returned
 *
 * True means mmu_interval_read_retry() will return true; false proves
 * nothing.  For loops that want to give up early.
 *
 * Context: any.
 */
static inline bool
mmu_interval_check_retry(struct mmu_interval_notifier *interval_sub,
			 unsigned long seq)
{
	/* Pairs with the store in mmu_interval_set_seq(). */
	return __atomic_load_n(&interval_sub->invalidate_seq,
			       __ATOMIC_RELAXED) != seq;
}

/* ---- the mm side: what mm operations call ---- */

void __mmu_notifier_subscriptions_destroy(struct mm_struct *mm);
void __mmu_notifier_release(struct mm_struct *mm);
int __mmu_notifier_invalidate_range_start(struct mmu_notifier_range *range);
void __mmu_notifier_invalidate_range_end(struct mmu_notifier_range *range);
void __mmu_notifier_arch_invalidate_secondary_tlbs(struct mm_struct *mm,
						   unsigned long start,
						   unsigned long end);

/*
 * Does @mm have a subscriptions structure?  Once set, it stays until the
 * mm is freed.  Acquire: pairs with the release in
 * __mmu_notifier_register() that publishes it initialised.
 */
static inline bool mm_has_notifiers(struct mm_struct *mm)
{
	return __atomic_load_n(&mm->notifier_subscriptions, __ATOMIC_ACQUIRE);
}

static inline bool
mmu_notifier_range_blockable(const struct mmu_notifier_range *range)
{
	return range->flags & MMU_NOTIFIER_RANGE_BLOCKABLE;
}

/**
 * mmu_notifier_release - the mm is exiting: tell every notifier
 * @mm: the mm, with mm_users at zero
 *
 * Interval notifiers get invalidate(RELEASE, [0, ULONG_MAX)), then every
 * classic notifier gets ->release and is unlinked.  Interval notifiers
 * stay: they see the invalidations that follow (exit's UNMAP of all).
 *
 * Context: process context, may sleep.
 */
static inline void mmu_notifier_release(struct mm_struct *mm)
{
	if (mm_has_notifiers(mm))
		__mmu_notifier_release(mm);
}

/**
 * mmu_notifier_invalidate_range_start - announce an invalidation
 * @range: initialised with mmu_notifier_range_init()
 *
 * Sets MMU_NOTIFIER_RANGE_BLOCKABLE itself: every invalidation announced
 * this way may sleep in its callbacks, whatever @range said.  Must be
 * followed by mmu_notifier_invalidate_range_end(@range).
 *
 * Context: process context, may sleep; no spinlock held.
 */
static inline void
mmu_notifier_invalidate_range_start(struct mmu_notifier_range *range)
{
	might_sleep();
	range->flags |= MMU_NOTIFIER_RANGE_BLOCKABLE;
	__mmu_notifier_invalidate_range_start(range);
}

/**
 * mmu_notifier_invalidate_range_start_nonblock - announce, without sleeping
 * @range: initialised with mmu_notifier_range_init()
 *
 * Clears MMU_NOTIFIER_RANGE_BLOCKABLE.  The callbacks run between
 * non_block_start() and non_block_end(): a callback that sleeps is
 * reported by the lab.  For the OOM reaper.
 *
 * Context: any context that may not sleep, or process context.
 * Return: 0, then call mmu_notifier_invalidate_range_end(); or -EAGAIN if
 * a notifier would have had to sleep: then the range must not be touched
 * and mmu_notifier_invalidate_range_end() must not be called.
 */
static inline int __must_check
mmu_notifier_invalidate_range_start_nonblock(struct mmu_notifier_range *range)
{
	range->flags &= ~MMU_NOTIFIER_RANGE_BLOCKABLE;
	return __mmu_notifier_invalidate_range_start(range);
}

/**
 * mmu_notifier_invalidate_range_end - the invalidation is complete
 * @range: the range passed to the successful start
 *
 * Context: as the matching start: may sleep if the range is blockable.
 */
static inline void
mmu_notifier_invalidate_range_end(struct mmu_notifier_range *range)
{
	if (mmu_notifier_range_blockable(range))
		might_sleep();
	__mmu_notifier_invalidate_range_end(range);
}

static inline void
mmu_notifier_arch_invalidate_secondary_tlbs(struct mm_struct *mm,
					    unsigned long start,
					    unsigned long end)
{
	if (mm_has_notifiers(mm))
		__mmu_notifier_arch_invalidate_secondary_tlbs(mm, start, end);
}

static inline void mmu_notifier_subscriptions_init(struct mm_struct *mm)
{
	mm->notifier_subscriptions = NULL;
}

/* From the last mmdrop(): every notifier is gone. */
static inline void mmu_notifier_subscriptions_destroy(struct mm_struct *mm)
{
	if (mm_has_notifiers(mm))
		__mmu_notifier_subscriptions_destroy(mm);
}

/**
 * mmu_notifier_range_init - describe an invalidation (6.12: no vma)
 * @range: the range to fill
 * @event: why
 * @flags: 0 or MMU_NOTIFIER_RANGE_BLOCKABLE (start sets it anyway)
 * @mm: the address space
 * @start: first byte
 * @end: first byte after
 *
 * Context: any.
 */
static inline void mmu_notifier_range_init(struct mmu_notifier_range *range,
					   enum mmu_notifier_event event,
					   unsigned int flags,
					   struct mm_struct *mm,
					   unsigned long start,
					   unsigned long end)
{
	range->event = event;
	range->mm = mm;
	range->start = start;
	range->end = end;
	range->flags = flags;
	range->owner = NULL;
	range->umm_nosub_idx = -1;
	range->umm_gen = 0;
}

static inline void
mmu_notifier_range_init_owner(struct mmu_notifier_range *range,
			      enum mmu_notifier_event event,
			      unsigned int flags, struct mm_struct *mm,
			      unsigned long start, unsigned long end,
			      void *owner)
{
	mmu_notifier_range_init(range, event, flags, mm, start, end);
	range->owner = owner;
}

#endif /* _LINUX_MMU_NOTIFIER_H */
