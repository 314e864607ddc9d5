// SPDX-License-Identifier: GPL-2.0
/*
 * A lab machine with HIGHMEM: pages without a direct-map address, reached
 * through kmap_local slots and kmap; the nesting rule of kmap_local; and
 * the helpers that go through a temporary mapping.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>
#include <umm/phys.h>
#include "tap.h"

#define HIGH_MB		16

static struct page *held[64UL << (20 - PAGE_SHIFT)];

static unsigned long count(enum umm_report_kind kind)
{
	return umm_report_count(kind);
}

static bool in_direct_map(const void *p)
{
	return (const char *)p >= umm_direct_map &&
	       (const char *)p < (char *)umm_pfn_host(umm_max_pfn);
}

static struct page *high_page(void)
{
	struct page *p = alloc_page(GFP_HIGHUSER | __GFP_ZERO);

	if (!p || !PageHighMem(p))
		BAIL_OUT("no HIGHMEM page");
	return p;
}

static void test_zones(void)
{
	const struct umm_phys_range *r;
	unsigned long n = 0, i;
	bool low = true;

	for (r = umm_phys_layout(); r->end; r++)
		if (!strcmp(r->name, "bank 1 HIGHMEM"))
			break;
	ok(r->end && r->start == umm_highmem_pfn &&
	   r->end - r->start == HIGH_MB << (20 - PAGE_SHIFT),
	   "the top 16 MiB of bank 1 are HIGHMEM");
	while ((held[n] = alloc_page(GFP_KERNEL)))
		low &= !PageHighMem(held[n++]);
	ok(low, "GFP_KERNEL never gets a HIGHMEM page");
	is(umm_nr_free_pages(), HIGH_MB << (20 - PAGE_SHIFT),
	   "and leaves exactly HIGHMEM free");
	for (i = 0; i < n; i++)
		__free_page(held[i]);
}

static void test_kmap_local(void)
{
	struct page *a = high_page(), *b = high_page(), *c = high_page();
	unsigned long warn = count(UMM_REPORT_WARN);
	char buf[4] = "";
	int *pa, *pb, *pc;

	ok(!page_address(a), "a HIGHMEM page has no page_address");
	pa = kmap_local_page(a);
	pb = kmap_local_page(b);
	pc = kmap_local_page(c);
	ok(pa && pb && pc && !in_direct_map(pa) && pa != pb && pb != pc,
	   "kmap_local_page maps each into its own slot");
	*pa = 1;
	*pb = 2;
	*pc = 3;
	ok(*(int *)umm_pfn_host(page_to_pfn(a)) == 1 &&
	   *(int *)umm_pfn_host(page_to_pfn(c)) == 3, "real aliases");
	ok(pread(umm_memfd(), buf, 1, page_to_phys(b)) == 1 && buf[0] == 2,
	   "of the memfd");
	kunmap_local(pc);
	kunmap_local(pb + 5);
	kunmap_local(pa);
	is(count(UMM_REPORT_WARN), warn,
	   "LIFO unmapping, by any address in the page");
	is(current->kmap_nr, 0, "every slot free again");

	pa = kmap_local_page(a);
	pb = kmap_local_page(b);
	umm_reports_expect(true);
	kunmap_local(pa);
	umm_reports_expect(false);
	is(count(UMM_REPORT_WARN), warn + 1,
	   "unmapping out of order is reported");
	kunmap_local(pa);
	is(current->kmap_nr, 0, "and undid the innermost one, as Linux does");

	pa = kmap_local_page(ZERO_PAGE(0));
	pb = kmap_local_page(pfn_to_page(page_to_pfn(ZERO_PAGE(0)) + 1));
	umm_reports_expect(true);
	kunmap_local(pa);
	kunmap_local(pa);
	kunmap_local(pa);
	umm_reports_expect(false);
	is(count(UMM_REPORT_WARN), warn + 3,
	   "lowmem nesting is checked too, and an unmap with none left");
	put_page(a);
	put_page(b);
	put_page(c);
}

static struct page *victim;

/*
 * Runs in a forked child, which shares the memfd with the parent: it must
 * not allocate (it would write pages the parent thinks free and poisoned).
 */
static void touch_after_unmap(void)
{
	volatile int *p = kmap_local_page(victim);

	kunmap_local((void *)p);
	*p = 1;
}

