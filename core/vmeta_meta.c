// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta: the metadata access layer and the KMAP map cache.
 *
 * The invalidation protocol of KMAP is the standard mmu_interval_notifier
 * one; Documentation/invalidation.md has it as a state list and an
 * interleaving.  In short, per area:
 *
 *   seq = mmu_interval_read_begin()     may sleep, outside any lock
 *   get_user_pages_fast()               references taken...
 *   set_page_dirty_lock() (used ring)   ...dirtied before any write...
 *   spin_lock(map_lock)
 *   mmu_interval_read_retry(seq)?       raced: unlock, drop, start again
 *   install pages, valid = true
 *   spin_unlock(map_lock)
 *   put_page()                          ...and dropped: nothing is pinned
 *
 * and the invalidate callback takes map_lock, sets the sequence and
 * clears valid.  Accesses happen only in a batch that holds map_lock and
 * found every area valid, so none overlaps an invalidation; a page is
 * dirty before the first write through the mapping and stays dirty until
 * an invalidation tells us its PTE is going (reclaim, migration,
 * writeback all announce it first), so no write is ever lost to a page
 * reclaimed clean.
 *
 * Where the data cache aliases, KMAP installs no kernel address: under
 * map_lock it checks that a window at the user's colour exists
 * (kmap_coherent(); none on VIVT) and then maps each page per access
 * there.  Those accesses share the user mapping's cache lines, so they
 * need no flush, and the mm's own flushes (flush_cache_page() before a
 * PTE goes, after the invalidate callback) cover them as user accesses.
 */
#include <linux/cacheflush.h>
#include <linux/cacheinfo.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "vmeta_meta.h"
#include "vmeta_plant.h"

#define VMETA_MAP_TRIES	8	/* remap attempts before falling back */

static const char *const strategy_names[VMETA_NR_STRATEGIES] = {
	[VMETA_RAW]		= "raw",
	[VMETA_UACCESS]		= "uaccess",
	[VMETA_UACCESS_SCOPED]	= "uaccess-scoped",
	[VMETA_VMAP_PIN]	= "vmap-pin",
	[VMETA_VMAP]		= "vmap",
	[VMETA_KMAP]		= "kmap",
};

/**
 * vmeta_strategy_name - the name of @s, as benchmarks and options say it
 * Context: any.
 */
const char *vmeta_strategy_name(enum vmeta_strategy s)
{
	return s < VMETA_NR_STRATEGIES ? strategy_names[s] : "?";
}

static const char *const fallback_names[VMETA_NR_FALLBACKS] = {
	[VMETA_FB_GUP]		= "gup",
	[VMETA_FB_PFNMAP]	= "pfnmap",
	[VMETA_FB_RETRY]	= "retry",
	[VMETA_FB_NOMEM]	= "nomem",
	[VMETA_FB_ALIAS]	= "alias",
};

/**
 * vmeta_fallback_name - the name of fallback reason @f, for statistics
 * Context: any.
 */
const char *vmeta_fallback_name(enum vmeta_fallback f)
{
	return f < VMETA_NR_FALLBACKS ? fallback_names[f] : "?";
}

/**
 * vmeta_strategy_parse - the strategy called @name, or -EINVAL
 * Context: any.
 */
int vmeta_strategy_parse(const char *name)
{
	int s;

	for (s = 0; s < VMETA_NR_STRATEGIES; s++)
		if (!strcmp(name, strategy_names[s]))
			return s;
	return -EINVAL;
}

/*
 * Mark @ar stale under map_lock.  On a non-blockable range (the OOM
 * reaper) only try the lock: a batch may hold it, and on PREEMPT_RT
 * spinlock_t sleeps and its holder may be preempted, so waiting for it
 * would block.  False makes the reaper leave the range, and come back.
 */
static bool area_invalidate(struct vmeta_area *ar, unsigned long cur_seq,
			    bool blockable)
{
	struct vmeta_meta *m = ar->meta;

	if (vmeta_planted(VMETA_PLANT_SLEEP_NONBLOCK))
		synchronize_rcu();	/* 2019: waits even when it may not */
	if (blockable)
		spin_lock(&m->map_lock);
	else if (!spin_trylock(&m->map_lock))
		return false;
	mmu_interval_set_seq(&ar->notifier, cur_seq);
	if (ar->valid && !vmeta_planted(VMETA_PLANT_USE_AFTER_INVAL)) {
		WRITE_ONCE(ar->valid, false);	/* read locklessly */
		m->stats.invalidations++;
	}
	spin_unlock(&m->map_lock);
	return true;
}

