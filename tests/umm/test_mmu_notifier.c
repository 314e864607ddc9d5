// SPDX-License-Identifier: GPL-2.0
/*
 * MMU notifiers: delivery (overlap, unclipped ranges, events, flags),
 * classic start/end pairing, the interval read_begin / read_retry
 * protocol and its sleeps, nesting, the non-blockable path, -EAGAIN,
 * release at exit, deferred insert and remove, and a concurrent reader
 * against a looping invalidator.
 *
 * There are no page tables yet: each test announces invalidations itself,
 * as an mm operation would (notifier_mm.h).
 */
#include <string.h>
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <umm/notifier_trace.h>
#include "notifier_mm.h"
#include "tap.h"

#define P		PAGE_SIZE
#define BASE		0x100000UL	/* page 0 of the test region */
#define PG(n)		(BASE + (long)(n) * (long)P)

static unsigned long count(enum umm_report_kind kind)
{
	return umm_report_count(kind);
}

/* The recorder over pages [1, 15) of a 16-page region, as in G. */
static void trace_start(struct umm_ntrace *t, struct mm_struct *mm)
{
	if (umm_ntrace_start(t, mm, PG(1), 14 * P, 256))
		BAIL_OUT("umm_ntrace_start");
}

static const char *trace_str(struct umm_ntrace *t)
{
	static char buf[1024];

	umm_ntrace_format(t, BASE, buf, sizeof(buf));
	return buf;
}

#define is_trace(t, want, name)						\
do {									\
	const char *__got = trace_str(t);				\
	if (!ok(!strcmp(__got, want), name))				\
		diag("got \"%s\", want \"%s\"", __got, want);		\
} while (0)

/* ---- a counting interval notifier with a user lock ---- */

struct counter {
	struct mmu_interval_notifier sub;
	struct mutex lock;		/* the "user lock" */
	int calls;			/* ->lock */
	unsigned long last_seq;		/* ->lock */
	bool fail_nonblock;		/* return false if not blockable */
	bool fail_always;
	bool sleep;			/* take a mutex, even if not blockable */
	int *gate;			/* if set, wait until *gate != 0 */
	int entered;			/* atomic */
};

static DEFINE_MUTEX(sleep_mutex);

static bool counter_invalidate(struct mmu_interval_notifier *sub,
			       const struct mmu_notifier_range *range,
			       unsigned long cur_seq)
{
	struct counter *c = container_of(sub, struct counter, sub);

	__atomic_store_n(&c->entered, 1, __ATOMIC_RELEASE);
	if (c->gate)
		while (!__atomic_load_n(c->gate, __ATOMIC_ACQUIRE))
			test_msleep(1);
	if (c->fail_always ||
	    (c->fail_nonblock && !mmu_notifier_range_blockable(range)))
		return false;
	if (c->sleep) {
		mutex_lock(&sleep_mutex);
		mutex_unlock(&sleep_mutex);
	}
	if (mmu_notifier_range_blockable(range))
		mutex_lock(&c->lock);
	else if (!mutex_trylock(&c->lock))
		return false;
	mmu_interval_set_seq(sub, cur_seq);
	c->calls++;
	c->last_seq = cur_seq;
	mutex_unlock(&c->lock);
	return true;
}

static const struct mmu_interval_notifier_ops counter_ops = {
	.invalidate = counter_invalidate,
};

static void counter_insert(struct counter *c, struct mm_struct *mm,
			   unsigned long start, unsigned long len)
{
	memset(c, 0, sizeof(*c));
	mutex_init(&c->lock);
	if (mmu_interval_notifier_insert(&c->sub, mm, start, len, &counter_ops))
		BAIL_OUT("mmu_interval_notifier_insert");
}

static int counter_calls(struct counter *c)
{
	int n;

	mutex_lock(&c->lock);
	n = c->calls;
	mutex_unlock(&c->lock);
	return n;
}

static bool counter_retry(struct counter *c, unsigned long seq)
{
	bool retry;

	mutex_lock(&c->lock);
	retry = mmu_interval_read_retry(&c->sub, seq);
	mutex_unlock(&c->lock);
	return retry;
}

/* ---- delivery ---- */

