/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: the backing store.  Reclaim writes a dirty page to a slot and
 * drops a clean one; a refault reads the slot.  A page whose content is
 * in a slot keeps the slot (PageSwapCache, page->private) until it is
 * freed, so reclaiming it again while clean needs no write: that is how
 * a dirty bit lost by a kernel writer becomes lost data, as in Linux.
 */
#ifndef _UMM_SWAP_H
#define _UMM_SWAP_H

#include <linux/pgtable.h>

/*
 * A slot is counted: one for each swap PTE that holds it and one for the
 * page (PageSwapCache) or file index that holds it.
 */
unsigned long umm_swap_alloc(void);		/* 0: store full */
void umm_swap_dup(unsigned long slot);
void umm_swap_free(unsigned long slot);		/* drop one count */
int umm_swap_count(unsigned long slot);
void umm_swap_write(unsigned long slot, struct page *page);
void umm_swap_read(unsigned long slot, struct page *page);
unsigned long umm_swap_writes(void);		/* pages written so far */

/* A non-present PTE holding a slot. */
static inline pte_t umm_swp_pte(unsigned long slot)
{
	return __pte((slot << PAGE_SHIFT) | _PAGE_SWP);
}

static inline unsigned long umm_pte_slot(pte_t pte)
{
	return pte_val(pte) >> PAGE_SHIFT;
}

/*
 * The swap cache: an anonymous page keeps its slot while it lives, and a
 * fault on a swap entry finds the page there instead of reading a slot
 * that reclaim may not have finished writing.
 */
void umm_swap_cache_add(struct page *page, unsigned long slot);
struct page *umm_swap_cache_lookup(unsigned long slot);
void umm_swap_cache_replace(struct page *old, struct page *new);
bool umm_swap_cache_try_remove(struct page *page, int refs);

/* A freed page gives its slot count back (umm/page_alloc.c calls it). */
void umm_swap_page_freed(struct page *page);

#endif /* _UMM_SWAP_H */
