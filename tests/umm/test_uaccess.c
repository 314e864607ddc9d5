// SPDX-License-Identifier: GPL-2.0
/*
 * User access through the lab's mirrors: faults resolved on demand,
 * -EFAULT through the exception table where nothing may be mapped, the
 * zero page for reads, and the dirty bit set by stores only.
 */
#include <string.h>
#include <linux/pgtable.h>
#include <linux/uaccess.h>
#include <umm/mm.h>
#include <umm/phys.h>
#include "tap.h"

static struct mm_struct *mm;

static unsigned long pte_of(unsigned long addr)
{
	pte_t *ptep;
	unsigned long val = 0;

	spin_lock(&mm->page_table_lock);
	ptep = umm_pte_lookup(mm, addr);
	if (ptep)
		val = pte_val(*ptep);
	spin_unlock(&mm->page_table_lock);
	return val;
}

static void test_user_thread_access(unsigned long a)
{
	int *p = umm_user_ptr(mm, a);

	is(p[0], 0, "an untouched private page reads as zero");
	is(pte_pfn(__pte(pte_of(a))), umm_zero_pfn,
	   "through the shared zero page");
	ok(!pte_write(__pte(pte_of(a))), "mapped read-only");
	p[0] = 42;
	is(p[0], 42, "a user store faults in a private page and lands");
	ok(pte_pfn(__pte(pte_of(a))) != umm_zero_pfn, "replacing the zero page");
	ok(pte_dirty(__pte(pte_of(a))), "and the store set the dirty bit");
}

static void test_kernel_access(unsigned long a)
{
	u32 __user *u = (u32 __user *)a;
	u16 v16 = 0;
	u32 v = 0;
	char buf[2 * PAGE_SIZE], back[2 * PAGE_SIZE];
	int i;

	is(__get_user(v, u), 0, "__get_user succeeds");
	is(v, 42, "and reads what the user wrote");
	is(__put_user(7, u + 1), 0, "__put_user succeeds");
	is(((u32 *)umm_user_ptr(mm, a))[1], 7, "the user sees the store");
	is(get_user(v16, (u16 __user *)(a + 4)), 0, "get_user of a u16");
	is(v16, 7, "reads it");
	is(put_user(9, (u16 __user *)(a + 6)), 0, "put_user of a u16");

	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (char)i;
	is(copy_to_user((void __user *)(a + PAGE_SIZE - 100), buf, sizeof(buf)),
	   0, "copy_to_user across pages, faulting them in");
	is(copy_from_user(back, (void __user *)(a + PAGE_SIZE - 100),
			  sizeof(back)), 0, "copy_from_user back");
	ok(!memcmp(buf, back, sizeof(buf)), "the same bytes");
	is(pte_of(a + 5 * PAGE_SIZE), 0, "pages not touched stay unmapped");
}

static void test_faults(unsigned long a, unsigned long len)
{
	u32 __user *past = (u32 __user *)(a + len);
	char buf[256];
	u32 v = 1;
	const u32 __user *m;

	is(__get_user(v, past), -EFAULT, "__get_user past the VMA: -EFAULT");
	is(v, 0, "and the value is zeroed");
	is(__put_user(1, past), -EFAULT, "__put_user past the VMA: -EFAULT");
	is(get_user(v, (u32 __user *)(TASK_SIZE_MAX + 64)), -EFAULT,
	   "get_user above the user range fails access_ok");
	memset(buf, 0x55, sizeof(buf));
	is(copy_from_user(buf, (void __user *)(a + len - 100), sizeof(buf)),
	   sizeof(buf) - 100, "copy_from_user stops at the end of the VMA");
	is(buf[200], 0, "and zeroes what it could not copy");

	m = masked_user_access_begin((const u32 __user *)~0UL);
	unsafe_get_user(v, m, masked_fault);
	user_read_access_end();
	ok(0, "a masked access to a kernel address must fault");
	return;
masked_fault:
	user_read_access_end();
	ok(1, "a masked access to a kernel address faults at the top of the user range");
}

static void test_protection(unsigned long a)
{
	u32 v;

	is(umm_mprotect(mm, a, PAGE_SIZE, PROT_READ), 0, "mprotect read-only");
	is(__get_user(v, (u32 __user *)a), 0, "reads still work");
	is(__put_user(1, (u32 __user *)a), -EFAULT, "stores fail");
	is(umm_mprotect(mm, a, PAGE_SIZE, PROT_NONE), 0, "mprotect none");
	is(__get_user(v, (u32 __user *)a), -EFAULT, "reads fail");
	is(umm_mprotect(mm, a, PAGE_SIZE, PROT_READ | PROT_WRITE), 0,
	   "mprotect read-write");
	is(__put_user(5, (u32 __user *)a), 0, "stores work again");
	is(__get_user(v, (u32 __user *)a), 0, "and read back");
	is(v, 5, "the value stored");
}

static void test_shared_dirty(void)
{
	long a = umm_mmap(mm, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, NULL, 0);
	volatile int *p = umm_user_ptr(mm, a);

	ok(a > 0, "shared anonymous mapping");
	is(p[0], 0, "reads zero");
	ok(pte_write(__pte(pte_of(a))) && !pte_dirty(__pte(pte_of(a))),
	   "a read fault maps the shared page writable and clean");
	p[0] = 3;
	ok(pte_dirty(__pte(pte_of(a))), "the first store sets the dirty bit");
	is(umm_munmap(mm, a, 4 * PAGE_SIZE), 0, "munmap");
}

int main(void)
{
	struct umm_config cfg = { .ram_mb = 64 };
	unsigned long free_before, len = 16 * PAGE_SIZE;
	long a;

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	mm = umm_mm_create();
	free_before = umm_nr_free_pages();
	a = umm_mmap(mm, 0, len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	ok(a > 0 && !(a & (PAGE_SIZE - 1)), "anonymous private mapping");
	umm_use_mm(mm);
	test_user_thread_access(a);
	test_kernel_access(a);
	test_faults(a, len);
	test_protection(a);
	test_shared_dirty();
	is(umm_munmap(mm, a, len), 0, "munmap");
	is(__get_user(a, (long __user *)a), -EFAULT, "unmapped: -EFAULT");
	umm_unuse_mm(mm);
	mmput(mm);
	is(umm_nr_free_pages(), free_before, "every page came back");
	return done_testing();
}
