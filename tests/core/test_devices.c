// SPDX-License-Identifier: GPL-2.0
/*
 * The two devices under every strategy: test returns every chain with
 * length 0; net-loopback delivers each transmitted frame, byte for byte,
 * into a receive chain, drops what does not fit, and stops at a buffer it
 * cannot read without losing either chain.
 */
#include <string.h>
#include <linux/kernel.h>
#include <umm/phys.h>
#include "tap.h"
#include "vmeta_dev.h"
#include "vq_fixture.h"

static struct mm_struct *mm;

static void test_device_test(enum vmeta_strategy s)
{
	static struct vmeta_dev_test d;
	struct guest_buf b;
	struct fixture f;
	unsigned int k, back = 0, zero = 1;
	u32 len;
	char name[96];

	fixture_init(&f, mm, s, 256, true);
	b.addr = f.data;
	b.len = 100;
	b.writable = false;
	for (k = 0; k < 200; k++)
		guest_vring_add(&f.g, &b, 1, false, (void *)1);
	guest_vring_publish(&f.g);
	d.vq = &f.vq;
	snprintf(name, sizeof(name), "%s: test device serves 200 chains",
		 vmeta_strategy_name(s));
	is(vmeta_dev_test_run(&d, 1000), 200, name);
	while (guest_vring_get_used(&f.g, &len, NULL)) {
		back++;
		zero &= len == 0;
	}
	ok(back == 200 && zero, "all returned, with length 0");
	fixture_destroy(&f);
}

static void fill(struct fixture *f, unsigned long addr, unsigned int len,
		 unsigned int seed)
{
	unsigned char *p = umm_user_ptr(f->mm, addr);
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(seed * 31 + i);
}

/* Frame k: 1-3 buffers of (k * 37 % 500) + 1 bytes each. */
static unsigned int post_tx(struct fixture *tx, unsigned int k)
{
	struct guest_buf b[3];
	unsigned int n = 1 + k % 3, i, total = 0;

	for (i = 0; i < n; i++) {
		b[i].addr = tx->data + k * 4096 + i * 1024;
		b[i].len = (k * 37 + i * 11) % 500 + 1;
		b[i].writable = false;
		fill(tx, b[i].addr, b[i].len, k + total);
		total += b[i].len;
	}
	guest_vring_add(&tx->g, b, n, false, (void *)(unsigned long)(k + 1));
	return total;
}

/* The frame of chain k as it must arrive. */
static bool frame_ok(struct fixture *tx, struct fixture *rx, unsigned int k,
		     unsigned long at, u32 len)
{
	unsigned int n = 1 + k % 3, i, total = 0;
	unsigned char *got = umm_user_ptr(rx->mm, at);

	for (i = 0; i < n; i++) {
		unsigned int l = (k * 37 + i * 11) % 500 + 1, j;
		unsigned char *sent = umm_user_ptr(tx->mm, tx->data + k * 4096 +
						   i * 1024);

		for (j = 0; j < l; j++)
			if (got[total + j] != sent[j])
				return false;
		total += l;
	}
	return total == len;
}

static void test_device_net(enum vmeta_strategy s)
{
	static struct vmeta_dev_net d;
	struct fixture tx, rx;
	struct guest_buf b[2];
	unsigned int k, good = 0, moved;
	u16 head;
	u32 len;
	void *t;
	char name[96];

	fixture_init(&tx, mm, s, 256, true);
	fixture_init(&rx, mm, s, 256, true);
	vmeta_dev_net_init(&d, &tx.vq, &rx.vq);
	for (k = 0; k < 100; k++) {
		post_tx(&tx, k);
		b[0].addr = rx.data + k * 4096;
		b[0].len = 1000;
		b[0].writable = true;
		b[1].addr = rx.data + k * 4096 + 1000;
		b[1].len = 1000;
		b[1].writable = true;
		guest_vring_add(&rx.g, b, 2, k % 2,
				(void *)(unsigned long)(k + 1));
	}
	guest_vring_publish(&tx.g);
	guest_vring_publish(&rx.g);
	moved = vmeta_dev_net_run(&d, 1000);
	snprintf(name, sizeof(name), "%s: net-loopback moves 100 frames",
		 vmeta_strategy_name(s));
	is(moved, 100, name);
	while ((t = guest_vring_get_used(&rx.g, &len, &head)))
		good += frame_ok(&tx, &rx, (unsigned long)t - 1,
				 rx.data + ((unsigned long)t - 1) * 4096, len);
	is(good, 100, "every frame arrives byte for byte");

	/* A frame larger than the receive chain is dropped. */
	b[0].addr = tx.data;
	b[0].len = 3000;
	b[0].writable = false;
	guest_vring_add(&tx.g, b, 1, false, (void *)500);
	b[0].addr = rx.data;
	b[0].len = 100;
	b[0].writable = true;
	guest_vring_add(&rx.g, b, 1, false, (void *)501);
	guest_vring_publish(&tx.g);
	guest_vring_publish(&rx.g);
	vmeta_dev_net_run(&d, 10);
	is(d.drops, 1, "a frame too large for the receive chain is dropped");
	while (guest_vring_get_used(&tx.g, &len, NULL))
		;
	ok(!guest_vring_get_used(&rx.g, &len, NULL),
	   "the receive chain stays available");

	/* A transmit buffer that is not mapped stops the queue, keeps both. */
	b[0].addr = UMM_TASK_SIZE - 0x10000;
	b[0].len = 64;
	b[0].writable = false;
	guest_vring_add(&tx.g, b, 1, false, (void *)600);
	guest_vring_publish(&tx.g);
	is(vmeta_dev_net_run(&d, 10), -EFAULT, "an unreadable tx buffer");
	ok(tx.vq.why && !strcmp(tx.vq.why, "cannot read a tx buffer"),
	   "breaks the transmit queue with the reason");
	ok(!rx.vq.broken && rx.vq.last_avail_idx == 100,
	   "the receive chain was given back");
	vmeta_dev_net_destroy(&d);
	fixture_destroy(&tx);
	fixture_destroy(&rx);
}

int main(void)
{
	struct umm_config cfg = { .ram_mb = 256 };
	int s;

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	mm = umm_mm_create();
	umm_use_mm(mm);
	for (s = 0; s < VMETA_NR_STRATEGIES; s++) {
		test_device_test(s);
		test_device_net(s);
	}
	umm_unuse_mm(mm);
	mmput(mm);
	return done_testing();
}
