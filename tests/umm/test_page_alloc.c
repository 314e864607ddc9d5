// SPDX-License-Identifier: GPL-2.0
/*
 * The buddy allocator: split and merge, compound pages, poisoning and the
 * use-after-free write it catches, refcount misuse, the page lock and
 * dirtying.  Each check that exists to catch a bug has a test here that
 * fails if the check is removed.
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <umm/phys.h>
#include "tap.h"

#define MAX_PAGES	(64UL << (20 - PAGE_SHIFT))

static DEFINE_SPINLOCK(test_lock);
static struct page *held[MAX_PAGES];
static unsigned long free0;

static unsigned long count(enum umm_report_kind kind)
{
	return umm_report_count(kind);
}

/* How many blocks of @order can be had at once; all given back. */
static unsigned long drain(unsigned int order, bool check_ram)
{
	unsigned long n = 0, i;
	bool ram = true;

	while ((held[n] = alloc_pages(GFP_KERNEL, order)))
		n++;
	for (i = 0; i < n; i++) {
		ram &= umm_pfn_kind(page_to_pfn(held[i])) == UMM_PFN_RAM;
		__free_pages(held[i], order);
	}
	if (check_ram)
		ok(ram, "only RAM pfns are handed out");
	return n;
}

static void test_split_merge(void)
{
	unsigned long big = drain(MAX_ORDER, false), i, pfn;
	struct page *p[64];
	bool aligned = true;

	is(umm_nr_free_pages(), free0, "draining gives everything back");
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = alloc_pages(GFP_KERNEL, i % 5);
		pfn = page_to_pfn(p[i]);
		aligned &= !(pfn & ((1UL << (i % 5)) - 1)) &&
			   page_count(p[i]) == 1 && !PageBuddy(p[i]);
	}
	ok(aligned, "blocks of orders 0-4: aligned, refcount 1, not free");
	is(umm_nr_free_pages(), free0 - 13 * (1 + 2 + 4 + 8) - 12 * 16,
	   "the free count drops by what was taken");
	for (i = 0; i < ARRAY_SIZE(p); i++)
		__free_pages(p[i], i % 5);
	is(umm_nr_free_pages(), free0, "freeing restores the free count");
	is(drain(MAX_ORDER, false), big,
	   "and the buddies merged back into as many 4 MiB blocks");
	is(drain(0, true) , free0, "every free page can be allocated");
	ok(!alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER + 1),
	   "no block above MAX_ORDER");
}

static void test_flags(void)
{
	struct page *p = alloc_page(GFP_KERNEL | __GFP_ZERO);
	struct page *h = alloc_page(GFP_HIGHUSER);
	const unsigned char *c = page_address(p);
	bool zero = true;
	unsigned long i;

	for (i = 0; i < PAGE_SIZE; i++)
		zero &= !c[i];
	ok(zero, "__GFP_ZERO zeroes");
	ok(!PageHighMem(h) && page_address(h),
	   "__GFP_HIGHMEM without HIGHMEM: a direct-mapped page");
	__free_page(p);
	__free_page(h);
	ok(c[0] == 0x6b && c[PAGE_SIZE - 1] == 0x6b, "a freed page is poisoned");
}

static void test_compound(void)
{
	struct page *head = alloc_pages(GFP_TRANSHUGE, HPAGE_PMD_ORDER);
	struct page *tail = head + 17;
	bool tails = true;
	unsigned long i;

	for (i = 1; i < HPAGE_PMD_NR; i++)
		tails &= compound_head(head + i) == head && PageTail(head + i);
	ok(PageHead(head) && PageTransHuge(head) &&
	   compound_order(head) == HPAGE_PMD_ORDER, "a THP head");
	ok(tails, "every tail's compound_head is the head");
	is(page_count(tail), 1, "page_count of a tail is the head's");
	get_page(tail);
	is(page_ref_count(head), 2, "get_page on a tail takes the head");
	put_page(tail);
	is(umm_nr_free_pages(), free0 - HPAGE_PMD_NR, "still held once");
	put_page(tail);
	is(umm_nr_free_pages(), free0, "put_page of a tail frees the THP");
	ok(!PageHead(head) && !PageTail(tail) && PageBuddy(tail),
	   "and undoes the compound page");
	head = alloc_pages(GFP_KERNEL, 2);
	ok(!PageCompound(head), "no __GFP_COMP, no compound page");
	__free_pages(head, 2);
}