static void test_overlap(void)
{
	struct mm_struct *mm = test_mm_create();
	struct umm_ntrace_rec recs[8];
	struct umm_ntrace t;

	trace_start(&t, mm);
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(0), PG(1));
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(15), PG(16));
	is_trace(&t, "-", "ranges touching the interval's ends are not delivered");

	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(0), PG(16));
	test_invalidate(mm, MMU_NOTIFY_UNMAP, PG(-1), PG(17));
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(4), PG(5));
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(1), PG(2));
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(14), PG(15));
	test_invalidate(mm, MMU_NOTIFY_SOFT_DIRTY, 0, ULONG_MAX);
	is_trace(&t, "CLEAR[0,16), UNMAP[-1,17), CLEAR[4,5), CLEAR[1,2), "
		 "CLEAR[14,15), SOFT_DIRTY ALL",
		 "overlapping ranges are delivered once each, unclipped");

	umm_ntrace_clear(&t);
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(1) - 1, PG(1));
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(15), PG(15) + 1);
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(4), PG(4));
	is(umm_ntrace_copy(&t, recs, 8), 0,
	   "byte-exact: the byte before, the byte after, an empty range: none");
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(1) - 1, PG(1) + 1);
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(15) - 1, PG(15));
	is(umm_ntrace_copy(&t, recs, 8), 2,
	   "byte-exact: ranges holding the first or the last byte: delivered");
	ok(recs[0].start == PG(1) - 1 && recs[0].end == PG(1) + 1 &&
	   recs[1].start == PG(15) - 1 && recs[1].end == PG(15),
	   "and their bounds are the caller's, to the byte");

	umm_ntrace_stop(&t);
	is(test_mm_destroy(mm), 1, "the recorder dropped its mm reference");
}

static void test_event_and_flags(void)
{
	struct mm_struct *mm = test_mm_create();
	struct mmu_notifier_range range;
	struct umm_ntrace t;
	int owner, ev, ret;

	trace_start(&t, mm);
	for (ev = MMU_NOTIFY_UNMAP; ev <= MMU_NOTIFY_EXCLUSIVE; ev++)
		test_invalidate(mm, ev, PG(4), PG(5));
	is_trace(&t, "UNMAP[4,5), CLEAR[4,5), PROT_VMA[4,5), PROT_PAGE[4,5), "
		 "SOFT_DIRTY[4,5), RELEASE[4,5), MIGRATE[4,5), EXCLUSIVE[4,5)",
		 "every event is delivered as given, blockable, owner NULL");

	umm_ntrace_clear(&t);
	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, PG(0), PG(16));
	mmu_notifier_invalidate_range_start(&range);
	ok(mmu_notifier_range_blockable(&range),
	   "range_start sets BLOCKABLE itself (flags were 0)");
	mmu_notifier_invalidate_range_end(&range);

	mmu_notifier_range_init(&range, MMU_NOTIFY_UNMAP,
				MMU_NOTIFIER_RANGE_BLOCKABLE, mm, PG(0), PG(16));
	ret = mmu_notifier_invalidate_range_start_nonblock(&range);
	is(ret, 0, "start_nonblock succeeds when every callback does");
	ok(!mmu_notifier_range_blockable(&range), "and clears BLOCKABLE");
	mmu_notifier_invalidate_range_end(&range);

	mmu_notifier_range_init_owner(&range, MMU_NOTIFY_MIGRATE, 0, mm,
				      PG(2), PG(3), &owner);
	mmu_notifier_invalidate_range_start(&range);
	mmu_notifier_invalidate_range_end(&range);
	is_trace(&t, "CLEAR[0,16), UNMAP[0,16) nb, MIGRATE[2,3) owner",
		 "blockable, non-blockable and owner are delivered");

	umm_ntrace_clear(&t);
	umm_ntrace_mark(&t);
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(4), PG(5));
	umm_ntrace_mark(&t);
	is_trace(&t, "| CLEAR[4,5) |", "marks separate phases");

	umm_ntrace_stop(&t);
	test_mm_destroy(mm);
}

/* ---- classic notifiers ---- */

static char classic_log[512];

struct classic {
	struct mmu_notifier mn;
	char name;
	const struct mmu_notifier_range *seen;	/* last range pointer */
	int starts, ends, releases;
	int start_ret;			/* returned when not blockable */
	int *gate;			/* start waits until *gate != 0 */
	int entered;			/* atomic */
	bool sleep;
};

static void classic_log_add(const char *what, struct classic *c)
{
	char tok[8];

	snprintf(tok, sizeof(tok), "%s%s%c", classic_log[0] ? " " : "", what,
		 c->name);
	strncat(classic_log, tok, sizeof(classic_log) - strlen(classic_log) - 1);
}

static int classic_start(struct mmu_notifier *mn,
			 const struct mmu_notifier_range *range)
{
	struct classic *c = container_of(mn, struct classic, mn);

	__atomic_store_n(&c->entered, 1, __ATOMIC_RELEASE);
	if (c->gate)
		while (!__atomic_load_n(c->gate, __ATOMIC_ACQUIRE))
			test_msleep(1);
	if (c->sleep) {
		mutex_lock(&sleep_mutex);
		mutex_unlock(&sleep_mutex);
	}
	if (!c->gate)
		classic_log_add("s", c);
	c->seen = range;
	c->starts++;
	return mmu_notifier_range_blockable(range) ? 0 : c->start_ret;
}

