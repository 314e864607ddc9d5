// SPDX-License-Identifier: GPL-2.0
/*
 * The two historical kvm_is_mmio_pfn() versions over every state a pfn can
 * be in: the table says where they agree, and each answer is asserted.
 * The only disagreement is Andrea Arcangeli's hypothetical of seed 004: a
 * driver marks only the head of a THP reserved, and a tail is asked.
 */
#include <string.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <umm/kvm_pfn.h>
#include <umm/phys.h>
#include "tap.h"

struct row {
	const char *state;
	unsigned long pfn;
	bool simple, thp;	/* the expected answers: true is MMIO */
};

static unsigned long range_start(enum umm_pfn_kind kind, const char *name)
{
	const struct umm_phys_range *r;

	for (r = umm_phys_layout(); r->end; r++)
		if (r->kind == kind && (!name || !strcmp(r->name, name)))
			return r->start;
	BAIL_OUT("no such range");
}

static void check(const struct row *r)
{
	bool simple = umm_kvm_is_mmio_pfn_simple(r->pfn);
	bool thp = umm_kvm_is_mmio_pfn_thp(r->pfn);
	char name[96];

	diag("%-28s pfn %#7lx  simple %-5s thp %-5s %s", r->state, r->pfn,
	     simple ? "mmio" : "ram", thp ? "mmio" : "ram",
	     simple == thp ? "agree" : "DIFFER");
	snprintf(name, sizeof(name), "%s: simple says %s", r->state,
		 r->simple ? "mmio" : "ram");
	ok(simple == r->simple, name);
	snprintf(name, sizeof(name), "%s: thp says %s", r->state,
		 r->thp ? "mmio" : "ram");
	ok(thp == r->thp, name);
}

static struct page *freed, *used, *thp, *drv;

static void table(void)
{
	const struct row rows[] = {
		{ "free RAM", page_to_pfn(freed), false, false },
		{ "allocated RAM", page_to_pfn(used), false, false },
		{ "reserved firmware", 0x10, true, true },
		{ "reserved hole",
		  range_start(UMM_PFN_RESERVED, "bank 0 hole") + 1, true, true },
		{ "zero page", umm_zero_pfn, true, true },
		{ "THP head", page_to_pfn(thp), false, false },
		{ "THP tail", page_to_pfn(thp) + 1, false, false },
		{ "reserved-head THP: head", page_to_pfn(drv), true, true },
		{ "reserved-head THP: tail", page_to_pfn(drv) + 7, false, true },
		{ "device", range_start(UMM_PFN_DEVICE, NULL), true, true },
		{ "absent", range_start(UMM_PFN_ABSENT, NULL) + 5, true, true },
		{ "beyond umm_max_pfn", umm_max_pfn + 1, true, true },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++)
		check(&rows[i]);
}

int main(void)
{
	struct umm_config cfg = { .ram_mb = 64 };

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	used = alloc_page(GFP_KERNEL);
	thp = alloc_pages(GFP_TRANSHUGE, HPAGE_PMD_ORDER);
	drv = alloc_pages(GFP_TRANSHUGE, HPAGE_PMD_ORDER);
	/* The last page of bank 0: free, since little is allocated. */
	freed = pfn_to_page(range_start(UMM_PFN_ABSENT, NULL) - 1);
	ok(PageBuddy(freed) && !page_count(freed), "a free page to ask about");
	/* A driver's THP with only its head marked reserved. */
	set_bit(PG_reserved, &drv->flags);
	table();
	clear_bit(PG_reserved, &drv->flags);
	ok(!umm_kvm_is_mmio_pfn_thp(page_to_pfn(drv) + 7),
	   "the tail follows its head's flag");
	put_page(drv);
	put_page(thp);
	put_page(used);
	return done_testing();
}