/*
 * The invalidate callback: never sleeps, never allocates, never waits for
 * a grace period.  map_lock orders it against every batch and every remap.
 * Linux runs the classic notifiers of a non-blockable range between
 * non_block_start() and non_block_end() but not the interval ones (6.1 to
 * 6.12), so this callback does it itself: with CONFIG_DEBUG_ATOMIC_SLEEP
 * a sleep on that path is reported (make kcheck-debug); elsewhere the
 * pair compiles to nothing.
 */
static bool vmeta_kmap_invalidate(struct mmu_interval_notifier *sub,
				  const struct mmu_notifier_range *range,
				  unsigned long cur_seq)
{
	struct vmeta_area *ar = container_of(sub, struct vmeta_area, notifier);
	bool blockable = mmu_notifier_range_blockable(range);
	bool done;

	if (!blockable)
		non_block_start();
	done = area_invalidate(ar, cur_seq, blockable);
	if (!blockable)
		non_block_end();
	return done;
}

static const struct mmu_interval_notifier_ops vmeta_kmap_ops = {
	.invalidate = vmeta_kmap_invalidate,
};

static void area_free(struct vmeta_meta *m, struct vmeta_area *ar)
{
	if (ar->notifier_live && !vmeta_planted(VMETA_PLANT_NOTIFIER_LEAK))
		mmu_interval_notifier_remove(&ar->notifier);
	ar->notifier_live = false;
	if (ar->vaddr)
		vunmap(ar->vaddr);
	if (ar->vaddr && m->strategy == VMETA_VMAP_PIN)
		unpin_user_pages_dirty_lock(ar->pages, ar->nr_pages,
					    ar->writable);
	ar->vaddr = NULL;
	ar->linear = NULL;
	kfree(ar->pages);
	kfree(ar->kaddr);
	kfree(ar->gup_pages);
	ar->pages = NULL;
	ar->kaddr = NULL;
	ar->gup_pages = NULL;
}

/* VMAP_PIN: pin and vmap once, as the series' first version did. */
static int area_pin(struct vmeta_area *ar)
{
	unsigned int flags = FOLL_LONGTERM | (ar->writable ? FOLL_WRITE : 0);
	int got;

	got = pin_user_pages_fast(ar->uaddr & PAGE_MASK, ar->nr_pages, flags,
				  ar->pages);
	if (got != ar->nr_pages) {
		if (got > 0)
			unpin_user_pages(ar->pages, got);
		return -EFAULT;
	}
	ar->vaddr = vmap(ar->pages, ar->nr_pages, VM_MAP, PAGE_KERNEL);
	if (!ar->vaddr) {
		unpin_user_pages(ar->pages, ar->nr_pages);
		return -ENOMEM;
	}
	ar->linear = ar->vaddr + ar->page_off;
	ar->valid = true;
	return 0;
}

static int area_init_mapped(struct vmeta_meta *m, struct vmeta_area *ar)
{
	int ret;

	ar->page_off = offset_in_page(ar->uaddr);
	ar->nr_pages = DIV_ROUND_UP(ar->page_off + ar->size, PAGE_SIZE);
	ar->pages = kcalloc(ar->nr_pages, sizeof(*ar->pages), GFP_KERNEL);
	ar->kaddr = kcalloc(ar->nr_pages, sizeof(*ar->kaddr), GFP_KERNEL);
	ar->gup_pages = kcalloc(ar->nr_pages, sizeof(*ar->gup_pages),
				GFP_KERNEL);
	if (!ar->pages || !ar->kaddr || !ar->gup_pages)
		return -ENOMEM;
	/* A pinned vmap would alias the user's lines: user access instead. */
	if (m->strategy == VMETA_VMAP_PIN && cpu_dcache_is_aliasing())
		return 0;
	if (m->strategy == VMETA_VMAP_PIN)
		return area_pin(ar);
	ret = mmu_interval_notifier_insert(&ar->notifier, m->mm, ar->uaddr,
					   ar->size, &vmeta_kmap_ops);
	ar->notifier_live = !ret;
	return ret;
}

