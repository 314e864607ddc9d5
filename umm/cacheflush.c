// SPDX-License-Identifier: GPL-2.0
/*
 * umm: the cache-flush API with each architecture's semantics, on the
 * cache model (rule R7 of shared/research/B_cache_aliasing.md §5; the
 * behaviour read from Linux 6.1's arch/parisc/kernel/cache.c,
 * arch/arm/mm/flush.c, arch/mips/mm/cache.c and c-r4k.c).  Only reached
 * when a virtually indexed model runs (linux/cacheflush.h tests the
 * flag); x86 never gets here.
 *
 * flush_dcache_page  parisc: kernel + every user colour; armv6: kernel +
 *                    the user colour of page->index; mips-r4k: kernel;
 *                    armv5: kernel + the current mm's user VAs.  A
 *                    page-cache page no user maps: PG_arch_1 set, the
 *                    flush done at its next user PTE
 * flush_anon_page    parisc: user colour; armv6, armv5: user + kernel;
 *                    mips-r4k: user colour if it aliases the kernel's
 * flush_cache_page   the user colour (VIPT) or address (VIVT)
 * flush_cache_range  the whole cache (VIPT); the user VAs (VIVT)
 * kunmap(_local)     parisc: the kernel VA; armv5: a HIGHMEM slot's VA
 *
 * parisc's flush of a kernel page purges its TLB entry under the global
 * pa_tlb_lock: lock_acquisitions counts them (seed 000).  flush_anon_page
 * and flush_dcache_page also purge the user translation (flush_tlb_page),
 * under the same lock.  Page-cache pages are only the lab's shared file
 * pages; "mapped" means that the model knows a user translation of the
 * page (Linux asks mapping_mapped() of the whole file).
 */
#include "cache_internal.h"	/* first: the model is not routed */
#include <linux/cacheflush.h>
#include <linux/sched.h>

static void (*flush_mm_hook)(struct mm_struct *mm, void *arg);
static void *flush_mm_hook_arg;

static bool page_is_file(const struct page *page)
{
	return !PageAnon(page) && page->mapping;
}

static bool page_user_mapped(unsigned long pfn)
{
	struct cache_page *cp = cache_page(pfn, false);

	return cp && cp->users;
}

static void pa_tlb_lock(void)
{
	if (cache_geo->global_flush_lock)
		cache_stats.lock_acquisitions++;
}

/* The kernel mapping of @pfn (flush_kernel_dcache_page_addr & co.). */
static void flush_kernel_alias(unsigned long pfn)
{
	if (pfn < umm_highmem_pfn)
		cache_maint(pfn, 0, MODEL_PAGE_OFFSET + (pfn << PAGE_SHIFT),
			    0, PAGE_SIZE, OP_FLUSH);
	else
		cache_maint_kernel(pfn);
	pa_tlb_lock();
}

static void flush_user(unsigned long pfn, unsigned int space,
		       unsigned long va)
{
	cache_maint(pfn, space, va, 0, PAGE_SIZE, OP_FLUSH);
}

/* Every user colour the page is mapped at, once per colour (parisc). */
static void flush_user_colours(unsigned long pfn)
{
	struct cache_page *cp = cache_page(pfn, false);
	unsigned long done[8];
	unsigned int nr = 0, i;
	struct xlat *x;

	for (x = cp ? cp->users : NULL; x; x = x->pnext) {
		unsigned long key = cache_key(x->space, x->va);

		pa_tlb_lock();		/* flush_tlb_page */
		for (i = 0; i < nr && done[i] != key; i++)
			;
		if (i < nr)
			continue;
		if (nr < ARRAY_SIZE(done))
			done[nr++] = key;
		flush_user(pfn, x->space, x->va);
	}
}

/* The current mm's user VAs of the page (ARM VIVT __flush_dcache_aliases). */
static void flush_current_mm_aliases(unsigned long pfn)
{
	struct cache_page *cp = cache_page(pfn, false);
	struct mm_struct *mm = current->mm;
	struct xlat *x;

	if (!mm)
		return;
	for (x = cp ? cp->users : NULL; x; x = x->pnext)
		if (x->space == cache_mm_space(mm))
			flush_user(pfn, x->space, x->va);
}

static void flush_dcache_page_now(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	flush_kernel_alias(pfn);
	if (!page_is_file(page))
		return;
	switch (umm_cache_arch()) {
	case UMM_ARCH_PARISC:
		flush_user_colours(pfn);
		break;
	case UMM_ARCH_ARMV6:
		/* one flush, at the colour congruent with page->index */
		flush_user(pfn, 1, page->index << PAGE_SHIFT);
		break;
	case UMM_ARCH_ARMV5:
		flush_current_mm_aliases(pfn);
		break;
	default:
		break;
	}
}

