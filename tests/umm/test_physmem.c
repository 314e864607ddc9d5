// SPDX-License-Identifier: GPL-2.0
/*
 * The lab machine's physical memory: the layout umm/phys.h promises,
 * pfn_valid() per section, the state of every kind of struct page, the
 * direct map as a real mapping of the memfd, and the crashes that absent
 * memory and the zero page must cause.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <asm/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <umm/phys.h>
#include "tap.h"

/* Run @fn in a child; true if the child died of SIGSEGV. */
static bool crashes(void (*fn)(unsigned long), unsigned long arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);	/* not a sanitizer's handler */
		fn(arg);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

static void touch_struct_page(unsigned long pfn)
{
	*(volatile unsigned long *)&pfn_to_page(pfn)->flags = 0;
}

static void touch_memory(unsigned long pfn)
{
	*(volatile char *)umm_pfn_host(pfn) = 1;
}

static void read_memory(unsigned long pfn)
{
	(void)*(volatile char *)umm_pfn_host(pfn);
}

static const struct umm_phys_range *find(enum umm_pfn_kind kind,
					 const char *name)
{
	const struct umm_phys_range *r;

	for (r = umm_phys_layout(); r->end; r++)
		if (r->kind == kind && (!name || !strcmp(r->name, name)))
			return r;
	BAIL_OUT("no %s range", name ? name : "such");
}

static void test_bad_config(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct umm_config odd = { .ram_mb = 40 };
		struct umm_config high = { .ram_mb = 64, .highmem_mb = 32 };

		_exit(umm_boot(&odd) == -EINVAL && umm_boot(&high) == -EINVAL);
	}
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 1,
	   "RAM not in whole sections, or HIGHMEM as large as bank 1: -EINVAL");
}

static void test_layout(void)
{
	const struct umm_phys_range *r = umm_phys_layout();
	unsigned long prev = 0, ram = 0, n = 0;
	bool contiguous = true;

	for (; r->end; r++, n++) {
		diag("%-16s [%#8lx, %#8lx) kind %d", r->name, r->start,
		     r->end, r->kind);
		contiguous &= r->start == prev && r->end > r->start;
		prev = r->end;
		if (r->kind == UMM_PFN_RAM)
			ram += r->end - r->start;
	}
	ok(contiguous && prev == umm_max_pfn,
	   "the ranges tile [0, umm_max_pfn) in order");
	is(n, 7, "firmware, bank 0, hole, bank 0, absent, bank 1, device");
	r = find(UMM_PFN_RESERVED, "firmware");
	ok(r->start == 0 && r->end == 256, "firmware is [0, 256)");
	r = find(UMM_PFN_RESERVED, "bank 0 hole");
	is(r->end - r->start, 512, "a 2 MiB reserved hole");
	r = find(UMM_PFN_ABSENT, NULL);
	ok(r->end - r->start == UMM_SECTION_PAGES &&
	   r->start % UMM_SECTION_PAGES == 0, "one whole absent section");
	r = find(UMM_PFN_DEVICE, NULL);
	ok(r->end - r->start == 1024 && r->start % UMM_SECTION_PAGES == 0,
	   "4 MiB of device memory at a section boundary");
	is(ram + 256 + 512, 256UL << (20 - PAGE_SHIFT),
	   "default 256 MiB of RAM, less the firmware MiB and the hole");
	is(umm_highmem_pfn, umm_max_pfn, "no HIGHMEM by default");
	is(umm_config()->ram_mb, 256, "umm_config says 256 MiB");
	is(umm_nr_free_pages(), ram, "all RAM starts free");
}