/**
 * vmeta_meta_init - set up access to a queue's three areas
 * @m: the metadata state, zeroed or not
 * @strategy: how to access them
 * @mm: the owner's address space (KMAP registers its notifiers there)
 * @uaddr: user address of each area (enum vmeta_area_id order)
 * @size: size in bytes of each area
 * @raw: for VMETA_RAW, the kernel address of each area; else NULL
 *
 * Context: process context of the owner, whose mm is current->mm for
 * VMAP_PIN (it pins the pages); KMAP and VMAP insert interval notifiers,
 * which may sleep.  Returns 0 or -errno.
 */
int vmeta_meta_init(struct vmeta_meta *m, enum vmeta_strategy strategy,
		    struct mm_struct *mm, const unsigned long uaddr[],
		    const unsigned long size[], void *const raw[])
{
	int a, ret = 0;

	if (strategy >= VMETA_NR_STRATEGIES || (strategy == VMETA_RAW && !raw))
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	m->strategy = strategy;
	m->mm = mm;
	spin_lock_init(&m->map_lock);
	for (a = 0; a < VMETA_NR_AREAS; a++) {
		struct vmeta_area *ar = &m->area[a];

		ar->meta = m;
		ar->uaddr = uaddr[a];
		ar->size = size[a];
		ar->writable = a == VMETA_USED;
		ar->raw = raw ? raw[a] : NULL;
		if (strategy >= VMETA_VMAP_PIN && !ret)
			ret = area_init_mapped(m, ar);
	}
	if (ret)
		vmeta_meta_destroy(m);
	return ret;
}

/**
 * vmeta_meta_destroy - undo vmeta_meta_init()
 * Context: process context, may sleep (waits for a running invalidation
 * of this queue to finish).  No batch may be running.
 */
void vmeta_meta_destroy(struct vmeta_meta *m)
{
	int a;

	for (a = 0; a < VMETA_NR_AREAS; a++)
		area_free(m, &m->area[a]);
}

/* Why gup_fast could not map @ar: a PFNMAP/IO VMA, or anything else. */
static enum vmeta_fallback gup_failure_reason(struct vmeta_meta *m,
					      struct vmeta_area *ar)
{
	struct vm_area_struct *vma;
	enum vmeta_fallback why = VMETA_FB_GUP;

	mmap_read_lock(m->mm);
	vma = vma_lookup(m->mm, ar->uaddr);
	if (vma && (vma->vm_flags & (VM_PFNMAP | VM_IO)))
		why = VMETA_FB_PFNMAP;
	mmap_read_unlock(m->mm);
	return why;
}

/* Only refcounted RAM goes through the direct map; the zero page is read. */
static bool page_mappable(struct vmeta_area *ar, struct page *page)
{
	if (!PageReserved(page))
		return true;
	return !ar->writable && is_zero_pfn(page_to_pfn(page));
}

static void put_pages(struct page **pages, unsigned int n)
{
	while (n)
		put_page(pages[--n]);
}

/*
 * The direct-map address of the area if its pages are lowmem and
 * physically consecutive (one page, or a huge page), so that the direct
 * map holds them in order; otherwise NULL.
 */
static char *direct_linear(struct vmeta_area *ar)
{
	unsigned int i;

	for (i = 0; i < ar->nr_pages; i++) {
		if (!ar->kaddr[i])
			return NULL;
		if (i && page_to_pfn(ar->pages[i]) !=
			 page_to_pfn(ar->pages[i - 1]) + 1)
			return NULL;
	}
	return (char *)ar->kaddr[0] + ar->page_off;
}

/*
 * Under map_lock, with @page mapped at @uaddr (no invalidation since
 * gup_fast): whether a kernel window at @uaddr's colour exists for it.
 */
static bool coherent_window_exists(struct page *page, unsigned long uaddr)
{
	void *p = kmap_coherent(page, uaddr);

	if (!p)
		return false;
	kunmap_coherent();
	return true;
}

/* Install the pages gup_fast found; map_lock held, no race since. */
static void area_install(struct vmeta_area *ar, void *vaddr, bool coherent)
{
	unsigned int i;

	lockdep_assert_held(&ar->meta->map_lock);
	for (i = 0; i < ar->nr_pages; i++) {
		struct page *page = ar->gup_pages[i];

		/* 2019: dirtied under the lock the invalidation takes. */
		if (ar->writable && vmeta_planted(VMETA_PLANT_DIRTY_UNDER_LOCK))
			set_page_dirty_lock(page);
		ar->pages[i] = page;
		ar->kaddr[i] = PageHighMem(page) || coherent ?
			       NULL : page_address(page);
	}
	ar->coherent = coherent;
	ar->vaddr = vaddr;
	if (vaddr)
		ar->linear = vaddr + ar->page_off;
	else
		ar->linear = coherent ? NULL : direct_linear(ar);
	WRITE_ONCE(ar->valid, true);
}

