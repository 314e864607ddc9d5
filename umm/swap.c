// SPDX-License-Identifier: GPL-2.0
/*
 * umm: the backing store, in host memory apart from the lab's RAM (see
 * umm/swap.h).  Slot 0 is never used, so that 0 can mean "none".
 */
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <umm/cache.h>
#include <umm/phys.h>
#include <umm/swap.h>

#define NR_SLOTS	(64UL << 10)	/* 256 MiB of store */

static DEFINE_SPINLOCK(swap_lock);
static char **slots;			/* slot contents; swap_lock */
static int *slot_count;			/* users of a slot; swap_lock */
static struct page **slot_page;		/* the swap cache; swap_lock */
static unsigned long next_hint = 1;	/* swap_lock */
static unsigned long writes;

static void swap_init_locked(void)
{
	if (slots)
		return;
	slots = calloc(NR_SLOTS, sizeof(*slots));
	slot_count = calloc(NR_SLOTS, sizeof(*slot_count));
	slot_page = calloc(NR_SLOTS, sizeof(*slot_page));
	if (!slots || !slot_count || !slot_page)
		abort();
	slot_count[0] = 1;	/* never handed out */
}

/**
 * umm_swap_alloc - reserve a slot
 * Context: any.  Returns the slot, or 0 when the store is full.
 */
unsigned long umm_swap_alloc(void)
{
	unsigned long i, slot = 0;

	spin_lock(&swap_lock);
	swap_init_locked();
	for (i = 0; i < NR_SLOTS && !slot; i++) {
		unsigned long s = (next_hint + i) % NR_SLOTS;

		if (!slot_count[s]) {
			slot_count[s] = 1;
			slot = s;
			next_hint = s + 1;
		}
	}
	spin_unlock(&swap_lock);
	return slot;
}

void umm_swap_dup(unsigned long slot)
{
	spin_lock(&swap_lock);
	WARN_ON(!slot || slot_count[slot] <= 0);
	slot_count[slot]++;
	spin_unlock(&swap_lock);
}

int umm_swap_count(unsigned long slot)
{
	int n;

	spin_lock(&swap_lock);
	n = slot_count[slot];
	spin_unlock(&swap_lock);
	return n;
}

/* Drop one user of @slot; returns the content to free if it was the last. */
static char *swap_put_locked(unsigned long slot)
{
	char *data = NULL;

	if (!WARN_ON(!slot || slot_count[slot] <= 0) && !--slot_count[slot]) {
		data = slots[slot];
		slots[slot] = NULL;
	}
	return data;
}

void umm_swap_free(unsigned long slot)
{
	char *data;

	spin_lock(&swap_lock);
	data = swap_put_locked(slot);
	spin_unlock(&swap_lock);
	free(data);
}

/**
 * umm_swap_write - write @page's content to @slot
 * Context: the page is locked and mapped nowhere.
 */
void umm_swap_write(unsigned long slot, struct page *page)
{
	char *data = malloc(PAGE_SIZE), *old;

	if (!data)
		abort();
	umm_cache_dma_to_device(page_to_pfn(page));
	memcpy(data, umm_pfn_host(page_to_pfn(page)), PAGE_SIZE);
	spin_lock(&swap_lock);
	old = slots[slot];
	slots[slot] = data;
	spin_unlock(&swap_lock);
	free(old);
	__atomic_add_fetch(&writes, 1, __ATOMIC_RELAXED);
}

/**
 * umm_swap_read - fill @page from @slot (zeroes if never written)
 * Context: the page is not yet mapped.
 */
void umm_swap_read(unsigned long slot, struct page *page)
{
	void *dst = umm_pfn_host(page_to_pfn(page));

	spin_lock(&swap_lock);
	if (slots[slot])
		memcpy(dst, slots[slot], PAGE_SIZE);
	else
		memset(dst, 0, PAGE_SIZE);
	spin_unlock(&swap_lock);
	umm_cache_dma_from_device(page_to_pfn(page));
}

unsigned long umm_swap_writes(void)
{
	return __atomic_load_n(&writes, __ATOMIC_RELAXED);
}

/**
 * umm_swap_cache_add - @page now caches @slot's content, taking over
 * one count of the slot; a fault on a swap entry of @slot finds it.
 * Context: page locked (or not yet visible to anyone else).
 */
void umm_swap_cache_add(struct page *page, unsigned long slot)
{
	spin_lock(&swap_lock);
	slot_page[slot] = page;
	page->private = slot;
	SetPageSwapCache(page);
	spin_unlock(&swap_lock);
}

/**
 * umm_swap_cache_replace - @new takes @old's place in the swap cache, slot
 * count included, as migration's folio_migrate_mapping() does
 * Context: both pages locked, @old unmapped.  Nothing if @old caches no
 * slot.
 */
void umm_swap_cache_replace(struct page *old, struct page *new)
{
	unsigned long slot = old->private;

	spin_lock(&swap_lock);
	if (TestClearPageSwapCache(old)) {
		if (slot_page[slot] == old)
			slot_page[slot] = new;
		new->private = slot;
		SetPageSwapCache(new);
		old->private = 0;
	}
	spin_unlock(&swap_lock);
}

/**
 * umm_swap_cache_lookup - the page caching @slot, with a reference
 * Context: any.  NULL if none.
 */
struct page *umm_swap_cache_lookup(unsigned long slot)
{
	struct page *page;

	spin_lock(&swap_lock);
	page = slot_page[slot];
	if (page && !get_page_unless_zero(page))
		page = NULL;
	spin_unlock(&swap_lock);
	return page;
}

static char *cache_remove_locked(struct page *page)
{
	unsigned long slot = page->private;

	if (slot_page[slot] == page)
		slot_page[slot] = NULL;
	ClearPageSwapCache(page);
	page->private = 0;
	return swap_put_locked(slot);
}

/**
 * umm_swap_cache_try_remove - take @page out of the swap cache if only
 * @refs references remain (so no fault is about to map it)
 * Context: page locked.  Returns true if removed.
 */
bool umm_swap_cache_try_remove(struct page *page, int refs)
{
	char *data = NULL;
	bool done;

	spin_lock(&swap_lock);
	done = PageSwapCache(page) && page_count(page) == refs;
	if (done)
		data = cache_remove_locked(page);
	spin_unlock(&swap_lock);
	free(data);
	return done;
}

/* The page allocator frees a page that still holds a slot. */
void umm_swap_page_freed(struct page *page)
{
	char *data = NULL;

	spin_lock(&swap_lock);
	if (PageSwapCache(page))
		data = cache_remove_locked(page);
	spin_unlock(&swap_lock);
	free(data);
}
