/* emitters.c: the registry of output formats. One line per format. */
#include "atelier/emitter.h"

#include <string.h>


static const at_emitter *const registry[] = {
	NULL,
};

const at_emitter *const *at_emitters(size_t *n)
{
	*n = sizeof registry / sizeof registry[0];
	return registry;
}

const at_emitter *at_emitter_find(const char *name)
{
	size_t n;
	const at_emitter *const *v = at_emitters(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i]->name, name) == 0)
			return v[i];
	return NULL;
}
