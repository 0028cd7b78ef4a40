/* nofsync.c: a diagnostic for the benchmarks, never for real builds: an
 * LD_PRELOAD library whose fsync, fdatasync and syncfs return at once, so that a
 * build can be timed without the cost of forcing every report to disk.
 * The difference to a normal build is what durability costs
 * (docs/performance.md, "Scale").
 *
 *   LD_PRELOAD=build/bench/nofsync.so ./atelier build ... */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>

int fsync(int fd)
{
	(void)fd;
	return 0;
}

int fdatasync(int fd)
{
	(void)fd;
	return 0;
}

/* Not declared without _GNU_SOURCE: src/util/output.c calls it on Linux. */
int syncfs(int fd);

int syncfs(int fd)
{
	(void)fd;
	return 0;
}