/* One attempt at mapping @ar; 0, -EAGAIN (raced), or -(reason + 1). */
static int area_map(struct vmeta_meta *m, struct vmeta_area *ar)
{
	bool aliasing = cpu_dcache_is_aliasing();
	unsigned int i, n = ar->nr_pages;
	void *vaddr = NULL, *old;
	unsigned long seq;
	int got;

	/* A vmap is never the user's colour. */
	if (aliasing && m->strategy == VMETA_VMAP)
		return -(VMETA_FB_ALIAS + 1);
	seq = mmu_interval_read_begin(&ar->notifier);
	got = get_user_pages_fast(ar->uaddr & PAGE_MASK, n,
				  ar->writable ? FOLL_WRITE : 0,
				  ar->gup_pages);
	if (got != n) {
		put_pages(ar->gup_pages, got > 0 ? got : 0);
		return -(gup_failure_reason(m, ar) + 1);
	}
	for (i = 0; i < n; i++) {
		if (!page_mappable(ar, ar->gup_pages[i])) {
			put_pages(ar->gup_pages, n);
			return -(VMETA_FB_PFNMAP + 1);
		}
		/* Dirty before the first write, outside any spinlock. */
		if (ar->writable &&
		    !vmeta_planted(VMETA_PLANT_DIRTY_UNDER_LOCK))
			set_page_dirty_lock(ar->gup_pages[i]);
	}

	if (m->strategy == VMETA_VMAP) {
		/* vmap() may sleep: before the lock, dropped if we raced. */
		vaddr = vmap(ar->gup_pages, n, VM_MAP, PAGE_KERNEL);
		if (!vaddr) {
			put_pages(ar->gup_pages, n);
			return -(VMETA_FB_NOMEM + 1);
		}
	}

	spin_lock(&m->map_lock);
	if (mmu_interval_read_retry(&ar->notifier, seq)) {
		spin_unlock(&m->map_lock);
		if (vaddr)
			vunmap(vaddr);
		put_pages(ar->gup_pages, n);
		m->stats.retries++;
		return -EAGAIN;
	}
	if (aliasing && !coherent_window_exists(ar->gup_pages[0],
						ar->uaddr & PAGE_MASK)) {
		spin_unlock(&m->map_lock);
		put_pages(ar->gup_pages, n);
		return -(VMETA_FB_ALIAS + 1);
	}
	old = ar->vaddr;
	area_install(ar, vaddr, aliasing);
	m->stats.remaps++;
	spin_unlock(&m->map_lock);
	/* An invalidated vmap nobody uses any more; vunmap() may sleep. */
	if (old)
		vunmap(old);
	/* No reference kept: the notifier tells us when the pages go. */
	put_pages(ar->gup_pages, n);
	return 0;
}

static bool all_valid(struct vmeta_meta *m)
{
	int a;

	for (a = 0; a < VMETA_NR_AREAS; a++)
		if (!READ_ONCE(m->area[a].valid))
			return false;
	return true;
}

/* Map every invalid area; 0 or a fallback reason + 1. */
static int map_invalid_areas(struct vmeta_meta *m)
{
	int a, ret;

	for (a = 0; a < VMETA_NR_AREAS; a++) {
		struct vmeta_area *ar = &m->area[a];
		int tries = VMETA_MAP_TRIES;

		if (READ_ONCE(ar->valid))
			continue;
		do {
			ret = area_map(m, ar);
		} while (ret == -EAGAIN && --tries);
		if (ret == -EAGAIN)
			return VMETA_FB_RETRY + 1;
		if (ret)
			return -ret;
	}
	return 0;
}

static void map_begin(struct vmeta_meta *m)
{
	int tries, why = VMETA_FB_RETRY + 1;

	might_sleep();
	for (tries = 0; tries < VMETA_MAP_TRIES; tries++) {
		why = map_invalid_areas(m);
		if (why)
			break;
		spin_lock(&m->map_lock);
		if (all_valid(m)) {
			m->mapped = true;
			m->stats.hits++;
			return;
		}
		spin_unlock(&m->map_lock);
		why = VMETA_FB_RETRY + 1;
	}
	m->stats.fallbacks[why - 1]++;
}

