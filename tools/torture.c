// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta torture: guest, host and chaos threads over every strategy
 * (issue 4).  This file is the command: options, one run per strategy
 * (tools/torture_run.c), the report.  The output ends with one line per
 * strategy,
 *
 *   torture: strategy=S chains=N invalidations=N retries=N lost=N dup=N
 *            stale=N dataloss=N result=PASS|FAIL
 *
 * (one line), and the exit status is 1 if any says FAIL.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <umm/cache.h>
#include <umm/phys.h>
#include "tool.h"
#include "torture.h"

#define DEFAULT_STRATEGIES						\
	(BIT(VMETA_UACCESS) | BIT(VMETA_UACCESS_SCOPED) |		\
	 BIT(VMETA_VMAP_PIN) | BIT(VMETA_VMAP) | BIT(VMETA_KMAP))

#ifdef UMM_CACHE_CHECK
#define CACHE_CHECKING	true
#else
#define CACHE_CHECKING	false
#endif

static void usage(FILE *f)
{
	fprintf(f,
"usage: vmeta torture [options]\n"
"\n"
"Guest, host and chaos threads over each strategy: the guest posts chains\n"
"of sequence-numbered buffers, the host serves them through the engine as\n"
"a loopback device, the chaos thread fires mm events at the ring and\n"
"buffer pages (migration, reclaim, MADV_PAGEOUT, fork with COW writes,\n"
"mprotect, MADV_DONTNEED and munmap+remap of free buffers).  Every chain\n"
"must come back exactly once with the right bytes both ways.\n"
"\n"
"  --seconds N     total time, split across the strategies (default 30)\n"
"  --strategy S    a strategy, repeatable or a comma list (default: all\n"
"                  but raw; raw keeps its rings in plain memory)\n"
"  --seed N        the chaos and buffer seed (default: from the clock;\n"
"                  always printed; thread interleavings are not replayed)\n"
"  --rate N        chaos events per second (default: as fast as possible,\n"
"                  20 us apart; a migrate-ring event is a burst of 32)\n"
"  --num N         ring size, a power of two, 2 to 1024 (default 64)\n"
"  --events LIST   the chaos events to fire, a comma list or none\n"
"                  (default: all of migrate-ring migrate reclaim pageout\n"
"                  fork mprotect dontneed remap thp-split thp-collapse)\n"
"  --arch[=LIST]   run on each cache model (x86 parisc armv6 mips-r4k\n"
"                  armv5), or on those listed; the time is split across\n"
"                  them.  Only a checking build (build/cache/vmeta, from\n"
"                  make cachecheck) shows the models core/'s accesses\n"
"                  (default: the model UMM_ARCH names, else x86)\n"
"  --quiet         no progress line\n"
"\n"
"Strategies: raw uaccess uaccess-scoped vmap-pin vmap kmap.\n"
"The rings live in one THP: thp-split and thp-collapse act on it.\n"
"\n"
"Output ends with one line per strategy (and model):\n"
"  torture: strategy=S chains=N invalidations=N retries=N lost=N dup=N "
"stale=N dataloss=N result=PASS|FAIL arch=A\n"
"PASS means lost, dup, stale and dataloss are all 0, the queue never\n"
"broke and the watchdog never fired.  Exit status 1 on any FAIL.\n");
}

static int event_parse(const char *name)
{
	return strcmp(name, "none") ? torture_event_parse(name) : -ENOENT;
}

/*
 * A comma list of names into a bit mask: @parse gives a name's bit,
 * -ENOENT for a name that adds none, another negative value for an
 * unknown one (reported as a @what).
 */
