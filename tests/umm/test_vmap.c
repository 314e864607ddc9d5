// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel mappings of pages are real aliases: a page written through its
 * direct-map address reads back through vmap, kmap_local and memremap,
 * and the other way round.  vmap makes scattered pages contiguous, with
 * a guard page; memremap picks the direct map for RAM only.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <umm/phys.h>
#include "tap.h"

#define NR	8

static DEFINE_SPINLOCK(test_lock);

static bool crashes_touching(void *addr)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		*(volatile char *)addr = 1;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

static bool in_direct_map(const void *p)
{
	return (const char *)p >= umm_direct_map &&
	       (const char *)p < (char *)umm_pfn_host(umm_max_pfn);
}

static unsigned long count(enum umm_report_kind kind)
{
	return umm_report_count(kind);
}

static unsigned long range_start(enum umm_pfn_kind kind, const char *name)
{
	const struct umm_phys_range *r;

	for (r = umm_phys_layout(); r->end; r++)
		if (r->kind == kind && (!name || !strcmp(r->name, name)))
			return r->start;
	BAIL_OUT("no such range");
}

static void test_aliases(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	long *direct = page_address(page), *v, *k, *m;

	direct[7] = 0x1234567;
	v = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	k = kmap_local_page(page);
	m = memremap(page_to_phys(page) + 8, 64, MEMREMAP_WB);
	ok(v && v != direct, "vmap gives a new address");
	is(v[7], 0x1234567, "a direct-map store reads back through vmap");
	is(k[7], 0x1234567, "and through kmap_local");
	ok(m == direct + 1, "memremap of RAM is its direct-map address");
	v[8] = 0xabcdef;
	is(direct[8], 0xabcdef, "a vmap store reads back directly");
	is(vmalloc_to_page(v + 8), page, "vmalloc_to_page");
	ok(is_vmalloc_addr(v) && !is_vmalloc_addr(direct), "is_vmalloc_addr");
	memunmap(m);
	kunmap_local(k);
	vunmap(v);
	ok(crashes_touching(v), "after vunmap the alias is gone");
	ok(!is_vmalloc_addr(v) && !vmalloc_to_page(v), "and forgotten");
	__free_page(page);
}

static void test_scattered(void)
{
	struct page *all[2 * NR], *pages[NR];
	unsigned int i;
	bool seen = true, back = true;
	char *v;

	for (i = 0; i < 2 * NR; i++)
		all[i] = alloc_page(GFP_KERNEL);
	for (i = 0; i < NR; i++)
		pages[i] = all[2 * (NR - i) - 1];	/* backwards, gapped */
	v = vmap(pages, NR, VM_MAP, PAGE_KERNEL);
	ok(v, "vmap of 8 scattered pages");
	for (i = 0; i < NR * PAGE_SIZE; i++)
		v[i] = i / PAGE_SIZE + 1;
	for (i = 0; i < NR; i++) {
		const char *d = page_address(pages[i]);

		seen &= d[0] == i + 1 && d[PAGE_SIZE - 1] == i + 1;
		back &= vmalloc_to_page(v + i * PAGE_SIZE + 5) == pages[i];
	}
	ok(seen, "one contiguous store lands in each page, in order");
	ok(back, "vmalloc_to_page finds each page");
	ok(crashes_touching(v + NR * PAGE_SIZE), "a guard page follows");
	vunmap(v);

	v = vmap(pages, NR, VM_MAP, PAGE_KERNEL_RO);
	is(v[3 * PAGE_SIZE], 4, "PAGE_KERNEL_RO maps for reading");
	ok(crashes_touching(v), "and not for writing");
	vunmap(v);
	for (i = 0; i < 2 * NR; i++)
		__free_page(all[i]);
}

static void test_memremap(void)
{
	unsigned long dev = range_start(UMM_PFN_DEVICE, NULL);
	unsigned long hole = range_start(UMM_PFN_RESERVED, "bank 0 hole");
	unsigned long absent = range_start(UMM_PFN_ABSENT, NULL);
	unsigned long warn = count(UMM_REPORT_WARN);
	int *m, *h;

	*(int *)umm_pfn_host(dev + 2) = 77;
	m = memremap(PFN_PHYS(dev + 2), 2 * PAGE_SIZE, MEMREMAP_WB);
	ok(m && (char *)m != (char *)umm_pfn_host(dev + 2),
	   "device memory: a new mapping");
	is(*m, 77, "of the same memory");
	m[PAGE_SIZE / sizeof(int)] = 78;
	is(*(int *)umm_pfn_host(dev + 3), 78, "both ways, on every page");
	h = memremap(PFN_PHYS(hole) + 4, 4, MEMREMAP_WB);
	ok(h && !in_direct_map(h), "a reserved hole: a new mapping");
	*h = 5;
	is(*(int *)((char *)umm_pfn_host(hole) + 4), 5, "an alias too");
	ok(!memremap(PFN_PHYS(absent), PAGE_SIZE, MEMREMAP_WB),
	   "absent memory: NULL");
	is(count(UMM_REPORT_WARN), warn, "quietly");
	umm_reports_expect(true);
	ok(!memremap(PFN_PHYS(hole - 1), 2 * PAGE_SIZE, MEMREMAP_WB),
	   "RAM and a hole together: NULL");
	ok(!memremap(PFN_PHYS(hole - 1), PAGE_SIZE, MEMREMAP_WC),
	   "RAM as write-combining: NULL");
	umm_reports_expect(false);
	is(count(UMM_REPORT_WARN), warn + 2, "both with a WARN");
	memunmap(h);
	memunmap(m);
	ok(crashes_touching(m), "memunmap removes the mapping");
}

static void test_might_sleep(void)
{
	unsigned long before = count(UMM_REPORT_SLEEP_IN_ATOMIC);
	struct page *page = alloc_page(GFP_KERNEL);
	void *v, *k;

	spin_lock(&test_lock);
	k = kmap_local_page(page);
	kunmap_local(k);
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), before,
	   "kmap_local_page under a spinlock is fine");
	umm_reports_expect(true);
	v = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	umm_reports_expect(false);
	spin_unlock(&test_lock);
	ok(count(UMM_REPORT_SLEEP_IN_ATOMIC) > before,
	   "vmap under a spinlock is reported");
	vunmap(v);
	__free_page(page);
}

int main(void)
{
	struct umm_config cfg = { .ram_mb = 64 };
	unsigned long free0;

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	free0 = umm_nr_free_pages();
	test_aliases();
	test_scattered();
	test_memremap();
	test_might_sleep();
	is(umm_nr_free_pages(), free0, "every page came back");
	return done_testing();
}
