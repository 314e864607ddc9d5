/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: the lab's checkers report here.
 *
 * A check that fails (sleeping in atomic context, a lock not held, a page
 * used after its last put_page(), a WARN_ON()) prints one "BUG:" or
 * "WARNING:" line with the place and, by default, aborts the program: a
 * test that trips a checker fails.  A negative test that expects a report
 * calls umm_reports_expect(true); the reports are then only counted, and
 * the test asserts the count of the kind it provoked.
 */
#ifndef _UMM_REPORT_H
#define _UMM_REPORT_H

#include <linux/compiler.h>

enum umm_report_kind {
	UMM_REPORT_WARN,		/* WARN_ON() and friends */
	UMM_REPORT_BUG,			/* BUG_ON() */
	UMM_REPORT_SLEEP_IN_ATOMIC,	/* might_sleep() in atomic context */
	UMM_REPORT_LOCK_NOT_HELD,	/* lockdep_assert_held() failed */
	UMM_REPORT_LOCK_MISUSE,		/* unlock of a lock not held, recursion */
	UMM_REPORT_PAGE_USE_AFTER_FREE,	/* freed page referenced or written */
	UMM_REPORT_PAGE_REFCOUNT,	/* refcount underflow or overflow */
	UMM_REPORT_CACHE_STALE,		/* cache model: stale data read */
	UMM_REPORT_CACHE_DIRTY_ALIAS,	/* two dirty copies of one line */
	UMM_REPORT_CACHE_DISCARD,	/* dirty data dropped by invalidate */
	UMM_REPORT_CACHE_MISUSE,	/* a cache rule of the API broken */
	UMM_REPORT_NR
};

void umm_report(enum umm_report_kind kind, const char *file, int line,
		const char *fmt, ...) __printf(4, 5);
unsigned long umm_report_count(enum umm_report_kind kind);
void umm_reports_expect(bool expect);
void umm_reports_reset(void);
const char *umm_report_name(enum umm_report_kind kind);

#endif /* _UMM_REPORT_H */