static void classic_end(struct mmu_notifier *mn,
			const struct mmu_notifier_range *range)
{
	struct classic *c = container_of(mn, struct classic, mn);

	classic_log_add("e", c);
	c->ends++;
}

static void classic_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct classic *c = container_of(mn, struct classic, mn);

	classic_log_add("r", c);
	c->releases++;
}

static const struct mmu_notifier_ops classic_ops = {
	.release = classic_release,
	.invalidate_range_start = classic_start,
	.invalidate_range_end = classic_end,
};

/* May fail a non-blockable start, so it has no end (Linux's rule). */
static const struct mmu_notifier_ops classic_start_only_ops = {
	.invalidate_range_start = classic_start,
};

static void classic_register(struct classic *c, char name,
			     const struct mmu_notifier_ops *ops,
			     struct mm_struct *mm)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->mn.ops = ops;
	if (mmu_notifier_register(&c->mn, mm))
		BAIL_OUT("mmu_notifier_register");
}

static bool interval_log(struct mmu_interval_notifier *sub,
			 const struct mmu_notifier_range *range,
			 unsigned long cur_seq)
{
	strcat(classic_log, classic_log[0] ? " I" : "I");
	return true;
}

static const struct mmu_interval_notifier_ops interval_log_ops = {
	.invalidate = interval_log,
};

static void test_classic(void)
{
	struct mm_struct *mm = test_mm_create();
	struct mmu_interval_notifier isub;
	struct mmu_notifier_range range;
	struct classic a, b, c;

	classic_register(&a, 'A', &classic_ops, mm);
	classic_register(&b, 'B', &classic_ops, mm);
	if (mmu_interval_notifier_insert(&isub, mm, PG(0), 16 * P,
					 &interval_log_ops))
		BAIL_OUT("insert");
	is(atomic_read(&mm->mm_count), 4, "each notifier holds an mmgrab()");

	classic_log[0] = 0;
	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, PG(-3), PG(40));
	mmu_notifier_invalidate_range_start(&range);
	is(strcmp(classic_log, "I sB sA"), 0,
	   "start: interval notifiers, then classic ones, newest first");
	ok(a.seen == &range && b.seen == &range &&
	   range.start == PG(-3) && range.end == PG(40),
	   "classic callbacks get the caller's range");
	classic_register(&c, 'C', &classic_ops, mm);
	mmu_notifier_invalidate_range_end(&range);
	is(strcmp(classic_log, "I sB sA eB eA"), 0,
	   "end: each started notifier once, in the same order; one "
	   "registered meanwhile gets no lone end");
	if (strcmp(classic_log, "I sB sA eB eA"))
		diag("log: %s", classic_log);

	classic_log[0] = 0;
	test_invalidate(mm, MMU_NOTIFY_UNMAP, PG(100), PG(101));
	is(strcmp(classic_log, "sC sB sA eC eB eA"), 0,
	   "classic notifiers see every range; the interval one only its own");
	if (strcmp(classic_log, "sC sB sA eC eB eA"))
		diag("log: %s", classic_log);

	classic_log[0] = 0;
	mmu_notifier_unregister(&b.mn, mm);
	test_invalidate(mm, MMU_NOTIFY_UNMAP, PG(100), PG(101));
	is(strcmp(classic_log, "rB sC sA eC eA"), 0,
	   "unregister calls ->release; the notifier is not called again");

	mmu_notifier_unregister(&a.mn, mm);
	mmu_notifier_unregister(&c.mn, mm);
	mmu_interval_notifier_remove(&isub);
	is(test_mm_destroy(mm), 1, "every mmgrab() was dropped");
}

struct unreg_arg {
	struct mm_struct *mm;
	struct classic *c;
};

static void do_invalidate(void *arg)
{
	test_invalidate(arg, MMU_NOTIFY_CLEAR, PG(4), PG(5));
}

static void do_invalidate_page0(void *arg)
{
	test_invalidate(arg, MMU_NOTIFY_CLEAR, PG(0), PG(1));
}

static void do_unregister(void *arg)
{
	struct unreg_arg *u = arg;

	mmu_notifier_unregister(&u->c->mn, u->mm);
}

static void test_unregister_waits(void)
{
	struct mm_struct *mm = test_mm_create();
	struct test_thread inv, unreg;
	struct unreg_arg u;
	struct classic c;
	int gate = 0;

	classic_register(&c, 'G', &classic_start_only_ops, mm);
	c.gate = &gate;
	test_thread_start(&inv, do_invalidate, mm);
	while (!__atomic_load_n(&c.entered, __ATOMIC_ACQUIRE))
		test_msleep(1);
	u.mm = mm;
	u.c = &c;
	test_thread_start(&unreg, do_unregister, &u);
	test_msleep(100);
	ok(!test_thread_done(&unreg),
	   "unregister waits while a callback of the notifier runs");
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	ok(test_thread_join_within(&unreg, 5000) &&
	   test_thread_join_within(&inv, 5000),
	   "and returns once it has returned");
	c.gate = NULL;
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(4), PG(5));
	is(c.starts, 1, "no callback after unregister returned");
	is(test_mm_destroy(mm), 1, "unregister dropped the mm reference");
}

