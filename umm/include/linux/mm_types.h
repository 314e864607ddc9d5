/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: struct page, the address space (mm_struct, vm_area_struct) and the
 * page-table entry types, with the kernel's names.  The lab's choices,
 * where it differs from Linux, are in Documentation/umm.md.
 */
#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PMD_SHIFT	21
#define PMD_SIZE	(1UL << PMD_SHIFT)
#define PMD_MASK	(~(PMD_SIZE - 1))
#define PUD_SHIFT	30
#define PUD_SIZE	(1UL << PUD_SHIFT)
#define PGDIR_SHIFT	39
#define PTRS_PER_PTE	512
#define PTRS_PER_PMD	512
#define PTRS_PER_PUD	512
#define PTRS_PER_PGD	512
#define HPAGE_PMD_ORDER	(PMD_SHIFT - PAGE_SHIFT)
#define HPAGE_PMD_NR	(1 << HPAGE_PMD_ORDER)
#define HPAGE_PMD_SIZE	PMD_SIZE
#define MAX_ORDER	10		/* largest buddy block: 4 MiB */
#define PAGE_ALIGN(a)	(((a) + PAGE_SIZE - 1) & PAGE_MASK)
#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define PFN_PHYS(pfn)	((phys_addr_t)(pfn) << PAGE_SHIFT)
#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)

struct address_space;
struct anon_vma;
struct mmu_notifier_subscriptions;

/*
 * One per physical page frame of a valid pfn.  Struct pages of absent
 * memory sections are not accessible at all (PROT_NONE).
 */
struct page {
	unsigned long flags;		/* PG_* bits, atomic bitops */
	atomic_t _refcount;		/* 0: free (in the buddy allocator) */
	atomic_t _mapcount;		/* -1: not mapped by any page table */
	/* Tail pages: address of the head page + 1; otherwise 0. */
	unsigned long compound_head;
	unsigned int compound_order;	/* head page only */
	struct address_space *mapping;	/* anon_vma (PageAnon) or file */
	pgoff_t index;			/* page offset in its mapping */
	unsigned long private;		/* swap slot; buddy order when free */
	union {
		struct list_head lru;	/* buddy free list or LRU */
		/*
		 * Page 1 of an allocated compound page (umm/rmap.h):
		 * atomics, changed under the page_table_lock of the mm
		 * whose entry maps or unmaps it.
		 */
		struct {
			atomic_t _entire_mapcount; /* PMDs mapping it, -1 */
			atomic_t _nr_pte_mapped;   /* PTEs mapping its pages */
		};
	};
};

/* Page-table entries: x86-64 layout, pfn in bits 12..51. */
typedef struct { unsigned long pte; } pte_t;
typedef struct { unsigned long pmd; } pmd_t;
typedef struct { unsigned long pud; } pud_t;
typedef struct { unsigned long pgd; } pgd_t;
typedef struct { unsigned long pgprot; } pgprot_t;

struct vm_area_struct;

/*
 * The lab's memory objects behind a VMA: NULL for anonymous memory, or a
 * shared file (shmem, memfd, hugetlbfs) with its page cache and store.
 */
struct umm_file;

struct vm_area_struct {
	unsigned long vm_start;		/* first byte */
	unsigned long vm_end;		/* first byte after */
	struct mm_struct *vm_mm;
	unsigned long vm_flags;		/* VM_* */
	pgoff_t vm_pgoff;		/* offset in vm_file, or anon index */
	struct umm_file *vm_file;
	struct anon_vma *anon_vma;	/* set by the first private write */
	unsigned long vm_pfn;		/* VM_PFNMAP: pfn of vm_start */
	struct list_head vm_list;	/* mm->vmas, sorted; mmap_lock */
	struct list_head vm_shared;	/* file or anon_vma rmap list */
};

struct mm_struct {
	struct rw_semaphore mmap_lock;
	/*
	 * Page-table lock: the lab has one per mm (Linux splits it per
	 * page-table page); protects every entry of this mm's tables.
	 */
	spinlock_t page_table_lock;
	pgd_t *pgd;
	struct list_head vmas;		/* sorted by address; mmap_lock */
	atomic_t mm_users;		/* users of the address space */
	atomic_t mm_count;		/* references to the struct */
	unsigned long task_size;	/* user addresses are [0, task_size) */
	unsigned long def_flags;
	bool exiting;			/* exit_mmap() started */
	bool unstable;			/* MMF_UNSTABLE: the OOM reaper ran */
	struct mmu_notifier_subscriptions *notifier_subscriptions;
	/* lab: host address at which user address 0 is mirrored */
	unsigned long mirror_base;
	struct list_head mm_list;	/* all mms, for the lab's rmap walks */
};

#endif /* _LINUX_MM_TYPES_H */
