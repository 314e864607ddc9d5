// SPDX-License-Identifier: GPL-2.0
/*
 * umm: MMU notifiers, Linux 6.12 semantics.
 *
 * An mm operation that is about to change page table entries announces it
 * with mmu_notifier_invalidate_range_start(range) and, once the entries
 * are changed, mmu_notifier_invalidate_range_end(range).  Two kinds of
 * subscribers hear it:
 *
 *  - classic notifiers (struct mmu_notifier): ->invalidate_range_start
 *    and ->invalidate_range_end for every range, ->release at exit;
 *  - interval notifiers (struct mmu_interval_notifier): ->invalidate once
 *    per range_start whose range overlaps their interval, with a sequence
 *    number that makes the read_begin / read_retry protocol below work.
 *
 * 1. The interval protocol
 * ------------------------
 *
 * It is a collision-retry lock, a seqcount that admits many writers at
 * once.  The writers are invalidations of the mm (many may run at a time,
 * and one may nest inside another in the same thread, as a THP split
 * inside a zap); a reader is a driver building its own mapping of pages
 * of its interval (vmeta: a kernel pointer to a ring page), which it may
 * sleep to do.
 *
 * Per mm (struct mmu_notifier_subscriptions, all under ->lock):
 *
 *   invalidate_seq            the global sequence; odd while excluded
 *   active_invalidate_ranges  invalidations between start and end
 *
 * States:
 *
 *   idle        active == 0, seq even.  The interval tree may change.
 *   partially   active > 0, seq even: ranges are being invalidated, none
 *   excluded    of them hits an interval.  The tree may change; an insert
 *               makes the state excluded (the new interval may lie in a
 *               range already under way).
 *   excluded    active > 0, seq odd: some interval was hit (or inserted
 *               meanwhile).  The tree may not change: inserts and removes
 *               wait on deferred_list, so that start/end never sleep.
 *
 *   inv_start   active++; if the range hits an interval, seq |= 1.
 *               cur_seq = seq, the same odd value for every invalidation
 *               that overlaps in time, nested ones included.
 *   inv_end     active--; the last one out of an excluded state makes
 *               seq even again (seq++: a value never used before),
 *               applies the deferred inserts and removes, and wakes the
 *               readers waiting in mmu_interval_read_begin().
 *
 * Per interval, interval_sub->invalidate_seq is odd: seq - 1 at insertion,
 * then the cur_seq of the last invalidation that reached it, stored by the
 * driver's invalidate() with mmu_interval_set_seq() under the driver's own
 * lock ("user lock").  It equals the global seq exactly while an
 * invalidation that reached the interval is still in progress.
 *
 * The interleavings (S: the odd cur_seq; the reader starts with seq):
 *
 *   reader (driver)                      writer (mm operation)
 *   ---------------                      ---------------------
 *   seq = mmu_interval_read_begin(sub)
 *     sub seq == global seq?  then an
 *     invalidation that reached sub is
 *     in progress: sleep until inv_end
 *   walk page tables / gup: map page P
 *                                        range_start(range covering P)
 *                                          lock: active++, seq |= 1 (S)
 *                                          ->invalidate(sub, range, S)
 *                                            user_lock
 *                                            mmu_interval_set_seq(sub, S)
 *                                            unmap what sub has mapped
 *                                            user_unlock
 *                                        clear the PTE of P, free P
 *   user_lock
 *   mmu_interval_read_retry(sub, seq)
 *     S != seq: true -> forget P, retry
 *   user_unlock
 *                                        range_end(range)
 *                                          lock: active--, seq++ (S + 1),
 *                                          deferred work; unlock
 *                                          wake_up_all
 *
 * or the reader wins the user lock:
 *
 *   user_lock
 *   mmu_interval_read_retry(): false
 *   publish P's mapping
 *   user_unlock
 *                                        ->invalidate() takes user_lock
 *                                        after it: set_seq, unmap P
 *                                        clear the PTE of P
 *
 * Either the driver sees the collision under its lock, or its mapping is
 * published before invalidate() runs and is torn down by it, before the
 * PTE changes.  An invalidation that began before read_begin and reached
 * the interval makes read_begin wait for its end (so the walk sees the new
 * PTEs); one that began before read_begin but calls invalidate() later is
 * caught by read_retry.  The user lock, not a barrier, orders set_seq and
 * read_retry.
 *
 * 2. The lab's choices
 * --------------------
 *
 * Callbacks may sleep (blockable ranges), so the classic list is walked
 * under SRCU (linux/srcu.h, the lab's two-epoch SRCU), as in Linux, not
 * under rcu_read_lock(), which is atomic context for might_sleep();
 * unregister and release wait with synchronize_srcu().
 *
 * The interval "tree" is a list sorted by start, under ->lock; callbacks
 * come in start order, as an interval tree walk gives them.  Overlap is
 * exact: range [start, end) and interval [start, last] overlap iff
 * range.start <= last && start <= range.end - 1; an empty range overlaps
 * nothing.
 *
 * Linux registers under mm_take_all_locks(), which waits for every
 * invalidation in flight on the mm; the lab has no such lock set.  So:
 *  - an invalidation that finds no subscriptions on its mm stays in a
 *    read section of mn_nosub_srcu until its end; the first registration
 *    on an mm publishes the subscriptions, then synchronize_srcu()s it:
 *    after that, every invalidation in flight counts in
 *    active_invalidate_ranges, and an insert is covered by the protocol;
 *  - the interval bookkeeping (inv_start/inv_end) runs for every
 *    invalidation of an mm with subscriptions, not only when an interval
 *    was ever inserted (Linux's has_itree), so that start and end always
 *    pair;
 *  - classic notifiers carry the generation at which they were
 *    registered; an invalidation calls start and end only on those
 *    registered before its start, so each sees a whole pair or nothing.
 *
 * Stricter than Linux, to catch bugs Linux would only sometimes show:
 * interval callbacks of a non-blockable range also run between
 * non_block_start() and non_block_end() (Linux does so only for classic
 * ones), and mmu_interval_read_begin() always calls might_sleep().
 *
 * Where a classic notifier fails a non-blockable start after the interval
 * notifiers were called, Linux returns -EAGAIN without inv_end (the
 * global seq would stay odd); the lab ends the interval part first.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/wait.h>

/* Classic callbacks run inside it; unregister and release wait for it. */
DEFINE_STATIC_SRCU(mn_srcu);
/* Invalidations that began on an mm without subscriptions (section 2). */
DEFINE_STATIC_SRCU(mn_nosub_srcu);

