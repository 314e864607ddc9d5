// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta torture: chain shapes and buffer patterns, both functions of the
 * run's seed and the chain's sequence number, so that the guest and the
 * device agree on them without telling each other, and any byte that
 * comes from another chain (a stale mapping, a lost write) is caught.
 *
 * A pattern is a stream of bytes per chain and kind: byte b of stream
 * key is byte b % 8 of torture_mix(key + b / 8).  A chain's readable
 * buffers carry one guest stream end to end, its writable buffers the
 * device's stream for the bytes the device wrote and a poison stream
 * (written by the guest before posting) for the rest.
 *
 * torture_fill() and torture_check() load and store user memory when the
 * guest calls them, so they are lab user code: ThreadSanitizer does not
 * instrument them (umm/mm.h), on the device's private buffer either.
 */
#include "torture.h"

/* splitmix64's finaliser: a bijection with good avalanche. */
u64 torture_mix(u64 x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* splitmix64: the threads' seeded random numbers. */
u64 torture_rand(u64 *state)
{
	*state += 0x9e3779b97f4a7c15ULL;
	return torture_mix(*state);
}

u64 torture_key(u64 seed, u64 seq, enum torture_stream stream)
{
	return torture_mix(seed ^ torture_mix(seq * 4 + stream + 1));
}

/**
 * torture_shape - the buffers of chain @seq
 *
 * 1-3 readable buffers then 0-2 writable ones, each 1 to
 * TORTURE_MAX_BUF_LEN bytes at an odd offset in the slot (straddling its
 * pages), one chain in four indirect, and every chain that would need
 * more descriptors than the ring of @num has; the device writes all or
 * part of the writable bytes.
 */
void torture_shape(u64 seed, u64 seq, unsigned int num,
		   struct torture_shape *s)
{
	u64 st = torture_key(seed, seq, TORTURE_DEVICE + 1);
	unsigned int i, n;
	u32 pos;

	s->out = 1 + torture_rand(&st) % TORTURE_MAX_OUT;
	s->in = torture_rand(&st) % (TORTURE_MAX_IN + 1);
	s->indirect = torture_rand(&st) % 4 == 0;
	n = s->out + s->in;
	if (n > num)
		s->indirect = true;
	pos = torture_rand(&st) % PAGE_SIZE;
	s->in_len = 0;
	for (i = 0; i < n; i++) {
		s->off[i] = pos;
		s->len[i] = 1 + torture_rand(&st) % TORTURE_MAX_BUF_LEN;
		pos += s->len[i] + torture_rand(&st) % 64;
		if (i >= s->out)
			s->in_len += s->len[i];
	}
	BUILD_BUG_ON(PAGE_SIZE + TORTURE_MAX_BUFS * (TORTURE_MAX_BUF_LEN + 64) >
		     TORTURE_SLOT_SIZE);
	if (!s->in_len || torture_rand(&st) & 1)
		s->written = s->in_len;
	else
		s->written = torture_rand(&st) % (s->in_len + 1);
}

/* Bytes [@pos, @pos + @len) of stream @key into @p. */
__umm_user_code void torture_fill(void *p, u32 len, u64 key, u32 pos)
{
	unsigned char *c = p;
	u64 w = torture_mix(key + pos / 8);
	u32 i;

	for (i = 0; i < len; i++, pos++) {
		if (i && !(pos & 7))
			w = torture_mix(key + pos / 8);
		c[i] = w >> (8 * (pos & 7));
	}
}

/* Do the @len bytes at @p hold bytes [@pos, @pos + @len) of @key? */
__umm_user_code bool torture_check(const void *p, u32 len, u64 key, u32 pos)
{
	const unsigned char *c = p;
	u64 w = torture_mix(key + pos / 8);
	u32 i;

	for (i = 0; i < len; i++, pos++) {
		if (i && !(pos & 7))
			w = torture_mix(key + pos / 8);
		if (c[i] != (unsigned char)(w >> (8 * (pos & 7))))
			return false;
	}
	return true;
}
