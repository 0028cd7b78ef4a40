/* module.c: finding and opening atelier's modules (module.h) with the
 * dynamic loader. */
#define _GNU_SOURCE /* RTLD_NOLOAD */
#include "module.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Where the modules are, from the executable's folder: the repository
 * root (./atelier), PREFIX/bin. */
static const char *const module_dirs[] = {"build/mod", "../lib/atelier"};

/* Where the executable's own path is unknown (no /proc): the folder make
 * install puts them in, as given when building. */
#ifndef AT_MODULE_DIR
#define AT_MODULE_DIR "/usr/local/lib/atelier"
#endif

/* The path of module's file into path (PATH_MAX bytes): the first folder
 * that has it, else the last tried. 0, or -1 when the path is too long. */
static int module_path(const char *module, char *path)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
	if (!slash) {
		int w = snprintf(path, PATH_MAX, "%s/%s.so", AT_MODULE_DIR,
				 module);
		return w > 0 && w < PATH_MAX ? 0 : -1;
	}
	*slash = '\0';
	for (size_t i = 0; i < sizeof module_dirs / sizeof *module_dirs; i++) {
		int w = snprintf(path, PATH_MAX, "%s/%s/%s.so", exe,
				 module_dirs[i], module);
		if (w > 0 && w < PATH_MAX && access(path, R_OK) == 0)
			return 0;
	}
	return 0;
}

static const void *open_symbol(const char *module, const char *symbol,
			       int mode, at_buf *why)
{
	char path[PATH_MAX];
	if (module_path(module, path) != 0) {
		if (why)
			at_buf_puts(why, "the path of its file is too long");
		return NULL;
	}
	/* Lazy: the module's libraries bind a function when it is first
	 * called, not all of their thousands now. Never closed: the module
	 * serves until the process ends. */
	void *h = dlopen(path, mode | RTLD_LAZY | RTLD_LOCAL);
	if (!h) {
		if (why) {
			const char *e = dlerror();
			at_buf_puts(why, e ? e : path);
		}
		return NULL;
	}
	const void *sym = dlsym(h, symbol);
	if (!sym && why)
		at_buf_printf(why, "%s has no %s", path, symbol);
	return sym;
}

const void *at_module_symbol(const char *module, const char *symbol,
			     at_buf *why)
{
	return open_symbol(module, symbol, 0, why);
}

const void *at_module_loaded(const char *module, const char *symbol)
{
	return open_symbol(module, symbol, RTLD_NOLOAD, NULL);
}
