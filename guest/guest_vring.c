// SPDX-License-Identifier: GPL-2.0
/*
 * The lab's guest driver (see guest_vring.h).  It runs as a user thread
 * of the lab: its ring accesses are loads and stores through the mm's
 * user mappings, faulting like any user process's.  The functions that
 * load and store the ring are lab user code (__umm_user_code):
 * ThreadSanitizer does not instrument them, as KCSAN ignores user memory.
 * Each access is a READ_ONCE/WRITE_ONCE of one field, so that the
 * cache-checking flavour (umm/cache.h) sees every one at its user address.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/errno.h>
#include <asm/barrier.h>
#include "guest_vring.h"

static unsigned long avail_bytes(unsigned int num)
{
	return 4 + 2 * (unsigned long)num + 2;
}

static unsigned long used_bytes(unsigned int num)
{
	return 4 + 8 * (unsigned long)num + 2;
}

unsigned long guest_vring_size(unsigned int num)
{
	unsigned long rings = PAGE_ALIGN(16UL * num + avail_bytes(num)) +
			      PAGE_ALIGN(used_bytes(num));

	return rings + PAGE_ALIGN(16UL * num * GUEST_MAX_INDIRECT);
}

int guest_vring_init(struct guest_vring *g, struct mm_struct *mm,
		     unsigned long base, unsigned int num, bool event_idx)
{
	unsigned int i;

	memset(g, 0, sizeof(*g));
	g->mm = mm;
	g->num = num;
	g->event_idx = event_idx;
	g->desc = base;
	g->avail = base + 16UL * num;
	g->used = PAGE_ALIGN(g->avail + avail_bytes(num));
	g->indirect = PAGE_ALIGN(g->used + used_bytes(num));
	g->d = umm_user_ptr(mm, g->desc);
	g->a = umm_user_ptr(mm, g->avail);
	g->u = umm_user_ptr(mm, g->used);
	g->next_free = calloc(num, sizeof(*g->next_free));
	g->chain_len = calloc(num, sizeof(*g->chain_len));
	g->token = calloc(num, sizeof(*g->token));
	g->order = calloc(num, sizeof(*g->order));
	if (!g->next_free || !g->chain_len || !g->token || !g->order)
		return -ENOMEM;
	for (i = 0; i < num; i++)
		g->next_free[i] = (i + 1) % num;
	g->num_free = num;
	return 0;
}

void guest_vring_vq_config(const struct guest_vring *g,
			   enum vmeta_strategy strategy,
			   struct vmeta_vq_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->num = g->num;
	cfg->desc = g->desc;
	cfg->avail = g->avail;
	cfg->used = g->used;
	cfg->raw[VMETA_DESC] = g->d;
	cfg->raw[VMETA_AVAIL] = g->a;
	cfg->raw[VMETA_USED] = g->u;
	cfg->strategy = strategy;
	cfg->mm = g->mm;
}

void guest_vring_free(struct guest_vring *g)
{
	free(g->next_free);
	free(g->chain_len);
	free(g->token);
	free(g->order);
}

static __umm_user_code void fill_desc(struct vring_desc *d,
				      const struct guest_buf *b, bool more,
				      u16 next)
{
	WRITE_ONCE(d->addr, b->addr);
	WRITE_ONCE(d->len, b->len);
	WRITE_ONCE(d->flags, (b->writable ? VRING_DESC_F_WRITE : 0) |
			     (more ? VRING_DESC_F_NEXT : 0));
	WRITE_ONCE(d->next, more ? next : 0);
}

void guest_vring_set_in_order(struct guest_vring *g)
{
	g->in_order = true;
}

/* In order, the free list stays the ring order: it is never relinked. */
static __umm_user_code u16 take_free(struct guest_vring *g)
{
	u16 i = g->free_head;

	g->free_head = g->next_free[i];
	g->num_free--;
	return i;
}

