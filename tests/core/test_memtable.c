// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptor addresses through a memory table (VHOST_SET_MEM_TABLE):
 * guest-physical addresses become user addresses, a buffer that spans
 * two regions becomes two buffers, and a buffer or indirect table
 * outside every region breaks the queue instead of being touched.
 */
#include <string.h>
#include <linux/kernel.h>
#include <umm/phys.h>
#include "tap.h"
#include "vq_fixture.h"

#define GPA0	0x100000UL	/* region 0: 64 KiB of data at gpa 1 MiB */
#define GPA1	(GPA0 + 0x10000)	/* region 1 follows it in gpa space */

static struct mm_struct *mm;

static int setup(struct fixture *f, struct vmeta_memtable *mt,
		 enum vmeta_strategy s)
{
	struct vmeta_vq_config cfg;

	fixture_init(f, mm, s, 16, false);
	vmeta_vq_destroy(&f->vq);
	mt->nr = 2;
	mt->r[0] = (struct vmeta_region){ GPA0, 0x10000, f->data + 0x40000 };
	mt->r[1] = (struct vmeta_region){ GPA1, 0x10000, f->data + 0x80000 };
	guest_vring_vq_config(&f->g, s, &cfg);
	cfg.mem = mt;
	return vmeta_vq_init(&f->vq, &cfg);
}

static int fetch(struct fixture *f, struct vmeta_chain *c)
{
	int ret;

	guest_vring_publish(&f->g);
	vmeta_vq_begin(&f->vq);
	ret = vmeta_vq_get_chain(&f->vq, c);
	vmeta_vq_end(&f->vq);
	return ret;
}

static void run(enum vmeta_strategy s)
{
	static struct vmeta_memtable mt;
	static struct vmeta_chain c;
	struct guest_buf b;
	struct fixture f;
	char name[96];

	setup(&f, &mt, s);
	/* 0x100 bytes at the end of region 0 and 0x100 into region 1. */
	b.addr = GPA1 - 0x100;
	b.len = 0x200;
	b.writable = false;
	guest_vring_add(&f.g, &b, 1, false, (void *)1);
	snprintf(name, sizeof(name), "%s: a buffer across two regions",
		 vmeta_strategy_name(s));
	is(fetch(&f, &c), 1, name);
	ok(c.out == 2 && c.iov[0].addr == f.data + 0x50000 - 0x100 &&
	   c.iov[0].len == 0x100 && c.iov[1].addr == f.data + 0x80000 &&
	   c.iov[1].len == 0x100, "becomes two buffers at their user addresses");

	b.addr = GPA1 + 0x10000;	/* just past region 1 */
	b.len = 16;
	guest_vring_add(&f.g, &b, 1, false, (void *)2);
	is(fetch(&f, &c), -EFAULT, "a buffer outside every region");
	ok(f.vq.why && !strcmp(f.vq.why, "buffer outside the memory table"),
	   "breaks the queue with the reason");
	fixture_destroy(&f);

	setup(&f, &mt, s);
	b.addr = GPA0 + 0x20000 * 4;	/* nowhere */
	b.len = 32;
	guest_vring_add(&f.g, &b, 1, true, (void *)3);
	f.g.d[0].addr = GPA0 + 0x20000 * 4;
	is(fetch(&f, &c), -EFAULT, "an indirect table outside every region");
	ok(f.vq.why && !strcmp(f.vq.why,
			       "indirect table outside the memory table"),
	   "with the reason");
	fixture_destroy(&f);
}

int main(void)
{
	struct umm_config cfg = { .ram_mb = 128 };
	int s;

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	mm = umm_mm_create();
	umm_use_mm(mm);
	for (s = 0; s < VMETA_NR_STRATEGIES; s++)
		run(s);
	umm_unuse_mm(mm);
	mmput(mm);
	return done_testing();
}
