/* clock.h — UTC timestamps and calendar dates as text. */
#ifndef ISMS_CLOCK_H
#define ISMS_CLOCK_H
#include <stdbool.h>
#include <time.h>

#define CLOCK_TS_LEN 32

/* Writes now as RFC 3339 UTC with milliseconds ("2026-11-27T22:50:26.123Z") into out. */
void clock_now(char out[CLOCK_TS_LEN]);
/* Writes t (+ms) in the same form. */
void clock_format(time_t t, int ms, char out[CLOCK_TS_LEN]);
/* True if s is a real calendar date YYYY-MM-DD. */
bool clock_valid_date(const char *s);
/* The years a date stored in isms may fall in: wide enough for any record of an ISMS, narrow
   enough that no date arithmetic on them overflows. */
#define CLOCK_YEAR_MIN 1900
#define CLOCK_YEAR_MAX 2200
/* True if s is a real calendar date whose year is CLOCK_YEAR_MIN to CLOCK_YEAR_MAX. */
bool clock_sane_date(const char *s);
/* Adds days (negative: goes back) to a YYYY-MM-DD date into out; an unreadable date is taken
   as 1970-01-01. */
void clock_add_days(const char *date, long long days, char out[11]);
/* Parses RFC 3339 ("2026-11-27T22:50:26Z", fraction and offsets allowed) to the canonical
   form above; returns false if s is not one. */
bool clock_parse_rfc3339(const char *s, char out[CLOCK_TS_LEN]);
/* Adds months to a YYYY-MM-DD date into out, keeping the day where the month allows
   (31 January + 1 month = 28 or 29 February); an unreadable date is taken as 0000-01-01 and
   years are kept to four digits. */
void clock_add_months(const char *date, long long months, char out[11]);
/* Monotonic seconds, for measuring durations. */
double clock_mono(void);

#endif
