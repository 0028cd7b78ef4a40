/* imagetype.c: image types by extension (imagetype.h). */
#define _POSIX_C_SOURCE 200809L
#include "imagetype.h"

#include <string.h>
#include <strings.h>

static const struct {
	const char *ext;
	at_image_type type;
} types[] = {
	{"png", {"png", "image/png"}},   {"jpg", {"jpg", "image/jpeg"}},
	{"jpeg", {"jpg", "image/jpeg"}}, {"gif", {"gif", "image/gif"}},
	{"webp", {"webp", "image/webp"}},
	{"svg", {"svg", "image/svg+xml"}}};

at_image_type at_image_type_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcasecmp(dot + 1, types[i].ext) == 0)
			return types[i].type;
	return (at_image_type){"bin", "application/octet-stream"};
}

int at_image_type_known(const char *path)
{
	return strcmp(at_image_type_of(path).ext, "bin") != 0;
}

int at_image_type_is_svg(at_image_type t)
{
	return strcmp(t.ext, "svg") == 0;
}

int at_image_mime_is_raster(const char *s)
{
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		const char *m = types[i].type.mime;
		if (!at_image_type_is_svg(types[i].type) &&
		    strncmp(s, m, strlen(m)) == 0)
			return 1;
	}
	return 0;
}
