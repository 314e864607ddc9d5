// SPDX-License-Identifier: GPL-2.0
/* umm: the two historical kvm_is_mmio_pfn() versions (umm/kvm_pfn.h). */
#include <asm/barrier.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <umm/kvm_pfn.h>

/* PG_reserved of this very page, not of its compound head. */
static bool own_reserved(const struct page *page)
{
	return test_bit(PG_reserved, &page->flags);
}

/**
 * umm_kvm_is_mmio_pfn_simple - MMIO unless a struct page says otherwise
 * @pfn: any pfn
 *
 * Context: any; the caller need not hold a reference to the page.
 */
bool umm_kvm_is_mmio_pfn_simple(unsigned long pfn)
{
	if (!pfn_valid(pfn))
		return true;
	return own_reserved(pfn_to_page(pfn));
}

/**
 * umm_kvm_is_mmio_pfn_thp - as _simple, but a THP tail asks its head
 * @pfn: any pfn
 *
 * The head is read without a reference: the THP may be split (or freed
 * and reused) concurrently, so the head's answer only counts if the page
 * is still a tail after it was read.
 * Context: any; the caller need not hold a reference to the page.
 */
bool umm_kvm_is_mmio_pfn_thp(unsigned long pfn)
{
	struct page *page, *head;
	bool head_reserved;

	if (!pfn_valid(pfn))
		return true;
	page = pfn_to_page(pfn);
	head = compound_head(page);
	if (head == page)
		return own_reserved(page);
	/*
	 * Read the head's flag before re-reading that we are a tail: the
	 * original's smp_rmb() between the two loads, written as an acquire
	 * load (ThreadSanitizer builds reject a fence).  Pairs with the
	 * freeing side: destroy_compound() in page_alloc.c unmarks the tails
	 * before the head goes back to the free lists (the release of
	 * zone_lock), and only then can the head be reused.
	 */
	head_reserved = smp_load_acquire(&head->flags) & BIT(PG_reserved);
	if (PageTail(page))
		return head_reserved;
	return own_reserved(page);
}
