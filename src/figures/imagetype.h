/* imagetype.h: the image types atelier knows, by file extension: one
 * table for the HTML report's data: URLs, the folder build's copies, the
 * figures read as SVG, the files --watch follows and the data: links the
 * link policy lets through. */
#ifndef ATELIER_IMAGETYPE_H
#define ATELIER_IMAGETYPE_H

typedef struct at_image_type {
	const char *ext;  /* the extension a copy gets: "jpg" for .jpeg too */
	const char *mime; /* "image/jpeg" */
} at_image_type;

/* The type of the file at path, by its extension, case aside; an unknown
 * one is {"bin", "application/octet-stream"}, never served as a page. */
at_image_type at_image_type_of(const char *path);

/* Whether path names an image of a type in the table (--watch rebuilds
 * when one changes). */
int at_image_type_known(const char *path);

/* Whether the type is SVG: copied as text, not decoded as pixels. */
int at_image_type_is_svg(at_image_type t);

/* Whether s starts with the MIME type of a raster image of the table
 * (PNG, JPEG, GIF, WebP): the only data: URLs a session's link may hold,
 * SVG being able to carry script. */
int at_image_mime_is_raster(const char *s);

#endif