/*
 * Allocated by the first registration on an mm, published in
 * mm->notifier_subscriptions and freed with the mm (the last mmdrop()).
 */
struct mmu_notifier_subscriptions {
	/* classic notifiers, newest first: ->lock; walked under mn_srcu */
	struct list_head list;
	/* generation of the last classic registration: written under ->lock */
	unsigned long gen;
	spinlock_t lock;
	unsigned long invalidate_seq;		/* ->lock */
	unsigned long active_invalidate_ranges;	/* ->lock */
	/* intervals sorted by start: ->lock; frozen while seq is odd */
	struct list_head itree;
	wait_queue_head_t wq;			/* an excluded state ended */
	struct list_head deferred_list;		/* ->lock */
};

static struct mmu_notifier_subscriptions *mn_subs(struct mm_struct *mm)
{
	/* Pairs with the release store in mn_subscriptions_publish(). */
	return __atomic_load_n(&mm->notifier_subscriptions, __ATOMIC_ACQUIRE);
}

/* ---- the interval tree, a sorted list ---- */

static bool mn_interval_hit(const struct umm_interval_node *node,
			    const struct mmu_notifier_range *range)
{
	if (range->end <= range->start)
		return false;
	return range->start <= node->last && node->start <= range->end - 1;
}

static bool mn_interval_in_tree(const struct mmu_interval_notifier *sub)
{
	return !list_empty(&sub->interval_tree.link);
}

/* The first interval after @pos that @range hits, or NULL. */
static struct mmu_interval_notifier *
mn_itree_next_hit(struct mmu_notifier_subscriptions *subs,
		  struct list_head *pos,
		  const struct mmu_notifier_range *range)
{
	for (pos = pos->next; pos != &subs->itree; pos = pos->next) {
		struct mmu_interval_notifier *sub =
			container_of(pos, struct mmu_interval_notifier,
				     interval_tree.link);

		if (mn_interval_hit(&sub->interval_tree, range))
			return sub;
	}
	return NULL;
}

static void mn_itree_insert(struct mmu_notifier_subscriptions *subs,
			    struct mmu_interval_notifier *sub)
{
	struct list_head *pos;

	lockdep_assert_held(&subs->lock);
	for (pos = subs->itree.next; pos != &subs->itree; pos = pos->next) {
		struct mmu_interval_notifier *other =
			container_of(pos, struct mmu_interval_notifier,
				     interval_tree.link);

		if (other->interval_tree.start > sub->interval_tree.start)
			break;
	}
	list_add_tail(&sub->interval_tree.link, pos);
}