static int parse_list(const char *arg, unsigned int *mask,
		      int (*parse)(const char *), const char *what)
{
	char *copy = strdup(arg), *save = NULL, *name;
	int bit, ret = 0;

	for (name = strtok_r(copy, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		bit = parse(name);
		if (bit == -ENOENT)
			continue;
		if (bit < 0) {
			fprintf(stderr, "torture: unknown %s '%s'\n", what,
				name);
			ret = -EINVAL;
			break;
		}
		*mask |= BIT(bit);
	}
	free(copy);
	return ret;
}

static bool parse_num(const char *arg, unsigned long long *val)
{
	char *end;

	*val = strtoull(arg, &end, 0);
	return *arg && !*end;
}

enum { OPT_SECONDS = 256, OPT_STRATEGY, OPT_SEED, OPT_RATE, OPT_NUM,
       OPT_EVENTS, OPT_ARCH, OPT_QUIET, OPT_HELP };

static const struct option options[] = {
	{ "seconds", required_argument, NULL, OPT_SECONDS },
	{ "strategy", required_argument, NULL, OPT_STRATEGY },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "num", required_argument, NULL, OPT_NUM },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "arch", optional_argument, NULL, OPT_ARCH },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* 0, 1 for --help, or -EINVAL. */
static int parse_opt(int opt, const char *arg, struct torture_opts *o,
		     bool *seeded)
{
	unsigned long long v;
	char *end;

	switch (opt) {
	case OPT_SECONDS:
		o->seconds = strtod(arg, &end);
		return *end || o->seconds <= 0 ? -EINVAL : 0;
	case OPT_STRATEGY:
		return parse_list(arg, &o->strategies, vmeta_strategy_parse,
				  "strategy");
	case OPT_SEED:
		*seeded = true;
		return parse_num(arg, &o->seed) ? 0 : -EINVAL;
	case OPT_RATE:
		if (!parse_num(arg, &v) || !v || v > 1000000)
			return -EINVAL;
		o->rate = v;
		return 0;
	case OPT_NUM:
		if (!parse_num(arg, &v) || v < 2 || v > 1024 || (v & (v - 1)))
			return -EINVAL;
		o->num = v;
		return 0;
	case OPT_EVENTS:
		o->events = 0;
		return parse_list(arg, &o->events, event_parse, "event");
	case OPT_ARCH:
		if (!arg) {
			o->archs = BIT(UMM_ARCH_NR) - 1;
			return 0;
		}
		return parse_list(arg, &o->archs, umm_cache_arch_parse,
				  "cache model");
	case OPT_QUIET:
		o->quiet = true;
		return 0;
	case OPT_HELP:
		return 1;
	default:
		return -EINVAL;
	}
}

static int parse_args(int argc, char **argv, struct torture_opts *o)
{
	bool seeded = false;
	int opt, ret;

	*o = (struct torture_opts){ .seconds = 30, .num = 64,
				    .events = BIT(EV_NR) - 1 };
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		ret = parse_opt(opt, optarg, o, &seeded);
		if (ret)
			return ret;
	}
	if (optind < argc)
		return -EINVAL;
	if (!o->strategies)
		o->strategies = DEFAULT_STRATEGIES;
	if (!seeded)
		o->seed = (unsigned long long)time(NULL) ^
			  ((unsigned long long)getpid() << 32);
	return 0;
}

static bool passed(const struct torture_run *r)
{
	return !r->failed_setup && !r->lost && !r->dup && !r->stale &&
	       !r->dataloss && !r->broken && !r->watchdog;
}

static void print_details(const struct torture_run *r)
{
	const char *s = vmeta_strategy_name(r->strategy);
	const struct vmeta_meta_stats *st = &r->stats;
	int e;

	printf("torture: strategy=%s events", s);
	for (e = 0; e < EV_NR; e++)
		printf(" %s=%llu/%llu", torture_event_names[e],
		       (unsigned long long)r->events_done[e],
		       (unsigned long long)r->events[e]);
	printf(" (accepted/fired)\n");
	printf("torture: strategy=%s meta batches=%llu hits=%llu remaps=%llu "
	       "fallbacks", s, (unsigned long long)st->batches,
	       (unsigned long long)st->hits, (unsigned long long)st->remaps);
	for (e = 0; e < VMETA_NR_FALLBACKS; e++)
		printf(" %s=%llu", vmeta_fallback_name(e),
		       (unsigned long long)st->fallbacks[e]);
	printf(" notifies=%llu\n", (unsigned long long)r->notifies);
	if (r->broken)
		printf("torture: strategy=%s queue broken: %s (%d)\n", s,
		       r->why, r->broken);
	if (r->watchdog)
		printf("torture: strategy=%s watchdog: no chain completed for "
		       "%d s while %s\n", s, TORTURE_WATCHDOG_SEC, r->watchdog);
	if (r->failed_setup)
		printf("torture: strategy=%s could not be set up\n", s);
	fflush(stdout);
}