/* Allocate order-0 pages until @want comes back; free them all. */
static bool realloc_page(struct page *want)
{
	unsigned long n = 0, i;
	bool found = false;

	while (!found && (held[n] = alloc_page(GFP_KERNEL)))
		found = held[n++] == want;
	for (i = 0; i < n; i++)
		__free_page(held[i]);
	return found;
}

static void test_use_after_free(void)
{
	struct page *p = alloc_page(GFP_KERNEL);
	unsigned long before = count(UMM_REPORT_PAGE_USE_AFTER_FREE);
	char *va = page_address(p);

	va[0] = 1;
	__free_page(p);
	ok(realloc_page(p), "a freed page, untouched, reallocates quietly");

	p = alloc_page(GFP_KERNEL);
	va = page_address(p);
	__free_page(p);
	va[100] = 42;			/* the bug */
	umm_reports_expect(true);
	ok(realloc_page(p), "reallocating a page written after free");
	umm_reports_expect(false);
	is(count(UMM_REPORT_PAGE_USE_AFTER_FREE), before + 1,
	   "is reported once, at its allocation");
}

static void test_refcount(void)
{
	unsigned long before = count(UMM_REPORT_PAGE_REFCOUNT);
	struct page *p = alloc_page(GFP_KERNEL);
	struct page *zero = ZERO_PAGE(0);

	ok(get_page_unless_zero(p) && page_count(p) == 2,
	   "get_page_unless_zero on a held page");
	ok(try_get_page(p) && page_count(p) == 3, "try_get_page");
	put_page(p);
	put_page(p);
	put_page(p);
	is(page_count(p), 0, "the last put_page frees");
	ok(!get_page_unless_zero(p), "get_page_unless_zero on a free page");
	is(count(UMM_REPORT_PAGE_REFCOUNT), before, "all quiet so far");

	umm_reports_expect(true);
	put_page(p);
	is(count(UMM_REPORT_PAGE_REFCOUNT), before + 1,
	   "put_page below zero is reported");
	get_page(p);
	is(count(UMM_REPORT_PAGE_REFCOUNT), before + 2,
	   "get_page on a free page is reported");
	ok(!try_get_page(p), "try_get_page on a free page fails");
	is(count(UMM_REPORT_PAGE_REFCOUNT), before + 3, "and is reported");
	is(page_count(p), 0, "none of them changed the count");
	get_page(zero);
	put_page(zero);
	put_page(zero);
	is(count(UMM_REPORT_PAGE_REFCOUNT), before + 4,
	   "the last put of the zero page is reported");
	umm_reports_expect(false);
	ok(PageReserved(zero) && !PageBuddy(zero), "and it is not freed");
	atomic_set(&zero->_refcount, 1);
	is(umm_nr_free_pages(), free0, "no page lost or gained");
}

static void test_might_sleep(void)
{
	unsigned long before = count(UMM_REPORT_SLEEP_IN_ATOMIC);
	struct page *p;

	spin_lock(&test_lock);
	__free_page(alloc_page(GFP_ATOMIC));
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), before,
	   "GFP_ATOMIC under a spinlock is fine");
	umm_reports_expect(true);
	p = alloc_page(GFP_KERNEL);
	umm_reports_expect(false);
	spin_unlock(&test_lock);
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), before + 1,
	   "GFP_KERNEL under a spinlock is reported");
	__free_page(p);
}

