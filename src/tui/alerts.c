/* alerts.c - open alerts by severity; `k` acknowledges (reason required,
 * optional until date); `h` shows the history. Needs the alerts table of
 * the clinical core. */
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

struct alerts_st {
	int dummy;
};

static const struct keybind keys[] = {
	{{'k'}, "k", CMD_ACK, "Ack", "acknowledge the selected alert (reason required)", 0},
	KEYS_END,
};

static int alerts_open(struct app *a, struct screen *s, const struct request *rq)
{
	s->st = calloc(1, sizeof(struct alerts_st));
	if (!s->st)
		return ef_errf(&a->err, EF_DB, "out of memory");
	s->patient_id = rq->patient_id;
	snprintf(s->title, sizeof s->title, "%s", rq->patient_id ? "patient" : "clinic");
	return EF_OK;
}

static void alerts_close(struct app *a, struct screen *s)
{
	(void)a;
	free(s->st);
	s->st = NULL;
}

static void alerts_draw(struct app *a, struct screen *s, WINDOW *w)
{
	(void)a;
	(void)s;
	put_text(w, 1, 1, getmaxx(w) - 1, "Alerts need the rules engine of the clinical core, which is not in this build.",
		 tui_attr(R_WARNING), 0);
}

static enum action alerts_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	(void)s;
	(void)key;
	if (cmd == CMD_ACK) {
		tui_msg(a, MSG_NOT_AVAILABLE, "Acknowledging alerts");
		return ACTION_NONE;
	}
	return ACTION_PASS;
}

const struct screen_ops alerts_ops = {
	.name = "Alerts",
	.about = "Open alerts, worst first. k acknowledges the selected alert: a reason is "
		 "required, and an optional until date snoozes it (it comes back after that date if "
		 "still true).",
	.open = alerts_open,
	.draw = alerts_draw,
	.key = alerts_key,
	.close = alerts_close,
	.help = keys,
};

const struct screen_ops ackform_ops = {
	.name = "Acknowledge",
	.open = alerts_open,
	.draw = alerts_draw,
	.key = alerts_key,
	.close = alerts_close,
	.help = keys,
};