static void print_result(const struct torture_run *r)
{
	printf("torture: strategy=%s chains=%llu invalidations=%llu "
	       "retries=%llu lost=%llu dup=%llu stale=%llu dataloss=%llu "
	       "result=%s arch=%s\n", vmeta_strategy_name(r->strategy),
	       (unsigned long long)r->returned,
	       (unsigned long long)r->stats.invalidations,
	       (unsigned long long)r->stats.retries,
	       (unsigned long long)r->lost, (unsigned long long)r->dup,
	       (unsigned long long)r->stale,
	       (unsigned long long)r->dataloss, passed(r) ? "PASS" : "FAIL",
	       umm_cache_arch_name(r->arch));
}

static int boot_lab(void)
{
	struct umm_config cfg = { .ram_mb = 256 };
	int ret = umm_boot(&cfg);

	if (ret)
		fprintf(stderr, "torture: umm_boot: %d\n", ret);
	return ret;
}

/* Every strategy of @o on cache model @arch; fills @runs, returns how many. */
static unsigned int run_arch(struct torture_opts *o, int arch,
			     struct torture_run *runs, double seconds)
{
	unsigned int i = 0;
	int s;

	if (umm_cache_set_arch(arch))
		return 0;
	if (!o->quiet || arch != UMM_ARCH_X86)
		printf("torture: arch=%s%s\n", umm_cache_arch_name(arch),
		       arch == UMM_ARCH_X86 || CACHE_CHECKING ? "" :
		       " (not a checking build: the model sees the lab's "
		       "copies, not core/'s accesses)");
	for (s = 0; s < VMETA_NR_STRATEGIES; s++) {
		struct torture_run *r = &runs[i];

		if (!(o->strategies & BIT(s)))
			continue;
		r->o = o;
		r->strategy = s;
		r->arch = arch;
		r->num = o->num;
		r->seed = torture_mix(o->seed + s);
		r->failed_setup = torture_run_one(r, seconds) < 0;
		print_details(r);
		i++;
	}
	return i;
}

int vmeta_torture_main(int argc, char **argv)
{
	unsigned int n = 0, nr_archs, i, total = 0;
	struct torture_run *runs;
	struct torture_opts o;
	int s, a, ret, fail = 0;

	ret = parse_args(argc, argv, &o);
	if (ret > 0) {
		usage(stdout);
		return 0;
	}
	if (ret) {
		fprintf(stderr, "usage: vmeta torture [options] "
			"(vmeta torture --help)\n");
		return 2;
	}
	if (boot_lab())
		return 1;
	if (!o.archs)
		o.archs = BIT(umm_cache_arch());
	nr_archs = __builtin_popcount(o.archs);
	for (s = 0; s < VMETA_NR_STRATEGIES; s++)
		n += !!(o.strategies & BIT(s));
	runs = calloc(n * nr_archs, sizeof(*runs));
	printf("torture: seed=%llu seconds=%g num=%u\n", o.seed, o.seconds,
	       o.num);
	for (a = 0; a < UMM_ARCH_NR; a++)
		if (o.archs & BIT(a))
			total += run_arch(&o, a, runs + total,
					  o.seconds / (n * nr_archs));
	for (i = 0; i < total; i++) {
		print_result(&runs[i]);
		fail |= !passed(&runs[i]);
	}
	free(runs);
	return fail || total != n * nr_archs;
}