static bool crashes(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		fn();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

static void test_slots(void)
{
	struct page *a = high_page();
	unsigned long bug = count(UMM_REPORT_BUG);
	void *p[UMM_KMAP_SLOTS];
	int i;

	victim = a;
	ok(crashes(touch_after_unmap), "a slot is unmapped by kunmap_local");
	for (i = 0; i < UMM_KMAP_SLOTS; i++)
		p[i] = kmap_local_page(a);
	umm_reports_expect(true);
	ok(!kmap_local_page(a), "no slot beyond UMM_KMAP_SLOTS");
	umm_reports_expect(false);
	is(count(UMM_REPORT_BUG), bug + 1, "and that is reported");
	for (i = UMM_KMAP_SLOTS - 1; i >= 0; i--)
		kunmap_local(p[i]);
	put_page(a);
}

static void *other_thread(void *arg)
{
	struct page *page = arg;
	int *p = kmap_local_page(page);
	long v = *p;

	kunmap_local(p);
	return (void *)v;
}

static void test_threads(void)
{
	struct page *a = high_page(), *b = high_page();
	pthread_t t;
	int *pa = kmap_local_page(a);
	void *ret;

	*pa = 11;
	*(int *)umm_pfn_host(page_to_pfn(b)) = 22;
	pthread_create(&t, NULL, other_thread, b);
	pthread_join(t, &ret);
	is((long)ret, 22, "another thread's slot 0 maps its own page");
	is(*pa, 11, "while ours still maps ours");
	kunmap_local(pa);
	put_page(a);
	put_page(b);
}

static void test_kmap_atomic(void)
{
	struct page *a = high_page();
	unsigned long sleep = count(UMM_REPORT_SLEEP_IN_ATOMIC);
	int *p = kmap_atomic(a);

	is(preempt_count(), 1, "kmap_atomic disables preemption");
	umm_reports_expect(true);
	might_sleep();
	umm_reports_expect(false);
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), sleep + 1,
	   "so sleeping under it is reported");
	*p = 9;
	kunmap_atomic(p);
	is(preempt_count(), 0, "kunmap_atomic enables it");
	put_page(a);
}

static void test_kmap(void)
{
	struct page *a = high_page();
	unsigned long warn = count(UMM_REPORT_WARN);
	int *p = kmap(a), *q = kmap(a);

	ok(p && p == q && !in_direct_map(p), "kmap: one persistent mapping");
	*p = 3;
	is(*(int *)umm_pfn_host(page_to_pfn(a)), 3, "an alias");
	kunmap(a);
	is(*q, 3, "still mapped after one of two kunmaps");
	kunmap(a);
	umm_reports_expect(true);
	kunmap(a);
	umm_reports_expect(false);
	is(count(UMM_REPORT_WARN), warn + 1, "kunmap of a page not kmapped");
	put_page(a);
}

static void test_helpers(void)
{
	struct page *h = high_page(), *l = alloc_page(GFP_KERNEL);
	char buf[16] = "", *v;
	struct page *both[2] = { h, l };

	memcpy_to_page(h, 100, "highmem", 8);
	memcpy_from_page(buf, h, 100, 8);
	ok(!strcmp(buf, "highmem"), "memcpy_to_page / memcpy_from_page");
	copy_highpage(l, h);
	ok(!strcmp((char *)page_address(l) + 100, "highmem"),
	   "copy_highpage to lowmem");
	memzero_page(h, 100, 4);
	memcpy_from_page(buf, h, 100, 8);
	ok(!buf[0] && !strcmp(buf + 4, "mem"), "memzero_page");
	v = vmap(both, 2, VM_MAP, PAGE_KERNEL);
	ok(v && !strcmp(v + PAGE_SIZE + 100, "highmem"),
	   "vmap of a HIGHMEM and a lowmem page");
	clear_highpage(h);
	ok(!v[104], "clear_highpage, seen through vmap");
	vunmap(v);
	v = memremap(page_to_phys(h), PAGE_SIZE, MEMREMAP_WB);
	ok(v && !in_direct_map(v), "memremap of HIGHMEM RAM: a new mapping");
	v[0] = 'x';
	memcpy_from_page(buf, h, 0, 1);
	is(buf[0], 'x', "of the same page");
	memunmap(v);
	put_page(h);
	put_page(l);
}

int main(void)
{
	struct umm_config cfg = { .ram_mb = 64, .highmem_mb = HIGH_MB };
	unsigned long free0;

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	free0 = umm_nr_free_pages();
	test_zones();
	test_kmap_local();
	test_slots();
	test_threads();
	test_kmap_atomic();
	test_kmap();
	test_helpers();
	is(umm_nr_free_pages(), free0, "every page came back");
	return done_testing();
}
