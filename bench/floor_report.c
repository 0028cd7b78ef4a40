/* floor_report.c: the floor of writing one report as atelier promises it,
 * for the benchmarks (docs/performance.md, "Process start"): fork a
 * process for the session (atelier's per-session CPU budget), write SIZE
 * bytes to a temporary file beside OUT, force it to disk and rename it
 * over OUT (a report never half-written). Nothing is read or rendered.
 *
 *   build/bench/floor_report OUT SIZE
 *
 * Exit 0 once OUT is in place, 1 on any failure. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_report(const char *out, size_t size)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.tmp-floor", out) >= (int)sizeof tmp)
		return 1;
	char *bytes = malloc(size ? size : 1);
	if (!bytes)
		return 1;
	memset(bytes, 'x', size);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int bad = fd < 0 || write(fd, bytes, size) != (ssize_t)size ||
		  fsync(fd) != 0;
	if (fd >= 0 && close(fd) != 0)
		bad = 1;
	free(bytes);
	return bad || rename(tmp, out) != 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: floor_report OUT SIZE\n", stderr);
		return 2;
	}
	size_t size = (size_t)strtoul(argv[2], NULL, 10);
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0)
		_exit(write_report(argv[1], size));
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