/**
 * umm_flush_dcache_page - flush_dcache_page() on the model
 * @page: a page the kernel wrote, or is about to read, through its kernel
 *	  mapping
 *
 * Context: any; does not sleep.
 */
void umm_flush_dcache_page(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	pthread_mutex_lock(&cache_lock);
	cache_stats.flush_calls++;
	if (page_is_file(page) && !page_user_mapped(pfn)) {
		/* deferred to update_mmu_cache(): cache_update_mmu() */
		set_bit(PG_arch_1, &page->flags);
	} else {
		flush_dcache_page_now(page);
		clear_bit(PG_arch_1, &page->flags);
	}
	pthread_mutex_unlock(&cache_lock);
}

/**
 * cache_update_mmu - a user PTE of @pfn at @va appears (set_pte_at and
 * update_mmu_cache): a deferred flush_dcache_page() happens now
 * Context: cache_lock held.
 */
void cache_update_mmu(unsigned long pfn, unsigned int space,
		      unsigned long va)
{
	struct page *page;

	if (!pfn_valid(pfn) || !umm_cache_on)
		return;
	page = pfn_to_page(pfn);
	if (!test_and_clear_bit(PG_arch_1, &page->flags))
		return;
	cache_stats.flush_calls++;
	switch (umm_cache_arch()) {
	case UMM_ARCH_MIPS_R4K:
		/* __update_cache: only if the kernel address aliases */
		if (cache_key(0, MODEL_PAGE_OFFSET + (pfn << PAGE_SHIFT)) !=
		    cache_key(space, va))
			flush_kernel_alias(pfn);
		break;
	case UMM_ARCH_ARMV6:
		flush_dcache_page_now(page);
		break;
	default:
		flush_kernel_alias(pfn);
		break;
	}
}

/**
 * umm_flush_anon_page - flush_anon_page() on the model
 * @vma: the user mapping
 * @page: an anonymous page mapped at @vmaddr
 * @vmaddr: the user address
 *
 * Context: any; does not sleep.
 */
void umm_flush_anon_page(struct vm_area_struct *vma, struct page *page,
			 unsigned long vmaddr)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned int space = cache_mm_space(vma->vm_mm);

	if (!PageAnon(page))
		return;
	pthread_mutex_lock(&cache_lock);
	cache_stats.flush_calls++;
	switch (umm_cache_arch()) {
	case UMM_ARCH_PARISC:
		pa_tlb_lock();		/* flush_tlb_page */
		flush_user(pfn, space, vmaddr);
		break;
	case UMM_ARCH_ARMV6:
	case UMM_ARCH_ARMV5:
		flush_user(pfn, space, vmaddr);
		flush_kernel_alias(pfn);
		break;
	case UMM_ARCH_MIPS_R4K:
		if (cache_key(0, MODEL_PAGE_OFFSET + (pfn << PAGE_SHIFT)) ==
		    cache_key(space, vmaddr))
			break;
		if (page_user_mapped(pfn) &&
		    !test_bit(PG_arch_1, &page->flags))
			flush_user(pfn, space, vmaddr);	/* kmap_coherent */
		else
			flush_kernel_alias(pfn);
		break;
	default:
		break;
	}
	pthread_mutex_unlock(&cache_lock);
}

/**
 * umm_flush_cache_page - flush_cache_page() on the model
 * @vma: the user mapping
 * @vmaddr: the user address
 * @pfn: the page it maps
 *
 * Context: any; before the PTE changes.
 */
void umm_flush_cache_page(struct vm_area_struct *vma, unsigned long vmaddr,
			  unsigned long pfn)
{
	pthread_mutex_lock(&cache_lock);
	cache_stats.flush_calls++;
	flush_user(pfn, cache_mm_space(vma->vm_mm), vmaddr & PAGE_MASK);
	cache_user_mark_flushed(vma->vm_mm, vmaddr, vmaddr + 1);
	pthread_mutex_unlock(&cache_lock);
}

static void flush_user_range(struct mm_struct *mm, unsigned long start,
			     unsigned long end)
{
	cache_stats.flush_calls++;
	if (cache_geo->index == UMM_CACHE_VIVT)
		cache_flush_user_space(cache_mm_space(mm), start, end);
	else
		cache_maint_all();	/* flush_cache_all() */
}

/**
 * umm_flush_cache_range - flush_cache_range() on the model
 * @vma: the user mapping
 * @start: first user address
 * @end: first address past the range
 *
 * Context: any; before the PTEs change.
 */
