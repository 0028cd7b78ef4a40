/* validate.h: stage 4, the checks that need the whole session: ids,
 * references, figures on disk, and the plan-versus-reality warnings. */
#ifndef ATELIER_VALIDATE_H
#define ATELIER_VALIDATE_H

#include "atelier/atelier.h"

void at_validate(const at_session *s, at_diags *d);

#endif
