/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: page-table entries, x86-64 style.  Four levels of 512 entries;
 * upper levels hold the host address of the next table with the present
 * bit; a PMD may map 2 MiB directly (_PAGE_PSE).  A non-present, non-zero
 * PTE is a swap entry.  Tables are freed after an RCU grace period, so
 * the lockless walk of gup_fast may read a table that is being removed.
 */
#ifndef _LINUX_PGTABLE_H
#define _LINUX_PGTABLE_H

#include <linux/mm_types.h>

#define _PAGE_PRESENT	0x001UL
#define _PAGE_RW	0x002UL
#define _PAGE_USER	0x004UL
#define _PAGE_ACCESSED	0x020UL
#define _PAGE_DIRTY	0x040UL
#define _PAGE_PSE	0x080UL
#define _PAGE_SPECIAL	0x200UL	/* no refcounted struct page behind it */
#define _PAGE_SWP	0x400UL	/* non-present: a swap or migration entry */
#define _PAGE_MIGR	0x800UL	/* with _PAGE_SWP: a migration entry */
#define PTE_PFN_MASK	0x000ffffffffff000UL

#define __pte(x)	((pte_t){ (x) })
#define __pmd(x)	((pmd_t){ (x) })
#define pte_val(p)	((p).pte)
#define pmd_val(p)	((p).pmd)
#define pud_val(p)	((p).pud)
#define pgd_val(p)	((p).pgd)

static inline bool pte_none(pte_t p)	{ return !pte_val(p); }
static inline bool pte_present(pte_t p)	{ return pte_val(p) & _PAGE_PRESENT; }
static inline bool pte_write(pte_t p)	{ return pte_val(p) & _PAGE_RW; }
static inline bool pte_dirty(pte_t p)	{ return pte_val(p) & _PAGE_DIRTY; }
static inline bool pte_young(pte_t p)	{ return pte_val(p) & _PAGE_ACCESSED; }
static inline bool pte_special(pte_t p)	{ return pte_val(p) & _PAGE_SPECIAL; }
static inline bool pte_swp(pte_t p)
{
	return (pte_val(p) & (_PAGE_SWP | _PAGE_MIGR)) == _PAGE_SWP;
}

static inline bool pte_migration(pte_t p)
{
	return pte_val(p) & _PAGE_MIGR;
}

static inline unsigned long pte_pfn(pte_t p)
{
	return (pte_val(p) & PTE_PFN_MASK) >> PAGE_SHIFT;
}

static inline pte_t pfn_pte(unsigned long pfn, unsigned long prot)
{
	return __pte((pfn << PAGE_SHIFT) | prot | _PAGE_PRESENT);
}

static inline pte_t pte_mkdirty(pte_t p)  { return __pte(pte_val(p) | _PAGE_DIRTY); }
static inline pte_t pte_mkclean(pte_t p)  { return __pte(pte_val(p) & ~_PAGE_DIRTY); }
static inline pte_t pte_mkwrite(pte_t p)  { return __pte(pte_val(p) | _PAGE_RW); }
static inline pte_t pte_wrprotect(pte_t p) { return __pte(pte_val(p) & ~_PAGE_RW); }
static inline pte_t pte_mkyoung(pte_t p)  { return __pte(pte_val(p) | _PAGE_ACCESSED); }

static inline bool pmd_none(pmd_t p)	 { return !pmd_val(p); }
static inline bool pmd_present(pmd_t p)	 { return pmd_val(p) & _PAGE_PRESENT; }
static inline bool pmd_trans_huge(pmd_t p) { return pmd_val(p) & _PAGE_PSE; }
static inline bool pmd_write(pmd_t p)	 { return pmd_val(p) & _PAGE_RW; }
static inline bool pmd_dirty(pmd_t p)	 { return pmd_val(p) & _PAGE_DIRTY; }

static inline bool pmd_special(pmd_t p)
{
	return pmd_val(p) & _PAGE_SPECIAL;
}

/* A non-present huge PMD: a THP being migrated (PMD migration entry). */
static inline bool pmd_migration(pmd_t p)
{
	return (pmd_val(p) & (_PAGE_PSE | _PAGE_MIGR | _PAGE_PRESENT)) ==
	       (_PAGE_PSE | _PAGE_MIGR);
}

static inline unsigned long pmd_pfn(pmd_t p)
{
	return (pmd_val(p) & PTE_PFN_MASK) >> PAGE_SHIFT;
}

/* A present huge PMD mapping 2 MiB from @pfn. */
static inline pmd_t pfn_pmd(unsigned long pfn, unsigned long prot)
{
	return __pmd((pfn << PAGE_SHIFT) | prot | _PAGE_PRESENT | _PAGE_PSE);
}

static inline unsigned long pte_index(unsigned long a) { return (a >> PAGE_SHIFT) & 511; }
static inline unsigned long pmd_index(unsigned long a) { return (a >> PMD_SHIFT) & 511; }
static inline unsigned long pud_index(unsigned long a) { return (a >> PUD_SHIFT) & 511; }
static inline unsigned long pgd_index(unsigned long a) { return (a >> PGDIR_SHIFT) & 511; }

/* The next-level table an upper entry points to. */
static inline void *umm_table(unsigned long entry)
{
	return (void *)(entry & PTE_PFN_MASK);
}

#endif /* _LINUX_PGTABLE_H */
