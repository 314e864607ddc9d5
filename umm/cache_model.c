// SPDX-License-Identifier: GPL-2.0
/*
 * umm: the lines of the cache model (rules R1-R5 of
 * shared/research/B_cache_aliasing.md §5).
 *
 * Per physical line: the version memory holds, the version of the newest
 * store, the last writer, and the cached copies, each keyed by colour
 * (VIPT) or by address space and virtual address (VIVT), with the
 * version it holds and whether it is dirty.  All caches are write-back
 * and write-allocate.
 *
 *   read through V   the copy at key(V), filled from memory if absent;
 *                    older than the newest store: a stale read
 *   write through V  the copy at key(V) becomes the newest, dirty; a
 *                    partial write into an older copy, or a second dirty
 *                    copy elsewhere, is reported: a write-back of either
 *                    loses data
 *   clean / inval    by key, on one page: write back / discard (a dirty
 *                    copy newer than memory is lost: reported)
 *
 * A report resynchronises the copy it is about, so that one mistake is
 * reported once.  Under cache_lock.
 */
#include "cache_internal.h"	/* first: the model is not routed */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sched.h>

static struct cache_page **pages;	/* by pfn, made on first use */
static unsigned long nr_pages;

/* The model's state for @pfn; NULL if it has none and !@create. */
struct cache_page *cache_page(unsigned long pfn, bool create)
{
	struct cache_page *cp;

	if (!pages) {
		if (!create)
			return NULL;
		nr_pages = umm_max_pfn;
		pages = calloc(nr_pages, sizeof(*pages));
		BUG_ON(!pages);
	}
	if (pfn >= nr_pages)
		return NULL;
	cp = pages[pfn];
	if (!cp && create) {
		cp = calloc(1, sizeof(*cp));
		BUG_ON(!cp);
		pages[pfn] = cp;
	}
	return cp;
}

static struct cache_line *page_lines(struct cache_page *cp)
{
	if (!cp->lines) {
		cp->lines = calloc(LINES_PER_PAGE, sizeof(*cp->lines));
		BUG_ON(!cp->lines);
	}
	return cp->lines;
}

/* R1: VIPT copies are per colour, VIVT copies per virtual address. */
unsigned long cache_key(unsigned int space, unsigned long va)
{
	if (cache_geo->index == UMM_CACHE_VIVT)
		return ((unsigned long)space << 40) | (va & PAGE_MASK);
	return (va >> PAGE_SHIFT) & (cache_geo->colours - 1);
}

static struct cache_copy *find_copy(struct cache_line *l, unsigned long key)
{
	unsigned int i;

	for (i = 0; i < l->nr; i++)
		if (l->copies[i].key == key)
			return &l->copies[i];
	return NULL;
}

static struct cache_copy *add_copy(struct cache_line *l, unsigned long key)
{
	struct cache_copy *c;

	if (l->nr == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 2;
		l->copies = realloc(l->copies, l->cap * sizeof(*l->copies));
		BUG_ON(!l->copies);
	}
	c = &l->copies[l->nr++];
	memset(c, 0, sizeof(*c));
	c->key = key;
	c->ver = l->mem;
	return c;
}

static void drop_copy(struct cache_line *l, struct cache_copy *c)
{
	*c = l->copies[--l->nr];
}

static const char *space_name(unsigned int space)
{
	return space ? "user" : "kernel";
}

static void describe_copy(char *buf, size_t len, const struct cache_copy *c)
{
	if (cache_geo->index == UMM_CACHE_VIVT)
		snprintf(buf, len, "%s %s va %#lx", space_name(c->space),
			 c->what, c->va);
	else
		snprintf(buf, len, "colour %lu (%s va %#lx)", c->key, c->what,
			 c->va);
}

static void describe_writer(char *buf, size_t len, const struct cache_line *l)
{
	const struct cache_writer *w = &l->last;

	if (!w->what)
		snprintf(buf, len, "none seen by the model");
	else
		snprintf(buf, len, "%s store via %s va %#lx by [%s] at %s:%d",
			 space_name(w->space), w->what, w->va, w->comm,
			 w->file, w->line);
}

/* The copy holding the newest version, if a cache holds it. */
static struct cache_copy *newest_copy(struct cache_line *l)
{
	unsigned int i;

	for (i = 0; i < l->nr; i++)
		if (l->copies[i].dirty && l->copies[i].ver == l->latest)
			return &l->copies[i];
	return NULL;
}

