// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed rings: each rule a guest can break marks only its own queue
 * broken, with a precise error, under every strategy; nothing is read or
 * written outside the rings and the chain's buffers, and a second queue
 * in the same address space keeps working.
 */
#include <string.h>
#include <linux/kernel.h>
#include <umm/phys.h>
#include "tap.h"
#include "vq_fixture.h"

static struct mm_struct *mm;

struct bad_case {
	const char *name;
	int err;
	const char *why;
	void (*corrupt)(struct fixture *f);
};

static void one_buf(struct fixture *f, u16 flags, u64 addr, u32 len)
{
	struct guest_buf b = { f->data, 64, false };

	guest_vring_add(&f->g, &b, 1, false, (void *)1);
	f->g.d[0].flags = flags;
	f->g.d[0].addr = addr ? addr : f->data;
	f->g.d[0].len = len;
}

static void head_out_of_range(struct fixture *f)
{
	one_buf(f, 0, 0, 64);
	f->g.a->ring[0] = f->g.num;
}

static void next_out_of_range(struct fixture *f)
{
	one_buf(f, VRING_DESC_F_NEXT, 0, 64);
	f->g.d[0].next = f->g.num + 3;
}

static void loop(struct fixture *f)
{
	one_buf(f, VRING_DESC_F_NEXT, 0, 64);
	f->g.d[0].next = 0;
}

static void out_after_in(struct fixture *f)
{
	one_buf(f, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 0, 64);
	f->g.d[0].next = 1;
	f->g.d[1].addr = f->data;
	f->g.d[1].len = 8;
	f->g.d[1].flags = 0;
}

static void indirect_len(struct fixture *f)
{
	one_buf(f, VRING_DESC_F_INDIRECT, 0, 24);
}

static void indirect_zero(struct fixture *f)
{
	one_buf(f, VRING_DESC_F_INDIRECT, 0, 0);
}

static void indirect_nested(struct fixture *f)
{
	struct vring_desc *t = umm_user_ptr(f->mm, f->data);

	one_buf(f, VRING_DESC_F_INDIRECT, f->data, 32);
	t[0].addr = f->data + 4096;
	t[0].len = 16;
	t[0].flags = VRING_DESC_F_INDIRECT;
	t[1].flags = 0;
}

/* A table of @n entries at f->data, chained with NEXT up to the last. */
static struct vring_desc *table(struct fixture *f, unsigned int n)
{
	struct vring_desc *t = umm_user_ptr(f->mm, f->data);
	unsigned int i;

	for (i = 0; i < n; i++) {
		t[i].addr = f->data + 65536;
		t[i].len = 1;
		t[i].flags = i + 1 < n ? VRING_DESC_F_NEXT : 0;
		t[i].next = 0;		/* not followed */
	}
	return t;
}

static void indirect_too_long(struct fixture *f)
{
	table(f, VMETA_MAX_IOV + 1);
	one_buf(f, VRING_DESC_F_INDIRECT, 0, 16 * (VMETA_MAX_IOV + 1));
}

static void indirect_past_end(struct fixture *f)
{
	table(f, 4)[3].flags = VRING_DESC_F_NEXT;
	one_buf(f, VRING_DESC_F_INDIRECT, 0, 16 * 4);
}

static void indirect_unmapped(struct fixture *f)
{
	/* At the top of the user range: no VMA is there. */
	one_buf(f, VRING_DESC_F_INDIRECT, UMM_TASK_SIZE - 0x10000, 64);
}

static void buffer_wraps(struct fixture *f)
{
	one_buf(f, 0, ~0UL - 16, 64);
}

static void buffer_kernel(struct fixture *f)
{
	one_buf(f, 0, TASK_SIZE_MAX, 64);
}

static void avail_jump(struct fixture *f)
{
	one_buf(f, 0, 0, 64);
	f->g.avail_idx = f->g.num + 5;
}

static void too_many_buffers(struct fixture *f)
{
	/*
	 * Two indirect tables of 1000 and 100 chained entries, the second
	 * the first's start: 1100 buffers.
	 */
	table(f, 1000);
	one_buf(f, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, f->data,
		16 * 1000);
	f->g.d[0].next = 1;
	f->g.d[1].addr = f->data;
	f->g.d[1].len = 16 * 100;
	f->g.d[1].flags = VRING_DESC_F_INDIRECT;
}

