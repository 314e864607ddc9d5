/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: temporary kernel mappings of pages (umm/kmap_local.c, umm/highmem.c).
 *
 * A lowmem page is reached through the direct map, as on a 64-bit kernel.
 * A HIGHMEM page (umm_boot() with highmem_mb) has no direct-map address:
 * kmap_local_page() maps it into one of the task's UMM_KMAP_SLOTS slots
 * (the memfd page mapped MAP_FIXED into a per-thread PROT_NONE area), and
 * kmap() into a global table of persistent mappings.
 *
 * kmap_local mappings nest: they must be undone in the reverse order.
 * The lab checks that rule for every kmap_local_page(), lowmem pages
 * included, which is stricter than Linux (it can only check the HIGHMEM
 * ones, and a 64-bit kernel has none), so that a nesting bug shows up
 * without a HIGHMEM configuration.  An unmap out of order is reported as
 * a WARN and, as in Linux, undoes the innermost mapping anyway.
 */
#ifndef _LINUX_HIGHMEM_H
#define _LINUX_HIGHMEM_H

#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/string.h>

/* One kmap_local mapping of a task, in task_struct::kmap_slots. */
struct umm_kmap_slot {
	struct page *page;
	void *addr;		/* page-aligned address handed out */
	bool mapped;		/* a HIGHMEM page mapped into the slot */
};

void *kmap(struct page *page);
void kunmap(struct page *page);
void *kmap_local_page(struct page *page);
void kunmap_local(const void *addr);

/* kmap_local with preemption off: the caller may not sleep until undone. */
static inline void *kmap_atomic(struct page *page)
{
	preempt_disable();
	return kmap_local_page(page);
}

static inline void kunmap_atomic(const void *addr)
{
	kunmap_local(addr);
	preempt_enable();
}

void clear_highpage(struct page *page);
void copy_highpage(struct page *to, struct page *from);

struct vm_area_struct;
/* Colour-aware, per architecture (umm/cache_copy.c). */
void copy_user_highpage(struct page *to, struct page *from,
			unsigned long vaddr, struct vm_area_struct *vma);
void clear_user_highpage(struct page *page, unsigned long vaddr);
void memcpy_to_page(struct page *page, size_t offset, const char *from,
		    size_t len);
void memcpy_from_page(char *to, struct page *page, size_t offset,
		      size_t len);
void memzero_page(struct page *page, size_t offset, size_t len);

#endif /* _LINUX_HIGHMEM_H */
