// SPDX-License-Identifier: GPL-2.0
/*
 * umm: kernel mappings of the memfd other than the direct map (see
 * umm/alias.h): the mechanism under vmap, kmap and memremap.
 */
#include <errno.h>
#include <sys/mman.h>
#include <asm/errno.h>	/* E*, whichever linux/errno.h is in use */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <umm/alias.h>
#include <umm/cache.h>
#include <umm/phys.h>

/**
 * umm_alias_reserve - reserve host address space for kernel mappings
 * @nr_pages: size of the area
 *
 * Context: any.  Returns the area, PROT_NONE, or NULL.
 */
void *umm_alias_reserve(unsigned long nr_pages)
{
	void *p = mmap(NULL, nr_pages << PAGE_SHIFT, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	umm_cache_alias_reserve(p, nr_pages);
	return p;
}

/**
 * umm_alias_map - map @nr_pages pfns from @pfn at @at, inside a reserved area
 * @at: page-aligned address in an area from umm_alias_reserve()
 * @pfn: first pfn; the pfns are contiguous
 * @nr_pages: number of pages
 * @writable: map read-write, or read-only
 *
 * Context: any.  Returns 0 or a negative errno.
 */
int umm_alias_map(void *at, unsigned long pfn, unsigned long nr_pages,
		  bool writable)
{
	int prot = PROT_READ | (writable ? PROT_WRITE : 0);

	if (mmap(at, nr_pages << PAGE_SHIFT, prot, MAP_SHARED | MAP_FIXED,
		 umm_memfd(), pfn << PAGE_SHIFT) != at)
		return -errno;
	umm_cache_alias_map(at, pfn, nr_pages);
	return 0;
}

/**
 * umm_alias_clear - put pages of an area back to PROT_NONE
 * @at: page-aligned address in an area from umm_alias_reserve()
 * @nr_pages: number of pages
 *
 * On return no thread can reach the memory through these addresses: the
 * host has shot down its TLB entries, as the kernel's unmap does.
 * Context: any.
 */
void umm_alias_clear(void *at, unsigned long nr_pages)
{
	umm_cache_alias_unmap(at, nr_pages);
	if (mmap(at, nr_pages << PAGE_SHIFT, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
		 -1, 0) != at)
		BUG();
}

/**
 * umm_alias_release - give an area back to the host
 * @at: the area, from umm_alias_reserve()
 * @nr_pages: its size
 *
 * Context: any.
 */
void umm_alias_release(void *at, unsigned long nr_pages)
{
	umm_cache_alias_release(at, nr_pages);
	munmap(at, nr_pages << PAGE_SHIFT);
}
