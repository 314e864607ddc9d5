// SPDX-License-Identifier: GPL-2.0
/*
 * umm: page poisoning.  A freed page is filled with UMM_PAGE_POISON; when
 * it is allocated again the fill must still be intact, or something wrote
 * to the page after it was freed, and that is reported with the first
 * byte that changed (CONFIG_PAGE_POISONING's check, always on here).
 *
 * A bitmap says which pages hold the poison: RAM that has never been
 * allocated since boot is still the memfd's zeroes, and is neither filled
 * nor checked, so that booting does not touch all of the lab's memory.
 */
#include <stdlib.h>
#include <string.h>
#include <asm/errno.h>	/* E*, whichever linux/errno.h is in use */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <umm/cache.h>
#include <umm/phys.h>
#include <umm/physmem.h>

#define POISON_WORD	(0x0101010101010101UL * UMM_PAGE_POISON)

/* Bit per pfn: the page holds the poison; atomic bitops. */
static unsigned long *poisoned;

/**
 * umm_page_poison_init - make the bitmap of poisoned pages
 * @max_pfn: pfns it covers
 *
 * Context: umm_boot().  Returns 0 or -ENOMEM.
 */
int umm_page_poison_init(unsigned long max_pfn)
{
	poisoned = calloc(DIV_ROUND_UP(max_pfn, BITS_PER_LONG),
			  sizeof(unsigned long));
	return poisoned ? 0 : -ENOMEM;
}

/**
 * umm_page_poison - fill freed pages with the poison
 * @pfn: first pfn
 * @nr: number of pages
 *
 * Context: the pages are being freed and belong to the caller.
 */
void umm_page_poison(unsigned long pfn, unsigned long nr)
{
	unsigned long i;

	umm_cache_page_free(pfn, nr);
	memset(umm_pfn_host(pfn), UMM_PAGE_POISON, nr << PAGE_SHIFT);
	for (i = 0; i < nr; i++)
		set_bit(pfn + i, poisoned);
}

/* Offset of the first byte of the page that is not the poison, or -1. */
static long poison_damage(const unsigned char *p)
{
	const unsigned long *w = (const unsigned long *)p;
	unsigned long i, b;

	for (i = 0; i < PAGE_SIZE / sizeof(*w); i++) {
		if (w[i] == POISON_WORD)
			continue;
		for (b = i * sizeof(*w); p[b] == UMM_PAGE_POISON; b++)
			;
		return b;
	}
	return -1;
}

/**
 * umm_page_poison_check - check that pages being allocated kept the poison
 * @pfn: first pfn
 * @nr: number of pages
 *
 * Reports UMM_REPORT_PAGE_USE_AFTER_FREE for each page written after it
 * was freed.
 * Context: the pages were just taken from the free lists by the caller.
 */
void umm_page_poison_check(unsigned long pfn, unsigned long nr)
{
	const unsigned char *p;
	unsigned long i;
	long off;

	for (i = 0; i < nr; i++) {
		if (!test_and_clear_bit(pfn + i, poisoned))
			continue;
		p = umm_pfn_host(pfn + i);
		off = poison_damage(p);
		if (off >= 0)
			umm_report(UMM_REPORT_PAGE_USE_AFTER_FREE,
				   __FILE__, __LINE__,
				   "pfn %#lx written after free: offset %#lx is %#x, not the poison %#x",
				   pfn + i, off, p[off], UMM_PAGE_POISON);
	}
}
