/* lookup.h: building the session's indexes (session.c), once the binder
 * has made the session and before anything looks up an id in it. */
#ifndef ATELIER_LOOKUP_H
#define ATELIER_LOOKUP_H

#include "arena.h"
#include "atelier/session.h"

/* 0, or -1 when memory ran out. */
int at_session_index(at_session *s, at_arena *a);

#endif
