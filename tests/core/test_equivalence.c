// SPDX-License-Identifier: GPL-2.0
/*
 * Strategy equivalence: one seeded workload — a net-loopback pair, chains
 * of one to three buffers, direct and indirect, receive chains sometimes
 * too small (drops), random budgets, the rings migrated every 25 rounds —
 * run on a fresh address space under every strategy.  What the guest
 * sees (each used entry's head and length, in order, on both queues,
 * and every byte the device wrote into receive buffers) and the device's
 * counters must be the same under every strategy as under uaccess, the
 * upstream reference; a digest of each is compared.
 */
#include <string.h>
#include <linux/cacheinfo.h>
#include <linux/kernel.h>
#include <umm/cache.h>
#include <umm/phys.h>
#include <umm/reclaim.h>
#include "tap.h"
#include "vmeta_dev.h"
#include "vq_fixture.h"

#define NUM		64
#define ROUNDS		300
#define SLOT		4096		/* data per chain */
#define NR_SLOTS	256		/* > NUM: a slot is free when reused */

struct run {
	struct mm_struct *mm;
	struct fixture tx, rx;
	struct vmeta_dev_net d;
	u64 rng, digest;
	unsigned int tx_k, rx_k;	/* chains posted */
	unsigned long used_entries, rx_bytes;
};

static u64 rnd(struct run *r, u64 n)
{
	r->rng ^= r->rng << 13;
	r->rng ^= r->rng >> 7;
	r->rng ^= r->rng << 17;
	return r->rng % n;
}

/* FNV-1a over what the guest observes. */
static void eat(struct run *r, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--) {
		r->digest ^= *c++;
		r->digest *= 0x100000001b3ULL;
	}
}

static void post_tx(struct run *r)
{
	unsigned long slot = r->tx.data + (r->tx_k % NR_SLOTS) * SLOT;
	unsigned int n = 1 + rnd(r, 3), i, j;
	struct guest_buf b[3];

	for (i = 0; i < n; i++) {
		unsigned char *p;

		b[i].addr = slot + i * 1024;
		b[i].len = 1 + rnd(r, 600);
		b[i].writable = false;
		p = umm_user_ptr(r->mm, b[i].addr);
		for (j = 0; j < b[i].len; j++)
			p[j] = (unsigned char)rnd(r, 256);
	}
	if (!guest_vring_add(&r->tx.g, b, n, rnd(r, 2),
			     (void *)(unsigned long)(r->tx_k + 1)))
		r->tx_k++;
}

static void post_rx(struct run *r)
{
	unsigned long slot = r->rx.data + (r->rx_k % NR_SLOTS) * SLOT;
	unsigned int n = 1 + rnd(r, 2), i;
	struct guest_buf b[2];

	for (i = 0; i < n; i++) {
		b[i].addr = slot + i * 2048;
		b[i].len = 256 + rnd(r, 1400);
		b[i].writable = true;
	}
	memset(umm_user_ptr(r->mm, slot), 0, SLOT);
	if (!guest_vring_add(&r->rx.g, b, n, rnd(r, 2),
			     (void *)(unsigned long)(r->rx_k + 1)))
		r->rx_k++;
}

/* What the guest reads back: used entries in order, received bytes. */
static void reap(struct run *r)
{
	unsigned long k;
	u16 head;
	u32 len;
	void *t;

	while ((t = guest_vring_get_used(&r->tx.g, &len, &head))) {
		eat(r, "T", 1);
		eat(r, &head, sizeof(head));
		eat(r, &len, sizeof(len));
		r->used_entries++;
	}
	while ((t = guest_vring_get_used(&r->rx.g, &len, &head))) {
		k = (unsigned long)t - 1;
		eat(r, "R", 1);
		eat(r, &head, sizeof(head));
		eat(r, &len, sizeof(len));
		/* the whole slot: zeroed when posted, then written */
		eat(r, umm_user_ptr(r->mm, r->rx.data + (k % NR_SLOTS) * SLOT),
		    SLOT);
		r->rx_bytes += len;
		r->used_entries++;
	}
}