/* ---- the interval read side ---- */

static void test_read_protocol(void)
{
	struct mm_struct *mm = test_mm_create();
	struct mmu_notifier_range range;
	unsigned long seq, seq2;
	struct counter c;

	counter_insert(&c, mm, PG(1), 14 * P);
	seq = mmu_interval_read_begin(&c.sub);
	ok(seq & 1, "read_begin returns an odd seq");
	ok(!counter_retry(&c, seq), "no invalidation: read_retry is false");

	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(15), PG(20));
	ok(!counter_retry(&c, seq),
	   "an invalidation elsewhere: read_retry still false");
	ok(!mmu_interval_check_retry(&c.sub, seq), "and check_retry too");

	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(14), PG(20));
	ok(mmu_interval_check_retry(&c.sub, seq),
	   "an overlapping invalidation: check_retry is true");
	ok(counter_retry(&c, seq), "and read_retry is true");

	seq2 = mmu_interval_read_begin(&c.sub);
	ok(seq2 != seq && (seq2 & 1), "the next read_begin has a new odd seq");
	is(seq2, c.last_seq, "the cur_seq the callback stored");
	ok(!counter_retry(&c, seq2), "and no retry without a new invalidation");

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, PG(3), PG(4));
	mmu_notifier_invalidate_range_start(&range);
	ok(counter_retry(&c, seq2),
	   "retry is true while the invalidation is in progress");
	mmu_notifier_invalidate_range_end(&range);
	ok(counter_retry(&c, seq2), "and after it ended");

	mmu_interval_notifier_remove(&c.sub);
	is(test_mm_destroy(mm), 1, "remove dropped the mm reference");
}

struct reader {
	struct counter *c;
	unsigned long seq;
};

static void do_read_begin(void *arg)
{
	struct reader *r = arg;

	r->seq = mmu_interval_read_begin(&r->c->sub);
}

static void test_read_begin_blocks(void)
{
	struct mm_struct *mm = test_mm_create();
	struct mmu_notifier_range range;
	struct test_thread thr;
	struct reader r;
	struct counter c;

	counter_insert(&c, mm, PG(1), 14 * P);
	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, PG(0), PG(16));
	mmu_notifier_invalidate_range_start(&range);
	r.c = &c;
	test_thread_start(&thr, do_read_begin, &r);
	test_msleep(100);
	ok(!test_thread_done(&thr),
	   "read_begin sleeps while an invalidation of the interval runs");
	mmu_notifier_invalidate_range_end(&range);
	ok(test_thread_join_within(&thr, 5000), "and returns once it ended");
	is(r.seq, c.last_seq, "with the invalidation's cur_seq");
	ok(!counter_retry(&c, r.seq), "which is not retried");

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, PG(20), PG(30));
	mmu_notifier_invalidate_range_start(&range);
	test_thread_start(&thr, do_read_begin, &r);
	ok(test_thread_join_within(&thr, 5000),
	   "an invalidation elsewhere does not block read_begin");
	mmu_notifier_invalidate_range_end(&range);

	mmu_interval_notifier_remove(&c.sub);
	test_mm_destroy(mm);
}

static void test_nested(void)
{
	struct mm_struct *mm = test_mm_create();
	struct mmu_notifier_range outer, inner;
	struct umm_ntrace_rec recs[4];
	unsigned long first_seq;
	struct test_thread thr;
	struct umm_ntrace t;
	struct counter c;
	struct reader r;

	trace_start(&t, mm);
	counter_insert(&c, mm, PG(1), 14 * P);
	/* G rule 9: a partial MADV_DONTNEED, the THP split nested in it */
	mmu_notifier_range_init(&outer, MMU_NOTIFY_CLEAR, 0, mm, PG(4), PG(5));
	mmu_notifier_range_init(&inner, MMU_NOTIFY_CLEAR, 0, mm, PG(0), PG(512));
	mmu_notifier_invalidate_range_start(&outer);
	mmu_notifier_invalidate_range_start(&inner);
	mmu_notifier_invalidate_range_end(&inner);

	r.c = &c;
	test_thread_start(&thr, do_read_begin, &r);
	test_msleep(50);
	ok(!test_thread_done(&thr),
	   "after the nested end, the outer invalidation still excludes readers");
	mmu_notifier_invalidate_range_end(&outer);
	ok(test_thread_join_within(&thr, 5000), "until the outer end");

	is_trace(&t, "CLEAR[4,5), CLEAR[0,512)", "outer, then nested");
	umm_ntrace_copy(&t, recs, 4);
	ok(recs[0].cur_seq == recs[1].cur_seq && (recs[0].cur_seq & 1),
	   "the nested callback gets the same odd cur_seq (G rule 20)");
	first_seq = recs[0].cur_seq;

	umm_ntrace_clear(&t);
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(4), PG(5));
	umm_ntrace_copy(&t, recs, 4);
	is(recs[0].cur_seq, first_seq + 2,
	   "the next invalidation gets the next odd seq");

	mmu_interval_notifier_remove(&c.sub);
	umm_ntrace_stop(&t);
	test_mm_destroy(mm);
}

