/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: the data-cache models, lab-private (Documentation/cache-models.md).
 *
 * A run has one architecture.  x86 is PIPT: there is one copy of a line
 * and every flush is a no-op; the model is off and costs nothing.  The
 * others are virtually indexed: a line of physical memory may be cached
 * once per colour (VIPT) or once per virtual address (VIVT), and the
 * model keeps, per physical line, the version that memory holds, the
 * newest version stored, and each cached copy's version and dirtiness.
 *
 * The model sees an access when it is told of it: in the checking build
 * flavour (-DUMM_CACHE_CHECK, `make cachecheck`) READ_ONCE, WRITE_ONCE,
 * memcpy and memset of kernel-side code, the user accessors and the lab
 * user threads' umm_user_read/umm_user_write all report here; in the
 * default build only code that asks for it (a file that defines
 * UMM_CACHE_CHECK itself, as the cache tests do) does.  The lab's own
 * mapping and flush paths always keep the model informed when it is on.
 *
 * An address is classified by where it lies: the direct map, a user
 * mirror window (the access has the user address, and its colour), or a
 * kernel alias (vmap, kmap, kmap_local, memremap, kmap_coherent), each
 * with a modelled kernel virtual address; anything else (stack, heap) is
 * not cached by the model.
 */
#ifndef _UMM_CACHE_H
#define _UMM_CACHE_H

#include <stddef.h>
#include <linux/compiler.h>
#include <linux/types.h>

struct mm_struct;
struct page;
struct vm_area_struct;

enum umm_cache_arch {
	UMM_ARCH_X86,		/* PIPT: no aliasing */
	UMM_ARCH_PARISC,	/* VIPT, congruence modulo 4 MiB */
	UMM_ARCH_ARMV6,		/* VIPT aliasing, 4 colours */
	UMM_ARCH_MIPS_R4K,	/* VIPT direct-mapped, 4 colours */
	UMM_ARCH_ARMV5,		/* VIVT */
	UMM_ARCH_NR
};

enum umm_cache_index {
	UMM_CACHE_PIPT,
	UMM_CACHE_VIPT,
	UMM_CACHE_VIVT,
};

struct umm_cache_geometry {
	const char *name;
	enum umm_cache_index index;
	unsigned long colours;		/* VIPT: way size / page size */
	unsigned int line_size;
	bool flush_on_kunmap;		/* parisc: kunmap_flush_on_unmap */
	bool flush_on_kunmap_highmem;	/* armv5: kunmap_atomic of a fixmap */
	bool has_kmap_coherent;		/* a kernel window at a user colour */
	bool invalidate_discards;	/* invalidate_kernel_vmap_range purges */
	bool global_flush_lock;		/* parisc: pa_tlb_lock per TLB purge */
};

/* What a run cost in cache maintenance (Documentation/cache-models.md). */
struct umm_cache_stats {
	unsigned long flush_calls;	/* calls of the flush API that act */
	unsigned long lines_flushed;	/* line maintenance operations issued */
	unsigned long lines_written_back; /* dirty lines they wrote back */
	unsigned long lines_discarded;	/* dirty lines an invalidate dropped */
	unsigned long whole_cache_flushes;
	unsigned long lock_acquisitions; /* parisc's global pa_tlb_lock */
	unsigned long coherent_maps;	/* kmap_coherent windows installed */
	unsigned long stale_reads;	/* detections, by kind */
	unsigned long dirty_aliases;
	unsigned long dirty_discards;
	unsigned long misuses;
};

extern bool umm_cache_on;	/* a virtually indexed model is running */

/*
 * The architecture: from struct umm_config's cache_arch, or the
 * environment (UMM_ARCH=parisc, UMM_CACHE_SEED, UMM_CACHE_EVICT and
 * UMM_CACHE_SPECULATE in per mille) at umm_boot().  Changing it forgets
 * every cached copy and the counters.
 */
