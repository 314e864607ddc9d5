// SPDX-License-Identifier: GPL-2.0
/* umm: the MMU-notifier delivery recorder (see umm/notifier_trace.h). */
#include <stdio.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <umm/notifier_trace.h>

static const char *const event_names[] = {
	[MMU_NOTIFY_UNMAP]		= "UNMAP",
	[MMU_NOTIFY_CLEAR]		= "CLEAR",
	[MMU_NOTIFY_PROTECTION_VMA]	= "PROT_VMA",
	[MMU_NOTIFY_PROTECTION_PAGE]	= "PROT_PAGE",
	[MMU_NOTIFY_SOFT_DIRTY]		= "SOFT_DIRTY",
	[MMU_NOTIFY_RELEASE]		= "RELEASE",
	[MMU_NOTIFY_MIGRATE]		= "MIGRATE",
	[MMU_NOTIFY_EXCLUSIVE]		= "EXCLUSIVE",
};

/**
 * umm_notifier_event_name - G's short name of an event ("PROT_VMA")
 * @event: the event
 *
 * Context: any.
 */
const char *umm_notifier_event_name(enum mmu_notifier_event event)
{
	if ((unsigned int)event >= ARRAY_SIZE(event_names))
		return "?";
	return event_names[event];
}

static void ntrace_append(struct umm_ntrace *t,
			  const struct umm_ntrace_rec *rec)
{
	lockdep_assert_held(&t->lock);
	if (t->nr == t->cap) {
		t->dropped++;
		return;
	}
	t->recs[t->nr++] = *rec;
}

static bool ntrace_invalidate(struct mmu_interval_notifier *sub,
			      const struct mmu_notifier_range *range,
			      unsigned long cur_seq)
{
	struct umm_ntrace *t = container_of(sub, struct umm_ntrace, sub);
	struct umm_ntrace_rec rec = {
		.kind = UMM_NTRACE_INVALIDATE,
		.event = range->event,
		.start = range->start,
		.end = range->end,
		.blockable = mmu_notifier_range_blockable(range),
		.has_owner = range->owner != NULL,
		.cur_seq = cur_seq,
	};

	spin_lock(&t->lock);
	mmu_interval_set_seq(sub, cur_seq);
	ntrace_append(t, &rec);
	spin_unlock(&t->lock);
	return true;
}

static const struct mmu_interval_notifier_ops ntrace_ops = {
	.invalidate = ntrace_invalidate,
};

static void ntrace_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct umm_ntrace *t = container_of(mn, struct umm_ntrace, release_mn);
	struct umm_ntrace_rec rec = { .kind = UMM_NTRACE_RELEASE };

	spin_lock(&t->lock);
	ntrace_append(t, &rec);
	spin_unlock(&t->lock);
}

static const struct mmu_notifier_ops ntrace_release_ops = {
	.release = ntrace_release,
};

/**
 * umm_ntrace_start - record the invalidations of an interval
 * @t: the recorder, uninitialised
 * @mm: the mm; the caller holds an mmget()
 * @start: first byte of the interval
 * @length: its length
 * @cap: how many records to keep; later ones are counted in ->dropped
 *
 * Context: process context, may sleep; not holding mmap_lock.
 * Return: 0 or a negative errno.
 */
int umm_ntrace_start(struct umm_ntrace *t, struct mm_struct *mm,
		     unsigned long start, unsigned long length,
		     unsigned int cap)
{
	int ret;

	memset(t, 0, sizeof(*t));
	spin_lock_init(&t->lock);
	t->cap = cap;
	t->recs = kcalloc(cap, sizeof(*t->recs), GFP_KERNEL);
	if (!t->recs)
		return -ENOMEM;
	ret = mmu_interval_notifier_insert(&t->sub, mm, start, length,
					   &ntrace_ops);
	if (ret)
		kfree(t->recs);
	return ret;
}

/**
 * umm_ntrace_watch_release - record the classic ->release as well
 * @t: a started recorder
 *
 * Context: process context, may sleep; not holding mmap_lock.
 * Return: 0 or a negative errno.
 */
int umm_ntrace_watch_release(struct umm_ntrace *t)
{
	int ret;

	t->release_mn.ops = &ntrace_release_ops;
	ret = mmu_notifier_register(&t->release_mn, t->sub.mm);
	if (!ret)
		t->release_watched = true;
	return ret;
}

/**
 * umm_ntrace_stop - remove the recorder's notifiers and free its records
 * @t: a started recorder
 *
 * Context: process context, may sleep.
 */
