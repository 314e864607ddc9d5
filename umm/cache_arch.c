// SPDX-License-Identifier: GPL-2.0
/*
 * umm: the architectures the cache model knows, the run's choice, its
 * counters, and the seeded randomness of R5 (spontaneous write-back and
 * speculative fills).  Geometry: shared/research/B_cache_aliasing.md §2
 * and §5 (colours = way size / page size; parisc's 4 MiB SHM_COLOUR).
 */
#include "cache_internal.h"	/* first: the model is not routed */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct umm_cache_geometry geometries[UMM_ARCH_NR] = {
	[UMM_ARCH_X86] = {
		.name = "x86", .index = UMM_CACHE_PIPT, .colours = 1,
		.line_size = 64,
	},
	[UMM_ARCH_PARISC] = {
		.name = "parisc", .index = UMM_CACHE_VIPT,
		.colours = (4UL << 20) >> PAGE_SHIFT,	/* SHM_COLOUR */
		.line_size = 64, .flush_on_kunmap = true,
		.invalidate_discards = true,		/* pdc */
		.global_flush_lock = true,		/* pa_tlb_lock */
	},
	[UMM_ARCH_ARMV6] = {
		.name = "armv6", .index = UMM_CACHE_VIPT, .colours = 4,
		.line_size = 32,			/* modelled at 64 */
	},
	[UMM_ARCH_MIPS_R4K] = {
		.name = "mips-r4k", .index = UMM_CACHE_VIPT, .colours = 4,
		.line_size = 32, .has_kmap_coherent = true,
		.invalidate_discards = true,
	},
	[UMM_ARCH_ARMV5] = {
		.name = "armv5", .index = UMM_CACHE_VIVT, .colours = 0,
		.line_size = 32, .flush_on_kunmap_highmem = true,
	},
};

pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
const struct umm_cache_geometry *cache_geo = &geometries[UMM_ARCH_X86];
struct umm_cache_stats cache_stats;
bool umm_cache_on;
unsigned int cache_evict_permille, cache_speculate_permille;
static enum umm_cache_arch cur_arch;
static unsigned long rng_state = 1;

const char *umm_cache_arch_name(enum umm_cache_arch arch)
{
	return arch < UMM_ARCH_NR ? geometries[arch].name : "?";
}

/**
 * umm_cache_arch_parse - the architecture called @name
 * @name: "x86", "parisc", "armv6", "mips-r4k" or "armv5"
 *
 * Context: any.  Returns the architecture or -EINVAL.
 */
int umm_cache_arch_parse(const char *name)
{
	int i;

	for (i = 0; i < UMM_ARCH_NR; i++)
		if (!strcmp(name, geometries[i].name))
			return i;
	return -EINVAL;
}

/**
 * umm_cache_set_arch - run on @arch from now on
 * @arch: the architecture
 *
 * Forgets every cached copy, every pending deferred flush and the
 * counters: the machine starts with a clean, empty cache.
 * Context: no access to modelled memory in flight (tests, boot).
 * Returns 0 or -EINVAL.
 */
int umm_cache_set_arch(enum umm_cache_arch arch)
{
	unsigned long pfn;

	if (arch >= UMM_ARCH_NR)
		return -EINVAL;
	pthread_mutex_lock(&cache_lock);
	cache_model_reset();
	for (pfn = 0; umm_mem_map && pfn < umm_max_pfn; pfn++)
		if (pfn_valid(pfn))
			clear_bit(PG_arch_1, &pfn_to_page(pfn)->flags);
	cur_arch = arch;
	cache_geo = &geometries[arch];
	memset(&cache_stats, 0, sizeof(cache_stats));
	__atomic_store_n(&umm_cache_on, arch != UMM_ARCH_X86,
			 __ATOMIC_RELEASE);
	pthread_mutex_unlock(&cache_lock);
	return 0;
}

enum umm_cache_arch umm_cache_arch(void)
{
	return cur_arch;
}

const struct umm_cache_geometry *umm_cache_geometry(void)
{
	return cache_geo;
}

/**
 * umm_cache_set_chaos - R5: lines written back and filled at random
 * @seed: the generator's seed; the same seed gives the same run when the
 *	  accesses come in the same order (one thread)
 * @evict_permille: chance per access that a cached copy of the page is
 *		    evicted (written back if dirty)
 * @speculate_permille: chance per access that the direct-map copy of the
 *			line is filled speculatively
 *
 * Context: any.
 */
void umm_cache_set_chaos(unsigned long seed, unsigned int evict_permille,
			 unsigned int speculate_permille)
{
	pthread_mutex_lock(&cache_lock);
	rng_state = seed ? seed : 1;
	cache_evict_permille = evict_permille;
	cache_speculate_permille = speculate_permille;
	pthread_mutex_unlock(&cache_lock);
}

/* xorshift64; under cache_lock. */
unsigned long cache_random(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned long env_ulong(const char *name, unsigned long dflt)
{
	const char *s = getenv(name);

	return s && *s ? strtoul(s, NULL, 0) : dflt;
}

/**
 * umm_cache_boot - choose the run's architecture at umm_boot()
 * @config_arch: struct umm_config's cache_arch, 0 (x86) by default
 *
 * UMM_ARCH in the environment overrides it; a name the lab does not know
 * aborts the run, so that a typo does not test x86 instead.
 * Context: umm_boot().
 */
void umm_cache_boot(int config_arch)
{
	const char *env = getenv("UMM_ARCH");
	int arch = config_arch;

	if (env && *env) {
		arch = umm_cache_arch_parse(env);
		if (arch < 0) {
			umm_report(UMM_REPORT_BUG, __FILE__, __LINE__,
				   "UMM_ARCH=%s: not x86, parisc, armv6, mips-r4k or armv5",
				   env);
			abort();
		}
	}
	umm_cache_set_arch(arch);
	umm_cache_set_chaos(env_ulong("UMM_CACHE_SEED", 1),
			    env_ulong("UMM_CACHE_EVICT", 0),
			    env_ulong("UMM_CACHE_SPECULATE", 0));
}

/**
 * umm_cache_get_stats - the run's maintenance counters and detections
 * @stats: filled in
 *
 * Context: any.
 */
void umm_cache_get_stats(struct umm_cache_stats *stats)
{
	pthread_mutex_lock(&cache_lock);
	*stats = cache_stats;
	pthread_mutex_unlock(&cache_lock);
}

/* A kmap_coherent window went in (counted, as a TLB entry costs). */
void umm_cache_count_coherent_map(void)
{
	pthread_mutex_lock(&cache_lock);
	cache_stats.coherent_maps++;
	pthread_mutex_unlock(&cache_lock);
}

void umm_cache_reset_stats(void)
{
	pthread_mutex_lock(&cache_lock);
	memset(&cache_stats, 0, sizeof(cache_stats));
	pthread_mutex_unlock(&cache_lock);
}