/* ---- the non-blockable path ---- */

static int nonblock_start(struct mm_struct *mm, unsigned long s,
			  unsigned long e)
{
	struct mmu_notifier_range range;
	int ret;

	mmu_notifier_range_init(&range, MMU_NOTIFY_UNMAP, 0, mm, s, e);
	ret = mmu_notifier_invalidate_range_start_nonblock(&range);
	if (!ret)
		mmu_notifier_invalidate_range_end(&range);
	return ret;
}

static void test_nonblock_sleep(void)
{
	struct mm_struct *mm = test_mm_create();
	unsigned long before;
	struct classic cl;
	struct counter c;

	counter_insert(&c, mm, PG(1), 14 * P);
	c.sleep = true;
	before = count(UMM_REPORT_SLEEP_IN_ATOMIC);
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(0), PG(16));
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), before,
	   "an interval callback may sleep on a blockable range");

	umm_reports_expect(true);
	is(nonblock_start(mm, PG(0), PG(16)), 0, "start_nonblock");
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), before + 1,
	   "an interval callback that sleeps on a non-blockable range is reported");
	umm_reports_expect(false);
	mmu_interval_notifier_remove(&c.sub);

	classic_register(&cl, 'S', &classic_start_only_ops, mm);
	cl.sleep = true;
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(0), PG(16));
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), before + 1,
	   "a classic start may sleep on a blockable range");
	umm_reports_expect(true);
	is(nonblock_start(mm, PG(0), PG(16)), 0, "start_nonblock");
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), before + 2,
	   "a classic start that sleeps on a non-blockable range is reported");
	umm_reports_expect(false);
	mmu_notifier_unregister(&cl.mn, mm);
	test_mm_destroy(mm);
}

static void test_eagain(void)
{
	struct mm_struct *mm = test_mm_create();
	struct classic x, y;
	struct counter a, b;
	struct test_thread thr;
	unsigned long warns;
	struct reader r;

	counter_insert(&a, mm, PG(1), 4 * P);
	counter_insert(&b, mm, PG(2), 4 * P);
	a.fail_nonblock = true;
	is(nonblock_start(mm, PG(0), PG(16)), -EAGAIN,
	   "a callback refusing a non-blockable range: -EAGAIN");
	is(counter_calls(&b), 0, "the interval notifiers after it are not called");
	r.c = &b;
	test_thread_start(&thr, do_read_begin, &r);
	ok(test_thread_join_within(&thr, 5000),
	   "and the failed invalidation is over: read_begin does not wait");

	is(nonblock_start(mm, PG(3), PG(5)), -EAGAIN, "again");
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(0), PG(16));
	ok(counter_calls(&a) == 1 && counter_calls(&b) == 1,
	   "a blockable range is delivered to both");

	a.fail_always = true;
	warns = count(UMM_REPORT_WARN);
	umm_reports_expect(true);
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(0), PG(16));
	umm_reports_expect(false);
	is(count(UMM_REPORT_WARN), warns + 1,
	   "false on a blockable range is a WARN");
	is(counter_calls(&b), 2, "and the next notifier is still called");
	a.fail_always = false;
	mmu_interval_notifier_remove(&a.sub);

	classic_register(&y, 'Y', &classic_ops, mm);
	classic_register(&x, 'X', &classic_start_only_ops, mm);
	x.start_ret = -EAGAIN;
	is(nonblock_start(mm, PG(0), PG(16)), -EAGAIN,
	   "a classic start refusing a non-blockable range: -EAGAIN");
	ok(y.starts == 1 && y.ends == 1,
	   "the others are started, then ended for it");
	test_thread_start(&thr, do_read_begin, &r);
	ok(test_thread_join_within(&thr, 5000),
	   "the interval part was ended too: read_begin does not wait");
	mmu_notifier_unregister(&x.mn, mm);
	mmu_notifier_unregister(&y.mn, mm);
	mmu_interval_notifier_remove(&b.sub);
	is(test_mm_destroy(mm), 1, "references dropped");
}

/* ---- exit ---- */

