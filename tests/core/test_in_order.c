// SPDX-License-Identifier: GPL-2.0
/*
 * VIRTIO_F_IN_ORDER in the engine and the guest driver, under every
 * strategy: heads come from the ring order, not the avail ring (made
 * garbage here, and the chains still arrive right); one used entry
 * completes a batch, plus one per buffer with a length; discarded chains
 * come back with the same heads; a chain whose descriptors are not
 * consecutive breaks the queue.
 */
#include <string.h>
#include <linux/kernel.h>
#include <umm/phys.h>
#include "tap.h"
#include "vq_fixture.h"

static struct mm_struct *mm;

static void setup(struct fixture *f, enum vmeta_strategy s)
{
	struct vmeta_vq_config cfg;

	fixture_init(f, mm, s, 16, false);
	vmeta_vq_destroy(&f->vq);
	guest_vring_set_in_order(&f->g);
	guest_vring_vq_config(&f->g, s, &cfg);
	cfg.features = BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) |
		       BIT_ULL(VIRTIO_F_VERSION_1) | BIT_ULL(VIRTIO_F_IN_ORDER);
	vmeta_vq_init(&f->vq, &cfg);
}

/* Chain k: 1-3 buffers, indirect every third; its first buffer's length. */
static void post(struct fixture *f, unsigned int k)
{
	struct guest_buf b[3];
	unsigned int n = 1 + k % 3, i;

	for (i = 0; i < n; i++) {
		b[i].addr = f->data + k * 256 + i * 64;
		b[i].len = 10 + k;
		b[i].writable = i == n - 1;
	}
	guest_vring_add(&f->g, b, n, k % 3 == 2, (void *)(unsigned long)(k + 1));
}

static void test_batches(enum vmeta_strategy s)
{
	struct vring_used_elem e[8];
	static struct vmeta_chain c;
	unsigned int k, got, right = 0, i;
	struct fixture f;
	char name[96];
	u16 used_before;
	u32 len;
	void *t;

	setup(&f, s);
	for (k = 0; k < 8; k++)
		post(&f, k);
	guest_vring_publish(&f.g);
	for (i = 0; i < 8; i++)		/* the device must not need these */
		WRITE_ONCE(f.g.a->ring[i], 0xdead);
	vmeta_vq_begin(&f.vq);
	for (got = 0; got < 8 && vmeta_vq_get_chain(&f.vq, &c) == 1; got++) {
		right += c.iov[0].len == 10 + got && c.out + c.in == 1 + got % 3;
		e[got].id = c.head;
		e[got].len = got == 3 ? 77 : 0;	/* one with a length */
	}
	e[7].len = 99;
	used_before = f.vq.last_used_idx;
	vmeta_vq_add_used_n(&f.vq, e, got);
	vmeta_vq_end(&f.vq);
	snprintf(name, sizeof(name), "%s: 8 chains in ring order, avail ring "
		 "unread", vmeta_strategy_name(s));
	ok(got == 8 && right == 8 && !f.vq.broken, name);
	is((u16)(f.vq.last_used_idx - used_before), 2,
	   "two used entries: the one with a length and the last");
	for (k = 0, right = 0; (t = guest_vring_get_used(&f.g, &len, NULL));
	     k++)
		right += t == (void *)(unsigned long)(k + 1) &&
			 len == (k == 3 ? 77 : k == 7 ? 99 : 0);
	ok(k == 8 && right == 8,
	   "the guest completes all 8 in order, lengths where given");
	fixture_destroy(&f);
}

static void test_discard(enum vmeta_strategy s)
{
	static struct vmeta_chain c;
	u16 first[3] = { 0 }, again[3] = { 0 };
	struct fixture f;
	unsigned int k;

	setup(&f, s);
	for (k = 0; k < 3; k++)
		post(&f, k);
	guest_vring_publish(&f.g);
	vmeta_vq_begin(&f.vq);
	for (k = 0; k < 3 && vmeta_vq_get_chain(&f.vq, &c) == 1; k++)
		first[k] = c.head;
	vmeta_vq_discard(&f.vq, 2);
	for (k = 1; k < 3 && vmeta_vq_get_chain(&f.vq, &c) == 1; k++)
		again[k] = c.head;
	vmeta_vq_end(&f.vq);
	ok(first[1] == again[1] && first[2] == again[2] && first[1] == 1 &&
	   first[2] == 3, "discarded chains come back with the same heads");
	fixture_destroy(&f);
}

static void test_not_consecutive(enum vmeta_strategy s)
{
	static struct vmeta_chain c;
	struct fixture f;

	setup(&f, s);
	post(&f, 1);			/* two descriptors: 0 -> 1 */
	WRITE_ONCE(f.g.d[0].next, 5);
	guest_vring_publish(&f.g);
	vmeta_vq_begin(&f.vq);
	is(vmeta_vq_get_chain(&f.vq, &c), -EINVAL,
	   "a chain that skips descriptors: -EINVAL");
	vmeta_vq_end(&f.vq);
	ok(f.vq.why && !strcmp(f.vq.why, "in order: chain not consecutive"),
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
	for (s = 0; s < VMETA_NR_STRATEGIES; s++) {
		test_batches(s);
		test_discard(s);
		test_not_consecutive(s);
	}
	umm_unuse_mm(mm);
	mmput(mm);
	return done_testing();
}