/* ---- the interval protocol ---- */

static bool mn_itree_is_invalidating(struct mmu_notifier_subscriptions *subs)
{
	lockdep_assert_held(&subs->lock);
	return subs->invalidate_seq & 1;
}

/*
 * inv_start: count the range in, enter the excluded state if it hits an
 * interval.  Returns the first interval hit; *seq gets cur_seq.
 */
static struct mmu_interval_notifier *
mn_itree_inv_start_range(struct mmu_notifier_subscriptions *subs,
			 const struct mmu_notifier_range *range,
			 unsigned long *seq)
{
	struct mmu_interval_notifier *first;

	spin_lock(&subs->lock);
	subs->active_invalidate_ranges++;
	first = mn_itree_next_hit(subs, &subs->itree, range);
	if (first)
		subs->invalidate_seq |= 1;
	*seq = subs->invalidate_seq;
	spin_unlock(&subs->lock);
	return first;
}

/*
 * The next interval hit after @sub.  No lock: while seq is odd the tree
 * does not change, and we hold it odd (our range is active and hit).
 */
static struct mmu_interval_notifier *
mn_itree_inv_next(struct mmu_notifier_subscriptions *subs,
		  struct mmu_interval_notifier *sub,
		  const struct mmu_notifier_range *range)
{
	return mn_itree_next_hit(subs, &sub->interval_tree.link, range);
}

/* Apply the inserts and removes that waited for the excluded state. */
static void mn_itree_apply_deferred(struct mmu_notifier_subscriptions *subs)
{
	struct mmu_interval_notifier *sub, *next;

	lockdep_assert_held(&subs->lock);
	list_for_each_entry_safe(sub, next, &subs->deferred_list,
				 deferred_item) {
		if (mn_interval_in_tree(sub))
			list_del_init(&sub->interval_tree.link);
		else
			mn_itree_insert(subs, sub);
		list_del_init(&sub->deferred_item);
	}
}

/* inv_end: count the range out; the last one out of excluded wakes. */
static void mn_itree_inv_end(struct mmu_notifier_subscriptions *subs)
{
	spin_lock(&subs->lock);
	if (WARN_ON(!subs->active_invalidate_ranges) ||
	    --subs->active_invalidate_ranges ||
	    !mn_itree_is_invalidating(subs)) {
		spin_unlock(&subs->lock);
		return;
	}
	subs->invalidate_seq++;		/* even, and never seen before */
	mn_itree_apply_deferred(subs);
	spin_unlock(&subs->lock);
	wake_up_all(&subs->wq);
}

/* Has the global seq moved on from @seq? */
static bool mmu_interval_seq_released(struct mmu_notifier_subscriptions *subs,
				      unsigned long seq)
{
	bool ret;

	spin_lock(&subs->lock);
	ret = subs->invalidate_seq != seq;
	spin_unlock(&subs->lock);
	return ret;
}

static bool mn_call_invalidate(struct mmu_interval_notifier *sub,
			       const struct mmu_notifier_range *range,
			       unsigned long cur_seq)
{
	bool blockable = mmu_notifier_range_blockable(range);
	bool ret;

	if (!blockable)
		non_block_start();
	ret = sub->ops->invalidate(sub, range, cur_seq);
	if (!blockable)
		non_block_end();
	return ret;
}

static int mn_itree_invalidate(struct mmu_notifier_subscriptions *subs,
			       const struct mmu_notifier_range *range)
{
	struct mmu_interval_notifier *sub;
	unsigned long cur_seq;

	for (sub = mn_itree_inv_start_range(subs, range, &cur_seq); sub;
	     sub = mn_itree_inv_next(subs, sub, range)) {
		if (mn_call_invalidate(sub, range, cur_seq))
			continue;
		/* false is only allowed when the callback may not sleep */
		if (WARN_ON(mmu_notifier_range_blockable(range)))
			continue;
		/* The caller will not call range_end after -EAGAIN. */
		mn_itree_inv_end(subs);
		return -EAGAIN;
	}
	return 0;
}

static void mn_itree_release(struct mmu_notifier_subscriptions *subs,
			     struct mm_struct *mm)
{
	struct mmu_notifier_range range;
	struct mmu_interval_notifier *sub;
	unsigned long cur_seq;

