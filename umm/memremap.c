// SPDX-License-Identifier: GPL-2.0
/*
 * umm: memremap().  Which memory a range is decides the mapping (see
 * linux/io.h); the new mappings are kept on a list for memunmap().
 */
#include <linux/cacheflush.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <umm/alias.h>
#include <umm/phys.h>
#include <umm/physmem.h>

enum region {
	REGION_DIRECT,		/* lowmem RAM: the direct map will do */
	REGION_REMAP,		/* backed, not directly mapped RAM */
	REGION_RAM_NO_DIRECT,	/* HIGHMEM RAM */
	REGION_MIXED,		/* RAM and non-RAM together */
	REGION_NONE,		/* absent, or beyond the machine */
};

struct remap {
	struct list_head list;	/* on remaps, remap_lock */
	char *addr;		/* page-aligned start of the mapping */
	unsigned long nr_pages;
};

static DEFINE_SPINLOCK(remap_lock);
static LIST_HEAD(remaps);	/* remap_lock */

static enum region classify(unsigned long first, unsigned long last)
{
	bool ram = false, other = false, high = false;
	unsigned long pfn;

	for (pfn = first; pfn <= last; pfn++) {
		switch (umm_pfn_kind(pfn)) {
		case UMM_PFN_RAM:
			ram = true;
			high |= pfn >= umm_highmem_pfn;
			break;
		case UMM_PFN_RESERVED:
		case UMM_PFN_DEVICE:
			other = true;
			break;
		default:
			return REGION_NONE;
		}
	}
	if (ram && other)
		return REGION_MIXED;
	if (ram)
		return high ? REGION_RAM_NO_DIRECT : REGION_DIRECT;
	return REGION_REMAP;
}

static void *remap_new(unsigned long pfn, unsigned long nr)
{
	struct remap *rm = kmalloc(sizeof(*rm), GFP_KERNEL);

	if (!rm)
		return NULL;
	rm->nr_pages = nr;
	rm->addr = umm_alias_reserve(nr);
	if (rm->addr)
		umm_cache_alias_tag(rm->addr, nr, "memremap");
	if (!rm->addr || umm_alias_map(rm->addr, pfn, nr, true)) {
		if (rm->addr)
			umm_alias_release(rm->addr, nr);
		kfree(rm);
		return NULL;
	}
	spin_lock(&remap_lock);
	list_add(&rm->list, &remaps);
	spin_unlock(&remap_lock);
	return rm->addr;
}

/**
 * memremap - map memory given by physical address
 * @offset: physical address
 * @size: bytes
 * @flags: MEMREMAP_WB, MEMREMAP_WT or MEMREMAP_WC
 *
 * Returns the direct-map address of lowmem RAM (MEMREMAP_WB only: RAM
 * with another cacheability is refused with a WARN, as in Linux), a new
 * mapping for other backed memory, or NULL for absent memory and ranges
 * that mix RAM with other memory.
 * Context: process context; might sleep.
 */
void *memremap(resource_size_t offset, size_t size, unsigned long flags)
{
	unsigned long first = PHYS_PFN(offset);
	unsigned long last = PHYS_PFN(offset + size - 1);
	enum region region;
	char *addr;

	might_sleep();
	if (!size || !flags)
		return NULL;
	region = classify(first, last);
	switch (region) {
	case REGION_NONE:
		return NULL;
	case REGION_MIXED:
		WARN(1, "memremap attempted on mixed range %#llx size %#zx",
		     (unsigned long long)offset, size);
		return NULL;
	case REGION_DIRECT:
	case REGION_RAM_NO_DIRECT:
		if (WARN(!(flags & MEMREMAP_WB),
			 "memremap attempted on ram %#llx size %#zx",
			 (unsigned long long)offset, size))
			return NULL;
		if (region == REGION_DIRECT)
			return umm_pfn_host(first) + offset_in_page(offset);
		break;
	case REGION_REMAP:
		break;
	}
	addr = remap_new(first, last - first + 1);
	return addr ? addr + offset_in_page(offset) : NULL;
}

/**
 * memunmap - undo a memremap()
 * @addr: what memremap() returned
 *
 * Context: process context.
 */
void memunmap(void *addr)
{
	char *base = (char *)((unsigned long)addr & PAGE_MASK);
	struct remap *rm, *found = NULL;

	if (umm_in_direct_map(addr))
		return;
	spin_lock(&remap_lock);
	list_for_each_entry(rm, &remaps, list) {
		if (rm->addr == base) {
			list_del(&rm->list);
			found = rm;
			break;
		}
	}
	spin_unlock(&remap_lock);
	if (WARN(!found, "memunmap of %p, which memremap did not return",
		 addr))
		return;
	flush_cache_vunmap((unsigned long)found->addr, (unsigned long)found->addr +
			   (found->nr_pages << PAGE_SHIFT));
	umm_alias_release(found->addr, found->nr_pages);
	kfree(found);
}
