// SPDX-License-Identifier: GPL-2.0
/*
 * umm: which physical line, colour and kind of mapping a host address
 * is, for the cache model.
 *
 *   the direct map   pfn from the offset; modelled VA PAGE_OFFSET + pa
 *   a user mirror    the translation umm_mirror_map() installed; the VA
 *                    is the user address, the space the mm's window
 *   a kernel alias   the translation umm_alias_map() installed; the VA
 *                    is given at umm_alias_reserve() time, one area
 *                    after another (kmap_coherent sets its own)
 *
 * Translations live in a hash by host page.  The user translations of a
 * pfn are also on a list (the page's i_mmap and anon_vma, as far as the
 * cache is concerned), for flush_dcache_page().  A VIVT cache must be
 * flushed before a translation goes (R6): a removed translation whose
 * lines are still cached is reported.
 */
#include "cache_internal.h"	/* first: the model is not routed */
#include <stdlib.h>
#include <linux/kernel.h>
#include <umm/mm.h>
#include <umm/phys.h>
#include <umm/physmem.h>

#define HASH_BITS	16
#define HASH_SIZE	(1UL << HASH_BITS)

static struct xlat *hash[HASH_SIZE];
static unsigned long next_alias_va = MODEL_ALIAS_BASE;

static unsigned long hash_of(unsigned long host)
{
	return ((host >> PAGE_SHIFT) * 0x9e3779b97f4a7c15UL) >>
	       (64 - HASH_BITS);
}

static struct xlat *xlat_find(unsigned long host)
{
	struct xlat *x;

	for (x = hash[hash_of(host)]; x; x = x->hnext)
		if (x->host == host)
			return x;
	return NULL;
}

static struct xlat *xlat_add(unsigned long host)
{
	struct xlat **head = &hash[hash_of(host)];
	struct xlat *x = calloc(1, sizeof(*x));

	BUG_ON(!x);
	x->host = host;
	x->pfn = NO_PFN;
	x->hnext = *head;
	*head = x;
	return x;
}

static void xlat_del(struct xlat *x)
{
	struct xlat **pp = &hash[hash_of(x->host)];

	while (*pp != x)
		pp = &(*pp)->hnext;
	*pp = x->hnext;
	free(x);
}

/* The space of @mm's user addresses: its window, never 0. */
unsigned int cache_mm_space(const struct mm_struct *mm)
{
	return mm->mirror_base >> 35;
}

/**
 * cache_classify - where @p lands in the model
 * Context: cache_lock held.  False for memory the model does not cache.
 */
bool cache_classify(const void *p, struct cache_loc *loc)
{
	unsigned long a = (unsigned long)p, host = a & PAGE_MASK;
	struct xlat *x;

	if (umm_in_direct_map(p)) {
		loc->pfn = (a - (unsigned long)umm_direct_map) >> PAGE_SHIFT;
		loc->va = MODEL_PAGE_OFFSET + (loc->pfn << PAGE_SHIFT);
		loc->space = 0;
		loc->what = "direct map";
		return loc->pfn < umm_max_pfn;
	}
	x = xlat_find(host);
	if (!x || x->pfn == NO_PFN)
		return false;
	loc->pfn = x->pfn;
	loc->va = x->va;
	loc->space = x->space;
	loc->what = x->what;
	return true;
}

/*
 * R6: a translation goes.  After a flush_cache_page/range of it (the
 * unmap paths flush, then clear the PTE), dirty lines are stores that
 * raced between the two: written back here, as if the flush ran after
 * the clear (parisc's ptep_clear_flush() does so in 6.12, not in 6.1; a
 * uniprocessor, which every VIVT ARM is, has no such window).  Without
 * that flush, on VIVT, dirty lines are a missing flush: reported.
 */
static void check_departing(struct xlat *x)
{
	struct umm_cache_stats saved = cache_stats;
	unsigned long dirty;

	if (x->pfn == NO_PFN ||
	    (cache_geo->index != UMM_CACHE_VIVT && !x->flushed))
		return;
	/* The model's own clean-up is not the run's maintenance. */
	dirty = cache_maint(x->pfn, x->space, x->va, 0, PAGE_SIZE, OP_FLUSH);
	cache_stats = saved;
	if (dirty && !x->flushed)
		cache_misuse("%s va %#lx of pfn %#lx unmapped with dirty lines still cached (VIVT: flush before the PTE changes)",
			     x->what, x->va, x->pfn);
}