	mmu_notifier_range_init(&range, MMU_NOTIFY_RELEASE,
				MMU_NOTIFIER_RANGE_BLOCKABLE, mm, 0, ULONG_MAX);
	for (sub = mn_itree_inv_start_range(subs, &range, &cur_seq); sub;
	     sub = mn_itree_inv_next(subs, sub, &range))
		WARN_ON(!mn_call_invalidate(sub, &range, cur_seq));
	mn_itree_inv_end(subs);
}

/**
 * mmu_interval_read_begin - begin a read side critical section on an interval
 * @interval_sub: the subscription
 *
 * If an invalidation that reached the interval is in progress, sleeps
 * until it (and every invalidation overlapping it in time) has ended.
 * Then the caller may walk the page tables, gup, and build its mapping;
 * it must call mmu_interval_read_retry() with the returned value under
 * its user lock before it uses the mapping.  The retry can already be
 * true on return: callers loop, and the loop is theirs.
 *
 * Context: process context, may sleep (checked even when it does not);
 * not holding the user lock or anything invalidate() takes.
 * Return: the sequence to pass to mmu_interval_read_retry().
 */
unsigned long
mmu_interval_read_begin(struct mmu_interval_notifier *interval_sub)
{
	struct mmu_notifier_subscriptions *subs =
		mn_subs(interval_sub->mm);
	unsigned long seq;
	bool is_invalidating;

	might_sleep();
	spin_lock(&subs->lock);
	/* Pairs with the store in mmu_interval_set_seq(). */
	seq = __atomic_load_n(&interval_sub->invalidate_seq, __ATOMIC_RELAXED);
	is_invalidating = seq == subs->invalidate_seq;
	spin_unlock(&subs->lock);

	/*
	 * seq is odd and the idle global seq even, so this wait ends at the
	 * next inv_end of an excluded state even if the sequence wrapped.
	 */
	if (is_invalidating)
		wait_event(subs->wq, mmu_interval_seq_released(subs, seq));
	return seq;
}

/* ---- classic notifiers ---- */

/* Was @sub registered before the invalidation that saw generation @gen? */
static bool mn_visible(const struct mmu_notifier *sub, unsigned long gen)
{
	return sub->umm_gen <= gen;
}

static void mn_non_block_start(const struct mmu_notifier_range *range)
{
	if (!mmu_notifier_range_blockable(range))
		non_block_start();
}

static void mn_non_block_end(const struct mmu_notifier_range *range)
{
	if (!mmu_notifier_range_blockable(range))
		non_block_end();
}

static int mn_call_start(struct mmu_notifier *sub,
			 const struct mmu_notifier_range *range)
{
	const struct mmu_notifier_ops *ops = sub->ops;
	int ret;

	mn_non_block_start(range);
	ret = ops->invalidate_range_start(sub, range);
	mn_non_block_end(range);
	if (!ret)
		return 0;
	pr_info("mmu_notifier: invalidate_range_start %p failed with %d in %sblockable context\n",
		(void *)ops, ret,
		mmu_notifier_range_blockable(range) ? "" : "non-");
	WARN_ON(mmu_notifier_range_blockable(range) || ret != -EAGAIN);
	/* A start that can fail cannot know whether its end will come. */
	WARN_ON(ops->invalidate_range_end);
	return ret;
}

static void mn_call_end(struct mmu_notifier *sub,
			const struct mmu_notifier_range *range)
{
	mn_non_block_start(range);
	sub->ops->invalidate_range_end(sub, range);
	mn_non_block_end(range);
}

static void mn_hlist_invalidate_end(struct mmu_notifier_subscriptions *subs,
				    const struct mmu_notifier_range *range)
{
	struct mmu_notifier *sub;
	int id;

	id = srcu_read_lock(&mn_srcu);
	list_for_each_entry_rcu(sub, &subs->list, hlist)
		if (mn_visible(sub, range->umm_gen) &&
		    sub->ops->invalidate_range_end)
			mn_call_end(sub, range);
	srcu_read_unlock(&mn_srcu, id);
}

static int
mn_hlist_invalidate_range_start(struct mmu_notifier_subscriptions *subs,
				const struct mmu_notifier_range *range)
{
	struct mmu_notifier *sub;
	int ret = 0, id;

	id = srcu_read_lock(&mn_srcu);
	list_for_each_entry_rcu(sub, &subs->list, hlist) {
		int err;

		if (!mn_visible(sub, range->umm_gen) ||
		    !sub->ops->invalidate_range_start)
			continue;
		err = mn_call_start(sub, range);
		if (err)
			ret = err;
	}
	srcu_read_unlock(&mn_srcu, id);
	/*
	 * Non-blockable and failed: every notifier was called; those whose
	 * start succeeded expect their end.
	 */
	if (ret)
		mn_hlist_invalidate_end(subs, range);
	return ret;
}

