/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: the cache-flush API (Documentation/core-api/cachetlb.rst), with the
 * semantics of the run's architecture (umm/cache.h): on x86 every call is
 * a test of one flag; on parisc, armv6, mips-r4k and armv5 it acts on the
 * cache model as that architecture's code does (umm/cacheflush.c).
 *
 * kmap_coherent() exists on MIPS only in Linux; the lab offers it on
 * every VIPT model (a kernel window at the user's colour, as parisc's
 * tmpalias and ARMv6's copypage windows are) and on x86 (the direct
 * map).  On VIVT no kernel address can share a user address's lines:
 * it returns NULL.
 */
#ifndef _LINUX_CACHEFLUSH_H
#define _LINUX_CACHEFLUSH_H

#include <linux/compiler.h>
#include <linux/mm_types.h>
#include <umm/cache.h>

#define ARCH_IMPLEMENTS_FLUSH_DCACHE_PAGE	1

void umm_flush_dcache_page(struct page *page);
void umm_flush_anon_page(struct vm_area_struct *vma, struct page *page,
			 unsigned long vmaddr);
void umm_flush_cache_page(struct vm_area_struct *vma, unsigned long vmaddr,
			  unsigned long pfn);
void umm_flush_cache_range(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end);
void umm_flush_cache_mm(struct mm_struct *mm);
void umm_flush_kernel_vmap_range(void *vaddr, int size, bool invalidate);

#define __umm_cache_call(call)						\
do {									\
	if (unlikely(__atomic_load_n(&umm_cache_on, __ATOMIC_RELAXED)))	\
		call;							\
} while (0)

static inline void flush_dcache_page(struct page *page)
{
	__umm_cache_call(umm_flush_dcache_page(page));
}

static inline void flush_anon_page(struct vm_area_struct *vma,
				   struct page *page, unsigned long vmaddr)
{
	__umm_cache_call(umm_flush_anon_page(vma, page, vmaddr));
}

static inline void flush_cache_page(struct vm_area_struct *vma,
				    unsigned long vmaddr, unsigned long pfn)
{
	__umm_cache_call(umm_flush_cache_page(vma, vmaddr, pfn));
}

static inline void flush_cache_range(struct vm_area_struct *vma,
				     unsigned long start, unsigned long end)
{
	__umm_cache_call(umm_flush_cache_range(vma, start, end));
}

/*
 * Out of line on every model: exit and fork are rare, and the tests'
 * hook (umm_cache_set_flush_mm_hook) runs on x86 too.
 */
static inline void flush_cache_mm(struct mm_struct *mm)
{
	umm_flush_cache_mm(mm);
}

/* fork: the parent's lines, before its PTEs are copied write-protected */
static inline void flush_cache_dup_mm(struct mm_struct *mm)
{
	umm_flush_cache_mm(mm);
}

/* vmap'ed data the kernel wrote, before I/O reads it */
static inline void flush_kernel_vmap_range(void *vaddr, int size)
{
	__umm_cache_call(umm_flush_kernel_vmap_range(vaddr, size, false));
}

/* before the kernel reads, through a vmap, what I/O wrote */
static inline void invalidate_kernel_vmap_range(void *vaddr, int size)
{
	__umm_cache_call(umm_flush_kernel_vmap_range(vaddr, size, true));
}

/* vunmap: "cover the kernel VA range" before it goes */
static inline void flush_cache_vunmap(unsigned long start, unsigned long end)
{
	__umm_cache_call(umm_flush_kernel_vmap_range((void *)start,
						     end - start, false));
}

void *kmap_coherent(struct page *page, unsigned long addr);
void kunmap_coherent(void);

#endif /* _LINUX_CACHEFLUSH_H */
