/* module_linked.c: module.h for static builds (the sanitizer binary, unit
 * tests, fuzzers), where every module is linked in: a symbol is looked up
 * in this table, and every module counts as loaded. */
#include "module.h"

#include <string.h>

#include "atelier/emitter.h"
#include "figure.h"

extern const at_emitter at_emit_xlsx;
extern const at_emitter at_emit_pdf;
extern const at_emitter at_emit_odt;
extern const at_emitter at_emit_docx;

static const struct {
	const char *module, *symbol;
	const void *at;
} linked[] = {
	{"xlsx", "at_emit_xlsx", &at_emit_xlsx},
	{"print", "at_emit_pdf", &at_emit_pdf},
	{"print", "at_emit_odt", &at_emit_odt},
	{"print", "at_emit_docx", &at_emit_docx},
	{"figures", "at_figure_vips", &at_figure_vips},
};

const void *at_module_loaded(const char *module, const char *symbol)
{
	for (size_t i = 0; i < sizeof linked / sizeof *linked; i++)
		if (strcmp(linked[i].module, module) == 0 &&
		    strcmp(linked[i].symbol, symbol) == 0)
			return linked[i].at;
	return NULL;
}

const void *at_module_symbol(const char *module, const char *symbol,
			     at_buf *why)
{
	const void *at = at_module_loaded(module, symbol);
	if (!at && why)
		at_buf_printf(why, "no %s in the %s module", symbol, module);
	return at;
}
