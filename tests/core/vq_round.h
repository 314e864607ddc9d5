/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One round of traffic for the map-cache tests: the guest posts @n
 * one-buffer chains tagged @tag, the host returns each with length tag+k
 * in one batch; the caller then checks what the guest reads back.
 */
#ifndef _TESTS_VQ_ROUND_H
#define _TESTS_VQ_ROUND_H

#include "vq_fixture.h"

static inline void round_post(struct fixture *f, unsigned int n,
			      unsigned int tag)
{
	struct guest_buf b = { f->data, 64, true };
	unsigned int k;

	for (k = 0; k < n; k++)
		guest_vring_add(&f->g, &b, 1, false,
				(void *)(unsigned long)(tag + k));
	guest_vring_publish(&f->g);
}

static inline unsigned int round_serve(struct fixture *f, unsigned int tag)
{
	static struct vmeta_chain c;
	unsigned int k = 0;

	vmeta_vq_begin(&f->vq);
	while (vmeta_vq_get_chain(&f->vq, &c) == 1)
		vmeta_vq_add_used(&f->vq, c.head, tag + k++);
	vmeta_vq_end(&f->vq);
	return k;
}

/* How many of the round's used entries the guest reads back right. */
static inline unsigned int round_check(struct fixture *f, unsigned int n,
				       unsigned int tag)
{
	unsigned int k, good = 0;
	void *t;
	u32 len;

	for (k = 0; k < n; k++) {
		t = guest_vring_get_used(&f->g, &len, NULL);
		good += t == (void *)(unsigned long)(tag + k) && len == tag + k;
	}
	return good;
}

#endif /* _TESTS_VQ_ROUND_H */