static struct page *contended;
static int waiter_got;

static void *lock_waiter(void *arg)
{
	lock_page(contended);
	__atomic_store_n(&waiter_got, 1, __ATOMIC_SEQ_CST);
	unlock_page(contended);
	return NULL;
}

static void test_page_lock(void)
{
	struct page *thp = alloc_pages(GFP_TRANSHUGE, HPAGE_PMD_ORDER);
	struct task_struct *t = current;
	unsigned long misuse = count(UMM_REPORT_LOCK_MISUSE);
	unsigned long sleep = count(UMM_REPORT_SLEEP_IN_ATOMIC);
	pthread_t th;

	ok(trylock_page(thp + 5), "trylock_page");
	ok(PageLocked(thp) && !trylock_page(thp),
	   "locking a tail locks the head");
	ok(t->nr_held && !strcmp(t->held[t->nr_held - 1].map->name,
				 "page_lock"), "held as \"page_lock\"");
	contended = thp;
	pthread_create(&th, NULL, lock_waiter, NULL);
	usleep(20000);
	is(__atomic_load_n(&waiter_got, __ATOMIC_SEQ_CST), 0,
	   "lock_page waits for the holder");
	unlock_page(thp + 5);
	pthread_join(th, NULL);
	ok(waiter_got && !PageLocked(thp), "and gets it after unlock_page");
	is(t->nr_held, 0, "nothing left held");

	umm_reports_expect(true);
	unlock_page(thp);
	spin_lock(&test_lock);
	lock_page(thp);
	unlock_page(thp);
	set_page_dirty_lock(thp);
	spin_unlock(&test_lock);
	umm_reports_expect(false);
	is(count(UMM_REPORT_LOCK_MISUSE), misuse + 1,
	   "unlock_page of an unlocked page is reported");
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), sleep + 2,
	   "lock_page and set_page_dirty_lock under a spinlock are reported");

	ClearPageDirty(thp);
	ok(set_page_dirty(thp + 9) && PageDirty(thp), "set_page_dirty: new");
	ok(!set_page_dirty(thp), "then not new");
	ClearPageDirty(thp);
	ok(set_page_dirty_lock(thp + 1) && !PageLocked(thp),
	   "set_page_dirty_lock dirties and unlocks");
	ClearPageDirty(thp);
	put_page(thp);
}

static void *churn(void *arg)
{
	unsigned int i, j, order[16], seed = (unsigned long)arg;
	struct page *p[16];

	for (i = 0; i < 2000; i++) {
		for (j = 0; j < ARRAY_SIZE(p); j++) {
			order[j] = rand_r(&seed) % 4;
			p[j] = alloc_pages(GFP_KERNEL | (j & 1 ? __GFP_COMP : 0),
					   order[j]);
		}
		for (j = 0; j < ARRAY_SIZE(p); j++) {
			if (!p[j])
				continue;
			if (j & 1)
				put_page(p[j] + (1U << order[j]) - 1);
			else
				__free_pages(p[j], order[j]);
		}
	}
	return NULL;
}

static void test_threads(void)
{
	pthread_t th[4];
	unsigned long i;

	for (i = 0; i < ARRAY_SIZE(th); i++)
		pthread_create(&th[i], NULL, churn, (void *)(i + 1));
	for (i = 0; i < ARRAY_SIZE(th); i++)
		pthread_join(th[i], NULL);
	is(umm_nr_free_pages(), free0, "four threads churning lose nothing");
	is(drain(0, false), free0, "and the free lists are whole");
}

int main(void)
{
	struct umm_config cfg = { .ram_mb = 64 };

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	free0 = umm_nr_free_pages();
	test_split_merge();
	test_flags();
	test_compound();
	test_use_after_free();
	test_refcount();
	test_might_sleep();
	test_page_lock();
	test_threads();
	return done_testing();
}
