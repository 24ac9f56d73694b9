/* frequency.h — how often something recurs (a plan entry, a measurement): the enum values
   the modules share ("weekly" … "yearly") and the arithmetic of the next occurrence. */
#ifndef ISMS_FREQUENCY_H
#define ISMS_FREQUENCY_H

/* The months in one period of frequency ("monthly" 1, "quarterly" 3, "half_yearly" 6,
   "yearly" 12); 0 for anything else ("once", "weekly", NULL). */
int frequency_months(const char *frequency);

/* The day one period of frequency after date (YYYY-MM-DD) into out: a week for "weekly",
   else frequency_months; out is date itself when the frequency has no period. */
void frequency_next(const char *frequency, const char *date, char out[11]);

#endif