static __umm_user_code void add_indirect(struct guest_vring *g, u16 head,
			 const struct guest_buf *bufs, unsigned int n)
{
	unsigned long table = g->indirect + 16UL * GUEST_MAX_INDIRECT * head;
	struct vring_desc *t = umm_user_ptr(g->mm, table);
	unsigned int i;

	for (i = 0; i < n; i++)
		fill_desc(&t[i], &bufs[i], i + 1 < n, i + 1);
	WRITE_ONCE(g->d[head].addr, table);
	WRITE_ONCE(g->d[head].len, 16 * n);
	WRITE_ONCE(g->d[head].flags, VRING_DESC_F_INDIRECT);
	WRITE_ONCE(g->d[head].next, 0);
	g->chain_len[head] = 1;
}

__umm_user_code int guest_vring_add(struct guest_vring *g,
				    const struct guest_buf *bufs,
				    unsigned int n, bool indirect, void *token)
{
	unsigned int need = indirect ? 1 : n, i;
	u16 head, prev, cur;

	if (!n || g->num_free < need || (indirect && n > GUEST_MAX_INDIRECT))
		return -ENOSPC;
	head = take_free(g);
	g->token[head] = token;
	if (indirect) {
		add_indirect(g, head, bufs, n);
	} else {
		prev = head;
		for (i = 1; i < n; i++) {
			cur = take_free(g);
			fill_desc(&g->d[prev], &bufs[i - 1], true, cur);
			prev = cur;
		}
		fill_desc(&g->d[prev], &bufs[n - 1], false, 0);
		g->chain_len[head] = n;
	}
	WRITE_ONCE(g->a->ring[g->avail_idx & (g->num - 1)], head);
	g->order[g->avail_idx & (g->num - 1)] = head;
	g->avail_idx++;
	return 0;
}

__umm_user_code void guest_vring_publish(struct guest_vring *g)
{
	/* Descriptors and ring entries before the index. */
	smp_wmb();
	WRITE_ONCE(g->a->idx, g->avail_idx);
}

/* Give a chain's descriptors back to the free list. */
static __umm_user_code void free_chain(struct guest_vring *g, u16 head)
{
	u16 i = head, n = g->chain_len[head];

	if (g->in_order) {	/* the oldest chain: the free list's tail */
		g->num_free += n;
		return;
	}
	while (--n)
		i = READ_ONCE(g->d[i].next);
	g->next_free[i] = g->free_head;
	g->free_head = head;
	g->num_free += g->chain_len[head];
}

/* In order: the oldest chain, completed by the pending used entry. */
static __umm_user_code void *get_used_in_order(struct guest_vring *g,
					       u32 *len, u16 *head)
{
	u16 id;
	void *token;

	if (!g->batch_pending) {
		if (READ_ONCE(g->u->idx) == g->last_used)
			return NULL;
		/* The index before the entries: pairs with the device's wmb. */
		smp_rmb();
		g->batch_id = READ_ONCE(g->u->ring[g->last_used &
						    (g->num - 1)].id);
		g->batch_len = READ_ONCE(g->u->ring[g->last_used &
						     (g->num - 1)].len);
		g->last_used++;
		g->batch_pending = true;
	}
	if (g->done_idx == g->avail_idx)
		return NULL;		/* an id we never made available */
	id = g->order[g->done_idx & (g->num - 1)];
	g->done_idx++;
	if (id == g->batch_id)
		g->batch_pending = false;
	if (len)
		*len = id == g->batch_id ? g->batch_len : 0;
	if (head)
		*head = id;
	token = g->token[id];
	free_chain(g, id);
	g->chain_len[id] = 0;
	return token;
}

__umm_user_code void *guest_vring_get_used(struct guest_vring *g, u32 *len,
					   u16 *head)
{
	struct vring_used_elem e;
	void *token;

	if (g->in_order)
		return get_used_in_order(g, len, head);
	if (READ_ONCE(g->u->idx) == g->last_used)
		return NULL;
	/* The index before the entries: pairs with the device's wmb. */
	smp_rmb();
	e.id = READ_ONCE(g->u->ring[g->last_used & (g->num - 1)].id);
	e.len = READ_ONCE(g->u->ring[g->last_used & (g->num - 1)].len);
	g->last_used++;
	if (e.id >= g->num || !g->chain_len[e.id])
		return NULL;
	if (len)
		*len = e.len;
	if (head)
		*head = e.id;
	token = g->token[e.id];
	free_chain(g, e.id);
	g->chain_len[e.id] = 0;
	return token;
}
