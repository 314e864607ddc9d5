// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta torture, end to end: a short run of the built tool ($VMETA, or
 * the vmeta next to this test's build directory) over the default
 * strategies.  One test per result line: PASS; and the tool's exit
 * status.  kmap and vmap must have seen invalidations (the chaos
 * reached them).  Their retries (a remap racing an invalidation) are
 * reported, not required: 0.8 s per strategy sometimes sees none (a
 * 30-second run sees thousands).
 *
 * Under a cache model (UMM_ARCH, make cachecheck) the mappings that
 * would alias fall back to user access instead, and must say so: vmap
 * on every virtually indexed model, kmap on VIVT (armv5), where no kernel
 * window shares the user's lines.
 */
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tap.h"

#define NR_DEFAULT	5	/* every strategy but raw */

static const char *vmeta_path(const char *argv0, char *buf, size_t len)
{
	const char *env = getenv("VMETA");
	char dir[512];

	if (env && *env)
		return env;
	/* build/tests/core/test_torture -> build/vmeta */
	snprintf(dir, sizeof(dir), "%s", argv0);
	snprintf(buf, len, "%s/../../vmeta", dirname(dir));
	return buf;
}

/* Run the tool with its stdout on a pipe; the read end, or NULL. */
static FILE *run(const char *vmeta, pid_t *pid)
{
	int fd[2];

	if (pipe(fd))
		return NULL;
	*pid = fork();
	if (*pid < 0)
		return NULL;
	if (!*pid) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execl(vmeta, vmeta, "torture", "--seconds", "4", "--seed", "1",
		      "--quiet", (char *)NULL);
		perror(vmeta);
		_exit(127);
	}
	close(fd[1]);
	return fdopen(fd[0], "r");
}

static bool arch_is(const char *name)
{
	const char *arch = getenv("UMM_ARCH");

	return arch && !strcmp(arch, name);
}

/* Does @strategy fall back to user access on this run's cache model? */
static bool falls_back(const char *strategy)
{
	bool virt = getenv("UMM_ARCH") && !arch_is("x86");

	if (!strcmp(strategy, "vmap") || !strcmp(strategy, "vmap-pin"))
		return virt;
	return !strcmp(strategy, "kmap") && arch_is("armv5");
}

/* "torture: strategy=S meta ... alias=N ...": the aliasing fallbacks. */
static void check_details(const char *line)
{
	unsigned long long alias = 0;
	const char *p = strstr(line, " alias=");
	char strategy[32], name[160];

	if (sscanf(line, "torture: strategy=%31s meta", strategy) != 1 ||
	    !strstr(line, " meta ") || !falls_back(strategy))
		return;
	if (p)
		alias = strtoull(p + 7, NULL, 10);
	snprintf(name, sizeof(name), "%s on %s: falls back to user access "
		 "for aliasing (%llu batches)", strategy, getenv("UMM_ARCH"),
		 alias);
	ok(alias > 0, name);
}

/* One result line: "torture: strategy=S chains=N ... result=R". */
static int check_result(const char *line)
{
	unsigned long long chains, inval, retries, lost, dup, stale, loss;
	char strategy[32], result[8], name[160];

	if (sscanf(line, "torture: strategy=%31s chains=%llu invalidations=%llu "
		   "retries=%llu lost=%llu dup=%llu stale=%llu dataloss=%llu "
		   "result=%7s", strategy, &chains, &inval, &retries, &lost,
		   &dup, &stale, &loss, result) != 9)
		return 0;
	snprintf(name, sizeof(name), "%s: %llu chains, nothing lost, "
		 "duplicated, stale or damaged", strategy, chains);
	ok(!strcmp(result, "PASS") && chains && !lost && !dup && !stale &&
	   !loss, name);
	if ((!strcmp(strategy, "kmap") || !strcmp(strategy, "vmap")) &&
	    !falls_back(strategy)) {
		snprintf(name, sizeof(name), "%s: the chaos invalidated the "
			 "mapping (%llu times; %llu retries)", strategy, inval,
			 retries);
		ok(inval > 0, name);
	}
	return 1;
}

int main(int argc, char **argv)
{
	char path[600], line[1024];
	int status, results = 0;
	const char *vmeta;
	FILE *out;
	pid_t pid;

	vmeta = vmeta_path(argv[0], path, sizeof(path));
	out = run(vmeta, &pid);
	if (!out)
		BAIL_OUT("cannot run %s", vmeta);
	while (fgets(line, sizeof(line), out)) {
		if (strstr(line, " result=")) {
			results += check_result(line);
			continue;
		}
		check_details(line);
		line[strcspn(line, "\n")] = 0;
		diag("%s", line);
	}
	fclose(out);
	waitpid(pid, &status, 0);
	is(results, NR_DEFAULT, "one result line per default strategy");
	ok(WIFEXITED(status) && !WEXITSTATUS(status),
	   "vmeta torture exits 0");
	return done_testing();
}