/*
 * Find the subscriptions of the range's mm, or, if there are none, enter
 * an mn_nosub_srcu section that lasts until range_end (section 2).
 */
static struct mmu_notifier_subscriptions *
mn_range_enter(struct mmu_notifier_range *range)
{
	struct mmu_notifier_subscriptions *subs = mn_subs(range->mm);
	int idx;

	range->umm_nosub_idx = -1;
	if (subs)
		return subs;
	idx = srcu_read_lock(&mn_nosub_srcu);
	subs = mn_subs(range->mm);
	if (subs) {
		srcu_read_unlock(&mn_nosub_srcu, idx);
		return subs;
	}
	range->umm_nosub_idx = idx;
	return NULL;
}

/**
 * __mmu_notifier_invalidate_range_start - call the notifiers for a range
 * @range: the range; its flags say whether callbacks may sleep
 *
 * Use mmu_notifier_invalidate_range_start() or
 * mmu_notifier_invalidate_range_start_nonblock().
 *
 * Context: may sleep iff the range is blockable.
 * Return: 0, or -EAGAIN (non-blockable only) with nothing left to end.
 */
int __mmu_notifier_invalidate_range_start(struct mmu_notifier_range *range)
{
	struct mmu_notifier_subscriptions *subs = mn_range_enter(range);
	int ret;

	if (!subs)
		return 0;
	/* Pairs with the release store of ->gen in mn_hlist_add(). */
	range->umm_gen = __atomic_load_n(&subs->gen, __ATOMIC_ACQUIRE);
	ret = mn_itree_invalidate(subs, range);
	if (ret)
		return ret;
	if (list_empty_rcu(&subs->list))
		return 0;
	ret = mn_hlist_invalidate_range_start(subs, range);
	if (ret)
		mn_itree_inv_end(subs);
	return ret;
}

/**
 * __mmu_notifier_invalidate_range_end - end what the start began
 * @range: the range of the successful start
 *
 * Context: may sleep iff the range is blockable.
 */
void __mmu_notifier_invalidate_range_end(struct mmu_notifier_range *range)
{
	struct mmu_notifier_subscriptions *subs;

	if (range->umm_nosub_idx >= 0) {
		srcu_read_unlock(&mn_nosub_srcu, range->umm_nosub_idx);
		range->umm_nosub_idx = -1;
		return;
	}
	subs = mn_subs(range->mm);
	mn_itree_inv_end(subs);
	if (!list_empty_rcu(&subs->list))
		mn_hlist_invalidate_end(subs, range);
}

/**
 * __mmu_notifier_arch_invalidate_secondary_tlbs - flush secondary TLBs
 * @mm: the mm, which has subscriptions
 * @start: first byte
 * @end: first byte after
 *
 * Context: under the page table lock; the callbacks must not sleep.
 */
void __mmu_notifier_arch_invalidate_secondary_tlbs(struct mm_struct *mm,
						   unsigned long start,
						   unsigned long end)
{
	struct mmu_notifier *sub;
	int id;

	id = srcu_read_lock(&mn_srcu);
	list_for_each_entry_rcu(sub, &mn_subs(mm)->list, hlist)
		if (sub->ops->arch_invalidate_secondary_tlbs)
			sub->ops->arch_invalidate_secondary_tlbs(sub, mm,
								 start, end);
	srcu_read_unlock(&mn_srcu, id);
}

/* ---- release ---- */

static bool mn_hashed(const struct mmu_notifier *sub)
{
	return sub->hlist.prev != LIST_POISON2;
}

static void mn_hlist_release(struct mmu_notifier_subscriptions *subs,
			     struct mm_struct *mm)
{
	struct mmu_notifier *sub;
	int id;

	/* Makes a concurrent unregister wait until ->release returned. */
	id = srcu_read_lock(&mn_srcu);
	list_for_each_entry_rcu(sub, &subs->list, hlist)
		if (sub->ops->release)
			sub->ops->release(sub, mm);

	spin_lock(&subs->lock);
	while (!list_empty(&subs->list)) {
		sub = list_first_entry(&subs->list, struct mmu_notifier,
				       hlist);
		/* unregister will now only wait, not call ->release */
		list_del_rcu(&sub->hlist);
	}
	spin_unlock(&subs->lock);
	srcu_read_unlock(&mn_srcu, id);

