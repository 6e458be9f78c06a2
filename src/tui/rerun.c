/* rerun.c - after the TUI writes a row, re-run that patient's rules. */
#include <stdio.h>

#include "tui_int.h"

int tui_rerun_rules(struct app *a, int64_t patient_id, char *summary, size_t size)
{
	(void)a;
	(void)patient_id;
	snprintf(summary, size, " Alerts not re-evaluated: the rules engine is not in this build.");
	return EF_OK;
}
