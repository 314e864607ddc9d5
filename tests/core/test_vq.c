// SPDX-License-Identifier: GPL-2.0
/*
 * The split-ring engine against the lab's guest driver, under every
 * strategy: chains of every shape come out as the guest put them in,
 * used entries come back in order with their lengths, notification
 * suppression follows the flags and EVENT_IDX.
 */
#include <string.h>
#include <umm/phys.h>
#include <umm/cache.h>
#include "tap.h"
#include "vq_fixture.h"

static struct mm_struct *mm;

/* Chain k: 1..4 buffers, the last ones writable, some indirect. */
static unsigned int chain_shape(unsigned int k, struct guest_buf *b,
				unsigned long data, bool *indirect)
{
	unsigned int n = 1 + k % 4, i;

	for (i = 0; i < n; i++) {
		b[i].addr = data + (k % 512) * 8192 + i * 256;
		b[i].len = 16 + i + k % 7;
		b[i].writable = i >= (n + 1) / 2;
	}
	*indirect = k % 3 == 2;
	return n;
}

static bool chain_matches(const struct vmeta_chain *c, unsigned int k,
			  unsigned long data)
{
	struct guest_buf b[4];
	unsigned int n, i, out = 0;
	bool ind;

	n = chain_shape(k, b, data, &ind);
	for (i = 0; i < n; i++)
		out += !b[i].writable;
	if (c->out != out || c->in != n - out)
		return false;
	for (i = 0; i < n; i++)
		if (c->iov[i].addr != b[i].addr || c->iov[i].len != b[i].len)
			return false;
	return true;
}

/* Push @count chains through, in rounds that fit the ring. */
static bool run_chains(struct fixture *f, unsigned int first,
		       unsigned int count, unsigned int *bad)
{
	static struct vmeta_chain c;
	unsigned int k = first, done = first, round;

	while (done < first + count) {
		struct guest_buf b[4];
		bool ind;
		u32 len;

		for (round = 0; k < first + count && round < f->g.num / 4;
		     round++, k++) {
			unsigned int n = chain_shape(k, b, f->data, &ind);

			if (guest_vring_add(&f->g, b, n, ind,
					    (void *)(unsigned long)(k + 1)))
				return false;
		}
		guest_vring_publish(&f->g);
		vmeta_vq_begin(&f->vq);
		while (vmeta_vq_get_chain(&f->vq, &c) == 1) {
			*bad += !chain_matches(&c, done++, f->data);
			vmeta_vq_add_used(&f->vq, c.head, c.in_len);
		}
		vmeta_vq_end(&f->vq);
		if (f->vq.broken)
			return false;
		while (guest_vring_get_used(&f->g, &len, NULL))
			;
	}
	return true;
}

static void test_strategy(enum vmeta_strategy s)
{
	struct fixture f;
	unsigned int bad = 0;
	char name[96];

	if (fixture_init(&f, mm, s, 64, false))
		BAIL_OUT("fixture");
	snprintf(name, sizeof(name), "%s: 1000 chains of 1-4 buffers, "
		 "direct and indirect, through a 64-entry ring",
		 vmeta_strategy_name(s));
	ok(run_chains(&f, 0, 1000, &bad), name);
	is(bad, 0, "every chain as the guest built it");
	is(f.vq.chains, 1000, "all fetched");
	is(f.vq.last_used_idx, (u16)1000, "all returned");
	if (s == VMETA_KMAP && umm_cache_geometry()->index == UMM_CACHE_VIVT)
		ok(f.vq.meta.stats.fallbacks[VMETA_FB_ALIAS] > 0 &&
		   !f.vq.meta.stats.hits,
		   "kmap on VIVT: batches ran through user access (alias)");
	else if (s == VMETA_KMAP)
		ok(f.vq.meta.stats.hits > 0 && f.vq.meta.stats.remaps >= 3,
		   "kmap: batches ran through the mapping");
	fixture_destroy(&f);
}

/* Used entries and lengths come back in order, batched or not. */
static void test_used_order(enum vmeta_strategy s)
{
	struct vring_used_elem e[8];
	struct guest_buf b = { 0, 100, true };
	static struct vmeta_chain c;
	struct fixture f;
	unsigned int i, ok_order = 1;
	u16 head;
	u32 len;

	fixture_init(&f, mm, s, 16, false);
	b.addr = f.data;
	for (i = 0; i < 8; i++)
		guest_vring_add(&f.g, &b, 1, false, (void *)(unsigned long)(i + 1));
	guest_vring_publish(&f.g);
	vmeta_vq_begin(&f.vq);
	for (i = 0; i < 8 && vmeta_vq_get_chain(&f.vq, &c) == 1; i++) {
		e[7 - i].id = c.head;
		e[7 - i].len = 1000 + c.head;
	}
	vmeta_vq_add_used_n(&f.vq, e, 8);
	vmeta_vq_end(&f.vq);
	for (i = 0; i < 8; i++) {
		void *t = guest_vring_get_used(&f.g, &len, &head);

		ok_order &= t && head == e[i].id && len == 1000 + head;
	}
	ok(ok_order, "add_used_n: entries in the order given, lengths kept");
	fixture_destroy(&f);
}

static void test_notify(enum vmeta_strategy s, bool event_idx)
{
	struct guest_buf b = { 0, 64, false };
	static struct vmeta_chain c;
	struct fixture f;
	u16 *used_event;

	fixture_init(&f, mm, s, 16, event_idx);
	b.addr = f.data;
	used_event = &f.g.a->ring[16];
	guest_vring_add(&f.g, &b, 1, false, (void *)1);
	guest_vring_add(&f.g, &b, 1, false, (void *)2);
	guest_vring_publish(&f.g);
	vmeta_vq_begin(&f.vq);
	vmeta_vq_get_chain(&f.vq, &c);
	vmeta_vq_add_used(&f.vq, c.head, 0);
	ok(vmeta_vq_need_notify(&f.vq), "the first used buffer signals");
	if (event_idx) {
		WRITE_ONCE(*used_event, 5);	/* interrupt me at entry 5 */
		vmeta_vq_get_chain(&f.vq, &c);
		vmeta_vq_add_used(&f.vq, c.head, 0);
		ok(!vmeta_vq_need_notify(&f.vq),
		   "event idx: no signal before used_event");
		vmeta_vq_disable_notify(&f.vq);
		ok(!vmeta_vq_enable_notify(&f.vq),
		   "enable_notify: nothing new arrived");
		is(f.g.u->ring[16].id, 2, "avail_event = the next index");
	} else {
		f.g.a->flags = VRING_AVAIL_F_NO_INTERRUPT;
		vmeta_vq_get_chain(&f.vq, &c);
		vmeta_vq_add_used(&f.vq, c.head, 0);
		ok(!vmeta_vq_need_notify(&f.vq), "NO_INTERRUPT suppresses");
		vmeta_vq_disable_notify(&f.vq);
		is(f.g.u->flags, VRING_USED_F_NO_NOTIFY, "NO_NOTIFY set");
		ok(!vmeta_vq_enable_notify(&f.vq), "enable: nothing new");
		is(f.g.u->flags, 0, "NO_NOTIFY cleared");
	}
	vmeta_vq_end(&f.vq);
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
		test_strategy(s);
		test_used_order(s);
		test_notify(s, false);
		test_notify(s, true);
	}
	umm_unuse_mm(mm);
	mmput(mm);
	return done_testing();
}
