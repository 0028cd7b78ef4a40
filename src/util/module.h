/* module.h: the parts of atelier kept out of the process until they are used.
 *
 * The formats and the stage whose libraries are large (libxlsxwriter, Pango
 * and Cairo with libzip, libvips: about a hundred shared libraries, whose
 * loading took ten times as long as everything else a small build does) are
 * built as modules the binary opens when it first needs one. A build of
 * Markdown and HTML then starts with the few libraries it uses.
 *
 * Modules are found only beside the executable, never through the
 * environment (a session file cannot choose the code that runs):
 * build/mod/ under the uninstalled ./atelier, ../lib/atelier/ under
 * PREFIX/bin/atelier. Each module exports data symbols only: an at_emitter
 * named at_emit_FORMAT, or the figure codec.
 *
 * Static builds (the sanitizer binary, unit tests, fuzzers) link the modules
 * in: module_linked.c answers for them instead of module.c. */
#ifndef ATELIER_MODULE_H
#define ATELIER_MODULE_H

#include "buf.h"

/* symbol of module (its file: module.so), the module loaded first if need
 * be; NULL, with why saying what failed, when it cannot be. */
const void *at_module_symbol(const char *module, const char *symbol,
			     at_buf *why);

/* symbol of module if the module is already loaded, else NULL: loads
 * nothing. */
const void *at_module_loaded(const char *module, const char *symbol);

#endif
