// SPDX-License-Identifier: GPL-2.0
/*
 * umm: the memory behind every pfn, and the direct map.
 *
 * All of the lab machine's memory is one memfd; pfn N is at offset
 * N << PAGE_SHIFT.  The direct map is that memfd mapped once, MAP_SHARED,
 * so every other mapping of the same offsets is a real alias.
 *
 * Backing: THP when the host's shmem_enabled allows it, 4 KiB otherwise.
 * A hugetlb memfd (MFD_HUGETLB) would give 2 MiB pages unconditionally,
 * but it is not usable: a hugetlbfs file can only be mapped in whole huge
 * pages at huge-page-aligned offsets, and the same memory must also be
 * mapped 4 KiB at a time elsewhere (vmap, kmap slots, memremap, and the
 * mirrors of user address spaces).  shmem THP can be mapped at any 4 KiB
 * granularity, and the host splits the PMD mapping where it must.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <asm/errno.h>	/* E*, whichever linux/errno.h is in use */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <umm/phys.h>
#include <umm/physmem.h>

#define SHMEM_THP_KNOB	"/sys/kernel/mm/transparent_hugepage/shmem_enabled"

char *umm_direct_map;
static size_t direct_map_size;
static int memfd = -1;
static char backing[160] = "none: umm_boot() has not run";

/**
 * umm_memfd - the memfd behind all of the lab machine's memory
 *
 * pfn N is at offset N << PAGE_SHIFT.  Context: any, after umm_boot().
 */
int umm_memfd(void)
{
	return memfd;
}

/**
 * umm_direct_map_backing - "thp: ..." or "4k: ...", with the reason
 *
 * Context: any.
 */
const char *umm_direct_map_backing(void)
{
	return backing;
}

/**
 * umm_in_direct_map - is @addr a direct-map address (of any pfn)?
 * @addr: any host address
 *
 * Context: any.
 */
bool umm_in_direct_map(const void *addr)
{
	const char *p = addr;

	return p >= umm_direct_map && p < umm_direct_map + direct_map_size;
}

/* The bracketed word of shmem_enabled ("[never]"), or false. */
static bool shmem_thp_mode(char *mode, size_t len)
{
	char buf[128], *open, *close;
	FILE *f = fopen(SHMEM_THP_KNOB, "r");
	bool found = false;

	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f)) {
		open = strchr(buf, '[');
		close = open ? strchr(open, ']') : NULL;
		if (close) {
			snprintf(mode, len, "%.*s", (int)(close - open - 1),
				 open + 1);
			found = true;
		}
	}
	fclose(f);
	return found;
}

static bool shmem_thp_allowed(const char *mode)
{
	static const char *const yes[] = {
		"always", "within_size", "advise", "force",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(yes); i++)
		if (!strcmp(mode, yes[i]))
			return true;
	return false;
}

static void choose_backing(bool no_thp)
{
	char mode[32];

	if (no_thp) {
		snprintf(backing, sizeof(backing),
			 "4k: no_thp_direct_map was asked for");
	} else if (!shmem_thp_mode(mode, sizeof(mode))) {
		snprintf(backing, sizeof(backing),
			 "4k: no shmem THP on this host (%s unreadable)",
			 SHMEM_THP_KNOB);
	} else if (!shmem_thp_allowed(mode)) {
		snprintf(backing, sizeof(backing),
			 "4k: shmem_enabled is [%s]", mode);
	} else if (madvise(umm_direct_map, direct_map_size, MADV_HUGEPAGE)) {
		snprintf(backing, sizeof(backing),
			 "4k: madvise(MADV_HUGEPAGE) failed: %s",
			 strerror(errno));
	} else if (madvise(umm_direct_map, direct_map_size,
			   MADV_POPULATE_WRITE)) {
		/*
		 * Populated now, through the direct map: a 2 MiB block
		 * first touched through a user window (no MADV_HUGEPAGE
		 * there) would get 4 KiB pages for good.
		 */
		snprintf(backing, sizeof(backing),
			 "4k: madvise(MADV_POPULATE_WRITE) failed: %s",
			 strerror(errno));
	} else {
		snprintf(backing, sizeof(backing),
			 "thp: shmem_enabled is [%s], MADV_HUGEPAGE on a 2 MiB-aligned direct map",
			 mode);
	}
}

/* A PMD-aligned range of host address space, PROT_NONE. */
static char *reserve_aligned(size_t size)
{
	char *base, *aligned;

	base = mmap(NULL, size + PMD_SIZE, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	aligned = (char *)ALIGN((unsigned long)base, PMD_SIZE);
	if (aligned > base)
		munmap(base, aligned - base);
	munmap(aligned + size, base + PMD_SIZE - aligned);
	return aligned;
}

/**
 * umm_direct_map_init - make the memfd and map it as the direct map
 * @nr_pages: pages of the pfn space, all of them backed by the memfd
 * @no_thp: map with 4 KiB pages even where the host allows THP
 *
 * Context: umm_boot(), once.  Returns 0 or a negative errno.
 */
int umm_direct_map_init(unsigned long nr_pages, bool no_thp)
{
	size_t size = nr_pages << PAGE_SHIFT;
	char *at;

	memfd = memfd_create("umm-phys", MFD_CLOEXEC);
	if (memfd < 0)
		return -errno;
	if (ftruncate(memfd, size))
		return -errno;
	at = reserve_aligned(size);
	if (!at)
		return -ENOMEM;
	if (mmap(at, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 memfd, 0) != at)
		return -errno;
	umm_direct_map = at;
	direct_map_size = size;
	choose_backing(no_thp);
	return 0;
}

/**
 * umm_direct_map_protect - change the direct map's protection of pfns
 * @pfn: first pfn
 * @nr: number of pages
 * @prot: PROT_* for that part of the direct map
 *
 * Absent memory is PROT_NONE there, the zero page PROT_READ.
 * Context: umm_boot().  Returns 0 or a negative errno.
 */
int umm_direct_map_protect(unsigned long pfn, unsigned long nr, int prot)
{
	if (mprotect(umm_pfn_host(pfn), nr << PAGE_SHIFT, prot))
		return -errno;
	return 0;
}
