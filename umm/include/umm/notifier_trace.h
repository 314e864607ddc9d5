/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: a recorder of MMU-notifier deliveries, for tests that assert the
 * exact sequences of shared/research/G_notifier_events.md.
 *
 * An interval notifier whose invalidate() records {event, start, end,
 * blockable, owner, cur_seq} under a spinlock (after mmu_interval_set_seq()
 * under the same lock, so the recorder's subscription also works with
 * read_begin / read_retry under ->lock) and returns true; it never sleeps.
 * Optionally a classic notifier records where ->release falls, and the
 * test may insert phase marks.  umm_ntrace_format() prints the record in
 * G's notation: "CLEAR[4,5), RELEASE ALL, release, UNMAP ALL", pages
 * relative to a base address, " nb" after a non-blockable delivery, "|"
 * for a mark.
 */
#ifndef _UMM_NOTIFIER_TRACE_H
#define _UMM_NOTIFIER_TRACE_H

#include <linux/mmu_notifier.h>
#include <linux/spinlock.h>

enum umm_ntrace_kind {
	UMM_NTRACE_INVALIDATE,	/* an interval invalidate() */
	UMM_NTRACE_RELEASE,	/* the classic ->release */
	UMM_NTRACE_MARK,	/* umm_ntrace_mark() */
};

struct umm_ntrace_rec {
	enum umm_ntrace_kind kind;
	enum mmu_notifier_event event;
	unsigned long start, end;	/* the range as delivered */
	bool blockable;
	bool has_owner;
	unsigned long cur_seq;
};

struct umm_ntrace {
	struct mmu_interval_notifier sub;
	struct mmu_notifier release_mn;	/* if release_watched */
	bool release_watched;
	spinlock_t lock;
	struct umm_ntrace_rec *recs;	/* ->lock */
	unsigned int nr;		/* ->lock */
	unsigned int cap;
	unsigned long dropped;		/* ->lock: records past cap */
};

/* Insert the recorder over [start, start + length) of @mm. */
int umm_ntrace_start(struct umm_ntrace *t, struct mm_struct *mm,
		     unsigned long start, unsigned long length,
		     unsigned int cap);
/* Also record the classic ->release (registers a classic notifier). */
int umm_ntrace_watch_release(struct umm_ntrace *t);
/* Remove the notifiers and free the records.  May sleep. */
void umm_ntrace_stop(struct umm_ntrace *t);

void umm_ntrace_clear(struct umm_ntrace *t);
void umm_ntrace_mark(struct umm_ntrace *t);
/* Copy up to @max records into @out; returns how many were recorded. */
unsigned int umm_ntrace_copy(struct umm_ntrace *t, struct umm_ntrace_rec *out,
			     unsigned int max);
/* Print the records in G's notation, pages relative to @base. */
int umm_ntrace_format(struct umm_ntrace *t, unsigned long base, char *buf,
		      size_t len);
const char *umm_notifier_event_name(enum mmu_notifier_event event);

#endif /* _UMM_NOTIFIER_TRACE_H */
