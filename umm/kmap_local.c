// SPDX-License-Identifier: GPL-2.0
/*
 * umm: kmap_local_page() and its stack of per-task slots.
 *
 * task_struct::kmap_slots (UMM_KMAP_SLOTS entries, made on first use and
 * freed with the task) records every kmap_local mapping, innermost last,
 * kmap_nr of them.  A HIGHMEM page is mapped into the page of a per-thread
 * PROT_NONE area that belongs to its slot; the area goes back to the host
 * when the thread exits.  Only the owning thread touches any of this.
 */
#include <pthread.h>
#include <stdlib.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <umm/alias.h>
#include <umm/cache.h>

static __thread char *slot_area;	/* this thread's slot pages */
static pthread_key_t area_key;
static pthread_once_t area_key_once = PTHREAD_ONCE_INIT;

static void area_release(void *area)
{
	umm_alias_release(area, UMM_KMAP_SLOTS);
}

static void area_key_create(void)
{
	pthread_key_create(&area_key, area_release);
}

static char *slot_addr(int i)
{
	if (!slot_area) {
		slot_area = umm_alias_reserve(UMM_KMAP_SLOTS);
		BUG_ON(!slot_area);
		umm_cache_alias_tag(slot_area, UMM_KMAP_SLOTS, "kmap_local");
		pthread_once(&area_key_once, area_key_create);
		pthread_setspecific(area_key, slot_area);
	}
	return slot_area + (unsigned long)i * PAGE_SIZE;
}

static struct umm_kmap_slot *task_slots(struct task_struct *t)
{
	if (!t->kmap_slots) {
		t->kmap_slots = calloc(UMM_KMAP_SLOTS, sizeof(*t->kmap_slots));
		BUG_ON(!t->kmap_slots);
	}
	return t->kmap_slots;
}

/**
 * kmap_local_page - map a page for the current task, nested
 * @page: the page
 *
 * Returns the page's direct-map address for a lowmem page; maps a HIGHMEM
 * page into the task's next slot.  Undo with kunmap_local(), innermost
 * first.
 * Context: any; does not sleep.  At most UMM_KMAP_SLOTS at a time.
 */
void *kmap_local_page(struct page *page)
{
	struct task_struct *t = current;
	struct umm_kmap_slot *s = task_slots(t);

	if (t->kmap_nr >= UMM_KMAP_SLOTS) {
		umm_report(UMM_REPORT_BUG, __FILE__, __LINE__,
			   "kmap_local_page: all %d slots in use",
			   UMM_KMAP_SLOTS);
		return NULL;
	}
	s += t->kmap_nr;
	s->page = page;
	s->mapped = PageHighMem(page);
	if (s->mapped) {
		s->addr = slot_addr(t->kmap_nr);
		if (umm_alias_map(s->addr, page_to_pfn(page), 1, true))
			BUG();
	} else {
		s->addr = page_address(page);
	}
	t->kmap_nr++;
	return s->addr;
}

/**
 * kunmap_local - undo the innermost kmap_local_page()
 * @addr: an address inside the page it returned
 *
 * An @addr that is not the innermost mapping is reported, and the
 * innermost mapping is undone all the same, as in Linux.
 * Context: the task that made the mapping.
 */
void kunmap_local(const void *addr)
{
	struct task_struct *t = current;
	struct umm_kmap_slot *s;

	if (!t->kmap_nr) {
		umm_report(UMM_REPORT_WARN, __FILE__, __LINE__,
			   "kunmap_local(%p) without a kmap_local mapping",
			   addr);
		return;
	}
	s = &t->kmap_slots[t->kmap_nr - 1];
	WARN((unsigned long)addr - (unsigned long)s->addr >= PAGE_SIZE,
	     "kunmap_local(%p) out of order: the innermost mapping is %p",
	     addr, s->addr);
	umm_cache_kunmap(s->addr, s->mapped);	/* parisc, ARM VIVT */
	if (s->mapped)
		umm_alias_clear(s->addr, 1);
	s->page = NULL;
	s->addr = NULL;
	t->kmap_nr--;
}
