/* json.h: writing JSON strings, shared by the JSON export, the JSON
 * diagnostics and the build manifest. */
#ifndef ATELIER_JSON_H
#define ATELIER_JSON_H

#include <stdio.h>

/* Writes s as a JSON string literal, quotes included. s is UTF-8; control
 * characters are escaped, everything else is written as is. */
void at_json_string(FILE *f, const char *s);

#endif