void umm_flush_cache_range(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end)
{
	pthread_mutex_lock(&cache_lock);
	flush_user_range(vma->vm_mm, start, end);
	cache_user_mark_flushed(vma->vm_mm, start, end);
	pthread_mutex_unlock(&cache_lock);
}

/**
 * umm_flush_cache_mm - flush_cache_mm() and flush_cache_dup_mm()
 * @mm: the address space
 *
 * Runs the test hook of umm_cache_set_flush_mm_hook() afterwards, on
 * every architecture.
 * Context: any.
 */
void umm_flush_cache_mm(struct mm_struct *mm)
{
	if (umm_cache_on) {
		pthread_mutex_lock(&cache_lock);
		flush_user_range(mm, 0, mm->task_size);
		pthread_mutex_unlock(&cache_lock);
	}
	if (flush_mm_hook)
		flush_mm_hook(mm, flush_mm_hook_arg);
}

void umm_cache_set_flush_mm_hook(void (*fn)(struct mm_struct *mm, void *arg),
				 void *arg)
{
	flush_mm_hook_arg = arg;
	flush_mm_hook = fn;
}

/**
 * umm_flush_kernel_vmap_range - flush or invalidate a vmap range
 * @vaddr: kernel alias address
 * @size: bytes
 * @invalidate: invalidate_kernel_vmap_range(): parisc and mips purge
 *		(dirty lines are lost); ARM flushes
 *
 * Only the alias's own lines: not the direct map (cachetlb.rst).
 * Context: any.
 */
void umm_flush_kernel_vmap_range(void *vaddr, int size, bool invalidate)
{
	enum cache_op op = invalidate && cache_geo->invalidate_discards ?
			   OP_INVAL : OP_FLUSH;
	char *p = (char *)((unsigned long)vaddr & PAGE_MASK);
	char *end = (char *)vaddr + size;
	struct cache_loc loc;

	pthread_mutex_lock(&cache_lock);
	cache_stats.flush_calls++;
	for (; p < end; p += PAGE_SIZE)
		if (cache_classify(p, &loc))
			cache_maint(loc.pfn, loc.space, loc.va, 0, PAGE_SIZE,
				    op);
	pthread_mutex_unlock(&cache_lock);
}

/**
 * umm_kunmap_flush_on_unmap - what kunmap and kunmap_local do to the cache
 * @addr: an address in the mapping being undone
 * @highmem_slot: the mapping is a HIGHMEM slot or pkmap entry, not the
 *		  direct map
 *
 * parisc flushes the kernel page (kunmap_flush_on_unmap); ARM VIVT
 * flushes a fixmap slot before it is unmapped (arch_kmap_local_pre_unmap)
 * and a pkmap entry before it is reused (flush_cache_kmaps).
 * Context: any.
 */
void umm_kunmap_flush_on_unmap(const void *addr, bool highmem_slot)
{
	struct cache_loc loc;

	if (!cache_geo->flush_on_kunmap &&
	    !(cache_geo->flush_on_kunmap_highmem && highmem_slot))
		return;
	pthread_mutex_lock(&cache_lock);
	if (cache_classify(addr, &loc)) {
		cache_stats.flush_calls++;
		cache_maint(loc.pfn, loc.space, loc.va, 0, PAGE_SIZE,
			    OP_FLUSH);
		pa_tlb_lock();
	}
	pthread_mutex_unlock(&cache_lock);
}

/**
 * umm_cache_kernel_op - clean, invalidate or flush the kernel mapping of
 * @page (the arch helpers under copy_user_highpage and friends)
 * @page: the page
 * @op: 0 clean, 1 invalidate, 2 flush
 *
 * Context: any.
 */
void umm_cache_kernel_op(struct page *page, int op)
{
	unsigned long pfn = page_to_pfn(page);

	if (!umm_cache_on)
		return;
	pthread_mutex_lock(&cache_lock);
	if (pfn < umm_highmem_pfn)
		cache_maint(pfn, 0, MODEL_PAGE_OFFSET + (pfn << PAGE_SHIFT),
			    0, PAGE_SIZE, (enum cache_op)op);
	else
		cache_maint_kernel(pfn);
	pthread_mutex_unlock(&cache_lock);
}

/**
 * umm_cache_page_mapped - does a user translation of @page exist?
 * Context: any.
 */
bool umm_cache_page_mapped(struct page *page)
{
	bool mapped;

	pthread_mutex_lock(&cache_lock);
	mapped = page_user_mapped(page_to_pfn(page));
	pthread_mutex_unlock(&cache_lock);
	return mapped;
}