static void report_line(enum umm_report_kind kind, const char *file, int line,
			const char *what, unsigned long pfn, unsigned int idx,
			struct cache_line *l, const struct cache_copy *c,
			const struct cache_copy *other)
{
	char mine[96], theirs[96], writer[192];

	describe_copy(mine, sizeof(mine), c);
	if (other)
		describe_copy(theirs, sizeof(theirs), other);
	else
		snprintf(theirs, sizeof(theirs), "memory");
	describe_writer(writer, sizeof(writer), l);
	umm_report(kind, file, line,
		   "[%s] %s: pa %#lx (pfn %#lx line %u): %s holds v%u, newest v%u in %s, memory v%u; last writer: %s",
		   cache_geo->name, what,
		   (pfn << PAGE_SHIFT) | ((unsigned long)idx << LINE_SHIFT),
		   pfn, idx, mine, c->ver, l->latest, theirs, l->mem, writer);
}

/* Write a copy back: memory takes its version, whatever memory held. */
static void writeback(struct cache_line *l, struct cache_copy *c)
{
	if (!c->dirty)
		return;
	l->mem = c->ver;
	c->dirty = false;
	cache_stats.lines_written_back++;
}

static void evict_random(struct cache_line *lines)
{
	struct cache_line *l = &lines[cache_random() % LINES_PER_PAGE];

	if (!l->nr)
		return;
	writeback(l, &l->copies[cache_random() % l->nr]);
}

/* R5: the direct map is always mapped, so the CPU may fill it any time. */
static void speculate(struct cache_line *l, unsigned long pfn)
{
	unsigned long key;

	if (pfn >= umm_highmem_pfn)
		return;
	key = cache_key(0, MODEL_PAGE_OFFSET + (pfn << PAGE_SHIFT));
	if (!find_copy(l, key)) {
		struct cache_copy *c = add_copy(l, key);

		c->what = "direct map (speculative fill)";
		c->va = MODEL_PAGE_OFFSET + (pfn << PAGE_SHIFT);
	}
}

static void note_writer(struct cache_line *l, const struct cache_loc *loc,
			unsigned long va, const char *file, int line)
{
	l->last.what = loc->what;
	l->last.va = va;
	l->last.space = loc->space;
	l->last.file = file;
	l->last.line = line;
	snprintf(l->last.comm, sizeof(l->last.comm), "%s", current->comm);
}

static void access_line(const struct cache_loc *loc, unsigned int idx,
			bool full, bool write, const char *file, int line)
{
	struct cache_page *cp = cache_page(loc->pfn, true);
	struct cache_line *lines = page_lines(cp), *l = &lines[idx];
	unsigned long va = loc->va + ((unsigned long)idx << LINE_SHIFT);
	unsigned long key = cache_key(loc->space, loc->va);
	struct cache_copy *c, *other;
	unsigned int i;

	if (cache_evict_permille &&
	    cache_random() % 1000 < cache_evict_permille)
		evict_random(lines);
	if (cache_speculate_permille &&
	    cache_random() % 1000 < cache_speculate_permille)
		speculate(l, loc->pfn);
	c = find_copy(l, key);
	if (!c)
		c = add_copy(l, key);
	c->what = loc->what;
	c->va = va;
	c->space = loc->space;
	if (c->ver != l->latest && !(write && full)) {
		cache_stats.stale_reads++;
		report_line(UMM_REPORT_CACHE_STALE, file, line,
			    write ? "partial store into a stale line" :
				    "stale read",
			    loc->pfn, idx, l, c, newest_copy(l));
		c->ver = l->latest;
	}
	if (!write)
		return;
	for (i = 0; i < l->nr; i++) {
		other = &l->copies[i];
		if (other == c || !other->dirty)
			continue;
		cache_stats.dirty_aliases++;
		report_line(UMM_REPORT_CACHE_DIRTY_ALIAS, file, line,
			    "store while another colour holds a dirty copy",
			    loc->pfn, idx, l, c, other);
		other->dirty = false;	/* reported once */
	}
	c->ver = ++l->latest;
	c->dirty = true;
	note_writer(l, loc, va, file, line);
}

/**
 * cache_access - an access of @n bytes at offset @off of the page @loc
 * Context: cache_lock held; the range does not cross the page.
 */
void cache_access(const struct cache_loc *loc, unsigned long off, size_t n,
		  bool write, const char *file, int line)
{
	unsigned long end = off + n, a;

	for (a = off & ~((1UL << LINE_SHIFT) - 1); a < end;
	     a += 1UL << LINE_SHIFT) {
		bool full = a >= off && a + (1UL << LINE_SHIFT) <= end;

		access_line(loc, a >> LINE_SHIFT, full, write, file, line);
	}
}

/**
 * cache_maint - clean, invalidate or flush the copies at key(@space, @va)
 * of the lines of @pfn in [@off, @off + @n)
 *
 * Counts one line operation per line, as the hardware issues one per
 * line whether it holds anything or not.  Returns the dirty lines
 * written back or dropped.
 * Context: cache_lock held.
 */