/**
 * vmeta_meta_begin - start a batch of metadata accesses
 *
 * KMAP and VMAP: map what an invalidation removed, then hold map_lock
 * for the batch if every area is mapped, or run the batch through user
 * access.
 *
 * Context: the owner's user context (kthread_use_mm()), may sleep.  The
 * batch itself must not sleep.
 */
void vmeta_meta_begin(struct vmeta_meta *m)
{
	m->stats.batches++;
	switch (m->strategy) {
	case VMETA_VMAP:
	case VMETA_KMAP:
		map_begin(m);
		break;
	case VMETA_VMAP_PIN:
		if (!m->area[0].valid) {	/* not pinned: the cache aliases */
			m->stats.fallbacks[VMETA_FB_ALIAS]++;
			break;
		}
		m->mapped = true;	/* pinned: mapped until teardown */
		m->stats.hits++;
		break;
	default:
		break;
	}
}

/**
 * vmeta_meta_end - end a batch
 * Context: after vmeta_meta_begin(), in the same task.
 */
void vmeta_meta_end(struct vmeta_meta *m)
{
	switch (m->strategy) {
	case VMETA_VMAP:
	case VMETA_KMAP:
		if (m->mapped) {
			m->mapped = false;
			spin_unlock(&m->map_lock);
		}
		break;
	case VMETA_VMAP_PIN:
		m->mapped = false;
		break;
	default:
		break;
	}
}

/* @n bytes at @in of page @pg of @ar, through a window of the user's colour. */
static int coherent_copy(struct vmeta_area *ar, unsigned int pg,
			 unsigned int in, void *buf, unsigned int n,
			 bool to_area)
{
	unsigned long uaddr = (ar->uaddr & PAGE_MASK) + pg * PAGE_SIZE;
	char *p = kmap_coherent(ar->pages[pg], uaddr);

	/* Checked when the area was mapped; the page is still mapped there. */
	if (WARN_ON_ONCE(!p))
		return -EFAULT;
	if (to_area)
		memcpy(p + in, buf, n);
	else
		memcpy(buf, p + in, n);
	kunmap_coherent();
	return 0;
}

/* @n bytes at @in of page @pg of @ar: direct map or kmap_local_page(). */
static void local_copy(struct vmeta_area *ar, unsigned int pg,
		       unsigned int in, void *buf, unsigned int n,
		       bool to_area)
{
	char *p = ar->kaddr[pg];

	if (!p)
		p = kmap_local_page(ar->pages[pg]);
	if (to_area)
		memcpy(p + in, buf, n);
	else
		memcpy(buf, p + in, n);
	if (!ar->kaddr[pg])
		kunmap_local(p);
}

/* Walk [off, off + len) of a mapped area page by page; 0 or -EFAULT. */
static int kmap_copy(struct vmeta_meta *m, enum vmeta_area_id a,
		     unsigned long off, void *buf, unsigned int len,
		     bool to_area)
{
	struct vmeta_area *ar = &m->area[a];
	unsigned long o = ar->page_off + off;

	lockdep_assert_held(&m->map_lock);
	while (len) {
		unsigned int pg = o >> PAGE_SHIFT, in = o & ~PAGE_MASK;
		unsigned int n = min_t(unsigned int, len, PAGE_SIZE - in);

		if (!ar->coherent)
			local_copy(ar, pg, in, buf, n, to_area);
		else if (coherent_copy(ar, pg, in, buf, n, to_area))
			return -EFAULT;
		buf += n;
		o += n;
		len -= n;
	}
	return 0;
}

/**
 * vmeta_kmap_read - copy from a mapped area, across pages, HIGHMEM and
 * per-access windows of the user's colour
 * Context: inside a mapped KMAP batch (map_lock held).  Returns 0, or
 * -EFAULT if a colour window could not be had (a WARN: it was checked).
 */
int vmeta_kmap_read(struct vmeta_meta *m, enum vmeta_area_id a,
		    unsigned long off, void *buf, unsigned int len)
{
	return kmap_copy(m, a, off, buf, len, false);
}

/**
 * vmeta_kmap_write - copy into a mapped area, across pages, HIGHMEM and
 * per-access windows of the user's colour
 * Context: inside a mapped KMAP batch (map_lock held).  Returns 0 or
 * -EFAULT, as vmeta_kmap_read().
 */
int vmeta_kmap_write(struct vmeta_meta *m, enum vmeta_area_id a,
		     unsigned long off, const void *buf, unsigned int len)
{
	return kmap_copy(m, a, off, (void *)buf, len, true);
}
