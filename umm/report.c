// SPDX-License-Identifier: GPL-2.0
/* umm: where the lab's checkers report (see umm/report.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <umm/report.h>

static unsigned long report_counts[UMM_REPORT_NR];
static bool reports_expected;

static const char *const report_names[UMM_REPORT_NR] = {
	[UMM_REPORT_WARN]		= "WARNING",
	[UMM_REPORT_BUG]		= "BUG",
	[UMM_REPORT_SLEEP_IN_ATOMIC]	= "BUG: sleeping function called from invalid context",
	[UMM_REPORT_LOCK_NOT_HELD]	= "WARNING: lock not held",
	[UMM_REPORT_LOCK_MISUSE]	= "BUG: bad unlock or recursive locking",
	[UMM_REPORT_PAGE_USE_AFTER_FREE] = "BUG: page used after free",
	[UMM_REPORT_PAGE_REFCOUNT]	= "BUG: bad page refcount",
	[UMM_REPORT_CACHE_STALE]	= "BUG: stale cache line read",
	[UMM_REPORT_CACHE_DIRTY_ALIAS]	= "BUG: dirty cache lines in two colours",
	[UMM_REPORT_CACHE_DISCARD]	= "BUG: dirty cache line discarded",
	[UMM_REPORT_CACHE_MISUSE]	= "BUG: cache maintenance rule broken",
};

const char *umm_report_name(enum umm_report_kind kind)
{
	return report_names[kind];
}

void umm_report(enum umm_report_kind kind, const char *file, int line,
		const char *fmt, ...)
{
	va_list ap;

	__atomic_add_fetch(&report_counts[kind], 1, __ATOMIC_SEQ_CST);
	flockfile(stderr);
	fprintf(stderr, "%s%s at %s:%d [%s]: ",
		reports_expected ? "(expected) " : "",
		report_names[kind], file, line, current->comm);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
	if (!__atomic_load_n(&reports_expected, __ATOMIC_RELAXED))
		abort();
}

unsigned long umm_report_count(enum umm_report_kind kind)
{
	return __atomic_load_n(&report_counts[kind], __ATOMIC_SEQ_CST);
}

void umm_reports_expect(bool expect)
{
	__atomic_store_n(&reports_expected, expect, __ATOMIC_SEQ_CST);
}

void umm_reports_reset(void)
{
	int i;

	for (i = 0; i < UMM_REPORT_NR; i++)
		__atomic_store_n(&report_counts[i], 0, __ATOMIC_SEQ_CST);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stderr, fmt, ap);
	va_end(ap);
	return n;
}
