// SPDX-License-Identifier: GPL-2.0
/*
 * umm: the lab machine's pfn space (umm/phys.h draws it), its struct
 * pages, and umm_boot(), which builds both once per process.
 *
 * Sizes, for cfg->ram_mb of RAM in whole 16 MiB sections (at least two):
 * bank 0 is the lower half, rounded down to sections, and gives its first
 * MiB to the firmware and 2 MiB in its middle to a reserved hole; then
 * one absent section; bank 1 is the rest of the RAM, its top
 * cfg->highmem_mb HIGHMEM; then 4 MiB of device memory.  The section that
 * holds the device range has no struct pages either.
 *
 * The struct page array is one anonymous mapping indexed by pfn; a lab
 * section of struct pages is a whole number of host pages, so the
 * sections without struct pages are made PROT_NONE and a touch of one
 * of their struct pages crashes, as it would in the kernel.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <asm/errno.h>	/* E*, whichever linux/errno.h is in use */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <umm/cache.h>
#include <umm/phys.h>
#include <umm/physmem.h>

#define FIRMWARE_PAGES	256UL	/* the first MiB, as on a PC */
#define HOLE_PAGES	512UL	/* 2 MiB reserved inside bank 0 */
#define DEVICE_PAGES	1024UL	/* 4 MiB of MMIO-like memory */
#define ZERO_PFN	1UL	/* in the firmware range; not pfn 0 */
#define MB_PAGES(mb)	((unsigned long)(mb) << (20 - PAGE_SHIFT))
#define SECTION_BYTES	(UMM_SECTION_PAGES * sizeof(struct page))
#define MAX_RANGES	10

static_assert(SECTION_BYTES % PAGE_SIZE == 0,
	      "a section of struct pages must be whole host pages");

struct page *umm_mem_map;
unsigned long umm_max_pfn;
unsigned long umm_highmem_pfn = ULONG_MAX;
unsigned long umm_zero_pfn = ZERO_PFN;

/* All written once by umm_boot(), read-only after. */
static struct umm_config config;
static struct umm_phys_range layout[MAX_RANGES];	/* ends with end 0 */
static unsigned int nr_ranges;
static bool *section_present;
static bool booted;

/**
 * umm_config - the configuration umm_boot() ran with, defaults filled in
 *
 * Context: any, after umm_boot().
 */
const struct umm_config *umm_config(void)
{
	return &config;
}

/**
 * umm_set_kernel - follow @kernel's column of G from now on
 *
 * Context: tests, between operations: nothing else may be running.
 */
void umm_set_kernel(enum umm_kernel kernel)
{
	config.kernel = kernel;
}

/**
 * umm_phys_layout - the pfn ranges, in order, ending with an entry of end 0
 *
 * Context: any, after umm_boot().
 */
const struct umm_phys_range *umm_phys_layout(void)
{
	return layout;
}

/**
 * pfn_valid - does @pfn have a struct page?
 * @pfn: any pfn
 *
 * Per section, as with SPARSEMEM: true for RAM and reserved pfns, false
 * for the absent section, the device range and beyond.
 * Context: any.
 */
bool pfn_valid(unsigned long pfn)
{
	return pfn < umm_max_pfn &&
	       section_present[pfn >> UMM_SECTION_SHIFT];
}

/**
 * umm_pfn_kind - what the lab machine has at @pfn
 * @pfn: any pfn
 *
 * Context: any.
 */
enum umm_pfn_kind umm_pfn_kind(unsigned long pfn)
{
	unsigned int i;

	if (pfn >= umm_max_pfn)
		return UMM_PFN_BEYOND;
	for (i = 0; i < nr_ranges; i++)
		if (pfn >= layout[i].start && pfn < layout[i].end)
			return layout[i].kind;
	return UMM_PFN_ABSENT;
}

static void add_range(unsigned long start, unsigned long end,
		      enum umm_pfn_kind kind, const char *name)
{
	if (start == end)
		return;
	BUG_ON(nr_ranges >= MAX_RANGES - 1);
	layout[nr_ranges++] = (struct umm_phys_range){ start, end, kind, name };
}