unsigned long cache_maint(unsigned long pfn, unsigned int space,
			  unsigned long va, unsigned long off, size_t n,
			  enum cache_op op)
{
	struct cache_page *cp = cache_page(pfn, false);
	unsigned long key = cache_key(space, va), done = 0, a;
	struct cache_copy *c;
	struct cache_line *l;

	for (a = off >> LINE_SHIFT; a < DIV_ROUND_UP(off + n, 1UL << LINE_SHIFT);
	     a++) {
		cache_stats.lines_flushed++;
		if (!cp || !cp->lines)
			continue;
		l = &cp->lines[a];
		c = find_copy(l, key);
		if (!c)
			continue;
		if (op == OP_INVAL && c->dirty && c->ver > l->mem) {
			cache_stats.dirty_discards++;
			cache_stats.lines_discarded++;
			report_line(UMM_REPORT_CACHE_DISCARD, __FILE__, __LINE__,
				    "invalidate of a dirty line", pfn, a, l, c,
				    NULL);
			done++;
		} else if (op != OP_INVAL && c->dirty) {
			writeback(l, c);
			done++;
		}
		if (op != OP_CLEAN)
			drop_copy(l, c);
	}
	return done;
}

/* Every copy of @pfn written back and dropped. */
static unsigned long flush_page_all(struct cache_page *cp)
{
	unsigned long done = 0;
	unsigned int i;

	for (i = 0; cp->lines && i < LINES_PER_PAGE; i++) {
		struct cache_line *l = &cp->lines[i];

		while (l->nr) {
			done += l->copies[0].dirty;
			writeback(l, &l->copies[0]);
			drop_copy(l, &l->copies[0]);
		}
	}
	return done;
}

/**
 * cache_maint_all - flush the whole cache (flush_cache_all)
 * Context: cache_lock held.
 */
/* The user space the VIVT CPU last ran (R10); 0 before any.  cache_lock. */
unsigned int cache_vivt_space;

void cache_maint_all(void)
{
	unsigned long pfn;

	cache_stats.whole_cache_flushes++;
	for (pfn = 0; pages && pfn < nr_pages; pfn++)
		if (pages[pfn])
			cache_stats.lines_flushed += flush_page_all(pages[pfn]);
}

/**
 * cache_page_has_dirty - does a cache hold dirty lines of @pfn?
 * @user_only: only copies made through user addresses count
 *
 * Context: cache_lock held.
 */
bool cache_page_has_dirty(unsigned long pfn, bool user_only)
{
	struct cache_page *cp = cache_page(pfn, false);
	unsigned int i, j;

	for (i = 0; cp && cp->lines && i < LINES_PER_PAGE; i++)
		for (j = 0; j < cp->lines[i].nr; j++)
			if (cp->lines[i].copies[j].dirty &&
			    (!user_only || cp->lines[i].copies[j].space))
				return true;
	return false;
}

/**
 * cache_page_drop - write back and forget every copy of @pfn
 * Context: cache_lock held.  Returns the dirty lines written back.
 */
unsigned long cache_page_drop(unsigned long pfn)
{
	struct cache_page *cp = cache_page(pfn, false);

	return cp ? flush_page_all(cp) : 0;
}

/**
 * cache_misuse - report a broken rule of the cache API
 * Context: cache_lock held.
 */
void cache_misuse(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cache_stats.misuses++;
	umm_report(UMM_REPORT_CACHE_MISUSE, __FILE__, __LINE__, "[%s] %s",
		   cache_geo->name, msg);
}

/* Forget all lines (the translations stay).  Under cache_lock. */
void cache_model_reset(void)
{
	unsigned long pfn;
	unsigned int i;

	cache_vivt_space = 0;
	for (pfn = 0; pages && pfn < nr_pages; pfn++) {
		struct cache_page *cp = pages[pfn];

		if (!cp || !cp->lines)
			continue;
		for (i = 0; i < LINES_PER_PAGE; i++)
			free(cp->lines[i].copies);
		free(cp->lines);
		cp->lines = NULL;
	}
}

/**
 * cache_maint_kernel - flush every copy of @pfn made through a kernel
 * address (a HIGHMEM page's kmaps, wherever they were)
 * Context: cache_lock held.  Returns the dirty lines written back.
 */
unsigned long cache_maint_kernel(unsigned long pfn)
{
	struct cache_page *cp = cache_page(pfn, false);
	unsigned long done = 0;
	unsigned int i, j;

	for (i = 0; cp && cp->lines && i < LINES_PER_PAGE; i++) {
		struct cache_line *l = &cp->lines[i];

		cache_stats.lines_flushed++;
		for (j = 0; j < l->nr; j++) {
			if (l->copies[j].space)
				continue;
			done += l->copies[j].dirty;
			writeback(l, &l->copies[j]);
			drop_copy(l, &l->copies[j--]);
		}
	}
	return done;
}
