/* template.h: the texts atelier prints whole, embedded at build time from
 * src/cli/template.yaml and src/cli/template.fr.yaml (what `atelier init` writes,
 * in English and in French) and docs/schema.json (what `atelier schema`
 * prints). */
#ifndef ATELIER_TEMPLATE_H
#define ATELIER_TEMPLATE_H

extern const unsigned char at_template_yaml[];
extern const unsigned char at_template_fr_yaml[];
extern const unsigned char at_schema_json[];

#endif
