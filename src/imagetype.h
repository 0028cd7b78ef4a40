/* imagetype.h: the image types atelier knows, by file extension: one
 * table for the HTML report's data: URLs and the folder build's copies. */
#ifndef ATELIER_IMAGETYPE_H
#define ATELIER_IMAGETYPE_H

typedef struct at_image_type {
	const char *ext;  /* the extension a copy gets: "jpg" for .jpeg too */
	const char *mime; /* "image/jpeg" */
} at_image_type;

/* The type of the file at path, by its extension, case aside; an unknown
 * one is {"bin", "application/octet-stream"}, never served as a page. */
at_image_type at_image_type_of(const char *path);

#endif