void umm_ntrace_stop(struct umm_ntrace *t)
{
	if (t->release_watched)
		mmu_notifier_unregister(&t->release_mn, t->sub.mm);
	t->release_watched = false;
	mmu_interval_notifier_remove(&t->sub);
	kfree(t->recs);
	t->recs = NULL;
}

/* Forget the records so far.  Context: any but the recorder's lock. */
void umm_ntrace_clear(struct umm_ntrace *t)
{
	spin_lock(&t->lock);
	t->nr = 0;
	t->dropped = 0;
	spin_unlock(&t->lock);
}

/* Separate two phases of an operation.  Context: as umm_ntrace_clear(). */
void umm_ntrace_mark(struct umm_ntrace *t)
{
	struct umm_ntrace_rec rec = { .kind = UMM_NTRACE_MARK };

	spin_lock(&t->lock);
	ntrace_append(t, &rec);
	spin_unlock(&t->lock);
}

/**
 * umm_ntrace_copy - snapshot the records
 * @t: the recorder
 * @out: where to copy
 * @max: room in @out
 *
 * Context: as umm_ntrace_clear().
 * Return: the number recorded (may exceed @max: only @max are copied).
 */
unsigned int umm_ntrace_copy(struct umm_ntrace *t, struct umm_ntrace_rec *out,
			     unsigned int max)
{
	unsigned int nr;

	spin_lock(&t->lock);
	nr = t->nr;
	memcpy(out, t->recs, min(nr, max) * sizeof(*out));
	spin_unlock(&t->lock);
	return nr;
}

/* One address as a page number relative to @base, or absolute hex. */
static int ntrace_addr(char *buf, size_t len, unsigned long addr,
		       unsigned long base)
{
	if (!IS_ALIGNED(addr, PAGE_SIZE) || !IS_ALIGNED(base, PAGE_SIZE))
		return snprintf(buf, len, "%#lx", addr);
	return snprintf(buf, len, "%ld",
			((long)(addr - base)) / (long)PAGE_SIZE);
}

static int ntrace_format_rec(char *buf, size_t len,
			     const struct umm_ntrace_rec *rec,
			     unsigned long base)
{
	int n;

	if (rec->kind == UMM_NTRACE_RELEASE)
		return snprintf(buf, len, "release");
	if (rec->kind == UMM_NTRACE_MARK)
		return snprintf(buf, len, "|");
	n = snprintf(buf, len, "%s", umm_notifier_event_name(rec->event));
	if (rec->start == 0 && rec->end == ULONG_MAX) {
		n += snprintf(buf + n, len > n ? len - n : 0, " ALL");
	} else {
		n += snprintf(buf + n, len > n ? len - n : 0, "[");
		n += ntrace_addr(buf + n, len > n ? len - n : 0, rec->start,
				 base);
		n += snprintf(buf + n, len > n ? len - n : 0, ",");
		n += ntrace_addr(buf + n, len > n ? len - n : 0, rec->end,
				 base);
		n += snprintf(buf + n, len > n ? len - n : 0, ")");
	}
	if (!rec->blockable)
		n += snprintf(buf + n, len > n ? len - n : 0, " nb");
	if (rec->has_owner)
		n += snprintf(buf + n, len > n ? len - n : 0, " owner");
	return n;
}

/**
 * umm_ntrace_format - the records in G's notation
 * @t: the recorder
 * @base: the address of page 0
 * @buf: output, always NUL-terminated if @len > 0
 * @len: its size
 *
 * Records are separated by ", ", a mark by " | "; "-" if there are none.
 *
 * Context: process context (allocates).
 * Return: the length the whole text needs, as snprintf().
 */
int umm_ntrace_format(struct umm_ntrace *t, unsigned long base, char *buf,
		      size_t len)
{
	struct umm_ntrace_rec *recs;
	unsigned int nr, i;
	int n = 0;

	recs = kcalloc(t->cap ? t->cap : 1, sizeof(*recs), GFP_KERNEL);
	if (!recs)
		return -ENOMEM;
	nr = min(umm_ntrace_copy(t, recs, t->cap), t->cap);
	if (len)
		buf[0] = 0;
	if (!nr)
		n = snprintf(buf, len, "-");
	for (i = 0; i < nr; i++) {
		bool mark = recs[i].kind == UMM_NTRACE_MARK;
		bool after_mark = i && recs[i - 1].kind == UMM_NTRACE_MARK;

		if (i)
			n += snprintf(buf + n, len > n ? len - n : 0, "%s",
				      mark || after_mark ? " " : ", ");
		n += ntrace_format_rec(buf + n, len > n ? len - n : 0,
				       &recs[i], base);
	}
	kfree(recs);
	return n;
}