static void test_pfn_valid(void)
{
	const struct umm_phys_range *r;
	bool valid_ok = true, kind_ok = true;

	for (r = umm_phys_layout(); r->end; r++) {
		bool want = r->kind == UMM_PFN_RAM ||
			    r->kind == UMM_PFN_RESERVED;

		valid_ok &= pfn_valid(r->start) == want &&
			    pfn_valid(r->end - 1) == want;
		kind_ok &= umm_pfn_kind(r->start) == r->kind &&
			   umm_pfn_kind(r->end - 1) == r->kind;
	}
	ok(valid_ok, "pfn_valid: RAM and reserved yes, absent and device no");
	ok(kind_ok, "umm_pfn_kind agrees with the layout at every edge");
	ok(!pfn_valid(umm_max_pfn) && !pfn_valid(~0UL), "nothing beyond");
	is(umm_pfn_kind(umm_max_pfn), UMM_PFN_BEYOND, "UMM_PFN_BEYOND");
}

static void test_struct_pages(void)
{
	struct page *fw = pfn_to_page(0);
	struct page *hole = pfn_to_page(find(UMM_PFN_RESERVED,
					     "bank 0 hole")->start);
	struct page *ram = pfn_to_page(find(UMM_PFN_RAM, "bank 1")->start);
	struct page *zero = ZERO_PAGE(0);
	const char *z = page_address(zero);
	bool zeroes = true;
	unsigned long i;

	ok(PageReserved(fw) && page_count(fw) == 1 && !page_mapped(fw),
	   "firmware: reserved, refcount 1, unmapped");
	ok(PageReserved(hole) && page_count(hole) == 1, "hole: reserved");
	ok(!PageReserved(ram) && page_count(ram) == 0 && PageBuddy(ram) &&
	   page_mapcount(ram) == 0, "free RAM: refcount 0, PG_buddy");
	ok(PageReserved(zero) && test_bit(PG_zero, &zero->flags) &&
	   page_count(zero) == 1, "the zero page: reserved, PG_zero, held");
	ok(is_zero_pfn(page_to_pfn(zero)) &&
	   umm_pfn_kind(umm_zero_pfn) == UMM_PFN_RESERVED,
	   "the zero page is in the firmware range");
	for (i = 0; i < PAGE_SIZE; i++)
		zeroes &= !z[i];
	ok(zeroes, "and zero-filled");
}

static void test_direct_map(void)
{
	unsigned long dev = find(UMM_PFN_DEVICE, NULL)->start + 3;
	struct page *ram = pfn_to_page(find(UMM_PFN_RAM, "bank 1")->start);
	const char *backing = umm_direct_map_backing();
	char buf[8] = "";

	diag("direct map backing: %s", backing);
	ok(!strncmp(backing, "4k: ", 4) || !strncmp(backing, "thp: ", 5),
	   "the backing is 4k or thp, with a reason");
	ok(page_address(ram) == umm_pfn_host(page_to_pfn(ram)) &&
	   virt_to_page(page_address(ram)) == ram,
	   "page_address and virt_to_page are the direct map");
	strcpy(umm_pfn_host(dev), "memfd");
	ok(pread(umm_memfd(), buf, 6, dev << PAGE_SHIFT) == 6 &&
	   !strcmp(buf, "memfd"), "a device pfn is its memfd offset");
}

static void test_crashes(void)
{
	unsigned long absent = find(UMM_PFN_ABSENT, NULL)->start;
	unsigned long dev = find(UMM_PFN_DEVICE, NULL)->start;

	ok(crashes(touch_struct_page, absent + 100),
	   "touching a struct page of the absent section crashes");
	ok(crashes(touch_struct_page, dev), "so does one of a device pfn");
	ok(!crashes(touch_struct_page, absent - 1),
	   "the last struct page before it is fine");
	ok(crashes(read_memory, absent), "absent memory cannot be read");
	ok(crashes(touch_memory, umm_zero_pfn),
	   "the zero page cannot be written");
	ok(!crashes(read_memory, umm_zero_pfn), "but can be read");
}

int main(void)
{
	test_bad_config();
	if (umm_boot(NULL))
		BAIL_OUT("umm_boot");
	is(umm_boot(NULL), -EBUSY, "umm_boot runs once");
	test_layout();
	test_pfn_valid();
	test_struct_pages();
	test_direct_map();
	test_crashes();
	return done_testing();
}
