/* template.h: the starting point `atelier init` writes. */
#ifndef ATELIER_TEMPLATE_H
#define ATELIER_TEMPLATE_H

extern const char at_template_yaml[];

#endif