/**
 * umm_cache_alias_reserve - a kernel alias area exists at @at
 * @at: host address of the area
 * @nr_pages: its size
 *
 * Context: any; from umm_alias_reserve().
 */
void umm_cache_alias_reserve(void *at, unsigned long nr_pages)
{
	unsigned long i;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < nr_pages; i++) {
		struct xlat *x = xlat_add((unsigned long)at + (i << PAGE_SHIFT));

		x->va = next_alias_va + (i << PAGE_SHIFT);
		x->what = "kernel alias";
	}
	next_alias_va += (nr_pages + 1) << PAGE_SHIFT;
	pthread_mutex_unlock(&cache_lock);
}

/**
 * umm_cache_alias_tag - name the kind of the area at @at in reports
 * @at: the area, from umm_alias_reserve()
 * @nr_pages: its size
 * @tag: "vmap", "kmap", "kmap_local", "memremap" or "kmap_coherent"
 *
 * Context: any.
 */
void umm_cache_alias_tag(void *at, unsigned long nr_pages, const char *tag)
{
	unsigned long i;
	struct xlat *x;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < nr_pages; i++) {
		x = xlat_find((unsigned long)at + (i << PAGE_SHIFT));
		if (x)
			x->what = tag;
	}
	pthread_mutex_unlock(&cache_lock);
}

/**
 * umm_cache_alias_map - @nr pfns from @pfn are mapped at @at
 * Context: any; from umm_alias_map().
 */
void umm_cache_alias_map(void *at, unsigned long pfn, unsigned long nr)
{
	unsigned long i;
	struct xlat *x;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < nr; i++) {
		x = xlat_find((unsigned long)at + (i << PAGE_SHIFT));
		if (!x)
			continue;
		if (x->pfn != pfn + i)
			check_departing(x);
		x->pfn = pfn + i;
	}
	pthread_mutex_unlock(&cache_lock);
}

/**
 * umm_cache_alias_set_va - the page at @at has modelled address @va
 * Context: any; kmap_coherent() places its window at the user colour.
 */
void umm_cache_alias_set_va(void *at, unsigned long va)
{
	struct xlat *x;

	pthread_mutex_lock(&cache_lock);
	x = xlat_find((unsigned long)at & PAGE_MASK);
	if (x) {
		check_departing(x);
		x->va = va & PAGE_MASK;
	}
	pthread_mutex_unlock(&cache_lock);
}

static void alias_unmap(void *at, unsigned long nr_pages, bool release)
{
	unsigned long i;
	struct xlat *x;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < nr_pages; i++) {
		x = xlat_find((unsigned long)at + (i << PAGE_SHIFT));
		if (!x)
			continue;
		check_departing(x);
		x->pfn = NO_PFN;
		if (release)
			xlat_del(x);
	}
	pthread_mutex_unlock(&cache_lock);
}

/* From umm_alias_clear(): the pages of the area are PROT_NONE again. */
void umm_cache_alias_unmap(void *at, unsigned long nr_pages)
{
	alias_unmap(at, nr_pages, false);
}

/* From umm_alias_release(): the area is gone. */
void umm_cache_alias_release(void *at, unsigned long nr_pages)
{
	alias_unmap(at, nr_pages, true);
}

static void user_unlink(struct xlat *x)
{
	struct cache_page *cp = cache_page(x->pfn, false);
	struct xlat **pp;

	for (pp = cp ? &cp->users : NULL; pp && *pp; pp = &(*pp)->pnext) {
		if (*pp == x) {
			*pp = x->pnext;
			break;
		}
	}
	x->pnext = NULL;
}

/**
 * umm_cache_user_map - @mm maps @nr pfns from @pfn at user address @addr
 *
 * What update_mmu_cache() and set_pte_at() do for the cache runs here:
 * a pending deferred flush of the page (PG_arch_1) is done now.
 * Context: mm->page_table_lock held; from umm_mirror_map().
 */
void umm_cache_user_map(struct mm_struct *mm, unsigned long addr,
			unsigned long pfn, unsigned long nr)
{
	unsigned int space = cache_mm_space(mm);
	unsigned long i, host = mm->mirror_base + addr;
	struct cache_page *cp;
	struct xlat *x;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < nr; i++, host += PAGE_SIZE) {
		x = xlat_find(host);
		if (x && x->pfn == pfn + i) {
			x->flushed = false;	/* the PTE is back */
			continue;
		}
		if (x) {
			check_departing(x);
			user_unlink(x);
		} else {
			x = xlat_add(host);
		}
		x->pfn = pfn + i;
		x->va = addr + (i << PAGE_SHIFT);
		x->space = space;
		x->what = "user";
		x->flushed = false;
		cp = cache_page(x->pfn, true);
		if (cp) {
			x->pnext = cp->users;
			cp->users = x;
		}
		cache_update_mmu(x->pfn, space, x->va);
	}
	pthread_mutex_unlock(&cache_lock);
}

