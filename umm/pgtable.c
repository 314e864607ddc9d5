// SPDX-License-Identifier: GPL-2.0
/*
 * umm: four-level page tables.  Tables are host memory, 4 KiB aligned;
 * every entry is written under mm->page_table_lock with WRITE_ONCE, and
 * a table is freed only after an RCU grace period, so that a lockless
 * walker (gup_fast) that found it under rcu_read_lock() may still read
 * it.  Entries are read with READ_ONCE for the same reason.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <umm/mm.h>

struct pgtable_free {
	struct rcu_head rcu;
	void *table;
};

static unsigned long *table_alloc(void)
{
	void *t = aligned_alloc(PAGE_SIZE, PAGE_SIZE);

	if (!t)
		abort();
	memset(t, 0, PAGE_SIZE);
	return t;
}

static void table_free_rcu(struct rcu_head *rcu)
{
	struct pgtable_free *f = container_of(rcu, struct pgtable_free, rcu);

	free(f->table);
	free(f);
}

/* Free @table once no lockless walker can be reading it. */
static void table_free_deferred(void *table)
{
	struct pgtable_free *f = malloc(sizeof(*f));

	if (!f)
		abort();
	f->table = table;
	call_rcu(&f->rcu, table_free_rcu);
}

/* Entry @idx of @table, allocating the next level when @alloc. */
static unsigned long *next_level(unsigned long *table, unsigned long idx,
				 bool alloc)
{
	unsigned long e = READ_ONCE(table[idx]);

	if (!e) {
		if (!alloc)
			return NULL;
		e = (unsigned long)table_alloc() | _PAGE_PRESENT;
		/* Pairs with the READ_ONCE of lockless walkers. */
		smp_wmb();
		WRITE_ONCE(table[idx], e);
	}
	if (e & _PAGE_PSE)
		return NULL;
	return umm_table(e);
}

static unsigned long *pmd_table(struct mm_struct *mm, unsigned long addr,
				bool alloc)
{
	unsigned long *pud;

	if (alloc)
		lockdep_assert_held(&mm->page_table_lock);
	pud = next_level((unsigned long *)mm->pgd, pgd_index(addr), alloc);
	if (!pud)
		return NULL;
	return next_level(pud, pud_index(addr), alloc);
}

/**
 * umm_pmd_lookup - the PMD entry that covers @addr, or NULL
 * @mm: the address space
 * @addr: a user address
 *
 * Context: under mm->page_table_lock, or rcu_read_lock() for a lockless
 * walk that re-checks what it reads.
 */
pmd_t *umm_pmd_lookup(struct mm_struct *mm, unsigned long addr)
{
	unsigned long *pmd = pmd_table(mm, addr, false);

	return pmd ? (pmd_t *)&pmd[pmd_index(addr)] : NULL;
}

/**
 * umm_pmd_alloc - the PMD entry for @addr, allocating upper tables
 * Context: mm->page_table_lock held.
 */
pmd_t *umm_pmd_alloc(struct mm_struct *mm, unsigned long addr)
{
	return (pmd_t *)&pmd_table(mm, addr, true)[pmd_index(addr)];
}

/**
 * umm_pte_lookup - the PTE for @addr, or NULL if no PTE table maps it
 * (none, or mapped by a huge PMD).
 * Context: as umm_pmd_lookup().
 */
pte_t *umm_pte_lookup(struct mm_struct *mm, unsigned long addr)
{
	pmd_t *pmd = umm_pmd_lookup(mm, addr);
	unsigned long e;

	if (!pmd)
		return NULL;
	e = READ_ONCE(pmd->pmd);
	if (!e || (e & _PAGE_PSE))
		return NULL;
	return (pte_t *)umm_table(e) + pte_index(addr);
}

/**
 * umm_pte_alloc - the PTE for @addr, allocating tables as needed; NULL
 * if a huge PMD maps @addr.
 * Context: mm->page_table_lock held.
 */
pte_t *umm_pte_alloc(struct mm_struct *mm, unsigned long addr)
{
	unsigned long *pmd = pmd_table(mm, addr, true);
	unsigned long *pte = next_level(pmd, pmd_index(addr), true);

	return pte ? (pte_t *)pte + pte_index(addr) : NULL;
}

/**
 * umm_pte_table_alloc - an empty PTE table, to be filled and then
 * installed with umm_pmd_populate() (splitting a huge PMD)
 * Context: any; the lab's tables come from the host allocator.
 */
pte_t *umm_pte_table_alloc(void)
{
	return (pte_t *)table_alloc();
}

/**
 * umm_pmd_populate - make @pmdp point to @table, whose entries are
 * already written: a lockless walker that finds the table sees them
 * Context: mm->page_table_lock held.
 */
void umm_pmd_populate(struct mm_struct *mm, pmd_t *pmdp, pte_t *table)
{
	lockdep_assert_held(&mm->page_table_lock);
	/* Pairs with the READ_ONCE of lockless walkers. */
	smp_wmb();
	WRITE_ONCE(pmdp->pmd, (unsigned long)table | _PAGE_PRESENT);
}

/* A PTE table exists under the PMD entry that covers @addr (6.1 rule). */
bool umm_pmd_populated(struct mm_struct *mm, unsigned long addr)
{
	pmd_t *pmd = umm_pmd_lookup(mm, addr);

	return pmd && !pmd_none(*pmd);
}

/* A PMD table exists under the PUD entry that covers @addr (6.12 rule). */
bool umm_pud_populated(struct mm_struct *mm, unsigned long addr)
{
	return pmd_table(mm, addr, false) != NULL;
}

static void free_level(unsigned long *table, int level)
{
	int i;

	for (i = 0; level > 1 && i < PTRS_PER_PTE; i++) {
		unsigned long e = table[i];

		if (e && !(e & _PAGE_PSE))
			free_level(umm_table(e), level - 1);
	}
	table_free_deferred(table);
}

/**
 * umm_free_pgtables - free every table of @mm below the PGD
 * Context: the mm is being torn down; no user remains, but lockless
 * walkers may still be inside an RCU read section.
 */
void umm_free_pgtables(struct mm_struct *mm)
{
	unsigned long *pgd = (unsigned long *)mm->pgd;
	int i;

	for (i = 0; i < PTRS_PER_PGD; i++) {
		if (pgd[i])
			free_level(umm_table(pgd[i]), 3);
		pgd[i] = 0;
	}
}

/**
 * umm_free_pte_table - free the PTE table under @pmdp if it maps nothing
 * Context: mm->page_table_lock held; no VMA covers the 2 MiB it maps.
 */
void umm_free_pte_table(struct mm_struct *mm, pmd_t *pmdp)
{
	unsigned long e = READ_ONCE(pmdp->pmd);

	lockdep_assert_held(&mm->page_table_lock);
	if (!e || (e & _PAGE_PSE))
		return;
	WRITE_ONCE(pmdp->pmd, 0);
	table_free_deferred(umm_table(e));
}

/* The root table, for umm_mm_create(). */
pgd_t *umm_pgd_alloc(void)
{
	return (pgd_t *)table_alloc();
}

void umm_pgd_free(pgd_t *pgd)
{
	table_free_deferred(pgd);
}
