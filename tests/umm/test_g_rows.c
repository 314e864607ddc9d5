// SPDX-License-Identifier: GPL-2.0
/*
 * The MMU-notifier callbacks of each user operation, row by row against
 * shared/research/G_notifier_events.md: the same region layout (a 2 MiB
 * aligned region between two PROT_NONE guard VMAs, an interval notifier
 * over all of it but its first and last page), the same operations, and
 * the exact sequence of callbacks as G prints it, for the 6.12 column
 * and for the 6.1 column where they differ.  The anon-thp region is one
 * PMD (512 pages) with MADV_HUGEPAGE before it is touched; an operation
 * that needs it PMD-mapped checks that it is, as G checked AnonHugePages.
 */
#include <stdio.h>
#include <string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <umm/mm.h>
#include <umm/phys.h>
#include <umm/notifier_trace.h>
#include <umm/reclaim.h>
#include <umm/thp.h>
#include "tap.h"

enum memtype { ANON, SHARED_ANON, MEMFD, HUGETLB_MEMFD, ANON_THP, NR_TYPES };

static const char *const type_names[NR_TYPES] = {
	"anon-private", "shared-anon", "memfd-shared", "hugetlb-memfd-shared",
	"anon-thp",
};

/* ---- the recorder (umm/notifier_trace.h) ---- */

static struct umm_ntrace rec;

/* Separate the phases of an operation, as G's "‖". */
static void phase(void)
{
	umm_ntrace_mark(&rec);
}

/*
 * G's notation for one phase: runs of one-page callbacks of one event on
 * consecutive pages become "EV 1pg×n[a,b)"; an empty phase is "–".
 */
static void compress_phase(char *out, size_t size, const char *phase)
{
	char ev[32], prev_ev[32] = "";
	long a, b, run_a = 0, run_b = 0;
	const char *p = phase;
	size_t len;
	int n, used;

	out[0] = 0;
#define FLUSH_RUN()							\
	do {								\
		len = strlen(out);					\
		if (run_b - run_a > 1)					\
			snprintf(out + len, size - len, "%s%s 1pg×%ld[%ld,%ld)", \
				 len ? ", " : "", prev_ev, run_b - run_a,	\
				 run_a, run_b);				\
		else if (run_b)						\
			snprintf(out + len, size - len, "%s%s[%ld,%ld)", \
				 len ? ", " : "", prev_ev, run_a, run_b);	\
		run_a = run_b = 0;					\
	} while (0)
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		if (*p == '-' && (!p[1] || p[1] == ' ')) {
			p++;		/* umm_ntrace_format()'s "nothing" */
			continue;
		}
		n = sscanf(p, "%31[A-Z_][%ld,%ld)%n", ev, &a, &b, &used);
		if (n == 3 && b == a + 1 && run_b == a && !strcmp(ev, prev_ev) &&
		    p[used] != ' ') {
			run_b = b;
		} else if (n == 3 && b == a + 1 && p[used] != ' ') {
			FLUSH_RUN();
			strcpy(prev_ev, ev);
			run_a = a;
			run_b = b;
		} else {
			const char *end = strstr(p, ", ");
			size_t l = end ? (size_t)(end - p) : strlen(p);

			FLUSH_RUN();
			prev_ev[0] = 0;
			len = strlen(out);
			snprintf(out + len, size - len, "%s%.*s",
				 len ? ", " : "", (int)l, p);
			p += l;
			continue;
		}
		p += used;
	}
	FLUSH_RUN();
#undef FLUSH_RUN
	if (!out[0])
		snprintf(out, size, "–");
}

/* The whole log, phases separated by " | " (G's "‖"). */
static void normalise(char *out, size_t size, const char *log)
{
	char phase_buf[1024], one[1024];
	const char *p = log;

	out[0] = 0;
	for (;;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		size_t len = strlen(out);

		while (n && p[n - 1] == ' ')
			n--;
		snprintf(phase_buf, sizeof(phase_buf), "%.*s", (int)n, p);
		compress_phase(one, sizeof(one), phase_buf);
		snprintf(out + len, size - len, "%s%s", len ? " | " : "", one);
		if (!bar)
			break;
		p = bar + 1;
	}
}

/* ---- the region ---- */

struct region {
	struct mm_struct *mm;
	enum memtype type;
	unsigned long base, npages;	/* npages: the region, no guards */
	struct umm_file *file;
	bool mm_gone;			/* the operation ended the mm */
	char err[128];			/* G's "[call: ERRNO; ...] " */
	char child[600];		/* G's " child{...}", normalised */
	char note[64];			/* a THP row: "[not a THP] " and the like */
};

static const char *errno_name(int err)
{
	switch (err) {
	case -EINVAL:	return "EINVAL";
	case -EACCES:	return "EACCES";
	case -ENOMEM:	return "ENOMEM";
	case -EFAULT:	return "EFAULT";
	case -EAGAIN:	return "EAGAIN";
	default:	return "E?";
	}
}

/* A failed call is noted as G notes it: "[MADV_FREE: EINVAL] ". */
static void note(struct region *r, const char *call, long ret)
{
	size_t len = strlen(r->err);

	if (ret >= 0)
		return;
	if (len)
		len -= 2;	/* reopen "...] " */
	snprintf(r->err + len, sizeof(r->err) - len, "%s%s: %s] ",
		 len ? "; " : "[", call, errno_name(ret));
}

