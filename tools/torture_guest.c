// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta torture: the guest thread, a lab user thread driving the ring
 * through the guest driver (guest/guest_vring.c).  It posts chain after
 * chain, each in a free slot of the buffer area: readable buffers filled
 * with the chain's guest pattern, writable ones with poison.  It checks
 * every used entry that comes back: a known chain in flight (else dup),
 * the used length and the device's bytes, poison after them (else
 * dataloss).  Slots are claimed from the chaos thread, which may
 * discard or remap a slot only while it is free.
 */
#include <sched.h>
#include "torture.h"

/* A free slot, claimed for the guest; or -1. */
static int claim_slot(struct torture_run *r, u64 *rng)
{
	unsigned int i, start = torture_rand(rng) % r->nr_slots;

	for (i = 0; i < r->nr_slots; i++) {
		struct torture_slot *s = &r->slots[(start + i) % r->nr_slots];
		int free = SLOT_FREE;

		if (__atomic_compare_exchange_n(&s->state, &free, SLOT_GUEST,
						false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return s - r->slots;
	}
	return -1;
}

static unsigned long slot_addr(struct torture_run *r, int slot)
{
	return r->bufs + (unsigned long)slot * TORTURE_SLOT_SIZE;
}

/* Fill the slot's buffers for @sh and describe them in @b. */
static void fill_slot(struct torture_run *r, int slot, u64 seq,
		      const struct torture_shape *sh, struct guest_buf *b)
{
	u64 gkey = torture_key(r->seed, seq, TORTURE_GUEST);
	u64 pkey = torture_key(r->seed, seq, TORTURE_POISON);
	unsigned long base = slot_addr(r, slot);
	u32 gpos = 0, ppos = 0;
	unsigned int i;

	for (i = 0; i < sh->out + sh->in; i++) {
		void *p = umm_user_ptr(r->mm, base + sh->off[i]);
		bool out = i < sh->out;

		torture_fill(p, sh->len[i], out ? gkey : pkey,
			     out ? gpos : ppos);
		if (out)
			gpos += sh->len[i];
		else
			ppos += sh->len[i];
		b[i].addr = base + sh->off[i];
		b[i].len = sh->len[i];
		b[i].writable = !out;
	}
}

/* Post the next chain; false if no slot or no descriptor is free. */
static bool post_one(struct torture_run *r, u64 *rng)
{
	struct guest_buf b[TORTURE_MAX_BUFS];
	struct torture_shape sh;
	u64 seq = r->posted;
	int slot = claim_slot(r, rng);

	if (slot < 0)
		return false;
	torture_shape(r->seed, seq, r->num, &sh);
	fill_slot(r, slot, seq, &sh, b);
	if (guest_vring_add(&r->g, b, sh.out + sh.in, sh.indirect,
			    (void *)(unsigned long)(slot + 1))) {
		torture_set(&r->slots[slot].state, SLOT_FREE);
		return false;
	}
	r->slots[slot].seq = seq;
	r->slots[slot].in_flight = true;
	torture_set(&r->posted, seq + 1);
	return true;
}

static unsigned int post_some(struct torture_run *r, u64 *rng)
{
	unsigned int n = 1 + torture_rand(rng) % 8, done = 0;

	while (done < n && post_one(r, rng))
		done++;
	if (done)
		guest_vring_publish(&r->g);
	return done;
}

/* The device's bytes, then poison, in the writable buffers. */
static bool check_written(struct torture_run *r, int slot, u64 seq,
			  const struct torture_shape *sh, u32 len)
{
	u64 dkey = torture_key(r->seed, seq, TORTURE_DEVICE);
	u64 pkey = torture_key(r->seed, seq, TORTURE_POISON);
	unsigned long base = slot_addr(r, slot);
	u32 pos = 0, dev, i;

	if (len != sh->written)
		return false;
	for (i = sh->out; i < sh->out + sh->in; i++) {
		const char *p = umm_user_ptr(r->mm, base + sh->off[i]);

		dev = sh->written > pos ? min(sh->written - pos, sh->len[i]) : 0;
		if (!torture_check(p, dev, dkey, pos) ||
		    !torture_check(p + dev, sh->len[i] - dev, pkey, pos + dev))
			return false;
		pos += sh->len[i];
	}
	return true;
}

static void complete(struct torture_run *r, unsigned long token, u32 len)
{
	struct torture_slot *s;
	struct torture_shape sh;

	if (!token || token > r->nr_slots || !r->slots[token - 1].in_flight) {
		torture_inc(&r->dup);
		return;
	}
	s = &r->slots[token - 1];
	torture_shape(r->seed, s->seq, r->num, &sh);
	if (!check_written(r, token - 1, s->seq, &sh, len))
		torture_inc(&r->dataloss);
	s->in_flight = false;
	torture_set(&s->state, SLOT_FREE);
	torture_inc(&r->returned);
}

/* Reap every used entry; an entry the driver does not know is a dup. */
static unsigned int reap(struct torture_run *r)
{
	unsigned int n = 0;

	for (;;) {
		u16 before = r->g.last_used;
		void *token;
		u32 len;

		token = guest_vring_get_used(&r->g, &len, NULL);
		if (!token && r->g.last_used == before)
			return n;
		complete(r, token ? (unsigned long)token : 0, len);
		n++;
	}
}

static u64 in_flight(struct torture_run *r)
{
	return r->posted - r->returned;
}

void *torture_guest(void *arg)
{
	struct torture_run *r = arg;
	u64 rng = torture_mix(r->seed ^ 0x6775657374ULL);

	for (;;) {
		int phase = torture_get(&r->phase);
		unsigned int n = 0;

		if (phase == PHASE_RUN)
			n = post_some(r, &rng);
		n += reap(r);
		if (phase == PHASE_STOP ||
		    (phase == PHASE_DRAIN && !in_flight(r)))
			break;
		if (!n)
			sched_yield();
	}
	torture_set(&r->guest_done, true);
	return NULL;
}