int umm_cache_set_arch(enum umm_cache_arch arch);
enum umm_cache_arch umm_cache_arch(void);
const struct umm_cache_geometry *umm_cache_geometry(void);
const char *umm_cache_arch_name(enum umm_cache_arch arch);
int umm_cache_arch_parse(const char *name);	/* -EINVAL if unknown */
void umm_cache_boot(int config_arch);

/* R5: spontaneous write-back and speculative fills, seeded. */
void umm_cache_set_chaos(unsigned long seed, unsigned int evict_permille,
			 unsigned int speculate_permille);

void umm_cache_get_stats(struct umm_cache_stats *stats);
void umm_cache_count_coherent_map(void);	/* from kmap_coherent() */
void umm_cache_reset_stats(void);

/* Colour of a kernel address, of a user address (tests). */
unsigned long umm_cache_colour(const void *kaddr);
unsigned long umm_cache_user_colour(unsigned long uaddr);

/* ---- accesses (the checking flavour's accessors call these) ---- */

void umm_cache_read(const volatile void *p, size_t n, const char *file,
		    int line);
void umm_cache_write(const volatile void *p, size_t n, const char *file,
		     int line);
void *umm_cache_memcpy(void *to, const void *from, size_t n,
		       const char *file, int line);
void *umm_cache_memmove(void *to, const void *from, size_t n,
			const char *file, int line);
void *umm_cache_memset(void *p, int c, size_t n, const char *file,
		       int line);

/* ---- what the lab's mapping code tells the model ---- */

void umm_cache_alias_reserve(void *at, unsigned long nr_pages);
void umm_cache_alias_tag(void *at, unsigned long nr_pages, const char *tag);
void umm_cache_alias_map(void *at, unsigned long pfn, unsigned long nr);
void umm_cache_alias_set_va(void *at, unsigned long va);
void umm_cache_alias_unmap(void *at, unsigned long nr_pages);
void umm_cache_alias_release(void *at, unsigned long nr_pages);

void umm_cache_user_map(struct mm_struct *mm, unsigned long addr,
			unsigned long pfn, unsigned long nr);
void umm_cache_user_unmap(struct mm_struct *mm, unsigned long addr,
			  unsigned long len);

/* A page goes back to the allocator; pages move to and from swap. */
void umm_cache_page_free(unsigned long pfn, unsigned long nr);
void umm_cache_running_mm(struct mm_struct *mm);
void umm_cache_dma_to_device(unsigned long pfn);
void umm_cache_dma_from_device(unsigned long pfn);

/* ---- the lab's own copies (umm/cache_copy.c, umm/cacheflush.c) ---- */

/*
 * How the lab's COW fault copies a page: copy_user_highpage() (Linux
 * since "Fix COW D-cache aliasing on fork", 77fff4ae), or copy_highpage()
 * through the kernel alias, as before it (tests show the difference).
 */
enum umm_cow_copy {
	UMM_COW_COPY_USER_HIGHPAGE,
	UMM_COW_COPY_HIGHPAGE,
};

void umm_cache_set_cow_copy(enum umm_cow_copy how);
void umm_cow_copy(struct page *to, unsigned long from_pfn, unsigned long addr,
		  struct vm_area_struct *vma);
void umm_migrate_copy(struct page *to, struct page *from);
void umm_cache_kernel_op(struct page *page, int op);
bool umm_cache_page_mapped(struct page *page);

/* kunmap/kunmap_local: the flush some architectures do (cacheflush.c) */
void umm_kunmap_flush_on_unmap(const void *addr, bool highmem_slot);

static inline void umm_cache_kunmap(const void *addr, bool highmem_slot)
{
	if (unlikely(__atomic_load_n(&umm_cache_on, __ATOMIC_RELAXED)))
		umm_kunmap_flush_on_unmap(addr, highmem_slot);
}

/* Tests: after each flush_cache_mm/dup_mm (a racing thread's store). */
void umm_cache_set_flush_mm_hook(void (*fn)(struct mm_struct *mm, void *arg),
				 void *arg);

#endif /* _UMM_CACHE_H */
