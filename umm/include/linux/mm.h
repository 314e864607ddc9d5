/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: the memory-management API the kernel offers its users: page
 * frames and their references, VMAs, gup, and dirtying.  Implemented by
 * umm/physmem.c, umm/page_alloc.c (pages and references), umm/page_lock.c
 * (the page lock, dirtying), umm/mm.c, umm/vma.c and umm/gup.c.
 */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <linux/bug.h>
#include <linux/gfp.h>
#include <linux/mm_types.h>
#include <linux/mmap_lock.h>
#include <linux/page-flags.h>

/* ---- page frames (umm/physmem.c) ---- */

extern struct page *umm_mem_map;	/* indexed by pfn */
extern char *umm_direct_map;		/* host address of pfn 0 */
extern unsigned long umm_max_pfn;	/* first pfn past all memory */
extern unsigned long umm_highmem_pfn;	/* first HIGHMEM pfn, or umm_max_pfn */

bool pfn_valid(unsigned long pfn);

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return umm_mem_map + pfn;
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return page - umm_mem_map;
}

static inline bool PageHighMem(const struct page *page)
{
	return page_to_pfn(page) >= umm_highmem_pfn;
}

/* Direct-map address of a lowmem page; NULL for a HIGHMEM page. */
static inline void *page_address(const struct page *page)
{
	if (PageHighMem(page))
		return NULL;
	return umm_direct_map + (page_to_pfn(page) << PAGE_SHIFT);
}

#define lowmem_page_address(p)	page_address(p)

static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(((const char *)addr - umm_direct_map) >> PAGE_SHIFT);
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return PFN_PHYS(page_to_pfn(page));
}

/* The shared zero page: a reserved page, never freed, never written. */
extern unsigned long umm_zero_pfn;
#define ZERO_PAGE(vaddr)	pfn_to_page(umm_zero_pfn)

static inline bool is_zero_pfn(unsigned long pfn)
{
	return pfn == umm_zero_pfn;
}

static inline unsigned long my_zero_pfn(unsigned long addr)
{
	return umm_zero_pfn;
}

/* ---- references (umm/page_alloc.c) ---- */

static inline int page_ref_count(const struct page *page)
{
	return atomic_read(&page->_refcount);
}

static inline int page_count(const struct page *page)
{
	return page_ref_count(compound_head(page));
}

/*
 * Map counts (umm/rmap.h): a page's _mapcount counts the PTEs that map
 * it; page 1 of a compound page counts the PMDs that map all of it
 * (_entire_mapcount, as Linux's entire_mapcount) and the PTEs that map
 * any of its pages (_nr_pte_mapped).
 */
static inline int folio_entire_mapcount(const struct page *head)
{
	return atomic_read(&head[1]._entire_mapcount) + 1;
}

static inline int folio_nr_pte_mapped(const struct page *head)
{
	return atomic_read(&head[1]._nr_pte_mapped);
}

/* PMD and PTE mappings of the whole compound page (or of one page). */
static inline int folio_mapcount(const struct page *page)
{
	const struct page *head = compound_head(page);

	if (!PageCompound(head))
		return atomic_read(&head->_mapcount) + 1;
	return folio_entire_mapcount(head) + folio_nr_pte_mapped(head);
}

/* Mappings of this page: by a PTE, or by a PMD mapping all of it. */
static inline int page_mapcount(const struct page *page)
{
	int n = atomic_read(&page->_mapcount) + 1;

	if (PageCompound(page))
		n += folio_entire_mapcount(compound_head(page));
	return n;
}

/* Is any page of the (compound) page mapped anywhere? */
static inline bool page_mapped(const struct page *page)
{
	return folio_mapcount(page) > 0;
}

void get_page(struct page *page);
bool try_get_page(struct page *page);
bool get_page_unless_zero(struct page *page);
void put_page(struct page *page);

struct page *alloc_pages(gfp_t gfp, unsigned int order);
#define alloc_page(gfp)		alloc_pages(gfp, 0)
void __free_pages(struct page *page, unsigned int order);
#define __free_page(page)	__free_pages(page, 0)

/* ---- the page lock and dirtying (umm/page_lock.c) ---- */

void lock_page(struct page *page);
bool trylock_page(struct page *page);
void unlock_page(struct page *page);
bool set_page_dirty(struct page *page);
bool set_page_dirty_lock(struct page *page);

/* ---- VMAs (umm/vma.c) ---- */

#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYSHARE	0x00000080UL
#define VM_PFNMAP	0x00000400UL
#define VM_LOCKED	0x00002000UL
#define VM_IO		0x00004000UL
#define VM_DONTCOPY	0x00020000UL
#define VM_DONTEXPAND	0x00040000UL
#define VM_HUGETLB	0x00400000UL
#define VM_HUGEPAGE	0x20000000UL
#define VM_NOHUGEPAGE	0x40000000UL
#define VM_MIXEDMAP	0x10000000UL

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr);

static inline bool is_vm_hugetlb_page(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_HUGETLB;
}

/* ---- address-space lifetime (umm/mm.c) ---- */

void mmgrab(struct mm_struct *mm);
void mmdrop(struct mm_struct *mm);
bool mmget_not_zero(struct mm_struct *mm);
void mmget(struct mm_struct *mm);
void mmput(struct mm_struct *mm);

/* ---- gup (umm/gup.c): the 6.12 signatures ---- */

#define FOLL_WRITE	0x01u	/* check the pte is writable, break COW */
#define FOLL_GET	0x02u	/* take a reference (implied by the API) */
#define FOLL_FORCE	0x10u
#define FOLL_NOWAIT	0x20u
#define FOLL_NOFAULT	0x80u	/* do not fault in */
#define FOLL_LONGTERM	0x100u
#define FOLL_PIN	0x200u
#define FOLL_FAST_ONLY	0x400u

long get_user_pages(unsigned long start, unsigned long nr_pages,
		    unsigned int gup_flags, struct page **pages);
int get_user_pages_fast(unsigned long start, int nr_pages,
			unsigned int gup_flags, struct page **pages);
int get_user_pages_fast_only(unsigned long start, int nr_pages,
			     unsigned int gup_flags, struct page **pages);
int pin_user_pages_fast(unsigned long start, int nr_pages,
			unsigned int gup_flags, struct page **pages);
void unpin_user_page(struct page *page);
void unpin_user_pages(struct page **pages, unsigned long npages);
void unpin_user_pages_dirty_lock(struct page **pages, unsigned long npages,
				 bool make_dirty);
int follow_pfn(struct vm_area_struct *vma, unsigned long address,
	       unsigned long *pfn);

#endif /* _LINUX_MM_H */
