// SPDX-License-Identifier: GPL-2.0
/*
 * umm: the page copies that care about colour (R7): kmap_coherent,
 * copy_user_highpage, clear_user_highpage, and the lab's COW and
 * migration copies built on them.
 *
 * A colour-matched kernel window (MIPS kmap_coherent, ARMv6's copypage
 * windows, parisc's tmpalias) is a real alias of the page, in a small
 * per-thread area, whose modelled address is placed at the user
 * address's colour within a 4 MiB-aligned window: congruent with the
 * user address on every VIPT model.
 *
 * Per architecture (Linux 6.1: arch/parisc/kernel/cache.c,
 * arch/arm/mm/copypage-v6.c and copypage-v4wb.c, arch/mips/mm/init.c):
 *
 * copy_user_highpage  parisc: flush the user alias of @from, copy through
 *                     kmap_local (kunmap_local flushes both kernel pages)
 *                     armv6: flush @from if PG_arch_1, discard @to's
 *                     kernel lines, copy through two windows at the user
 *                     colour
 *                     mips: read @from at the user colour if it is mapped
 *                     and has no deferred flush, write @to through the
 *                     kernel and flush it if it aliases the user address
 *                     armv5: flush the user alias of @from, copy through
 *                     the kernel, write @to back
 * clear_user_highpage the same for the destination half
 */
#include <pthread.h>
#include <linux/cacheflush.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <umm/alias.h>
#include <umm/cache.h>

#define COHERENT_LEVELS		2
#define COHERENT_SPAN		(4UL << 20)	/* the largest colour span */
#define MODEL_COHERENT_BASE	(1UL << 39)	/* see cache_internal.h */

enum { OP_CLEAN, OP_INVAL, OP_FLUSH };

static __thread char *coherent_area;
static __thread int coherent_nr;
static pthread_key_t area_key;
static pthread_once_t area_once = PTHREAD_ONCE_INIT;
static enum umm_cow_copy cow_copy;

static void area_release(void *area)
{
	umm_alias_release(area, COHERENT_LEVELS);
}

static void area_key_create(void)
{
	pthread_key_create(&area_key, area_release);
}

/* Map @page at the next level, its modelled address at @uaddr's colour. */
static void *coherent_map(struct page *page, unsigned long uaddr)
{
	char *at;

	if (!coherent_area) {
		coherent_area = umm_alias_reserve(COHERENT_LEVELS);
		BUG_ON(!coherent_area);
		umm_cache_alias_tag(coherent_area, COHERENT_LEVELS,
				    "kmap_coherent");
		pthread_once(&area_once, area_key_create);
		pthread_setspecific(area_key, coherent_area);
	}
	if (WARN(coherent_nr >= COHERENT_LEVELS, "kmap_coherent nested too deep"))
		return NULL;
	at = coherent_area + coherent_nr * PAGE_SIZE;
	umm_cache_alias_set_va(at, MODEL_COHERENT_BASE +
			       coherent_nr * COHERENT_SPAN +
			       (uaddr & (COHERENT_SPAN - 1)));
	if (umm_alias_map(at, page_to_pfn(page), 1, true))
		BUG();
	coherent_nr++;
	umm_cache_count_coherent_map();
	return at;
}

static void coherent_unmap(void)
{
	coherent_nr--;
	umm_alias_clear(coherent_area + coherent_nr * PAGE_SIZE, 1);
}

/**
 * kmap_coherent - map @page at a kernel address of @addr's colour
 * @page: a page mapped (or about to be) at user address @addr
 * @addr: the user address
 *
 * Accesses through the result share cache lines with the user mapping,
 * so neither side needs a flush.  A page with a deferred flush pending
 * (PG_arch_1, from flush_dcache_page) is refused, as MIPS BUG()s: its
 * newest data is in the kernel alias's lines.  Undo with
 * kunmap_coherent(), innermost first; at most two at a time.
 * Context: any; preemption is off until kunmap_coherent().  Returns NULL
 * on VIVT (no kernel address shares a user address's lines) and for a
 * refused page.
 */
void *kmap_coherent(struct page *page, unsigned long addr)
{
	const struct umm_cache_geometry *geo = umm_cache_geometry();
	void *p;

	if (geo->index == UMM_CACHE_VIVT)
		return NULL;
	if (test_bit(PG_arch_1, &page->flags)) {
		umm_report(UMM_REPORT_CACHE_MISUSE, __FILE__, __LINE__,
			   "[%s] kmap_coherent of pfn %#lx with a deferred flush_dcache_page pending",
			   geo->name, page_to_pfn(page));
		return NULL;
	}
	preempt_disable();
	p = coherent_map(page, addr);
	if (!p)
		preempt_enable();
	return p;
}

/**
 * kunmap_coherent - undo the innermost kmap_coherent(); flushes nothing
 * Context: the task that mapped it.
 */
void kunmap_coherent(void)
{
	if (WARN(!coherent_nr, "kunmap_coherent without kmap_coherent"))
		return;
	coherent_unmap();
	preempt_enable();
}

static bool aliases(struct page *page, unsigned long vaddr)
{
	return umm_cache_colour(page_address(page)) !=
	       umm_cache_user_colour(vaddr);
}