static void test_release(void)
{
	struct mm_struct *mm = test_mm_create();
	struct mmu_notifier_range range;
	struct umm_ntrace t;
	struct classic z;

	trace_start(&t, mm);
	if (umm_ntrace_watch_release(&t))
		BAIL_OUT("umm_ntrace_watch_release");
	classic_register(&z, 'Z', &classic_ops, mm);

	/* What exit_mmap() does (G rule 17). */
	mmu_notifier_release(mm);
	mmu_notifier_range_init(&range, MMU_NOTIFY_UNMAP, 0, mm, 0, ULONG_MAX);
	mmu_notifier_invalidate_range_start(&range);
	mmu_notifier_invalidate_range_end(&range);

	is_trace(&t, "RELEASE ALL, release, UNMAP ALL",
		 "exit: interval RELEASE (blockable), classic release, then UNMAP");
	is(z.releases, 1, "each classic notifier's ->release runs once");
	ok(z.starts == 0 && z.ends == 0,
	   "released classic notifiers get no more invalidations");
	mmu_notifier_unregister(&z.mn, mm);
	is(z.releases, 1, "unregister after release does not call it again");
	umm_ntrace_stop(&t);
	is(test_mm_destroy(mm), 1, "references dropped");
}

/* ---- insert and remove while invalidations run ---- */

static void do_remove(void *arg)
{
	mmu_interval_notifier_remove(arg);
}

static void test_remove_waits(void)
{
	struct mm_struct *mm = test_mm_create();
	struct mmu_notifier_range range;
	struct test_thread thr, inv;
	struct counter s1, s2;
	int gate = 0;

	counter_insert(&s1, mm, PG(0), P);
	counter_insert(&s2, mm, PG(10), P);
	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, PG(0), PG(1));
	mmu_notifier_invalidate_range_start(&range);
	test_thread_start(&thr, do_remove, &s2.sub);
	test_msleep(100);
	ok(!test_thread_done(&thr),
	   "remove waits while an invalidation hitting an interval is active");
	mmu_notifier_invalidate_range_end(&range);
	ok(test_thread_join_within(&thr, 5000), "and returns after its end");
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(10), PG(11));
	is(counter_calls(&s2), 0, "a removed notifier is not called");

	s1.gate = &gate;
	__atomic_store_n(&s1.entered, 0, __ATOMIC_RELEASE);
	test_thread_start(&inv, do_invalidate_page0, mm);
	while (!__atomic_load_n(&s1.entered, __ATOMIC_ACQUIRE))
		test_msleep(1);
	test_thread_start(&thr, do_remove, &s1.sub);
	test_msleep(100);
	ok(!test_thread_done(&thr), "remove waits for a running callback");
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	ok(test_thread_join_within(&thr, 5000) &&
	   test_thread_join_within(&inv, 5000), "until it returned");
	is(test_mm_destroy(mm), 1, "references dropped");
}

static void do_insert(void *arg)
{
	struct counter *c = arg;

	if (mmu_interval_notifier_insert(&c->sub, c->sub.mm, PG(4), P,
					 &counter_ops))
		BAIL_OUT("insert");
}

static void test_insert_during_invalidation(void)
{
	struct mm_struct *mm = test_mm_create();
	struct mmu_notifier_range range, nested;
	struct test_thread thr, thr2;
	struct counter a, b, e;
	struct reader r;

	/* excluded: the insert is deferred */
	counter_insert(&a, mm, PG(1), 14 * P);
	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, PG(0), PG(16));
	mmu_notifier_invalidate_range_start(&range);
	counter_insert(&b, mm, PG(4), 4 * P);
	mmu_notifier_range_init(&nested, MMU_NOTIFY_CLEAR, 0, mm, PG(0), PG(16));
	mmu_notifier_invalidate_range_start(&nested);
	mmu_notifier_invalidate_range_end(&nested);
	ok(counter_calls(&a) == 2 && counter_calls(&b) == 0,
	   "an interval inserted while the tree is frozen is not called yet");
	r.c = &b;
	test_thread_start(&thr, do_read_begin, &r);
	test_msleep(100);
	ok(!test_thread_done(&thr),
	   "but its read_begin waits for the invalidation in progress");
	counter_insert(&e, mm, PG(4), P);
	test_thread_start(&thr2, do_remove, &e.sub);
	ok(test_thread_join_within(&thr2, 5000),
	   "removing a still-deferred insert does not wait");
	mmu_notifier_invalidate_range_end(&range);
	ok(test_thread_join_within(&thr, 5000), "read_begin returns after the end");
	ok(!counter_retry(&b, r.seq), "with a seq that holds");
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(4), PG(5));
	ok(counter_calls(&b) == 1 && counter_calls(&e) == 0,
	   "the deferred insert is in the tree now, the cancelled one is not");
	mmu_interval_notifier_remove(&b.sub);

	/* partially excluded: inserted at once, but read_begin must wait */
	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, PG(100),
				PG(101));
	mmu_notifier_invalidate_range_start(&range);
	counter_insert(&b, mm, PG(100), P);
	test_thread_start(&thr, do_read_begin, &r);
	test_msleep(100);
	ok(!test_thread_done(&thr),
	   "an interval inserted during an invalidation that hit nothing: "
	   "read_begin waits (the range may cover it)");
	mmu_notifier_invalidate_range_end(&range);
	ok(test_thread_join_within(&thr, 5000), "until its end");
	ok(!counter_retry(&b, r.seq), "then the seq holds");
	mmu_interval_notifier_remove(&b.sub);
	mmu_interval_notifier_remove(&a.sub);
	is(test_mm_destroy(mm), 1, "references dropped");

	/* no subscriptions yet: the first insert waits for the range */
	mm = test_mm_create();
	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, PG(0), PG(16));
	mmu_notifier_invalidate_range_start(&range);
	memset(&b, 0, sizeof(b));
	mutex_init(&b.lock);
	b.sub.mm = mm;
	test_thread_start(&thr, do_insert, &b);
	test_msleep(100);
	ok(!test_thread_done(&thr),
	   "the first insert on an mm waits for invalidations that could not "
	   "see it");
	mmu_notifier_invalidate_range_end(&range);
	ok(test_thread_join_within(&thr, 5000), "and completes after their end");
	r.c = &b;
	test_thread_start(&thr, do_read_begin, &r);
	ok(test_thread_join_within(&thr, 5000), "read_begin then does not wait");
	test_invalidate(mm, MMU_NOTIFY_CLEAR, PG(4), PG(5));
	ok(counter_retry(&b, r.seq), "and the next invalidation is seen");
	mmu_interval_notifier_remove(&b.sub);
	is(test_mm_destroy(mm), 1, "references dropped");
}