static void user_unmap_one(struct xlat *x)
{
	check_departing(x);
	user_unlink(x);
	xlat_del(x);
}

/**
 * umm_cache_user_unmap - @mm's user range [@addr, @addr + @len) unmapped
 * Context: mm->page_table_lock held, or the mm is gone; from
 * umm_mirror_unmap().
 */
void umm_cache_user_unmap(struct mm_struct *mm, unsigned long addr,
			  unsigned long len)
{
	unsigned long lo = mm->mirror_base + addr, hi = lo + len, i;
	struct xlat *x, *next;

	pthread_mutex_lock(&cache_lock);
	if (len >> PAGE_SHIFT <= HASH_SIZE) {
		for (i = lo; i < hi; i += PAGE_SIZE) {
			x = xlat_find(i);
			if (x)
				user_unmap_one(x);
		}
	} else {
		for (i = 0; i < HASH_SIZE; i++) {
			for (x = hash[i]; x; x = next) {
				next = x->hnext;
				if (x->host >= lo && x->host < hi)
					user_unmap_one(x);
			}
		}
	}
	pthread_mutex_unlock(&cache_lock);
}

/**
 * cache_user_mark_flushed - flush_cache_page/range ran over @mm's user
 * pages in [@start, @end): their PTEs are about to be cleared
 * Context: cache_lock held.
 */
void cache_user_mark_flushed(const struct mm_struct *mm, unsigned long start,
			     unsigned long end)
{
	unsigned long lo = mm->mirror_base + (start & PAGE_MASK);
	unsigned long hi = mm->mirror_base + end, i;
	struct xlat *x;

	if ((hi - lo) >> PAGE_SHIFT <= HASH_SIZE) {
		for (i = lo; i < hi; i += PAGE_SIZE) {
			x = xlat_find(i);
			if (x && x->pfn != NO_PFN)
				x->flushed = true;
		}
		return;
	}
	for (i = 0; i < HASH_SIZE; i++)
		for (x = hash[i]; x; x = x->hnext)
			if (x->host >= lo && x->host < hi && x->pfn != NO_PFN)
				x->flushed = true;
}

/**
 * cache_user_pfn - the pfn @mm maps at @addr, as the model knows it
 * Context: cache_lock held.  NO_PFN if none.
 */
unsigned long cache_user_pfn(const struct mm_struct *mm, unsigned long addr)
{
	struct xlat *x = xlat_find((mm->mirror_base + addr) & PAGE_MASK);

	return x ? x->pfn : NO_PFN;
}

/**
 * cache_flush_user_space - flush by VA every user page of @space mapped
 * in [@lo, @hi): a VIVT flush_cache_range/mm
 * Context: cache_lock held.
 */
void cache_flush_user_space(unsigned int space, unsigned long lo,
			    unsigned long hi)
{
	struct xlat *x;
	unsigned long i;

	for (i = 0; i < HASH_SIZE; i++)
		for (x = hash[i]; x; x = x->hnext)
			if (x->space == space && x->va >= lo && x->va < hi &&
			    x->pfn != NO_PFN)
				cache_maint(x->pfn, space, x->va, 0, PAGE_SIZE,
					    OP_FLUSH);
}

/**
 * umm_cache_colour - the colour of kernel address @kaddr (its VA on VIVT)
 * Context: any.  ~0UL for an address the model does not cache.
 */
unsigned long umm_cache_colour(const void *kaddr)
{
	struct cache_loc loc;
	unsigned long key = ~0UL;

	pthread_mutex_lock(&cache_lock);
	if (kaddr && cache_classify(kaddr, &loc))
		key = cache_key(loc.space, loc.va);
	pthread_mutex_unlock(&cache_lock);
	return key;
}

/**
 * umm_cache_user_colour - the colour of user address @uaddr
 * Context: any.  On VIVT, the address itself (its space not included).
 */
unsigned long umm_cache_user_colour(unsigned long uaddr)
{
	unsigned long key;

	pthread_mutex_lock(&cache_lock);
	key = cache_key(0, uaddr);
	pthread_mutex_unlock(&cache_lock);
	return key;
}