static int plan_layout(void)
{
	unsigned long ram = MB_PAGES(config.ram_mb);
	unsigned long high = MB_PAGES(config.highmem_mb);
	unsigned long bank0, bank1, hole, pfn;

	if (ram % UMM_SECTION_PAGES || ram < 2 * UMM_SECTION_PAGES)
		return -EINVAL;
	bank0 = ALIGN_DOWN(ram / 2, UMM_SECTION_PAGES);
	bank1 = ram - bank0;
	if (high >= bank1)
		return -EINVAL;
	hole = ALIGN_DOWN(bank0 / 2, HOLE_PAGES);

	add_range(0, FIRMWARE_PAGES, UMM_PFN_RESERVED, "firmware");
	add_range(FIRMWARE_PAGES, hole, UMM_PFN_RAM, "bank 0");
	add_range(hole, hole + HOLE_PAGES, UMM_PFN_RESERVED, "bank 0 hole");
	add_range(hole + HOLE_PAGES, bank0, UMM_PFN_RAM, "bank 0");
	pfn = bank0 + UMM_SECTION_PAGES;
	add_range(bank0, pfn, UMM_PFN_ABSENT, "absent section");
	add_range(pfn, pfn + bank1 - high, UMM_PFN_RAM, "bank 1");
	add_range(pfn + bank1 - high, pfn + bank1, UMM_PFN_RAM,
		  "bank 1 HIGHMEM");
	pfn += bank1;
	add_range(pfn, pfn + DEVICE_PAGES, UMM_PFN_DEVICE, "device");
	umm_max_pfn = pfn + DEVICE_PAGES;
	umm_highmem_pfn = high ? pfn - high : umm_max_pfn;
	return 0;
}

static bool has_struct_pages(enum umm_pfn_kind kind)
{
	return kind == UMM_PFN_RAM || kind == UMM_PFN_RESERVED;
}

/* Map the struct pages; those of sections without memory PROT_NONE. */
static int mem_map_init(void)
{
	unsigned long nr = DIV_ROUND_UP(umm_max_pfn, UMM_SECTION_PAGES);
	unsigned long s, i;
	void *p;

	section_present = calloc(nr, sizeof(*section_present));
	if (!section_present)
		return -ENOMEM;
	for (i = 0; i < nr_ranges; i++)
		if (has_struct_pages(layout[i].kind))
			for (s = layout[i].start >> UMM_SECTION_SHIFT;
			     s < DIV_ROUND_UP(layout[i].end, UMM_SECTION_PAGES);
			     s++)
				section_present[s] = true;

	p = mmap(NULL, nr * SECTION_BYTES, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	umm_mem_map = p;
	for (s = 0; s < nr; s++)
		if (!section_present[s] &&
		    mprotect((char *)p + s * SECTION_BYTES, SECTION_BYTES,
			     PROT_NONE))
			return -errno;
	return 0;
}

static void init_struct_page(struct page *page, bool reserved)
{
	page->flags = reserved ? BIT(PG_reserved) : 0;
	atomic_set(&page->_refcount, reserved ? 1 : 0);
	atomic_set(&page->_mapcount, -1);
	INIT_LIST_HEAD(&page->lru);
}

/* RAM pages start free (refcount 0), reserved ones held (refcount 1). */
static void init_struct_pages(void)
{
	unsigned long pfn;
	unsigned int i;

	for (i = 0; i < nr_ranges; i++) {
		if (!has_struct_pages(layout[i].kind))
			continue;
		for (pfn = layout[i].start; pfn < layout[i].end; pfn++)
			init_struct_page(pfn_to_page(pfn),
					 layout[i].kind == UMM_PFN_RESERVED);
	}
	set_bit(PG_zero, &pfn_to_page(umm_zero_pfn)->flags);
}

/* Absent memory cannot be reached; the zero page cannot be written. */
static int protect_direct_map(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < nr_ranges; i++) {
		if (layout[i].kind != UMM_PFN_ABSENT)
			continue;
		err = umm_direct_map_protect(layout[i].start,
				layout[i].end - layout[i].start, PROT_NONE);
		if (err)
			return err;
	}
	return umm_direct_map_protect(umm_zero_pfn, 1, PROT_READ);
}

/**
 * umm_boot - build the lab machine's physical memory
 * @cfg: sizes and options; NULL for the defaults
 *
 * Plans the pfn space, makes the memfd and the direct map, the struct
 * pages, and gives the RAM to the buddy allocator, every free page
 * poisoned-or-pristine.  The zero page is zero-filled (a fresh memfd
 * is), PageReserved, with a reference that is never dropped.
 *
 * Context: once per process, before anything else of the mm.  Returns 0,
 * -EBUSY on a second call, -EINVAL for impossible sizes, or the errno of
 * a failed host call.
 */
int umm_boot(const struct umm_config *cfg)
{
	int err;

	if (booted)
		return -EBUSY;
	if (cfg)
		config = *cfg;
	if (!config.ram_mb)
		config.ram_mb = 256;
	err = plan_layout();
	if (!err)
		err = umm_direct_map_init(umm_max_pfn,
					  config.no_thp_direct_map);
	if (!err)
		err = mem_map_init();
	if (!err)
		err = protect_direct_map();
	if (!err)
		err = umm_page_poison_init(umm_max_pfn);
	if (err)
		return err;
	init_struct_pages();
	err = umm_page_alloc_init();
	if (!err) {
		booted = true;
		umm_cache_boot(config.cache_arch);
	}
	return err;
}
