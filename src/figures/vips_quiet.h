/* vips_quiet.h: <vips/vips.h> under atelier's warnings: glib's headers use
 * extensions -Wpedantic and -Wstrict-prototypes reject. For figure.c and
 * its tests only. */
#ifndef ATELIER_VIPS_QUIET_H
#define ATELIER_VIPS_QUIET_H

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#endif
#include <vips/vips.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#endif