	/* An unregister's ->release may still run: exit waits for it. */
	synchronize_srcu(&mn_srcu);
}

/**
 * __mmu_notifier_release - see mmu_notifier_release()
 * @mm: the exiting mm, which has subscriptions
 *
 * Context: process context, may sleep.
 */
void __mmu_notifier_release(struct mm_struct *mm)
{
	struct mmu_notifier_subscriptions *subs = mn_subs(mm);

	mn_itree_release(subs, mm);
	if (!list_empty_rcu(&subs->list))
		mn_hlist_release(subs, mm);
}

/* ---- registration ---- */

static struct mmu_notifier_subscriptions *mn_subscriptions_alloc(void)
{
	struct mmu_notifier_subscriptions *subs;

	subs = kzalloc(sizeof(*subs), GFP_KERNEL);
	if (!subs)
		return NULL;
	INIT_LIST_HEAD(&subs->list);
	spin_lock_init(&subs->lock);
	subs->invalidate_seq = 2;
	INIT_LIST_HEAD(&subs->itree);
	init_waitqueue_head(&subs->wq);
	INIT_LIST_HEAD(&subs->deferred_list);
	return subs;
}

/*
 * Publish @subs on @mm, then wait for the invalidations that began
 * without seeing it: afterwards every invalidation in flight is counted
 * in ->active_invalidate_ranges.  (Linux: mm_take_all_locks().)
 */
static void mn_subscriptions_publish(struct mm_struct *mm,
				     struct mmu_notifier_subscriptions *subs)
{
	/* Pairs with the acquire in mn_subs() and mm_has_notifiers(). */
	__atomic_store_n(&mm->notifier_subscriptions, subs, __ATOMIC_RELEASE);
	synchronize_srcu(&mn_nosub_srcu);
}

static void mn_hlist_add(struct mmu_notifier_subscriptions *subs,
			 struct mmu_notifier *sub)
{
	spin_lock(&subs->lock);
	sub->umm_gen = subs->gen + 1;
	list_add_rcu(&sub->hlist, &subs->list);
	/* Pairs with the acquire in __mmu_notifier_invalidate_range_start(). */
	__atomic_store_n(&subs->gen, sub->umm_gen, __ATOMIC_RELEASE);
	spin_unlock(&subs->lock);
}

/**
 * __mmu_notifier_register - register a notifier, mmap_lock held for write
 * @subscription: the notifier, with ->ops set; NULL only makes sure that
 *	@mm has its subscriptions structure (for interval notifiers)
 * @mm: the mm; the caller holds a user reference (mm_users)
 *
 * Context: process context, may sleep; mmap_lock held for write.
 * Return: 0, -ENOMEM, or -EINVAL for ops that mix secondary-TLB and
 * start/end callbacks.
 */
int __mmu_notifier_register(struct mmu_notifier *subscription,
			    struct mm_struct *mm)
{
	struct mmu_notifier_subscriptions *subs;

	mmap_assert_write_locked(mm);
	BUG_ON(atomic_read(&mm->mm_users) <= 0);

	if (subscription &&
	    WARN_ON(subscription->ops->arch_invalidate_secondary_tlbs &&
		    (subscription->ops->invalidate_range_start ||
		     subscription->ops->invalidate_range_end)))
		return -EINVAL;

	subs = mn_subs(mm);
	if (!subs) {
		subs = mn_subscriptions_alloc();
		if (!subs)
			return -ENOMEM;
		mn_subscriptions_publish(mm, subs);
	}
	if (!subscription)
		return 0;

	/* Pairs with the mmdrop() in mmu_notifier_unregister(). */
	mmgrab(mm);
	subscription->mm = mm;
	subscription->users = 1;
	mn_hlist_add(subs, subscription);
	return 0;
}

/**
 * mmu_notifier_register - register a notifier on an mm
 * @subscription: the notifier, with ->ops set
 * @mm: the mm; the caller holds a user reference (mm_users)
 *
 * Must be paired with mmu_notifier_unregister().  The notifier sees every
 * invalidation that starts after this returns.
 *
 * Context: process context, may sleep; takes mmap_lock for write, so no
 * mm lock may be held.
 * Return: 0 or a negative errno.
 */
int mmu_notifier_register(struct mmu_notifier *subscription,
			  struct mm_struct *mm)
{
	int ret;

