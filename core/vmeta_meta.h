/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmeta: access to a virtqueue's metadata — descriptor table, avail ring,
 * used ring — in user memory, with one interface and several strategies
 * chosen per queue (Documentation/strategies.md says what each costs):
 *
 *   RAW             plain pointers to memory that no mm manages: the limit,
 *                   for benchmarks only
 *   UACCESS         upstream vhost 6.1-6.17: __get_user/__put_user per
 *                   field, __copy_from_user per descriptor,
 *                   __copy_to_user per used batch
 *   UACCESS_SCOPED  masked user access without a fence: the address
 *                   clamped with cmp/cmov, an inline access with an
 *                   exception-table fixup; one region per ring access,
 *                   because a region may not span a function call
 *                   (objtool's UACCESS rules)
 *   VMAP_PIN        the 2019 series' first version: pages pinned and
 *                   vmap()ed once, until teardown
 *   VMAP            vmap() of pages found with gup_fast, kept valid by
 *                   notifier invalidation: KMAP's protocol, 4 KiB TLB
 *                   entries
 *   KMAP            ours: the pages mapped through the direct map (or
 *                   kmap_local_page under HIGHMEM), found with gup_fast
 *                   without keeping a reference and kept valid by an
 *                   mmu_interval_notifier (Documentation/invalidation.md)
 *
 * Where the data cache aliases (cpu_dcache_is_aliasing()), the direct map
 * and a vmap are other colours than the user's mapping and would read
 * stale lines.  KMAP then maps each page per access at the user address's
 * colour with kmap_coherent(), which shares the user's cache lines and
 * needs no flush; where no such window exists (VIVT caches), and always
 * for VMAP and VMAP_PIN (the 2019 series enabled itself only where
 * flush_dcache_page() is a no-op), the queue runs through user access
 * with the fallback counted as VMETA_FB_ALIAS.
 *
 * Accesses happen between vmeta_meta_begin() and vmeta_meta_end(), a
 * batch.  For KMAP a batch that could map every area holds
 * vmeta_meta::map_lock, the lock the invalidate callback takes, so no
 * access overlaps an invalidation; a batch must therefore not sleep, and
 * the engine ends it around anything that may (reading an indirect table
 * with copy_from_user()).  A batch that could not map falls back to
 * UACCESS and holds no lock.
 */
#ifndef _VMETA_META_H
#define _VMETA_META_H

#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uaccess.h>

enum vmeta_strategy {
	VMETA_RAW,
	VMETA_UACCESS,
	VMETA_UACCESS_SCOPED,
	VMETA_VMAP_PIN,
	VMETA_VMAP,
	VMETA_KMAP,
	VMETA_NR_STRATEGIES
};

enum vmeta_area_id {
	VMETA_DESC,
	VMETA_AVAIL,
	VMETA_USED,
	VMETA_NR_AREAS
};

/* Why a KMAP batch ran through user access instead. */
enum vmeta_fallback {
	VMETA_FB_GUP,		/* gup_fast failed: not present, read-only... */
	VMETA_FB_PFNMAP,	/* VM_PFNMAP/VM_IO or not refcounted RAM */
	VMETA_FB_RETRY,		/* kept losing the race with invalidations */
	VMETA_FB_NOMEM,		/* vmap() failed */
	VMETA_FB_ALIAS,		/* the data cache aliases, no coherent window */
	VMETA_NR_FALLBACKS
};

struct vmeta_meta_stats {
	u64 batches;		/* vmeta_meta_begin() calls */
	u64 hits;		/* batches that ran through the mapping */
	u64 fallbacks[VMETA_NR_FALLBACKS];
	u64 invalidations;	/* invalidate callbacks that hit a mapping */
	u64 retries;		/* read_retry said an invalidation raced */
	u64 remaps;		/* mappings (re)established */
};

/* All fallbacks, whatever the reason. */
static inline u64 vmeta_meta_fallbacks(const struct vmeta_meta_stats *st)
{
	u64 sum = 0;
	int f;

	for (f = 0; f < VMETA_NR_FALLBACKS; f++)
		sum += st->fallbacks[f];
	return sum;
}

struct vmeta_meta;

/* One area: where it is, and for KMAP its pages while valid. */
struct vmeta_area {
	unsigned long uaddr;		/* user address */
	unsigned long size;		/* bytes */
	bool writable;			/* the host writes it (used ring) */
	void *raw;			/* RAW: the kernel address */
	/* KMAP */
	struct vmeta_meta *meta;
	struct mmu_interval_notifier notifier;
	bool notifier_live;
	unsigned int nr_pages;
	unsigned int page_off;		/* offset of uaddr in its page */
	struct page **pages;		/* no references held; map_lock */
	/* direct map; NULL if HIGHMEM or coherent; map_lock */
	void **kaddr;
	void *vaddr;			/* VMAP, VMAP_PIN: the vmap; map_lock */
	/*
	 * The area's kernel address when it is virtually contiguous: the
	 * vmap, or the direct map of physically consecutive lowmem pages.
	 * map_lock.
	 */
	char *linear;
	struct page **gup_pages;	/* scratch for the remapping task */
	bool coherent;			/* kmap_coherent() per access; map_lock */
	bool valid;			/* map_lock */
};

struct vmeta_meta {
	enum vmeta_strategy strategy;
	struct mm_struct *mm;		/* the owner's mm (KMAP) */
	spinlock_t map_lock;		/* the invalidation "user lock" */
	bool mapped;			/* this batch holds map_lock, maps valid */
	struct vmeta_area area[VMETA_NR_AREAS];
	struct vmeta_meta_stats stats;	/* invalidations: map_lock */
};

int vmeta_meta_init(struct vmeta_meta *m, enum vmeta_strategy strategy,
		    struct mm_struct *mm, const unsigned long uaddr[],
		    const unsigned long size[], void *const raw[]);
void vmeta_meta_destroy(struct vmeta_meta *m);
void vmeta_meta_begin(struct vmeta_meta *m);
void vmeta_meta_end(struct vmeta_meta *m);
const char *vmeta_strategy_name(enum vmeta_strategy s);
int vmeta_strategy_parse(const char *name);
const char *vmeta_fallback_name(enum vmeta_fallback f);

/* KMAP internals used by the inline accessors below. */
int vmeta_kmap_read(struct vmeta_meta *m, enum vmeta_area_id a,
		    unsigned long off, void *buf, unsigned int len);
int vmeta_kmap_write(struct vmeta_meta *m, enum vmeta_area_id a,
		     unsigned long off, const void *buf, unsigned int len);

/*
 * The direct-map address of @off in area @a, or NULL (a HIGHMEM page, or
 * an area mapped per access at the user's colour).
 */
static __always_inline void *vmeta_kmap_ptr(struct vmeta_meta *m,
					    enum vmeta_area_id a,
					    unsigned long off)
{
	struct vmeta_area *ar = &m->area[a];
	unsigned long o = ar->page_off + off;
	char *base = ar->kaddr[o >> PAGE_SHIFT];

	return base ? base + (o & ~PAGE_MASK) : NULL;
}

/*
 * In a mapped batch: a kernel address for @len bytes at @off of area @a,
 * or NULL when they cross into another page that is not virtually next
 * to it (or is HIGHMEM, or the cache aliases): then vmeta_kmap_read() and
 * vmeta_kmap_write() go page by page.
 */
static __always_inline void *vmeta_mapped_ptr(struct vmeta_meta *m,
					      enum vmeta_area_id a,
					      unsigned long off,
					      unsigned int len)
{
	char *p;

	if (likely(m->area[a].linear))
		return m->area[a].linear + off;
	p = vmeta_kmap_ptr(m, a, off);
	if (p && offset_in_page(p) + len <= PAGE_SIZE)
		return p;
	return NULL;
}

static __always_inline bool vmeta_strategy_maps(enum vmeta_strategy s)
{
	return s >= VMETA_VMAP_PIN;
}

static __always_inline unsigned long vmeta_uaddr(struct vmeta_meta *m,
						 enum vmeta_area_id a,
						 unsigned long off)
{
	return m->area[a].uaddr + off;
}

/**
 * vmeta_meta_read16 - read a naturally aligned 16-bit field of an area
 * @m: the queue's metadata
 * @a: which area
 * @off: byte offset in the area; @off + 2 <= the area's size
 * @val: the value read
 *
 * Context: inside a batch.  Returns 0 or -EFAULT.
 */
static __always_inline int vmeta_meta_read16(struct vmeta_meta *m,
					     enum vmeta_area_id a,
					     unsigned long off, u16 *val)
{
	const u16 __user *up;
	u16 *p;

	if (m->strategy == VMETA_RAW) {
		*val = READ_ONCE(*(u16 *)(m->area[a].raw + off));
		return 0;
	}
	if (m->strategy == VMETA_UACCESS_SCOPED) {
		up = masked_user_access_begin((const u16 __user *)
					      vmeta_uaddr(m, a, off));
		unsafe_get_user(*val, up, fault);
		user_read_access_end();
		return 0;
	}
	if (vmeta_strategy_maps(m->strategy) && likely(m->mapped)) {
		/* Naturally aligned: it never straddles a page. */
		p = vmeta_mapped_ptr(m, a, off, sizeof(*p));
		if (unlikely(!p))
			return vmeta_kmap_read(m, a, off, val, sizeof(*val));
		*val = READ_ONCE(*p);
		return 0;
	}
	return __get_user(*val, (u16 __user *)vmeta_uaddr(m, a, off));
fault:
	user_read_access_end();
	return -EFAULT;
}

/**
 * vmeta_meta_write16 - write a naturally aligned 16-bit field of an area
 * Context: inside a batch.  Returns 0 or -EFAULT.
 */
static __always_inline int vmeta_meta_write16(struct vmeta_meta *m,
					      enum vmeta_area_id a,
					      unsigned long off, u16 val)
{
	u16 __user *up;
	u16 *p;

	if (m->strategy == VMETA_RAW) {
		WRITE_ONCE(*(u16 *)(m->area[a].raw + off), val);
		return 0;
	}
	if (m->strategy == VMETA_UACCESS_SCOPED) {
		up = masked_user_access_begin((u16 __user *)
					      vmeta_uaddr(m, a, off));
		unsafe_put_user(val, up, fault);
		user_write_access_end();
		return 0;
	}
	if (vmeta_strategy_maps(m->strategy) && likely(m->mapped)) {
		p = vmeta_mapped_ptr(m, a, off, sizeof(*p));
		if (unlikely(!p))
			return vmeta_kmap_write(m, a, off, &val, sizeof(val));
		WRITE_ONCE(*p, val);
		return 0;
	}
	return __put_user(val, (u16 __user *)vmeta_uaddr(m, a, off));
fault:
	user_write_access_end();
	return -EFAULT;
}

/* SCOPED: @len bytes as 64-bit (then 16-bit) loads in one region. */
static __always_inline int vmeta_scoped_read(struct vmeta_meta *m,
					     enum vmeta_area_id a,
					     unsigned long off, void *buf,
					     unsigned int len)
{
	const char __user *p = masked_user_access_begin((const char __user *)
							vmeta_uaddr(m, a, off));
	unsigned int i = 0;

	for (; i + 8 <= len; i += 8)
		unsafe_get_user(*(u64 *)(buf + i), (const u64 __user *)(p + i),
				fault);
	for (; i < len; i += 2)
		unsafe_get_user(*(u16 *)(buf + i), (const u16 __user *)(p + i),
				fault);
	user_read_access_end();
	return 0;
fault:
	user_read_access_end();
	return -EFAULT;
}

static __always_inline int vmeta_scoped_write(struct vmeta_meta *m,
					      enum vmeta_area_id a,
					      unsigned long off,
					      const void *buf,
					      unsigned int len)
{
	char __user *p = masked_user_access_begin((char __user *)
						  vmeta_uaddr(m, a, off));
	unsigned int i = 0;

	for (; i + 8 <= len; i += 8)
		unsafe_put_user(*(const u64 *)(buf + i),
				(u64 __user *)(p + i), fault);
	for (; i < len; i += 2)
		unsafe_put_user(*(const u16 *)(buf + i),
				(u16 __user *)(p + i), fault);
	user_write_access_end();
	return 0;
fault:
	user_write_access_end();
	return -EFAULT;
}

/**
 * vmeta_meta_read - read @len bytes (even) at @off of an area: a
 * descriptor
 * Context: inside a batch.  Returns 0 or -EFAULT.
 */
static __always_inline int vmeta_meta_read(struct vmeta_meta *m,
					   enum vmeta_area_id a,
					   unsigned long off, void *buf,
					   unsigned int len)
{
	void *p;

	if (m->strategy == VMETA_RAW) {
		memcpy(buf, m->area[a].raw + off, len);
		return 0;
	}
	if (m->strategy == VMETA_UACCESS_SCOPED)
		return vmeta_scoped_read(m, a, off, buf, len);
	if (vmeta_strategy_maps(m->strategy) && likely(m->mapped)) {
		p = vmeta_mapped_ptr(m, a, off, len);
		if (unlikely(!p))
			return vmeta_kmap_read(m, a, off, buf, len);
		memcpy(buf, p, len);
		return 0;
	}
	if (__copy_from_user(buf, (const void __user *)vmeta_uaddr(m, a, off),
			     len))
		return -EFAULT;
	return 0;
}

/**
 * vmeta_meta_write - write @len bytes (even) at @off of an area: used
 * entries
 * Context: inside a batch.  Returns 0 or -EFAULT.
 */
static __always_inline int vmeta_meta_write(struct vmeta_meta *m,
					    enum vmeta_area_id a,
					    unsigned long off, const void *buf,
					    unsigned int len)
{
	void *p;

	if (m->strategy == VMETA_RAW) {
		memcpy(m->area[a].raw + off, buf, len);
		return 0;
	}
	if (m->strategy == VMETA_UACCESS_SCOPED)
		return vmeta_scoped_write(m, a, off, buf, len);
	if (vmeta_strategy_maps(m->strategy) && likely(m->mapped)) {
		p = vmeta_mapped_ptr(m, a, off, len);
		if (unlikely(!p))
			return vmeta_kmap_write(m, a, off, buf, len);
		memcpy(p, buf, len);
		return 0;
	}
	if (__copy_to_user((void __user *)vmeta_uaddr(m, a, off), buf, len))
		return -EFAULT;
	return 0;
}

#endif /* _VMETA_META_H */
