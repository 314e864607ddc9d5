// SPDX-License-Identifier: GPL-2.0
/*
 * umm: the buddy allocator over the RAM banks, and page references.
 *
 * Two zones: Normal (the direct-mapped RAM) and HighMem (the top of bank
 * 1 when configured).  A free block of 2^order pages is naturally aligned;
 * every page of it has PG_buddy, its first page carries the order in
 * ->private and links it on its zone's free list; the other pages carry
 * BUDDY_TAIL there.  A freed block merges with its buddy while the buddy
 * is a free block of the same order in the same zone; the reserved
 * pages, the absent sections and the device range are never free, so no
 * block crosses them.
 *
 * A freed page is poisoned (page_poison.c) and checked when allocated
 * again.  Refcount misuse (get on a free page, put below zero, the last
 * put of a reserved page) is reported, not acted on.
 */
#include <string.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <umm/swap.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <umm/phys.h>
#include <umm/physmem.h>

/* ->private of a free page that is not the first of its block */
#define BUDDY_TAIL	(~0UL)
#define NO_PFN		(~0UL)

enum zone_type {
	ZONE_NORMAL,
	ZONE_HIGHMEM,
	MAX_NR_ZONES
};

struct zone {
	struct list_head free_list[MAX_ORDER + 1]; /* zone_lock */
	unsigned long nr_free;			/* pages; zone_lock */
};

/*
 * One lock for both zones (Linux has one per zone).  It also protects
 * PG_buddy and ->private of every free page.
 */
static DEFINE_SPINLOCK(zone_lock);
static struct zone zones[MAX_NR_ZONES];

static struct zone *pfn_zone(unsigned long pfn)
{
	return &zones[pfn >= umm_highmem_pfn ? ZONE_HIGHMEM : ZONE_NORMAL];
}

/* Is @pfn the first page of a free block of @order in @zone? */
static bool is_free_block(unsigned long pfn, unsigned int order,
			  struct zone *zone)
{
	struct page *page;

	if (!pfn_valid(pfn) || pfn_zone(pfn) != zone)
		return false;
	page = pfn_to_page(pfn);
	return test_bit(PG_buddy, &page->flags) && page->private == order;
}

/* Put a block on its free list, merged with its free buddies. */
static void free_block(unsigned long pfn, unsigned int order)
{
	struct zone *zone = pfn_zone(pfn);
	unsigned long buddy, i;
	struct page *page;

	lockdep_assert_held(&zone_lock);
	for (i = 0; i < (1UL << order); i++) {
		page = pfn_to_page(pfn + i);
		set_bit(PG_buddy, &page->flags);
		page->private = BUDDY_TAIL;
	}
	zone->nr_free += 1UL << order;
	for (; order < MAX_ORDER; order++) {
		buddy = pfn ^ (1UL << order);
		if (!is_free_block(buddy, order, zone))
			break;
		list_del(&pfn_to_page(buddy)->lru);
		pfn_to_page(max(pfn, buddy))->private = BUDDY_TAIL;
		pfn = min(pfn, buddy);
	}
	page = pfn_to_page(pfn);
	page->private = order;
	list_add(&page->lru, &zone->free_list[order]);
}

/* Take a block of @order from @zone, splitting a larger one if need be. */
static unsigned long take_block(struct zone *zone, unsigned int order)
{
	unsigned long pfn, i;
	struct page *page;
	unsigned int o;

	lockdep_assert_held(&zone_lock);
	for (o = order; o <= MAX_ORDER; o++)
		if (!list_empty(&zone->free_list[o]))
			break;
	if (o > MAX_ORDER)
		return NO_PFN;
	page = list_first_entry(&zone->free_list[o], struct page, lru);
	list_del_init(&page->lru);
	pfn = page_to_pfn(page);
	while (o > order) {
		o--;
		page = pfn_to_page(pfn + (1UL << o));
		page->private = o;
		list_add(&page->lru, &zone->free_list[o]);
	}
	for (i = 0; i < (1UL << order); i++) {
		page = pfn_to_page(pfn + i);
		clear_bit(PG_buddy, &page->flags);
		page->private = 0;
	}
	zone->nr_free -= 1UL << order;
	return pfn;
}

/* HIGHMEM first when the caller can take it, as Linux's zonelists do. */
static unsigned long grab_block(gfp_t gfp, unsigned int order)
{
	unsigned long pfn = NO_PFN;

	spin_lock(&zone_lock);
	if (gfp & __GFP_HIGHMEM)
		pfn = take_block(&zones[ZONE_HIGHMEM], order);
	if (pfn == NO_PFN)
		pfn = take_block(&zones[ZONE_NORMAL], order);
	spin_unlock(&zone_lock);
	return pfn;
}