	mmap_write_lock(mm);
	ret = __mmu_notifier_register(subscription, mm);
	mmap_write_unlock(mm);
	return ret;
}

/**
 * mmu_notifier_unregister - unregister a classic notifier
 * @subscription: the notifier
 * @mm: the mm it was registered on
 *
 * Calls ->release unless mmu_notifier_release() already did, unlinks the
 * notifier, and waits until no callback of it is running anywhere: after
 * return none runs and none will.  Drops the notifier's mmgrab().
 *
 * Context: process context, may sleep; not from a notifier callback.
 */
void mmu_notifier_unregister(struct mmu_notifier *subscription,
			     struct mm_struct *mm)
{
	struct mmu_notifier_subscriptions *subs = mn_subs(mm);
	bool hashed;
	int id;

	BUG_ON(atomic_read(&mm->mm_count) <= 0);
	spin_lock(&subs->lock);
	hashed = mn_hashed(subscription);
	spin_unlock(&subs->lock);

	if (hashed) {
		/* Makes a concurrent exit wait for this ->release. */
		id = srcu_read_lock(&mn_srcu);
		if (subscription->ops->release)
			subscription->ops->release(subscription, mm);
		srcu_read_unlock(&mn_srcu, id);

		spin_lock(&subs->lock);
		/* mmu_notifier_release() may have unlinked it meanwhile */
		if (mn_hashed(subscription))
			list_del_rcu(&subscription->hlist);
		spin_unlock(&subs->lock);
	}

	/* Including a ->release run by mmu_notifier_release(). */
	synchronize_srcu(&mn_srcu);
	BUG_ON(atomic_read(&mm->mm_count) <= 0);
	mmdrop(mm);
}

/**
 * mmu_notifier_synchronize - wait for every running classic callback
 *
 * Context: process context, may sleep.
 */
void mmu_notifier_synchronize(void)
{
	synchronize_srcu(&mn_srcu);
}

/**
 * __mmu_notifier_subscriptions_destroy - free the subscriptions of a dead mm
 * @mm: the mm, from its last mmdrop(); every notifier is gone
 *
 * Context: process context.
 */
void __mmu_notifier_subscriptions_destroy(struct mm_struct *mm)
{
	struct mmu_notifier_subscriptions *subs = mn_subs(mm);

	BUG_ON(!list_empty(&subs->list));
	WARN_ON(!list_empty(&subs->itree) || !list_empty(&subs->deferred_list));
	kfree(subs);
	/* As Linux: a use after this faults. */
	mm->notifier_subscriptions = (void *)LIST_POISON1;
}

/* ---- interval notifier insert and remove ---- */

static int mn_interval_init(struct mmu_interval_notifier *sub,
			    struct mm_struct *mm, unsigned long start,
			    unsigned long length,
			    const struct mmu_interval_notifier_ops *ops)
{
	sub->mm = mm;
	sub->ops = ops;
	INIT_LIST_HEAD(&sub->interval_tree.link);
	INIT_LIST_HEAD(&sub->deferred_item);
	sub->interval_tree.start = start;
	/* The interval is [start, last]: last is inclusive. */
	if (length == 0 ||
	    __builtin_add_overflow(start, length - 1, &sub->interval_tree.last))
		return -EOVERFLOW;
	/* The caller holds an mmget(). */
	if (WARN_ON(atomic_read(&mm->mm_users) <= 0))
		return -EINVAL;
	return 0;
}

/*
 * Link @sub, or defer it while the tree is frozen.  Its first seq must
 * make read_begin wait for any invalidation already under way, since
 * that range may cover the new interval; otherwise it is an odd value
 * different from the global seq.
 */
static void mn_interval_link(struct mmu_notifier_subscriptions *subs,
			     struct mmu_interval_notifier *sub)
{
	spin_lock(&subs->lock);
	if (subs->active_invalidate_ranges) {
		if (mn_itree_is_invalidating(subs)) {
			list_add(&sub->deferred_item, &subs->deferred_list);
		} else {
			subs->invalidate_seq |= 1;
			mn_itree_insert(subs, sub);
		}
		sub->invalidate_seq = subs->invalidate_seq;
	} else {
		WARN_ON(mn_itree_is_invalidating(subs));
		sub->invalidate_seq = subs->invalidate_seq - 1;
		mn_itree_insert(subs, sub);
	}
	spin_unlock(&subs->lock);
}