static const struct bad_case cases[] = {
	{ "head out of range", -EINVAL, "head out of range", head_out_of_range },
	{ "next out of range", -EINVAL, "next out of range", next_out_of_range },
	{ "descriptor loop", -EINVAL, "descriptor loop", loop },
	{ "readable after writable", -EINVAL, "readable buffer after writable",
	  out_after_in },
	{ "indirect length not a multiple of 16", -EINVAL,
	  "indirect table length", indirect_len },
	{ "indirect length zero", -EINVAL, "indirect table length",
	  indirect_zero },
	{ "indirect inside indirect", -EINVAL, "indirect in indirect",
	  indirect_nested },
	{ "indirect table over the iov limit", -ENOBUFS,
	  "indirect table too long", indirect_too_long },
	{ "indirect chain past its table", -EINVAL,
	  "indirect chain runs past its table", indirect_past_end },
	{ "indirect table unmapped", -EFAULT, "cannot read indirect table",
	  indirect_unmapped },
	{ "buffer whose length overflows", -EFAULT,
	  "buffer outside user memory", buffer_wraps },
	{ "buffer above the user range", -EFAULT,
	  "buffer outside user memory", buffer_kernel },
	{ "avail idx ahead by more than the ring", -EINVAL,
	  "avail idx moved too far", avail_jump },
	{ "chain over the iov limit", -ENOBUFS, "indirect table too long",
	  too_many_buffers },
};

static int fetch(struct fixture *f)
{
	static struct vmeta_chain c;
	int ret;

	vmeta_vq_begin(&f->vq);
	ret = vmeta_vq_get_chain(&f->vq, &c);
	if (ret == 1)
		vmeta_vq_add_used(&f->vq, c.head, 0);
	vmeta_vq_end(&f->vq);
	return ret;
}

static void run_case(const struct bad_case *bc, enum vmeta_strategy s)
{
	struct fixture bad, good;
	struct guest_buf b;
	char name[160];
	int ret;

	fixture_init(&bad, mm, s, 16, true);
	fixture_init(&good, mm, s, 16, true);
	bc->corrupt(&bad);
	guest_vring_publish(&bad.g);
	ret = fetch(&bad);
	snprintf(name, sizeof(name), "%s: %s breaks the queue with %d",
		 vmeta_strategy_name(s), bc->name, bc->err);
	if (!is(ret, bc->err, name) || !ok(bad.vq.why &&
					   !strcmp(bad.vq.why, bc->why),
					   "with the reason"))
		diag("why: %s", bad.vq.why ? bad.vq.why : "(none)");
	is(fetch(&bad), bc->err, "and stays broken");
	is(bad.vq.last_used_idx, 0, "no used entry was written");

	b.addr = good.data;
	b.len = 32;
	b.writable = true;
	guest_vring_add(&good.g, &b, 1, false, (void *)7);
	guest_vring_publish(&good.g);
	ok(fetch(&good) == 1 && guest_vring_get_used(&good.g, NULL, NULL) ==
	   (void *)7, "another queue keeps working");
	fixture_destroy(&bad);
	fixture_destroy(&good);
}

/*
 * Not malformed: a table longer than the chain in it.  The entries after
 * the first one without NEXT are not read as buffers (vhost's walk).
 */
static void table_longer_than_chain(enum vmeta_strategy s)
{
	struct fixture f;
	struct vring_desc *t;
	static struct vmeta_chain c;
	char name[120];
	int ret;

	fixture_init(&f, mm, s, 16, true);
	t = table(&f, 4);
	t[1].flags = 0;
	t[2].flags = VRING_DESC_F_INDIRECT;	/* past the chain's end */
	one_buf(&f, VRING_DESC_F_INDIRECT, 0, 16 * 4);
	guest_vring_publish(&f.g);
	vmeta_vq_begin(&f.vq);
	ret = vmeta_vq_get_chain(&f.vq, &c);
	vmeta_vq_end(&f.vq);
	snprintf(name, sizeof(name), "%s: a table longer than its chain is "
		 "fine", vmeta_strategy_name(s));
	is(ret, 1, name);
	is(c.out, 2, "its chain is two buffers");
	fixture_destroy(&f);
}

int main(void)
{
	struct umm_config cfg = { .ram_mb = 128 };
	unsigned int i;
	int s;

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	mm = umm_mm_create();
	umm_use_mm(mm);
	for (s = 0; s < VMETA_NR_STRATEGIES; s++)
		for (i = 0; i < ARRAY_SIZE(cases); i++)
			run_case(&cases[i], s);
	for (s = 0; s < VMETA_NR_STRATEGIES; s++)
		table_longer_than_chain(s);
	umm_unuse_mm(mm);
	mmput(mm);
	return done_testing();
}