static void test_insert_errors(void)
{
	struct mm_struct *mm = test_mm_create();
	struct mmu_interval_notifier sub;
	unsigned long warns;

	is(mmu_interval_notifier_insert(&sub, mm, PG(0), 0, &counter_ops),
	   -EOVERFLOW, "an empty interval is refused");
	is(mmu_interval_notifier_insert(&sub, mm, ULONG_MAX - P + 1, P + 1,
					&counter_ops),
	   -EOVERFLOW, "a wrapping interval is refused");
	is(mmu_interval_notifier_insert(&sub, mm, ULONG_MAX - P + 1, P,
					&counter_ops),
	   0, "the last page of the address space is fine");
	mmu_interval_notifier_remove(&sub);

	atomic_set(&mm->mm_users, 0);
	warns = count(UMM_REPORT_WARN);
	umm_reports_expect(true);
	is(mmu_interval_notifier_insert(&sub, mm, PG(0), P, &counter_ops),
	   -EINVAL, "an mm without users is refused");
	umm_reports_expect(false);
	is(count(UMM_REPORT_WARN), warns + 1, "with a WARN");
	atomic_set(&mm->mm_users, 1);
	is(test_mm_destroy(mm), 1, "no reference leaked by the failures");
}

/* The lab's context checks fire on misuse. */
static void test_context_checks(void)
{
	struct mm_struct *mm = test_mm_create();
	struct mmu_notifier_range range;
	unsigned long sleeps, held;
	struct counter c;
	DEFINE_SPINLOCK(lock);

	counter_insert(&c, mm, PG(0), P);
	sleeps = count(UMM_REPORT_SLEEP_IN_ATOMIC);
	held = count(UMM_REPORT_LOCK_NOT_HELD);
	umm_reports_expect(true);

	spin_lock(&lock);
	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, PG(4), PG(5));
	mmu_notifier_invalidate_range_start(&range);
	spin_unlock(&lock);
	mmu_notifier_invalidate_range_end(&range);
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), sleeps + 1,
	   "range_start under a spinlock is reported");

	spin_lock(&lock);
	mmu_interval_read_begin(&c.sub);
	spin_unlock(&lock);
	is(count(UMM_REPORT_SLEEP_IN_ATOMIC), sleeps + 2,
	   "read_begin under a spinlock is reported, even when it would "
	   "not wait");

	mmu_interval_notifier_remove(&c.sub);
	if (mmu_interval_notifier_insert_locked(&c.sub, mm, PG(0), P,
						&counter_ops))
		BAIL_OUT("insert_locked");
	is(count(UMM_REPORT_LOCK_NOT_HELD), held + 1,
	   "insert_locked without mmap_lock held for write is reported");
	umm_reports_expect(false);

	mmu_interval_notifier_remove(&c.sub);
	mmap_write_lock(mm);
	if (mmu_interval_notifier_insert_locked(&c.sub, mm, PG(0), P,
						&counter_ops))
		BAIL_OUT("insert_locked");
	mmap_write_unlock(mm);
	mmu_interval_notifier_remove(&c.sub);
	test_mm_destroy(mm);
}

/* ---- a reader against a looping invalidator ---- */