static int
__mmu_interval_notifier_insert(struct mmu_interval_notifier *sub,
			       struct mm_struct *mm, unsigned long start,
			       unsigned long length,
			       const struct mmu_interval_notifier_ops *ops)
{
	int ret = mn_interval_init(sub, mm, start, length, ops);

	if (ret)
		return ret;
	/* Pairs with the mmdrop() in mmu_interval_notifier_remove(). */
	mmgrab(mm);
	mn_interval_link(mn_subs(mm), sub);
	return 0;
}

/**
 * mmu_interval_notifier_insert - subscribe to invalidations of an interval
 * @interval_sub: the subscription to fill and insert
 * @mm: the mm; the caller holds an mmget()
 * @start: first byte of the interval
 * @length: its length: the interval is [@start, @start + @length)
 * @ops: the callback
 *
 * The subscription may not be in the tree yet on return (an invalidation
 * in progress defers it); the read_begin / read_retry protocol covers
 * that: use it to build every mapping.  The first registration on @mm
 * takes mmap_lock for write to create the subscriptions; later ones do
 * not take it.
 *
 * Context: process context, may sleep; not holding mmap_lock.
 * Return: 0, -EOVERFLOW for an empty or wrapping interval, -EINVAL, or
 * -ENOMEM.
 */
int mmu_interval_notifier_insert(struct mmu_interval_notifier *interval_sub,
				 struct mm_struct *mm, unsigned long start,
				 unsigned long length,
				 const struct mmu_interval_notifier_ops *ops)
{
	int ret;

	might_sleep();		/* Linux: might_lock(&mm->mmap_lock) */
	if (!mn_subs(mm)) {
		ret = mmu_notifier_register(NULL, mm);
		if (ret)
			return ret;
	}
	return __mmu_interval_notifier_insert(interval_sub, mm, start, length,
					      ops);
}

/**
 * mmu_interval_notifier_insert_locked - insert, mmap_lock held for write
 * @interval_sub: the subscription
 * @mm: the mm; the caller holds an mmget()
 * @start: first byte of the interval
 * @length: its length
 * @ops: the callback
 *
 * As mmu_interval_notifier_insert().
 *
 * Context: process context, may sleep; mmap_lock held for write.
 * Return: as mmu_interval_notifier_insert().
 */
int mmu_interval_notifier_insert_locked(
	struct mmu_interval_notifier *interval_sub, struct mm_struct *mm,
	unsigned long start, unsigned long length,
	const struct mmu_interval_notifier_ops *ops)
{
	int ret;

	mmap_assert_write_locked(mm);
	if (!mn_subs(mm)) {
		ret = __mmu_notifier_register(NULL, mm);
		if (ret)
			return ret;
	}
	return __mmu_interval_notifier_insert(interval_sub, mm, start, length,
					      ops);
}

/*
 * Unlink @sub, or defer its removal while the tree is frozen.  Returns the
 * seq to wait past (an invalidation may be calling @sub), or 0.
 */
static unsigned long mn_interval_unlink(struct mmu_notifier_subscriptions *subs,
					struct mmu_interval_notifier *sub)
{
	unsigned long seq = 0;

	spin_lock(&subs->lock);
	if (mn_itree_is_invalidating(subs)) {
		if (!mn_interval_in_tree(sub)) {
			/* its insert is still deferred: cancel it */
			list_del_init(&sub->deferred_item);
		} else {
			list_add(&sub->deferred_item, &subs->deferred_list);
			seq = subs->invalidate_seq;
		}
	} else {
		WARN_ON(!mn_interval_in_tree(sub));
		list_del_init(&sub->interval_tree.link);
	}
	spin_unlock(&subs->lock);
	return seq;
}

/**
 * mmu_interval_notifier_remove - unsubscribe an interval notifier
 * @interval_sub: the subscription, inserted before
 *
 * If an invalidation is in progress, waits until it has ended: on return
 * invalidate() is not running and will not be called again.  Drops the
 * subscription's mmgrab().
 *
 * Context: process context, may sleep; not from invalidate(), and not
 * holding a lock that invalidate() takes.
 */
void mmu_interval_notifier_remove(struct mmu_interval_notifier *interval_sub)
{
	struct mm_struct *mm = interval_sub->mm;
	struct mmu_notifier_subscriptions *subs = mn_subs(mm);
	unsigned long seq;

	might_sleep();
	seq = mn_interval_unlink(subs, interval_sub);
	if (seq)
		wait_event(subs->wq, mmu_interval_seq_released(subs, seq));
	/* Pairs with the mmgrab() in __mmu_interval_notifier_insert(). */
	mmdrop(mm);
}
