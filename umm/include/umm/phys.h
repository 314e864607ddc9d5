/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: the lab machine's physical memory, lab-private.
 *
 * RAM is one memfd, mapped once as the direct map (umm_direct_map); the
 * memfd offset of a pfn is pfn << PAGE_SHIFT, for RAM and device pfns
 * alike, so any other mapping of a pfn (vmap, kmap slots, memremap, the
 * mirrors of user address spaces) is a real alias of the same memory.
 *
 * The pfn space (umm_boot() sets it up from struct umm_config):
 *
 *   [0, 256)        firmware: struct pages exist, PageReserved; the zero
 *                   page lives here
 *   bank 0          RAM, with a reserved hole inside it (ACPI-like):
 *                   struct pages exist, PageReserved, pfn_valid()
 *   absent section  pfn_valid() false, struct pages inaccessible
 *   bank 1          RAM; the HIGHMEM pages, when configured, are its top
 *   device          pfn_valid() false: MMIO-like memory for VM_PFNMAP
 *                   mappings and memremap()
 *
 * A lab section is UMM_SECTION_PAGES pages: pfn_valid() is per section,
 * as with SPARSEMEM.
 */
#ifndef _UMM_PHYS_H
#define _UMM_PHYS_H

#include <linux/mm.h>

#define UMM_SECTION_SHIFT	12	/* pages: 16 MiB sections */
#define UMM_SECTION_PAGES	(1UL << UMM_SECTION_SHIFT)

enum umm_kernel {
	UMM_KERNEL_6_12,	/* the default: G's 6.12 column */
	UMM_KERNEL_6_1,
};

struct umm_config {
	unsigned long ram_mb;		/* both banks; 0: 256 */
	unsigned long highmem_mb;	/* top of bank 1 without direct map */
	enum umm_kernel kernel;		/* notifier behaviour to follow */
	bool no_thp_direct_map;		/* force 4 KiB backing */
	int cache_arch;			/* enum umm_cache_arch; UMM_ARCH wins */
};

enum umm_pfn_kind {
	UMM_PFN_ABSENT,		/* no struct page (hole between banks) */
	UMM_PFN_RAM,		/* normal RAM, in the buddy allocator */
	UMM_PFN_RESERVED,	/* struct page exists, PageReserved */
	UMM_PFN_DEVICE,		/* no struct page, backed: MMIO-like */
	UMM_PFN_BEYOND,		/* past umm_max_pfn */
};

struct umm_phys_range {
	unsigned long start, end;	/* pfns, [start, end) */
	enum umm_pfn_kind kind;
	const char *name;
};

/*
 * umm_boot - set up the lab machine; once per process, before anything
 * else of the mm.  Returns 0 or a negative errno.
 */
int umm_boot(const struct umm_config *cfg);
const struct umm_config *umm_config(void);
/* Follow the other kernel's column of G from now on (tests). */
void umm_set_kernel(enum umm_kernel kernel);

enum umm_pfn_kind umm_pfn_kind(unsigned long pfn);
/* The layout, for tests: a table ending with an entry of end == 0. */
const struct umm_phys_range *umm_phys_layout(void);
/* How the direct map is backed: "thp" or "4k", and why. */
const char *umm_direct_map_backing(void);

/* Host pointer to any backed pfn (RAM or device), HIGHMEM included. */
static inline void *umm_pfn_host(unsigned long pfn)
{
	return umm_direct_map + (pfn << PAGE_SHIFT);
}

int umm_memfd(void);			/* the memfd behind all memory */
unsigned long umm_nr_free_pages(void);

#endif /* _UMM_PHYS_H */