struct conc {
	struct mmu_interval_notifier sub;
	struct mm_struct *mm;
	struct mutex lock;		/* the user lock */
	unsigned long generation;	/* ->lock: bumped by invalidate() */
	unsigned long pte;		/* atomic: what the mm maps */
	int stop;			/* atomic */
	unsigned long invalidations;
	unsigned long retries, uses, stale;	/* reader's */
};

static bool conc_invalidate(struct mmu_interval_notifier *sub,
			    const struct mmu_notifier_range *range,
			    unsigned long cur_seq)
{
	struct conc *c = container_of(sub, struct conc, sub);

	mutex_lock(&c->lock);
	mmu_interval_set_seq(sub, cur_seq);
	c->generation++;
	mutex_unlock(&c->lock);
	return true;
}

static const struct mmu_interval_notifier_ops conc_ops = {
	.invalidate = conc_invalidate,
};

static unsigned long conc_pte(struct conc *c)
{
	return __atomic_load_n(&c->pte, __ATOMIC_ACQUIRE);
}

/* An mm operation: announce, change the PTE, end. */
static void conc_invalidator(void *arg)
{
	struct conc *c = arg;
	struct mmu_notifier_range range;
	unsigned long i = 0;

	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		bool hit = i++ % 4 != 3;

		mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, c->mm,
					hit ? PG(0) : PG(50),
					hit ? PG(2) : PG(51));
		mmu_notifier_invalidate_range_start(&range);
		sched_yield();		/* clearing PTEs takes time */
		if (hit)
			__atomic_add_fetch(&c->pte, 1, __ATOMIC_RELEASE);
		mmu_notifier_invalidate_range_end(&range);
		c->invalidations++;
		if (i % 8 == 0)
			sched_yield();
	}
}

/*
 * A driver: read_begin -> "gup" -> user lock -> read_retry -> use.  With
 * @check_retry false it skips read_retry, as the 2019 series' home-made
 * scheme effectively could: the negative control.
 */
static void conc_reader_once(struct conc *c, bool check_retry,
			     unsigned long i)
{
	unsigned long seq, mapping, gen;

	for (;;) {
		seq = mmu_interval_read_begin(&c->sub);
		mapping = conc_pte(c);
		sched_yield();		/* gup takes time */
		mutex_lock(&c->lock);
		if (!check_retry || !mmu_interval_read_retry(&c->sub, seq))
			break;
		mutex_unlock(&c->lock);
		c->retries++;
	}
	gen = c->generation;
	if (conc_pte(c) != mapping)
		c->stale++;
	if (i % 16 == 0)
		sched_yield();	/* the invalidator may not get past us */
	if (conc_pte(c) != mapping || c->generation != gen)
		c->stale++;
	c->uses++;
	mutex_unlock(&c->lock);
	sched_yield();
}

static void conc_run(struct conc *c, bool check_retry, unsigned long reads,
		     long max_ms)
{
	struct timespec t0, t1;
	struct test_thread inv;
	unsigned long i;

	memset(c, 0, sizeof(*c));
	c->mm = test_mm_create();
	mutex_init(&c->lock);
	if (mmu_interval_notifier_insert(&c->sub, c->mm, PG(1), P, &conc_ops))
		BAIL_OUT("insert");
	test_thread_start(&inv, conc_invalidator, c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < reads; i++) {
		conc_reader_once(c, check_retry, i);
		if (!check_retry && c->stale)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if ((t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000 > max_ms)
			break;
	}
	__atomic_store_n(&c->stop, 1, __ATOMIC_RELEASE);
	if (!test_thread_join_within(&inv, 10000))
		BAIL_OUT("the invalidator did not stop");
	mmu_interval_notifier_remove(&c->sub);
	if (test_mm_destroy(c->mm) != 1)
		BAIL_OUT("reference leaked");
}

static void test_concurrent(void)
{
	struct conc c;

	conc_run(&c, true, 20000, 3000);
	diag("%lu invalidations, %lu uses, %lu retries", c.invalidations,
	     c.uses, c.retries);
	ok(c.uses >= 1000, "the reader completed at least 1000 reads");
	ok(c.retries > 0, "collisions happened and were retried");
	is(c.stale, 0,
	   "a mapping validated by read_retry is never one an invalidation "
	   "has completed against, while the user lock is held");

	conc_run(&c, false, ULONG_MAX, 5000);
	diag("without read_retry: stale after %lu uses", c.uses);
	ok(c.stale > 0,
	   "control: a reader that skips read_retry is caught using a stale "
	   "mapping");
}

int main(void)
{
	test_overlap();
	test_event_and_flags();
	test_classic();
	test_unregister_waits();
	test_read_protocol();
	test_read_begin_blocks();
	test_nested();
	test_nonblock_sleep();
	test_eagain();
	test_release();
	test_remove_waits();
	test_insert_during_invalidation();
	test_insert_errors();
	test_context_checks();
	test_concurrent();
	return done_testing();
}