static void prep_compound(struct page *head, unsigned int order)
{
	unsigned long i;

	set_bit(PG_head, &head->flags);
	head->compound_order = order;
	/* Page 1's lru becomes the compound page's map counts. */
	atomic_set(&head[1]._entire_mapcount, -1);
	atomic_set(&head[1]._nr_pte_mapped, 0);
	for (i = 1; i < (1UL << order); i++)
		WRITE_ONCE(head[i].compound_head, (unsigned long)head + 1);
}

/**
 * alloc_pages - allocate 2^@order contiguous pages
 * @gfp: __GFP_DIRECT_RECLAIM (might sleep), __GFP_ZERO, __GFP_COMP (a
 *	compound page), __GFP_HIGHMEM (HIGHMEM pages are acceptable),
 *	__GFP_NOWARN
 * @order: 0..MAX_ORDER
 *
 * The pages come with a refcount of 1 (on the head, for a compound
 * page).  A page written after it was last freed is reported.
 * Context: might sleep if @gfp allows blocking.  Returns the first page,
 * or NULL when no block is free (the lab does not reclaim).
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	unsigned long pfn;
	struct page *page;

	if (gfpflags_allow_blocking(gfp))
		might_sleep();
	if (order > MAX_ORDER) {
		WARN(!(gfp & __GFP_NOWARN), "alloc_pages: order %u", order);
		return NULL;
	}
	pfn = grab_block(gfp, order);
	if (pfn == NO_PFN)
		return NULL;
	BUG_ON(umm_pfn_kind(pfn) != UMM_PFN_RAM ||
	       umm_pfn_kind(pfn + (1UL << order) - 1) != UMM_PFN_RAM);
	umm_page_poison_check(pfn, 1UL << order);
	if (gfp & __GFP_ZERO)
		memset(umm_pfn_host(pfn), 0, PAGE_SIZE << order);
	page = pfn_to_page(pfn);
	atomic_set(&page->_refcount, 1);
	if ((gfp & __GFP_COMP) && order)
		prep_compound(page, order);
	return page;
}

static void bad_page(struct page *page, const char *why)
{
	umm_report(UMM_REPORT_BUG, __FILE__, __LINE__,
		   "Bad page state: pfn %#lx %s", page_to_pfn(page), why);
}

static void destroy_compound(struct page *head, unsigned int order)
{
	unsigned long i;

	if (head->compound_order != order)
		bad_page(head, "freed with the wrong order");
	if (folio_entire_mapcount(head) || folio_nr_pte_mapped(head))
		bad_page(head, "freed while mapped");
	for (i = 1; i < (1UL << order); i++) {
		if (compound_head(&head[i]) != head)
			bad_page(&head[i], "is not a tail of its head");
		WRITE_ONCE(head[i].compound_head, 0);
	}
	clear_bit(PG_head, &head->flags);
	head->compound_order = 0;
}

/* Check the pages and make them look free; false if they must not be. */
static bool free_pages_prepare(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), i;
	struct page *p;

	if (umm_pfn_kind(pfn) != UMM_PFN_RAM) {
		umm_report(UMM_REPORT_PAGE_REFCOUNT, __FILE__, __LINE__,
			   "the last reference to reserved pfn %#lx was put",
			   pfn);
		return false;
	}
	if (PageTail(page))
		bad_page(page, "a tail page freed on its own");
	if (PageHead(page))
		destroy_compound(page, order);
	/* A page that still caches a swap slot gives its count back. */
	umm_swap_page_freed(page);
	for (i = 0; i < (1UL << order); i++) {
		p = page + i;
		if (atomic_read(&p->_mapcount) != -1)
			bad_page(p, "freed while mapped");
		if (test_bit(PG_locked, &p->flags))
			bad_page(p, "freed while locked");
		__atomic_store_n(&p->flags, 0, __ATOMIC_RELAXED);
		p->mapping = NULL;
		p->index = 0;
	}
	return true;
}

static void free_the_page(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);

	if (!free_pages_prepare(page, order))
		return;
	umm_page_poison(pfn, 1UL << order);
	spin_lock(&zone_lock);
	free_block(pfn, order);
	spin_unlock(&zone_lock);
}