static unsigned long pg(const struct region *r, long n)
{
	return r->base + n * PAGE_SIZE;
}

static unsigned long unit(const struct region *r)
{
	return r->type == HUGETLB_MEMFD ? 512 : 1;
}

/* Page P of G: page 4, or the second huge page. */
static long P(const struct region *r)
{
	return r->type == HUGETLB_MEMFD ? 512 : 4;
}

/* Page Q of G: page 5, or the first huge page. */
static long Q(const struct region *r)
{
	return r->type == HUGETLB_MEMFD ? 0 : 5;
}

static long map_region(struct region *r, unsigned long addr)
{
	unsigned long len = r->npages * PAGE_SIZE;
	int rw = PROT_READ | PROT_WRITE;

	long ret;

	switch (r->type) {
	case ANON:
		return umm_mmap(r->mm, addr, len, rw,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
	case ANON_THP:
		ret = umm_mmap(r->mm, addr, len, rw, MAP_PRIVATE |
			       MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
		if (ret == (long)addr &&
		    umm_madvise(r->mm, addr, len, MADV_HUGEPAGE))
			return -EINVAL;
		return ret;
	case SHARED_ANON:
		return umm_mmap(r->mm, addr, len, rw,
				MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
	default:
		return umm_mmap(r->mm, addr, len, rw, MAP_SHARED | MAP_FIXED,
				r->file, 0);
	}
}

static void region_setup(struct region *r, enum memtype type,
			 unsigned long npages)
{
	/* Same PUD as a touched scratch page: 6.12's mprotect sees it. */
	unsigned long scratch = 0x10000000UL, base = 0x10400000UL;
	long a;

	memset(r, 0, sizeof(*r));
	r->mm = umm_mm_create();
	r->type = type;
	r->npages = npages;
	r->base = base;
	if (type == MEMFD || type == HUGETLB_MEMFD)
		r->file = umm_file_create(r->npages * PAGE_SIZE,
					  type == HUGETLB_MEMFD);
	a = umm_mmap(r->mm, scratch, PAGE_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
	*(volatile int *)umm_user_ptr(r->mm, a) = 1;
	umm_mmap(r->mm, base - PAGE_SIZE, PAGE_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
	umm_mmap(r->mm, base + r->npages * PAGE_SIZE, PAGE_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
	if (map_region(r, base) != (long)base)
		BAIL_OUT("mapping the region");
}

static void touch(struct region *r, long page, bool write)
{
	volatile char *p = umm_user_ptr(r->mm, pg(r, page));

	if (write)
		*p = 1;
	else
		(void)*p;
}

/* Is page @n mapped by a huge PMD (smaps' AnonHugePages)? */
static bool pmd_mapped(struct region *r, long n)
{
	pmd_t *pmdp;
	bool huge;

	spin_lock(&r->mm->page_table_lock);
	pmdp = umm_pmd_lookup(r->mm, pg(r, n));
	huge = pmdp && pmd_present(*pmdp) && pmd_trans_huge(*pmdp);
	spin_unlock(&r->mm->page_table_lock);
	return huge;
}

/* Say so before the row when a THP the operation needs is not there. */
static void need_thp(struct region *r, long n)
{
	if (r->type == ANON_THP && !pmd_mapped(r, n) && !r->note[0])
		snprintf(r->note, sizeof(r->note), "[not a THP] ");
}

static void write_all(struct region *r)
{
	unsigned long i;

	for (i = 0; i < r->npages; i += unit(r))
		touch(r, i, true);
	need_thp(r, 0);
}

/* The interval covers the region but its first and last page, as in G. */
static void record_start_on(struct region *r, struct mm_struct *mm)
{
	if (umm_ntrace_start(&rec, mm, pg(r, 1), (r->npages - 2) * PAGE_SIZE,
			     256) ||
	    umm_ntrace_watch_release(&rec))
		BAIL_OUT("registering the recorder");
}

static void record_start(struct region *r)
{
	record_start_on(r, r->mm);
}

/* Only the interval notifier, as G's oom-reap and fork-cwrite children. */
static void record_interval_on(struct umm_ntrace *t, struct region *r,
			       struct mm_struct *mm)
{
	if (umm_ntrace_start(t, mm, pg(r, 1), (r->npages - 2) * PAGE_SIZE,
			     256))
		BAIL_OUT("registering the recorder");
}

static void region_teardown(struct region *r)
{
	umm_ntrace_stop(&rec);
	if (!r->mm_gone)
		mmput(r->mm);
	if (r->file)
		umm_file_put(r->file);
}

/* ---- the operations: prepare, record_start, operate ---- */

typedef void (*op_fn)(struct region *r);

static void op_read_fault(struct region *r)
{
	record_start(r);
	touch(r, P(r), false);
	need_thp(r, P(r));
}

static void op_write_fault(struct region *r)
{
	record_start(r);
	touch(r, P(r), true);
	need_thp(r, P(r));
}

static void op_write_after_read(struct region *r)
{
	touch(r, P(r), false);
	need_thp(r, P(r));
	record_start(r);
	touch(r, P(r), true);
}

static void op_write_present(struct region *r)
{
	write_all(r);
	record_start(r);
	touch(r, P(r), true);
}

static void op_dontneed_1(struct region *r)
{
	write_all(r);
	record_start(r);
	umm_madvise(r->mm, pg(r, P(r)), unit(r) * PAGE_SIZE, MADV_DONTNEED);
}

static void op_dontneed_all(struct region *r)
{
	write_all(r);
	record_start(r);
	umm_madvise(r->mm, r->base, r->npages * PAGE_SIZE, MADV_DONTNEED);
}

static void op_dontneed_all_untouched(struct region *r)
{
	record_start(r);
	umm_madvise(r->mm, r->base, r->npages * PAGE_SIZE, MADV_DONTNEED);
}

static void op_dontneed_span(struct region *r)
{
	write_all(r);
	record_start(r);
	umm_madvise(r->mm, pg(r, -1), (r->npages + 2) * PAGE_SIZE,
		    MADV_DONTNEED);
}

static void op_munmap_part(struct region *r)
{
	long part = r->type == HUGETLB_MEMFD ? 512 : 4;

	write_all(r);
	record_start(r);
	umm_munmap(r->mm, pg(r, part), part * PAGE_SIZE);
}

static void op_munmap_all(struct region *r)
{
	write_all(r);
	record_start(r);
	umm_munmap(r->mm, r->base, r->npages * PAGE_SIZE);
}

static void op_munmap_all_untouched(struct region *r)
{
	record_start(r);
	umm_munmap(r->mm, r->base, r->npages * PAGE_SIZE);
}

static void op_munmap_span(struct region *r)
{
	write_all(r);
	record_start(r);
	umm_munmap(r->mm, pg(r, -1), (r->npages + 2) * PAGE_SIZE);
}

static void op_mmap_fixed_over(struct region *r)
{
	write_all(r);
	record_start(r);
	umm_mmap(r->mm, r->base, r->npages * PAGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
}

static void op_mprotect_ro(struct region *r)
{
	write_all(r);
	record_start(r);
	umm_mprotect(r->mm, r->base, r->npages * PAGE_SIZE, PROT_READ);
}

static void op_mprotect_ro_part(struct region *r)
{
	long part = r->type == HUGETLB_MEMFD ? 512 : 4;

	write_all(r);
	record_start(r);
	umm_mprotect(r->mm, pg(r, part), part * PAGE_SIZE, PROT_READ);
}

static void op_mprotect_ro_untouched(struct region *r)
{
	record_start(r);
	umm_mprotect(r->mm, r->base, r->npages * PAGE_SIZE, PROT_READ);
}

static void op_mprotect_rw(struct region *r)
{
	write_all(r);
	umm_mprotect(r->mm, r->base, r->npages * PAGE_SIZE, PROT_READ);
	record_start(r);
	umm_mprotect(r->mm, r->base, r->npages * PAGE_SIZE,
		     PROT_READ | PROT_WRITE);
	phase();
	touch(r, P(r), true);
}

static void op_mprotect_none(struct region *r)
{
	write_all(r);
	record_start(r);
	umm_mprotect(r->mm, r->base, r->npages * PAGE_SIZE, PROT_NONE);
	phase();
	umm_mprotect(r->mm, r->base, r->npages * PAGE_SIZE,
		     PROT_READ | PROT_WRITE);
}

static void op_cold(struct region *r)
{
	write_all(r);
	record_start(r);
	umm_madvise(r->mm, r->base, r->npages * PAGE_SIZE, MADV_COLD);
}

/* Exit of a process that did not fork: the tail of G's exit row. */
static void op_exit(struct region *r)
{
	write_all(r);
	record_start(r);
	mmput(r->mm);
	r->mm_gone = true;
}

static void read_all(struct region *r)
{
	unsigned long i;

	for (i = 0; i < r->npages; i += unit(r))
		touch(r, i, false);
	need_thp(r, 0);
}

static void touch_mm(struct mm_struct *mm, struct region *r, long page)
{
	*(volatile char *)umm_user_ptr(mm, pg(r, page)) = 2;
}

static void fork_then_writes(struct region *r)
{
	struct mm_struct *child;

	record_start(r);
	child = umm_fork(r->mm);
	mmput(child);
	phase();
	touch(r, P(r), true);
	phase();
	touch(r, Q(r), true);
}

static void op_fork_exit_pwrite(struct region *r)
{
	write_all(r);
	fork_then_writes(r);
}

static void op_fork_readonly(struct region *r)
{
	read_all(r);
	fork_then_writes(r);
}

static void op_dontfork_fork(struct region *r)
{
	write_all(r);
	umm_madvise(r->mm, r->base, r->npages * PAGE_SIZE, MADV_DONTFORK);
	fork_then_writes(r);
}

static void op_fork_alive_pwrite(struct region *r)
{
	struct mm_struct *child;

	write_all(r);
	record_start(r);
	child = umm_fork(r->mm);
	phase();
	touch(r, P(r), true);
	phase();
	touch(r, Q(r), false);
	phase();
	mmput(child);
	phase();
	touch(r, Q(r), true);
}

static void op_pageout(struct region *r)
{
	write_all(r);
	record_start(r);
	umm_madvise(r->mm, r->base, r->npages * PAGE_SIZE, MADV_PAGEOUT);
	phase();
	touch(r, P(r), false);
	phase();
	touch(r, P(r), true);
}

static void op_move_pages(struct region *r)
{
	unsigned long i;

	write_all(r);
	record_start(r);
	for (i = 1; i < r->npages - 1; i += unit(r))
		umm_migrate_addr(r->mm, pg(r, i));
}

/*
 * move_pages() of every interval page: a page whose folio this call
 * already moved is on the target node, and is not moved again.
 */
static void op_move_pages_folios(struct region *r)
{
	unsigned long moved[16], nr = 0, i, j, pfn;
	struct page *page;

	write_all(r);
	record_start(r);
	for (i = 1; i < r->npages - 1; i++) {
		page = umm_page_at(r->mm, pg(r, i));
		if (!page)
			continue;
		pfn = page_to_pfn(compound_head(page));
		put_page(page);
		for (j = 0; j < nr && moved[j] != pfn; j++)
			;
		if (j < nr || umm_migrate_addr(r->mm, pg(r, i)))
			continue;
		page = umm_page_at(r->mm, pg(r, i));
		if (page && nr < ARRAY_SIZE(moved))
			moved[nr++] = page_to_pfn(compound_head(page));
		if (page)
			put_page(page);
	}
}

static void op_mprotect_ro_sparse(struct region *r)
{
	touch(r, 600, true);
	need_thp(r, 600);
	record_start(r);
	umm_mprotect(r->mm, r->base, r->npages * PAGE_SIZE, PROT_READ);
}

/* Written as small pages, then MADV_HUGEPAGE: as G's collapse rows. */
static void write_small_pages(struct region *r)
{
	unsigned long len = r->npages * PAGE_SIZE, i;

	umm_madvise(r->mm, r->base, len, MADV_NOHUGEPAGE);
	for (i = 0; i < r->npages; i++)
		touch(r, i, true);
	umm_madvise(r->mm, r->base, len, MADV_HUGEPAGE);
}

static void op_collapse(struct region *r)
{
	int ret;

	write_small_pages(r);
	record_start(r);
	ret = umm_madvise(r->mm, r->base, r->npages * PAGE_SIZE,
			  MADV_COLLAPSE);
	if (ret)
		snprintf(r->note, sizeof(r->note), "[MADV_COLLAPSE: %d] ", ret);
	else
		need_thp(r, 0);
}

/* The lab's khugepaged runs in the caller: G's "@khugepaged" is not seen. */
static void op_khugepaged(struct region *r)
{
	write_small_pages(r);
	record_start(r);
	if (umm_khugepaged_scan(r->mm) != 1)
		snprintf(r->note, sizeof(r->note), "[khugepaged: no THP] ");
}

/* G's exit row: the forked child records, writes P (COW) and exits. */
static void op_exit_after_fork(struct region *r)
{
	struct mm_struct *child;

	write_all(r);
	child = umm_fork(r->mm);
	record_start_on(r, child);
	touch_mm(child, r, P(r));
	mmput(child);
}

static long part(const struct region *r)
{
	return r->type == HUGETLB_MEMFD ? 512 : 4;
}

static unsigned long region_len(const struct region *r)
{
	return r->npages * PAGE_SIZE;
}

/* Another 2 MiB aligned address, free. */
#define MREMAP_TARGET	0x20000000UL

static void op_mremap_move(struct region *r)
{
	long ret;

	write_all(r);
	record_start(r);
	ret = umm_mremap(r->mm, r->base, region_len(r), region_len(r),
			 MREMAP_MAYMOVE | MREMAP_FIXED, MREMAP_TARGET);
	note(r, "mremap", ret);
	phase();
	if (ret > 0)
		*(volatile char *)umm_user_ptr(r->mm, ret +
					       P(r) * PAGE_SIZE) = 3;
}

static void op_mremap_shrink(struct region *r)
{
	write_all(r);
	record_start(r);
	note(r, "mremap", umm_mremap(r->mm, r->base, region_len(r),
				     region_len(r) / 2, 0, 0));
}

static void op_mremap_grow(struct region *r)
{
	write_all(r);
	record_start(r);
	note(r, "mremap", umm_mremap(r->mm, r->base, region_len(r),
				     2 * region_len(r), MREMAP_MAYMOVE, 0));
}

static void op_free_pageout(struct region *r)
{
	write_all(r);
	record_start(r);
	note(r, "MADV_FREE", umm_madvise(r->mm, r->base, region_len(r),
					 MADV_FREE));
	phase();
	note(r, "MADV_PAGEOUT", umm_madvise(r->mm, r->base, region_len(r),
					    MADV_PAGEOUT));
	phase();
	touch(r, P(r), false);
}

static void op_populate_write(struct region *r)
{
	touch(r, P(r), false);
	record_start(r);
	note(r, "MADV_POPULATE_WRITE", umm_madvise(r->mm, r->base,
			region_len(r), MADV_POPULATE_WRITE));
}

static void mlock_munlock(struct region *r)
{
	record_start(r);
	note(r, "mlock", umm_mlock(r->mm, r->base, region_len(r)));
	phase();
	note(r, "munlock", umm_munlock(r->mm, r->base, region_len(r)));
}

static void op_mlock_after_read(struct region *r)
{
	touch(r, P(r), false);
	mlock_munlock(r);
}

static void op_mlock_written(struct region *r)
{
	write_all(r);
	mlock_munlock(r);
}

static void op_madv_remove(struct region *r)
{
	write_all(r);
	record_start(r);
	note(r, "MADV_REMOVE", umm_madvise(r->mm, pg(r, part(r)),
					   part(r) * PAGE_SIZE, MADV_REMOVE));
}

static void op_punch_hole(struct region *r)
{
	write_all(r);
	record_start(r);
	note(r, "fallocate", umm_file_punch_hole(r->file, part(r) * PAGE_SIZE,
						 part(r) * PAGE_SIZE));
}

static void op_truncate(struct region *r)
{
	write_all(r);
	record_start(r);
	note(r, "ftruncate", umm_file_truncate(r->file, region_len(r) / 2));
}

/*
 * G's oom-reap: the forked child registers and blocks ‖ it is killed ‖
 * process_mrelease() ‖ it finishes exiting.
 */
static void op_oom_reap(struct region *r)
{
	struct mm_struct *child;

	write_all(r);
	child = umm_fork(r->mm);
	record_interval_on(&rec, r, child);
	phase();
	phase();
	note(r, "process_mrelease", umm_oom_reap(child));
	phase();
	mmput(child);
}

/*
 * G's fork-cwrite: the child registers its own notifier, writes P and
 * exits ‖ the parent writes P.  The child's records come last, as
 * " child{...}".
 */
static void op_fork_cwrite(struct region *r)
{
	char log[512], got[512];
	struct umm_ntrace child_rec;
	struct mm_struct *child;

	write_all(r);
	record_start(r);
	child = umm_fork(r->mm);
	record_interval_on(&child_rec, r, child);
	touch_mm(child, r, P(r));
	umm_ntrace_format(&child_rec, r->base, log, sizeof(log));
	umm_ntrace_stop(&child_rec);
	mmput(child);
	normalise(got, sizeof(got), log);
	if (strcmp(got, "–"))
		snprintf(r->child, sizeof(r->child), " child{%s}", got);
	phase();
	touch(r, P(r), true);
}

/* ---- the table ---- */

struct row {
	const char *op;
	op_fn fn;
	enum memtype type;
	const char *want;	/* 6.12, and 6.1 unless want61 is set */
	const char *want61;
	unsigned long npages;	/* the region; 0: the type's default */
};

static const struct row rows[] = {
	{ "read-fault", op_read_fault, ANON, "–" },
	{ "read-fault", op_read_fault, SHARED_ANON, "–" },
	{ "read-fault", op_read_fault, MEMFD, "–" },
	{ "read-fault", op_read_fault, HUGETLB_MEMFD, "–" },
	{ "write-fault", op_write_fault, ANON, "–" },
	{ "write-fault", op_write_fault, SHARED_ANON, "–" },
	{ "write-fault", op_write_fault, HUGETLB_MEMFD, "–" },
	{ "write-after-read", op_write_after_read, ANON, "CLEAR[4,5)" },
	{ "write-after-read", op_write_after_read, SHARED_ANON, "–" },
	{ "write-after-read", op_write_after_read, MEMFD, "–" },
	{ "write-after-read", op_write_after_read, HUGETLB_MEMFD, "–" },
	{ "write-present", op_write_present, ANON, "–" },
	{ "write-present", op_write_present, MEMFD, "–" },
	{ "dontneed-1", op_dontneed_1, ANON, "CLEAR[4,5)" },
	{ "dontneed-1", op_dontneed_1, SHARED_ANON, "CLEAR[4,5)" },
	{ "dontneed-1", op_dontneed_1, MEMFD, "CLEAR[4,5)" },
	{ "dontneed-1", op_dontneed_1, HUGETLB_MEMFD, "CLEAR[512,1024)",
	  "CLEAR[512,1024), UNMAP[512,1024)" },
	{ "dontneed-all", op_dontneed_all, ANON, "CLEAR[0,16)" },
	{ "dontneed-all", op_dontneed_all, MEMFD, "CLEAR[0,16)" },
	{ "dontneed-all", op_dontneed_all, HUGETLB_MEMFD, "CLEAR[0,1024)",
	  "CLEAR[0,1024), UNMAP[0,1024)" },
	{ "dontneed-all-untouched", op_dontneed_all_untouched, ANON,
	  "CLEAR[0,16)" },
	{ "dontneed-all-untouched", op_dontneed_all_untouched, SHARED_ANON,
	  "CLEAR[0,16)" },
	{ "dontneed-all-untouched", op_dontneed_all_untouched, HUGETLB_MEMFD,
	  "CLEAR[0,1024)", "CLEAR[0,1024), UNMAP[0,1024)" },
	{ "dontneed-span", op_dontneed_span, ANON, "CLEAR[0,16)" },
	{ "dontneed-span", op_dontneed_span, MEMFD, "CLEAR[0,16)" },
	{ "dontneed-span", op_dontneed_span, HUGETLB_MEMFD, "CLEAR[0,1024)",
	  "CLEAR[0,1024), UNMAP[0,1024)" },
	{ "pageout", op_pageout, ANON, "CLEAR 1pg×14[1,15) | – | –" },
	{ "pageout", op_pageout, SHARED_ANON, "CLEAR 1pg×14[1,15) | – | –" },
	{ "pageout", op_pageout, MEMFD, "CLEAR 1pg×14[1,15) | – | –" },
	{ "move_pages", op_move_pages, ANON, "CLEAR 1pg×14[1,15)" },
	{ "move_pages", op_move_pages, SHARED_ANON, "CLEAR 1pg×14[1,15)" },
	{ "move_pages", op_move_pages, MEMFD, "CLEAR 1pg×14[1,15)" },
	{ "cold", op_cold, ANON, "–" },
	{ "cold", op_cold, MEMFD, "–" },
	{ "munmap-part", op_munmap_part, ANON, "UNMAP[4,8)" },
	{ "munmap-part", op_munmap_part, SHARED_ANON, "UNMAP[4,8)" },
	{ "munmap-part", op_munmap_part, HUGETLB_MEMFD, "UNMAP[512,1024)",
	  "UNMAP[512,1024), UNMAP[512,1024)" },
	{ "munmap-all", op_munmap_all, ANON, "UNMAP[0,16)" },
	{ "munmap-all", op_munmap_all, MEMFD, "UNMAP[0,16)" },
	{ "munmap-all", op_munmap_all, HUGETLB_MEMFD, "UNMAP[0,1024)",
	  "UNMAP[0,1024), UNMAP[0,1024)" },
	{ "munmap-all-untouched", op_munmap_all_untouched, ANON, "UNMAP[0,16)" },
	{ "munmap-all-untouched", op_munmap_all_untouched, HUGETLB_MEMFD,
	  "UNMAP[0,1024)", "UNMAP[0,1024), UNMAP[0,1024)" },
	{ "munmap-span", op_munmap_span, ANON, "UNMAP[-1,17)" },
	{ "munmap-span", op_munmap_span, SHARED_ANON, "UNMAP[-1,17)" },
	{ "munmap-span", op_munmap_span, HUGETLB_MEMFD, "UNMAP[-1,1025)",
	  "UNMAP[-1,1025), UNMAP[0,1024)" },
	{ "mmap-fixed-over", op_mmap_fixed_over, ANON, "UNMAP[0,16)" },
	{ "mmap-fixed-over", op_mmap_fixed_over, MEMFD, "UNMAP[0,16)" },
	{ "mmap-fixed-over", op_mmap_fixed_over, HUGETLB_MEMFD,
	  "UNMAP[0,1024)", "UNMAP[0,1024), UNMAP[0,1024)" },
	{ "mprotect-ro", op_mprotect_ro, ANON, "PROT_VMA[0,16)" },
	{ "mprotect-ro", op_mprotect_ro, SHARED_ANON, "PROT_VMA[0,16)" },
	{ "mprotect-ro", op_mprotect_ro, HUGETLB_MEMFD, "PROT_VMA[0,1024)" },
	{ "mprotect-ro-part", op_mprotect_ro_part, ANON, "PROT_VMA[4,8)" },
	{ "mprotect-ro-part", op_mprotect_ro_part, MEMFD, "PROT_VMA[4,8)" },
	{ "mprotect-ro-part", op_mprotect_ro_part, HUGETLB_MEMFD,
	  "PROT_VMA[512,1024)" },
	{ "mprotect-ro-untouched", op_mprotect_ro_untouched, ANON,
	  "PROT_VMA[0,16)", "–" },
	{ "mprotect-ro-untouched", op_mprotect_ro_untouched, MEMFD,
	  "PROT_VMA[0,16)", "–" },
	{ "mprotect-ro-untouched", op_mprotect_ro_untouched, HUGETLB_MEMFD,
	  "PROT_VMA[0,1024)" },
	{ "mprotect-rw", op_mprotect_rw, ANON, "PROT_VMA[0,16) | –" },
	{ "mprotect-rw", op_mprotect_rw, SHARED_ANON, "PROT_VMA[0,16) | –" },
	{ "mprotect-rw", op_mprotect_rw, HUGETLB_MEMFD, "PROT_VMA[0,1024) | –" },
	{ "mprotect-none", op_mprotect_none, ANON,
	  "PROT_VMA[0,16) | PROT_VMA[0,16)" },
	{ "mprotect-none", op_mprotect_none, MEMFD,
	  "PROT_VMA[0,16) | PROT_VMA[0,16)" },
	{ "fork-exit-pwrite", op_fork_exit_pwrite, ANON,
	  "PROT_PAGE[0,16) | – | –" },
	{ "fork-exit-pwrite", op_fork_exit_pwrite, SHARED_ANON, "– | – | –" },
	{ "fork-exit-pwrite", op_fork_exit_pwrite, MEMFD, "– | – | –" },
	{ "fork-exit-pwrite", op_fork_exit_pwrite, HUGETLB_MEMFD, "– | – | –" },
	{ "fork-alive-pwrite", op_fork_alive_pwrite, ANON,
	  "PROT_PAGE[0,16) | CLEAR[4,5) | – | – | –" },
	{ "fork-alive-pwrite", op_fork_alive_pwrite, SHARED_ANON,
	  "– | – | – | – | –" },
	{ "fork-alive-pwrite", op_fork_alive_pwrite, HUGETLB_MEMFD,
	  "– | – | – | – | –" },
	{ "fork-readonly", op_fork_readonly, ANON, "– | CLEAR[4,5) | CLEAR[5,6)" },
	{ "fork-readonly", op_fork_readonly, MEMFD, "– | – | –" },
	{ "dontfork-fork", op_dontfork_fork, ANON, "– | – | –" },
	{ "dontfork-fork", op_dontfork_fork, SHARED_ANON, "– | – | –" },
	{ "exit", op_exit_after_fork, ANON,
	  "CLEAR[4,5), RELEASE ALL, release, UNMAP ALL" },
	{ "exit", op_exit, SHARED_ANON, "RELEASE ALL, release, UNMAP ALL" },
	{ "exit", op_exit, MEMFD, "RELEASE ALL, release, UNMAP ALL" },
	{ "exit", op_exit, HUGETLB_MEMFD, "RELEASE ALL, release, UNMAP ALL",
	  "RELEASE ALL, release, UNMAP ALL, UNMAP[0,1024)" },
	{ "mremap-move", op_mremap_move, ANON, "UNMAP[0,16), UNMAP[0,16) | –" },
	{ "mremap-move", op_mremap_move, SHARED_ANON,
	  "UNMAP[0,16), UNMAP[0,16) | –" },
	{ "mremap-move", op_mremap_move, MEMFD,
	  "UNMAP[0,16), UNMAP[0,16) | –" },
	{ "mremap-move", op_mremap_move, HUGETLB_MEMFD,
	  "CLEAR[0,1024), UNMAP[0,1024) | –",
	  "CLEAR[0,1024), UNMAP[0,1024), UNMAP[0,1024) | –" },
	{ "mremap-shrink", op_mremap_shrink, ANON, "UNMAP[8,16)" },
	{ "mremap-shrink", op_mremap_shrink, SHARED_ANON, "UNMAP[8,16)" },
	{ "mremap-shrink", op_mremap_shrink, MEMFD, "UNMAP[8,16)" },
	{ "mremap-shrink", op_mremap_shrink, HUGETLB_MEMFD, "UNMAP[512,1024)",
	  "UNMAP[512,1024), UNMAP[512,1024)" },
	{ "mremap-grow", op_mremap_grow, ANON, "UNMAP[0,16), UNMAP[0,16)" },
	{ "mremap-grow", op_mremap_grow, SHARED_ANON,
	  "UNMAP[0,16), UNMAP[0,16)" },
	{ "mremap-grow", op_mremap_grow, MEMFD, "UNMAP[0,16), UNMAP[0,16)" },
	{ "mremap-grow", op_mremap_grow, HUGETLB_MEMFD, "[mremap: EINVAL] –" },
	{ "free+pageout", op_free_pageout, ANON,
	  "CLEAR[0,16) | CLEAR 1pg×14[1,15) | –" },
	{ "free+pageout", op_free_pageout, SHARED_ANON,
	  "[MADV_FREE: EINVAL] – | CLEAR 1pg×14[1,15) | –" },
	{ "free+pageout", op_free_pageout, MEMFD,
	  "[MADV_FREE: EINVAL] – | CLEAR 1pg×14[1,15) | –" },
	{ "free+pageout", op_free_pageout, HUGETLB_MEMFD,
	  "[MADV_FREE: EINVAL; MADV_PAGEOUT: EINVAL] – | – | –" },
	{ "populate-write", op_populate_write, ANON, "CLEAR[4,5)" },
	{ "populate-write", op_populate_write, SHARED_ANON, "–" },
	{ "populate-write", op_populate_write, MEMFD, "–" },
	{ "populate-write", op_populate_write, HUGETLB_MEMFD, "–" },
	{ "mlock-after-read", op_mlock_after_read, ANON, "CLEAR[4,5) | –" },
	{ "mlock-after-read", op_mlock_after_read, SHARED_ANON, "– | –" },
	{ "mlock-after-read", op_mlock_after_read, MEMFD, "– | –" },
	{ "mlock-after-read", op_mlock_after_read, HUGETLB_MEMFD, "– | –" },
	{ "mlock-written", op_mlock_written, ANON, "– | –" },
	{ "mlock-written", op_mlock_written, SHARED_ANON, "– | –" },
	{ "mlock-written", op_mlock_written, MEMFD, "– | –" },
	{ "mlock-written", op_mlock_written, HUGETLB_MEMFD, "– | –" },
	{ "madv-remove", op_madv_remove, ANON, "[MADV_REMOVE: EINVAL] –" },
	{ "madv-remove", op_madv_remove, SHARED_ANON, "CLEAR[4,8)" },
	{ "madv-remove", op_madv_remove, MEMFD, "CLEAR[4,8)" },
	{ "madv-remove", op_madv_remove, HUGETLB_MEMFD, "CLEAR[512,1024)",
	  "UNMAP[512,1024)" },
	{ "punch-hole", op_punch_hole, MEMFD, "CLEAR[4,8)" },
	{ "punch-hole", op_punch_hole, HUGETLB_MEMFD, "CLEAR[512,1024)",
	  "UNMAP[512,1024)" },
	{ "truncate", op_truncate, MEMFD, "CLEAR[8,16), CLEAR[8,16)" },
	{ "truncate", op_truncate, HUGETLB_MEMFD, "CLEAR[512,1024)",
	  "UNMAP[512,1024)" },
	{ "oom-reap", op_oom_reap, ANON,
	  "– | – | UNMAP[0,16) nb | RELEASE ALL, UNMAP ALL" },
	{ "oom-reap", op_oom_reap, SHARED_ANON,
	  "– | – | – | RELEASE ALL, UNMAP ALL" },
	{ "oom-reap", op_oom_reap, MEMFD,
	  "– | – | – | RELEASE ALL, UNMAP ALL" },
	{ "oom-reap", op_oom_reap, HUGETLB_MEMFD,
	  "– | – | – | RELEASE ALL, UNMAP ALL",
	  "– | – | – | RELEASE ALL, UNMAP ALL, UNMAP[0,1024)" },
	{ "fork-cwrite", op_fork_cwrite, ANON,
	  "PROT_PAGE[0,16) | – child{CLEAR[4,5)}" },
	{ "fork-cwrite", op_fork_cwrite, SHARED_ANON, "– | –" },
	{ "fork-cwrite", op_fork_cwrite, MEMFD, "– | –" },
	{ "fork-cwrite", op_fork_cwrite, HUGETLB_MEMFD, "– | –" },

	{ "mprotect-ro-sparse", op_mprotect_ro_sparse, ANON, "PROT_VMA[0,1024)",
	  "PROT_VMA[512,1024)", 1024 },
	{ "collapse", op_collapse, ANON, "CLEAR[0,512)", NULL, 512 },

	/* anon-thp: one PMD, P = page 4, the interval [1,511) */
	{ "read-fault", op_read_fault, ANON_THP, "–" },
	{ "write-fault", op_write_fault, ANON_THP, "–" },
	{ "write-after-read", op_write_after_read, ANON_THP,
	  "CLEAR[0,512), CLEAR[4,5)" },
	{ "write-present", op_write_present, ANON_THP, "–" },
	{ "dontneed-1", op_dontneed_1, ANON_THP, "CLEAR[4,5), CLEAR[0,512)" },
	{ "dontneed-all", op_dontneed_all, ANON_THP, "CLEAR[0,512)" },
	{ "dontneed-all-untouched", op_dontneed_all_untouched, ANON_THP,
	  "CLEAR[0,512)" },
	{ "dontneed-span", op_dontneed_span, ANON_THP, "CLEAR[0,512)" },
	{ "pageout", op_pageout, ANON_THP, "CLEAR[0,512) | – | –",
	  "CLEAR[0,512), CLEAR[0,512) | – | –" },
	{ "cold", op_cold, ANON_THP, "–" },
	{ "munmap-part", op_munmap_part, ANON_THP, "CLEAR[0,512), UNMAP[4,8)" },
	{ "munmap-all", op_munmap_all, ANON_THP, "UNMAP[0,512)" },
	{ "munmap-all-untouched", op_munmap_all_untouched, ANON_THP,
	  "UNMAP[0,512)" },
	{ "munmap-span", op_munmap_span, ANON_THP, "UNMAP[-1,513)" },
	{ "mmap-fixed-over", op_mmap_fixed_over, ANON_THP, "UNMAP[0,512)" },
	{ "mprotect-ro", op_mprotect_ro, ANON_THP, "PROT_VMA[0,512)" },
	{ "mprotect-ro-part", op_mprotect_ro_part, ANON_THP,
	  "CLEAR[0,512), PROT_VMA[4,8)" },
	{ "mprotect-ro-untouched", op_mprotect_ro_untouched, ANON_THP,
	  "PROT_VMA[0,512)", "–" },
	{ "mprotect-ro-sparse", op_mprotect_ro_sparse, ANON_THP,
	  "PROT_VMA[0,1024)", "PROT_VMA[512,1024)", 1024 },
	{ "mprotect-rw", op_mprotect_rw, ANON_THP, "PROT_VMA[0,512) | –" },
	{ "mprotect-none", op_mprotect_none, ANON_THP,
	  "PROT_VMA[0,512) | PROT_VMA[0,512)" },
	{ "fork-exit-pwrite", op_fork_exit_pwrite, ANON_THP,
	  "PROT_PAGE[0,512) | – | –" },
	{ "fork-alive-pwrite", op_fork_alive_pwrite, ANON_THP,
	  "PROT_PAGE[0,512) | CLEAR[0,512), CLEAR[4,5) | – | – | "
	  "CLEAR[5,6)" },
	{ "fork-readonly", op_fork_readonly, ANON_THP,
	  "PROT_PAGE[0,512) | CLEAR[0,512), CLEAR[4,5) | CLEAR[5,6)" },
	{ "dontfork-fork", op_dontfork_fork, ANON_THP, "– | – | –" },
	{ "move_pages", op_move_pages_folios, ANON_THP, "CLEAR[0,512)" },
	{ "collapse", op_collapse, ANON_THP, "CLEAR[0,512)" },
	{ "khugepaged", op_khugepaged, ANON_THP, "CLEAR[0,512)" },
	{ "exit", op_exit_after_fork, ANON_THP,
	  "CLEAR[0,512), CLEAR[4,5), RELEASE ALL, release, UNMAP ALL" },
};

static unsigned long row_npages(const struct row *row)
{
	if (row->npages)
		return row->npages;
	if (row->type == HUGETLB_MEMFD)
		return 1024;
	return row->type == ANON_THP ? 512 : 16;
}

static void run_row(const struct row *row, enum umm_kernel kernel)
{
	const char *want = kernel == UMM_KERNEL_6_1 && row->want61 ?
			   row->want61 : row->want;
	char log[1024], norm[1024], got[2048], name[200];
	struct region r;

	region_setup(&r, row->type, row_npages(row));
	row->fn(&r);
	umm_ntrace_format(&rec, r.base, log, sizeof(log));
	normalise(norm, sizeof(norm), log);
	snprintf(got, sizeof(got), "%s%s%s%s", r.note, r.err, norm, r.child);
	region_teardown(&r);

	snprintf(name, sizeof(name), "%s %s on %s: %s",
		 kernel == UMM_KERNEL_6_1 ? "6.1 " : "6.12", row->op,
		 type_names[row->type], want);
	if (!ok(!strcmp(got, want), name))
		diag("got: %s", got);
}

int main(void)
{
	struct umm_config cfg = { .ram_mb = 64 };
	unsigned int i;

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		run_row(&rows[i], UMM_KERNEL_6_12);
	umm_set_kernel(UMM_KERNEL_6_1);
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		run_row(&rows[i], UMM_KERNEL_6_1);
	return done_testing();
}
