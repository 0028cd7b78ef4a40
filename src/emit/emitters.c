/* emitters.c: the registry of output formats, in the order they are listed
 * and built. Adding a format: one src/emit/emit_*.c, one extern, one entry;
 * or, for a format in a module, an entry here that says what it is. */
#include "atelier/emitter.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "module.h"

extern const at_emitter at_emit_json;
extern const at_emitter at_emit_md;
extern const at_emitter at_emit_html;
extern const at_emitter at_emit_csv;

/* In modules (src/util/module.h): libxlsxwriter, Pango and Cairo. */
static const at_emitter xlsx_format = {
	.name = "xlsx",
	.ext = "xlsx",
	.description = "spreadsheet of every contribution (Excel/LibreOffice)",
	.flags = AT_EMITTER_DOCUMENT | AT_EMITTER_BINARY | AT_EMITTER_INDEXED |
		 AT_EMITTER_BOOK,
	.module = "xlsx",
};

static const at_emitter pdf_format = {
	.name = "pdf",
	.ext = "pdf",
	.description = "PDF compte-rendu: A4 pages, contents, bookmarks",
	.flags = AT_EMITTER_BINARY | AT_EMITTER_INDEXED,
	.module = "print",
};

static const at_emitter odt_format = {
	.name = "odt",
	.ext = "odt",
	.description = "OpenDocument text to edit (LibreOffice, Word)",
	.flags = AT_EMITTER_BINARY | AT_EMITTER_INDEXED,
	.module = "print",
};

static const at_emitter docx_format = {
	.name = "docx",
	.ext = "docx",
	.description = "Word document (Office Open XML): the compte-rendu to "
		       "edit",
	.flags = AT_EMITTER_BINARY | AT_EMITTER_INDEXED,
	.module = "print",
};

static const at_emitter *const registry[] = {
	&at_emit_md,
	&at_emit_html,
	&at_emit_json,
	&xlsx_format,
	&at_emit_csv,
	&pdf_format,
	&odt_format,
	&docx_format,
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

const at_emitter *at_emitter_impl(const at_emitter *e, at_diags *d)
{
	if (!e->module)
		return e;
	char symbol[64];
	snprintf(symbol, sizeof symbol, "at_emit_%s", e->name);
	at_buf why;
	at_buf_init(&why);
	const at_emitter *impl = at_module_symbol(e->module, symbol, &why);
	if (!impl)
		at_diag_add(d, AT_ERROR, "module", (at_pos){0, 0}, 0,
			    "cannot write %s: its module does not load (%s)",
			    e->name, at_buf_cstr(&why));
	at_buf_free(&why);
	return impl;
}
