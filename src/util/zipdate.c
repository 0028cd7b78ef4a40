/* zipdate.c: the DOS date and time a zip entry carries (zipout.h), shared by
 * the zip writer, in the print module, and the merged workbook, in the
 * binary. */
#define _POSIX_C_SOURCE 200809L
#include "zipout.h"

#include <time.h>

void at_zip_dos_datetime(long long t, uint16_t *dtime, uint16_t *ddate)
{
	/* 1980-01-01 and 2107-12-31 23:59:58, the range a zip can say */
	const long long lo = 315532800LL, hi = 4354819198LL;
	time_t tt = (time_t)(t < lo ? lo : t > hi ? hi : t);
	struct tm tm;
	if (!gmtime_r(&tt, &tm)) {
		tt = (time_t)lo;
		gmtime_r(&tt, &tm);
	}
	*dtime = (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) |
				(tm.tm_sec / 2));
	*ddate = (uint16_t)(((tm.tm_year - 80) << 9) |
				((tm.tm_mon + 1) << 5) | tm.tm_mday);
}