static void one_round(struct run *r, unsigned int round)
{
	unsigned int i, n;

	for (i = 0, n = rnd(r, 9); i < n; i++)
		post_tx(r);
	for (i = 0, n = rnd(r, 9); i < n; i++)
		post_rx(r);
	guest_vring_publish(&r->tx.g);
	guest_vring_publish(&r->rx.g);
	vmeta_dev_net_run(&r->d, 1 + rnd(r, 16));
	if (round % 25 == 24) {
		umm_migrate_addr(r->mm, r->tx.g.avail);
		umm_migrate_addr(r->mm, r->rx.g.used);
	}
	reap(r);
}

/* The workload of @seed under @s; false if it could not be set up. */
static bool run_one(struct run *r, enum vmeta_strategy s, u64 seed)
{
	unsigned int round;

	memset(r, 0, sizeof(*r));
	r->rng = seed;
	r->digest = 0xcbf29ce484222325ULL;
	r->mm = umm_mm_create();
	umm_use_mm(r->mm);
	if (fixture_init(&r->tx, r->mm, s, NUM, true) ||
	    fixture_init(&r->rx, r->mm, s, NUM, true) ||
	    vmeta_dev_net_init(&r->d, &r->tx.vq, &r->rx.vq))
		return false;
	for (round = 0; round < ROUNDS; round++)
		one_round(r, round);
	eat(r, &r->d.frames, sizeof(r->d.frames));
	eat(r, &r->d.bytes, sizeof(r->d.bytes));
	eat(r, &r->d.drops, sizeof(r->d.drops));
	eat(r, &r->d.signals, sizeof(r->d.signals));
	return true;
}

static void run_end(struct run *r)
{
	vmeta_dev_net_destroy(&r->d);
	fixture_destroy(&r->tx);
	fixture_destroy(&r->rx);
	umm_unuse_mm(r->mm);
	mmput(r->mm);
}

/*
 * The mapping strategies really mapped (and remapped after the
 * migrations), or, on a cache model where they must not (make
 * cachecheck), fell back for aliasing.
 */
static void check_mapped(struct run *r, enum vmeta_strategy s)
{
	bool vivt = umm_cache_geometry()->index == UMM_CACHE_VIVT;
	bool maps = !cpu_dcache_is_aliasing() || (s == VMETA_KMAP && !vivt);
	char name[128];

	if (maps) {
		snprintf(name, sizeof(name), "%s: through the mapping, "
			 "remapped after the migrations",
			 vmeta_strategy_name(s));
		ok(r->tx.vq.meta.stats.hits > 0 &&
		   r->rx.vq.meta.stats.invalidations > 0, name);
		return;
	}
	snprintf(name, sizeof(name), "%s on %s: through user access, reason "
		 "alias", vmeta_strategy_name(s), umm_cache_geometry()->name);
	ok(!r->tx.vq.meta.stats.hits &&
	   r->tx.vq.meta.stats.fallbacks[VMETA_FB_ALIAS] > 0, name);
}

int main(void)
{
	static struct run ref, r;
	struct umm_config cfg = { .ram_mb = 128 };
	u64 seed = 0x5eed2026;
	char name[128];
	int s;

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	if (!run_one(&ref, VMETA_UACCESS, seed))
		BAIL_OUT("setting up the uaccess run");
	ok(ref.d.frames > 500 && ref.d.drops > 0 && ref.rx_bytes > 0 &&
	   !ref.tx.vq.broken && !ref.rx.vq.broken,
	   "uaccess: the workload moves frames, drops some, breaks nothing");
	diag("uaccess: %llu frames, %llu bytes, %llu drops, %lu used entries",
	     (unsigned long long)ref.d.frames, (unsigned long long)ref.d.bytes,
	     (unsigned long long)ref.d.drops, ref.used_entries);
	run_end(&ref);
	for (s = 0; s < VMETA_NR_STRATEGIES; s++) {
		if (s == VMETA_UACCESS)
			continue;
		if (!run_one(&r, s, seed))
			BAIL_OUT("setting up %s", vmeta_strategy_name(s));
		snprintf(name, sizeof(name), "%s: the same used rings, data and "
			 "counters as uaccess (%lu entries)",
			 vmeta_strategy_name(s), r.used_entries);
		ok(r.digest == ref.digest && r.used_entries == ref.used_entries,
		   name);
		if (s == VMETA_VMAP || s == VMETA_KMAP)
			check_mapped(&r, s);
		run_end(&r);
	}
	return done_testing();
}
