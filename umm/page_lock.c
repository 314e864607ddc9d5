// SPDX-License-Identifier: GPL-2.0
/*
 * umm: the page lock (PG_locked of the compound head) and dirtying.
 *
 * A waiter sleeps on one of a few hashed wait queues, as in Linux.  Every
 * page lock is one lock class, "page_lock", on the held-lock stack, so a
 * might_sleep() report names it and lockdep-style assertions see it.
 * The lab is stricter than Linux in one way: the task that locked a page
 * must unlock it (Linux lets I/O completion do it); a different task's
 * unlock_page() is reported as releasing a lock it does not hold.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/wait.h>

#define PAGE_WAIT_BITS	6
#define PAGE_WAIT_SIZE	(1 << PAGE_WAIT_BITS)

static struct wait_queue_head page_wait_table[PAGE_WAIT_SIZE] = {
	[0 ... PAGE_WAIT_SIZE - 1] = __WAIT_QUEUE_HEAD_INITIALIZER(page_wait),
};

static struct lockdep_map page_lock_map = { .name = "page_lock" };

static struct wait_queue_head *page_waitqueue(struct page *head)
{
	return &page_wait_table[page_to_pfn(head) % PAGE_WAIT_SIZE];
}

/**
 * trylock_page - lock a page if nobody holds its lock
 * @page: the page (any page of a compound page: its head is locked)
 *
 * Context: any.  Returns true if the caller now holds the page lock.
 */
bool trylock_page(struct page *page)
{
	if (test_and_set_bit_lock(PG_locked, &compound_head(page)->flags))
		return false;
	umm_lock_acquired(&page_lock_map, UMM_HOLD_EXCL);
	return true;
}

/**
 * lock_page - lock a page, waiting for its holder to unlock it
 * @page: the page (any page of a compound page: its head is locked)
 *
 * Context: process context; might sleep.
 */
void lock_page(struct page *page)
{
	struct page *head = compound_head(page);
	struct wait_queue_head *wq = page_waitqueue(head);

	/* wait_event() checks might_sleep() even when the lock is free. */
	wait_event(*wq, !test_and_set_bit_lock(PG_locked, &head->flags));
	umm_lock_acquired(&page_lock_map, UMM_HOLD_EXCL);
}

/**
 * unlock_page - unlock a page and wake its waiters
 * @page: a page the caller locked
 *
 * Context: any.  Unlocking a page that is not locked is reported.
 */
void unlock_page(struct page *page)
{
	struct page *head = compound_head(page);

	if (!test_bit(PG_locked, &head->flags)) {
		umm_report(UMM_REPORT_LOCK_MISUSE, __FILE__, __LINE__,
			   "unlock_page: pfn %#lx is not locked",
			   page_to_pfn(head));
		return;
	}
	umm_lock_released(&page_lock_map);
	clear_bit_unlock(PG_locked, &head->flags);
	wake_up_all(page_waitqueue(head));
}

/**
 * set_page_dirty - mark a page's data dirty
 * @page: the page (the flag is the compound head's)
 *
 * Context: any; the caller keeps the page from being truncated (a
 * reference on an anonymous page, the page lock on a file page).
 * Returns true if the page was clean before.
 */
bool set_page_dirty(struct page *page)
{
	return !TestSetPageDirty(page);
}

/**
 * set_page_dirty_lock - set_page_dirty() under the page lock
 * @page: the page
 *
 * Context: process context; might sleep (lock_page()).
 * Returns true if the page was clean before.
 */
bool set_page_dirty_lock(struct page *page)
{
	bool newly;

	lock_page(page);
	newly = set_page_dirty(page);
	unlock_page(page);
	return newly;
}