/* Drop a reference; true if it was the last.  Underflow is reported. */
static bool page_ref_put(struct page *page)
{
	int c = atomic_read(&page->_refcount);

	do {
		if (c <= 0) {
			umm_report(UMM_REPORT_PAGE_REFCOUNT, __FILE__, __LINE__,
				   "put_page: pfn %#lx has refcount %d",
				   page_to_pfn(page), c);
			return false;
		}
	} while (!atomic_try_cmpxchg(&page->_refcount, &c, c - 1));
	return c == 1;
}

/**
 * __free_pages - drop a reference to 2^@order pages, freeing them if last
 * @page: the first page, as alloc_pages() returned it
 * @order: the order it was allocated with
 *
 * Context: any.
 */
void __free_pages(struct page *page, unsigned int order)
{
	if (page_ref_put(page))
		free_the_page(page, order);
}

/* A reference may only be taken from one the caller already holds. */
static bool page_ref_get_ok(struct page *head, const char *what)
{
	int c = atomic_read(&head->_refcount);

	if (likely(c > 0 && c < INT_MAX))
		return true;
	umm_report(UMM_REPORT_PAGE_REFCOUNT, __FILE__, __LINE__,
		   "%s: pfn %#lx has refcount %d%s", what, page_to_pfn(head),
		   c, c <= 0 ? " (a free page)" : "");
	return false;
}

/**
 * get_page - take a reference to a page (its compound head)
 * @page: a page the caller already holds a reference to, or a mapping of
 *
 * Context: any.
 */
void get_page(struct page *page)
{
	struct page *head = compound_head(page);

	if (page_ref_get_ok(head, "get_page"))
		atomic_inc(&head->_refcount);
}

/**
 * try_get_page - get_page() that says no instead of misusing a free page
 * @page: the page
 *
 * Context: any.  Returns false (and reports) if the page is free.
 */
bool try_get_page(struct page *page)
{
	struct page *head = compound_head(page);

	if (!page_ref_get_ok(head, "try_get_page"))
		return false;
	atomic_inc(&head->_refcount);
	return true;
}

/**
 * get_page_unless_zero - take a speculative reference
 * @page: a page that may be free
 *
 * Context: any.  Returns false if the refcount (of the compound head) was
 * zero: the page is free or being freed, and was not touched.
 */
bool get_page_unless_zero(struct page *page)
{
	return atomic_inc_not_zero(&compound_head(page)->_refcount);
}

/**
 * put_page - drop a reference, freeing the page (the whole compound
 * page) when it was the last one
 * @page: the page, or any page of a compound page
 *
 * Context: any.
 */
void put_page(struct page *page)
{
	struct page *head = compound_head(page);

	if (page_ref_put(head))
		free_the_page(head, compound_order(head));
}

/**
 * umm_nr_free_pages - pages on the free lists, both zones
 *
 * Context: any; takes zone_lock.
 */
unsigned long umm_nr_free_pages(void)
{
	unsigned long n;

	spin_lock(&zone_lock);
	n = zones[ZONE_NORMAL].nr_free + zones[ZONE_HIGHMEM].nr_free;
	spin_unlock(&zone_lock);
	return n;
}

/* The largest naturally aligned block at @pfn that ends by @end. */
static unsigned int boot_order(unsigned long pfn, unsigned long end)
{
	unsigned int order = 0;

	while (order < MAX_ORDER && !(pfn & (1UL << order)) &&
	       pfn + (2UL << order) <= end)
		order++;
	return order;
}

/**
 * umm_page_alloc_init - give every RAM range of the layout to the buddy
 *
 * The pages are not poisoned: they still hold the memfd's zeroes, and
 * page_poison.c checks only pages that it poisoned.
 * Context: umm_boot(), after the struct pages are initialised.
 */
int umm_page_alloc_init(void)
{
	const struct umm_phys_range *r;
	unsigned long pfn;
	unsigned int z, o;

	for (z = 0; z < MAX_NR_ZONES; z++)
		for (o = 0; o <= MAX_ORDER; o++)
			INIT_LIST_HEAD(&zones[z].free_list[o]);
	spin_lock(&zone_lock);
	for (r = umm_phys_layout(); r->end; r++) {
		if (r->kind != UMM_PFN_RAM)
			continue;
		for (pfn = r->start; pfn < r->end;
		     pfn += 1UL << boot_order(pfn, r->end))
			free_block(pfn, boot_order(pfn, r->end));
	}
	spin_unlock(&zone_lock);
	return 0;
}
