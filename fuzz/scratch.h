/* scratch.h: the private folders the fuzz targets that write files work
 * in (fuzz_emit, fuzz_manifest). Header-only: each target is one .c file
 * linked with atelier's objects. */
#ifndef ATELIER_FUZZ_SCRATCH_H
#define ATELIER_FUZZ_SCRATCH_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Memory-backed when there is one: the index pages are written with
 * fsync, which on a disk would make every input wait for it. */
static const char *scratch_base(void)
{
	struct stat st;
	return stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
			       access("/dev/shm", W_OK) == 0
		       ? "/dev/shm"
		       : "/tmp";
}

/* Removes dir and the files in it (the targets make no subfolders). */
static void remove_all(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];
	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

#endif
