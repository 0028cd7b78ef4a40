/* node.c: small questions asked of the generic tree. */
#include "atelier/node.h"

#include <string.h>

#include "i18n.h"

int at_node_is_null(const at_node *n)
{
	if (!n)
		return 1;
	if (n->kind != AT_SCALAR || n->u.scalar.style != AT_PLAIN || n->tag)
		return 0;
	const char *s = n->u.scalar.s;
	return s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	       strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

const at_node *at_map_get(const at_node *map, const char *key)
{
	if (!map || map->kind != AT_MAP)
		return NULL;
	for (size_t i = 0; i < map->u.map.n; i++) {
		const at_node *k = map->u.map.v[i].key;
		if (k->kind == AT_SCALAR && strcmp(k->u.scalar.s, key) == 0)
			return map->u.map.v[i].value;
	}
	return NULL;
}

static int is_number(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	int digits = 0, dot = 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s == '.' && !dot)
			dot = 1;
		else
			return 0;
	}
	return digits > 0;
}

const char *at_node_describe(const at_node *n)
{
	if (at_node_is_null(n))
		return _("nothing");
	switch (n->kind) {
	case AT_MAP:
		return _("a mapping");
	case AT_SEQ:
		return _("a list");
	case AT_SCALAR:
		if (n->u.scalar.style == AT_PLAIN && is_number(n->u.scalar.s))
			return _("a number");
		return _("text");
	}
	return _("a value");
}
