// SPDX-License-Identifier: GPL-2.0
/*
 * umm: accesses as the cache model sees them, and the lab machinery that
 * moves whole pages (the allocator, swap I/O).
 *
 * An accessor calls these right after its real access: the access may
 * have faulted and been resolved, so the translation the model looks up
 * is the one the access used.  (If another thread changes the mapping in
 * between, the model attributes the access to the new translation:
 * races between an access and the unmap of its page are outside what the
 * model judges.)
 */
#include "cache_internal.h"	/* first: the model is not routed */
#include <string.h>
#include <linux/kernel.h>

static __thread int in_model;	/* the model's own accesses are not seen */

/*
 * R10: a VIVT CPU without ASIDs cleans and invalidates its whole D-cache
 * when it switches mm (cpu_arm926_switch_mm).  Every VIVT ARM is a
 * uniprocessor, so a user access from another mm than the last one means
 * a switch ran in between.  Context: cache_lock held.
 */
static void vivt_switch_mm(unsigned int space)
{
	if (cache_geo->index != UMM_CACHE_VIVT || space == cache_vivt_space)
		return;
	if (cache_vivt_space)
		cache_maint_all();
	cache_vivt_space = space;
}

/**
 * umm_cache_running_mm - @mm's user window faulted: @mm is running here
 *
 * The fault comes before the access that the model learns of, and a COW
 * copy inside it already runs in @mm's context (R10 on VIVT).
 * Context: any; from the lab's fault handler.
 */
void umm_cache_running_mm(struct mm_struct *mm)
{
	if (!__atomic_load_n(&umm_cache_on, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&cache_lock);
	vivt_switch_mm(cache_mm_space(mm));
	pthread_mutex_unlock(&cache_lock);
}

static void account(const volatile void *p, size_t n, bool write,
		    const char *file, int line)
{
	const char *a = (const char *)p, *end = a + n;
	struct cache_loc loc;

	if (!n || in_model)
		return;
	in_model++;
	pthread_mutex_lock(&cache_lock);
	while (a < end) {
		unsigned long off = (unsigned long)a & ~PAGE_MASK;
		size_t len = min((size_t)(PAGE_SIZE - off), (size_t)(end - a));

		if (cache_classify(a, &loc)) {
			if (loc.space)
				vivt_switch_mm(loc.space);
			cache_access(&loc, off, len, write, file, line);
		}
		a += len;
	}
	pthread_mutex_unlock(&cache_lock);
	in_model--;
}

/**
 * umm_cache_read - @n bytes at @p were just loaded
 * @p: host address
 * @n: bytes
 * @file: source file of the access
 * @line: its line
 *
 * Context: any; nothing is done unless a virtually indexed model runs.
 */
void umm_cache_read(const volatile void *p, size_t n, const char *file,
		    int line)
{
	if (__atomic_load_n(&umm_cache_on, __ATOMIC_RELAXED))
		account(p, n, false, file, line);
}

/**
 * umm_cache_write - @n bytes at @p were just stored
 * @p: host address
 * @n: bytes
 * @file: source file of the access
 * @line: its line
 *
 * Context: any.
 */
void umm_cache_write(const volatile void *p, size_t n, const char *file,
		     int line)
{
	if (__atomic_load_n(&umm_cache_on, __ATOMIC_RELAXED))
		account(p, n, true, file, line);
}

/* memcpy as kernel code sees it: a read of @from, then a write of @to. */
void *umm_cache_memcpy(void *to, const void *from, size_t n,
		       const char *file, int line)
{
	memcpy(to, from, n);
	umm_cache_read(from, n, file, line);
	umm_cache_write(to, n, file, line);
	return to;
}

void *umm_cache_memmove(void *to, const void *from, size_t n,
			const char *file, int line)
{
	memmove(to, from, n);
	umm_cache_read(from, n, file, line);
	umm_cache_write(to, n, file, line);
	return to;
}

void *umm_cache_memset(void *p, int c, size_t n, const char *file, int line)
{
	memset(p, c, n);
	umm_cache_write(p, n, file, line);
	return p;
}

/**
 * umm_cache_page_free - @nr pages from @pfn go back to the allocator
 *
 * The lab's page zeroing and poisoning are machine operations the model
 * does not see; so a freed page leaves the cache here.  Dirty lines
 * cached through a kernel address are written back (the kernel alias is
 * where the next owner starts); dirty lines cached through a user
 * address mean a zap without its flush_cache_range/page: reported.
 * Context: any.
 */
void umm_cache_page_free(unsigned long pfn, unsigned long nr)
{
	unsigned long i;

	if (!__atomic_load_n(&umm_cache_on, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < nr; i++) {
		if (cache_page_has_dirty(pfn + i, true))
			cache_misuse("pfn %#lx freed while the cache holds dirty lines of a user mapping (a missing flush_cache_page/range)",
				     pfn + i);
		cache_page_drop(pfn + i);
		if (pfn_valid(pfn + i))
			clear_bit(PG_arch_1, &pfn_to_page(pfn + i)->flags);
	}
	pthread_mutex_unlock(&cache_lock);
}

/**
 * umm_cache_dma_to_device - a device reads @pfn (swap-out)
 *
 * dma_map_page() writes the kernel alias back; a dirty copy at any other
 * colour is data the device does not see (R9): reported.
 * Context: any.
 */
void umm_cache_dma_to_device(unsigned long pfn)
{
	if (!__atomic_load_n(&umm_cache_on, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&cache_lock);
	cache_maint(pfn, 0, MODEL_PAGE_OFFSET + (pfn << PAGE_SHIFT), 0,
		    PAGE_SIZE, OP_CLEAN);
	if (cache_page_has_dirty(pfn, false))
		cache_misuse("pfn %#lx written to a device while a non-kernel alias holds dirty lines",
			     pfn);
	pthread_mutex_unlock(&cache_lock);
}

/**
 * umm_cache_dma_from_device - a device wrote @pfn (swap-in)
 *
 * Memory holds the newest data of every line; dma_unmap_page() drops the
 * kernel alias's copies.  Copies elsewhere are stale from now on.
 * Context: any.
 */
void umm_cache_dma_from_device(unsigned long pfn)
{
	struct cache_page *cp;
	unsigned int i;

	if (!__atomic_load_n(&umm_cache_on, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&cache_lock);
	cache_maint(pfn, 0, MODEL_PAGE_OFFSET + (pfn << PAGE_SHIFT), 0,
		    PAGE_SIZE, OP_INVAL);
	cp = cache_page(pfn, false);
	for (i = 0; cp && cp->lines && i < LINES_PER_PAGE; i++)
		cp->lines[i].mem = ++cp->lines[i].latest;
	pthread_mutex_unlock(&cache_lock);
}