static void copy_via_kernel(struct page *to, struct page *from)
{
	char *vfrom = kmap_local_page(from);
	char *vto = kmap_local_page(to);

	umm_cache_memcpy(vto, vfrom, PAGE_SIZE, __FILE__, __LINE__);
	kunmap_local(vto);
	kunmap_local(vfrom);
}

static void copy_mips(struct page *to, struct page *from, unsigned long vaddr)
{
	char *vto = kmap_local_page(to), *vfrom;

	/* folio_mapped(): the mapcount, which outlives a cleared PTE */
	if (page_mapped(from) && !test_bit(PG_arch_1, &from->flags)) {
		vfrom = kmap_coherent(from, vaddr);
		umm_cache_memcpy(vto, vfrom, PAGE_SIZE, __FILE__, __LINE__);
		kunmap_coherent();
	} else {
		vfrom = kmap_local_page(from);
		umm_cache_memcpy(vto, vfrom, PAGE_SIZE, __FILE__, __LINE__);
		kunmap_local(vfrom);
	}
	if (aliases(to, vaddr))
		umm_cache_kernel_op(to, OP_FLUSH);
	kunmap_local(vto);
}

static void copy_armv6(struct page *to, struct page *from, unsigned long vaddr)
{
	char *vfrom, *vto;

	if (test_and_clear_bit(PG_arch_1, &from->flags))
		umm_cache_kernel_op(from, OP_FLUSH);
	umm_cache_kernel_op(to, OP_INVAL);
	preempt_disable();
	vfrom = coherent_map(from, vaddr);
	vto = coherent_map(to, vaddr);
	umm_cache_memcpy(vto, vfrom, PAGE_SIZE, __FILE__, __LINE__);
	coherent_unmap();
	coherent_unmap();
	preempt_enable();
}

/**
 * copy_user_highpage - copy @from to @to for the user address @vaddr
 * @to: the new page
 * @from: the page mapped at @vaddr so far
 * @vaddr: the user address @to will be mapped at
 * @vma: its mapping
 *
 * Context: any; does not sleep.
 */
void copy_user_highpage(struct page *to, struct page *from,
			unsigned long vaddr, struct vm_area_struct *vma)
{
	switch (umm_cache_arch()) {
	case UMM_ARCH_PARISC:
		flush_cache_page(vma, vaddr, page_to_pfn(from));
		copy_via_kernel(to, from);
		break;
	case UMM_ARCH_ARMV6:
		copy_armv6(to, from, vaddr);
		break;
	case UMM_ARCH_MIPS_R4K:
		copy_mips(to, from, vaddr);
		break;
	case UMM_ARCH_ARMV5:
		flush_cache_page(vma, vaddr, page_to_pfn(from));
		copy_via_kernel(to, from);
		umm_cache_kernel_op(to, OP_FLUSH);
		break;
	default:
		copy_via_kernel(to, from);
		break;
	}
}

/**
 * clear_user_highpage - zero @page for the user address @vaddr
 * @page: a new page
 * @vaddr: where it will be mapped
 *
 * Context: any; does not sleep.
 */
void clear_user_highpage(struct page *page, unsigned long vaddr)
{
	char *p;

	if (umm_cache_arch() == UMM_ARCH_ARMV6) {
		umm_cache_kernel_op(page, OP_INVAL);
		preempt_disable();
		p = coherent_map(page, vaddr);
		umm_cache_memset(p, 0, PAGE_SIZE, __FILE__, __LINE__);
		coherent_unmap();
		preempt_enable();
		return;
	}
	p = kmap_local_page(page);
	umm_cache_memset(p, 0, PAGE_SIZE, __FILE__, __LINE__);
	if (umm_cache_arch() == UMM_ARCH_ARMV5 ||
	    (umm_cache_arch() == UMM_ARCH_MIPS_R4K && aliases(page, vaddr)))
		umm_cache_kernel_op(page, OP_FLUSH);
	kunmap_local(p);	/* parisc flushes here */
}

/**
 * umm_cache_set_cow_copy - how the lab's COW fault copies from now on
 * @how: copy_user_highpage (right) or copy_highpage (before 77fff4ae)
 *
 * Context: tests, with no fault in flight.
 */
void umm_cache_set_cow_copy(enum umm_cow_copy how)
{
	cow_copy = how;
}

/**
 * umm_cow_copy - the copy of a COW fault (wp_page_copy)
 * @to: the new page
 * @from_pfn: the pfn mapped so far (maybe the zero page)
 * @addr: the faulting user address
 * @vma: its mapping
 *
 * Context: process context, no spinlock held.
 */
void umm_cow_copy(struct page *to, unsigned long from_pfn, unsigned long addr,
		  struct vm_area_struct *vma)
{
	if (is_zero_pfn(from_pfn))
		clear_user_highpage(to, addr);
	else if (cow_copy == UMM_COW_COPY_HIGHPAGE)
		copy_highpage(to, pfn_to_page(from_pfn));
	else
		copy_user_highpage(to, pfn_to_page(from_pfn), addr, vma);
}

/**
 * umm_migrate_copy - migration's copy: copy_highpage, then
 * flush_dcache_page of the new page (move_to_new_folio)
 * @to: the new page
 * @from: the page being migrated, unmapped everywhere
 *
 * Context: process context; both pages locked.
 */
void umm_migrate_copy(struct page *to, struct page *from)
{
	copy_highpage(to, from);
	flush_dcache_page(to);
}
