/* SPDX-License-Identifier: GPL-2.0 */
/* umm: page flags and compound pages. */
#ifndef _LINUX_PAGE_FLAGS_H
#define _LINUX_PAGE_FLAGS_H

#include <linux/bitops.h>
#include <linux/mm_types.h>

enum pageflags {
	PG_locked,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_head,
	PG_reserved,
	PG_private,
	PG_writeback,
	PG_swapbacked,		/* backed by swap or shmem store */
	PG_swapcache,
	PG_anon,		/* lab: Linux tags page->mapping instead */
	PG_arch_1,		/* architecture: deferred D-cache flush */
	PG_buddy,		/* lab: free, owned by the buddy allocator */
	PG_zero,		/* lab: the shared zero page */
	PG_anon_exclusive,	/* per page: see PageAnonExclusive() */
	__NR_PAGEFLAGS
};

static inline struct page *compound_head(const struct page *page)
{
	unsigned long head = READ_ONCE(page->compound_head);

	if (head & 1)
		return (struct page *)(head - 1);
	return (struct page *)page;
}

static inline bool PageTail(const struct page *page)
{
	return READ_ONCE(page->compound_head) & 1;
}

#define __PAGEFLAG(uname, lname)					\
static inline bool Page##uname(const struct page *page)			\
{									\
	return test_bit(PG_##lname, &compound_head(page)->flags);	\
}									\
static inline void SetPage##uname(struct page *page)			\
{									\
	set_bit(PG_##lname, &compound_head(page)->flags);		\
}									\
static inline void ClearPage##uname(struct page *page)			\
{									\
	clear_bit(PG_##lname, &compound_head(page)->flags);		\
}									\
static inline bool TestClearPage##uname(struct page *page)		\
{									\
	return test_and_clear_bit(PG_##lname, &compound_head(page)->flags); \
}									\
static inline bool TestSetPage##uname(struct page *page)		\
{									\
	return test_and_set_bit(PG_##lname, &compound_head(page)->flags); \
}

__PAGEFLAG(Locked, locked)
__PAGEFLAG(Referenced, referenced)
__PAGEFLAG(Uptodate, uptodate)
__PAGEFLAG(Dirty, dirty)
__PAGEFLAG(LRU, lru)
__PAGEFLAG(Reserved, reserved)
__PAGEFLAG(Private, private)
__PAGEFLAG(Writeback, writeback)
__PAGEFLAG(SwapBacked, swapbacked)
__PAGEFLAG(SwapCache, swapcache)
__PAGEFLAG(Anon, anon)
__PAGEFLAG(Buddy, buddy)

/* The head flag is per page: it must not be redirected to the head. */
static inline bool PageHead(const struct page *page)
{
	return test_bit(PG_head, &page->flags);
}

/*
 * Per page, not the head's: this anonymous page is mapped by one process
 * only, so a write to it reuses it.  The lab sets it on THPs (all of
 * a THP mapped by a PMD: on the head; its pages after a split), clears
 * it when fork shares them; order-0 pages go by their counts instead.
 */
static inline bool PageAnonExclusive(const struct page *page)
{
	return test_bit(PG_anon_exclusive, &page->flags);
}

static inline void SetPageAnonExclusive(struct page *page)
{
	set_bit(PG_anon_exclusive, &page->flags);
}

static inline void ClearPageAnonExclusive(struct page *page)
{
	clear_bit(PG_anon_exclusive, &page->flags);
}

static inline bool PageCompound(const struct page *page)
{
	return PageHead(page) || PageTail(page);
}

static inline bool PageTransHuge(const struct page *page)
{
	return PageHead(page) && page->compound_order == HPAGE_PMD_ORDER;
}

static inline unsigned int compound_order(const struct page *page)
{
	return PageHead(page) ? page->compound_order : 0;
}

static inline unsigned long compound_nr(const struct page *page)
{
	return 1UL << compound_order(page);
}

#endif /* _LINUX_PAGE_FLAGS_H */
