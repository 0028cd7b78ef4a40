/* emitters.c: the registry of output formats, in the order they are listed
 * and built. Adding a format: one src/emit/emit_*.c, one extern, one entry. */
#include "atelier/emitter.h"

#include <string.h>

extern const at_emitter at_emit_json;
extern const at_emitter at_emit_md;
extern const at_emitter at_emit_html;
extern const at_emitter at_emit_xlsx;
extern const at_emitter at_emit_csv;
extern const at_emitter at_emit_pdf;
extern const at_emitter at_emit_odt;
extern const at_emitter at_emit_docx;

static const at_emitter *const registry[] = {
	&at_emit_md,
	&at_emit_html,
	&at_emit_json,
	&at_emit_xlsx,
	&at_emit_csv,
	&at_emit_pdf,
	&at_emit_odt,
	&at_emit_docx,
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
