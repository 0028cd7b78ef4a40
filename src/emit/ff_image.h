/* ff_image.h: a question's force field as an image, for the formats that
 * place a figure rather than flow text around it: SVG that the PDF draws
 * as vectors (librsvg) and the word processors embed, and its PNG for
 * those that want a bitmap beside it (DOCX). The same model as the HTML's
 * figure (forcefield.h): the drivers on the left push the line of the
 * situation today, the brakes on the right push back, one arrow per force
 * whose length follows its weight, every word of every force written. */
#ifndef ATELIER_FF_IMAGE_H
#define ATELIER_FF_IMAGE_H

#include "atelier/atelier.h"
#include "atelier/session.h"
#include "buf.h"
#include "labels.h"

/* SVG of question q's force field (no caption: the document writes it
 * as text), laid out width_pt wide; *w_pt and *h_pt its size in points.
 * AT_OK with an empty svg when q has no figure (at_ff_of). */
at_status at_ff_svg(const at_session *s, const at_labels *l,
		    const at_question *q, double width_pt, at_buf *svg,
		    double *w_pt, double *h_pt);

/* That SVG as a PNG at dpi dots per inch. */
at_status at_ff_png(const at_buf *svg, double dpi, at_buf *png);

#endif
