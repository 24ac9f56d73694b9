/* frequency.c — recurring periods shared by the modules (7.4 plan entries, 9.1 measures). */
#include "frequency.h"
#include "../base/clock.h"
#include "../base/text.h"

#include <stdio.h>

int frequency_months(const char *frequency)
{
	return str_eq(frequency, "monthly")       ? 1
	       : str_eq(frequency, "quarterly")   ? 3
	       : str_eq(frequency, "half_yearly") ? 6
	       : str_eq(frequency, "yearly")      ? 12
						  : 0;
}

void frequency_next(const char *frequency, const char *date, char out[11])
{
	int months = frequency_months(frequency);
	if (str_eq(frequency, "weekly"))
		clock_add_days(date, 7, out);
	else if (months)
		clock_add_months(date, months, out);
	else
		snprintf(out, 11, "%s", date);
}
