/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: what the cache-model files share (cache_arch.c, cache_addr.c,
 * cache_model.c, cacheflush.c, cache_copy.c); see umm/cache.h.
 *
 * Everything here is under cache_lock, one lock for the whole model: the
 * model serialises the accesses it sees, which costs speed in the
 * checking flavour and nothing else.  Lock order: the lab's locks
 * (page_table_lock, pkmap_lock, ...) before cache_lock; nothing is taken
 * under it but the allocator of the host.
 */
#ifndef _UMM_CACHE_INTERNAL_H
#define _UMM_CACHE_INTERNAL_H

/* The model's own accesses must not be routed back into it. */
#define UMM_CACHE_INTERNAL 1

#include <pthread.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <umm/cache.h>
#include <umm/report.h>

#define LINE_SHIFT	6
#define LINES_PER_PAGE	(PAGE_SIZE >> LINE_SHIFT)

/*
 * Modelled kernel virtual addresses: the direct map at a colour-aligned
 * PAGE_OFFSET (so its colour is the pfn's), kernel aliases one after
 * another above it in the order they are reserved, so that a run gives
 * the same colours every time.  User addresses are the lab's own.
 */
#define MODEL_PAGE_OFFSET	(1UL << 36)
#define MODEL_ALIAS_BASE	(1UL << 38)

/* Where an access or an operation lands. */
struct cache_loc {
	unsigned long pfn;
	unsigned long va;	/* modelled virtual address of the page */
	unsigned int space;	/* 0: kernel; else the user mm's window */
	const char *what;	/* "user", "direct map", "vmap", ... */
};

/* A translation the model knows: a mirror page or a kernel alias page. */
struct xlat {
	struct xlat *hnext;	/* hash chain, by host page */
	struct xlat *pnext;	/* the pfn's user translations */
	unsigned long host;	/* host page address */
	unsigned long pfn;	/* NO_PFN: an alias page not mapped now */
	unsigned long va;
	unsigned int space;
	const char *what;
	/*
	 * User translations: a flush_cache_page/range of it ran, so its PTE
	 * is being cleared; stores racing with that are written back when
	 * it goes (check_departing()).
	 */
	bool flushed;
};

#define NO_PFN	(~0UL)

struct cache_copy {
	unsigned long key;	/* VIPT: colour; VIVT: space and VA */
	unsigned long va;	/* through which it was last touched */
	const char *what;
	unsigned int space;
	unsigned int ver;
	bool dirty;
};

struct cache_writer {
	const char *what;
	unsigned long va;
	unsigned int space;
	const char *file;
	int line;
	char comm[16];
};

struct cache_line {
	unsigned int latest;	/* version of the newest store */
	unsigned int mem;	/* version memory holds */
	unsigned short nr, cap;
	struct cache_copy *copies;
	struct cache_writer last;
};

struct cache_page {
	struct cache_line *lines;	/* LINES_PER_PAGE, made on first use */
	struct xlat *users;		/* user translations of the pfn */
};

enum cache_op {
	OP_CLEAN,		/* write back */
	OP_INVAL,		/* discard: loses dirty data */
	OP_FLUSH,		/* both */
};

extern pthread_mutex_t cache_lock;
extern const struct umm_cache_geometry *cache_geo;
extern struct umm_cache_stats cache_stats;

/* cache_arch.c */
unsigned long cache_random(void);
extern unsigned int cache_evict_permille, cache_speculate_permille;

/* cache_addr.c */
bool cache_classify(const void *p, struct cache_loc *loc);
unsigned int cache_mm_space(const struct mm_struct *mm);
unsigned long cache_user_pfn(const struct mm_struct *mm, unsigned long addr);
extern unsigned int cache_vivt_space;
void cache_user_mark_flushed(const struct mm_struct *mm, unsigned long start,
			     unsigned long end);
void cache_flush_user_space(unsigned int space, unsigned long lo,
			    unsigned long hi);

/* cache_model.c */
struct cache_page *cache_page(unsigned long pfn, bool create);
unsigned long cache_key(unsigned int space, unsigned long va);
void cache_access(const struct cache_loc *loc, unsigned long off, size_t n,
		  bool write, const char *file, int line);
unsigned long cache_maint(unsigned long pfn, unsigned int space,
			  unsigned long va, unsigned long off, size_t n,
			  enum cache_op op);
void cache_maint_all(void);
unsigned long cache_maint_kernel(unsigned long pfn);
bool cache_page_has_dirty(unsigned long pfn, bool user_only);
unsigned long cache_page_drop(unsigned long pfn);
void cache_model_reset(void);
void cache_misuse(const char *fmt, ...) __printf(1, 2);

/* cacheflush.c: update_mmu_cache()'s half, when a user PTE appears */
void cache_update_mmu(unsigned long pfn, unsigned int space,
		      unsigned long va);

#endif /* _UMM_CACHE_INTERNAL_H */
