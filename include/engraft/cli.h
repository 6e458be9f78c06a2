/* cli.h - the command line: `engraft [--db PATH] COMMAND ...` */
#ifndef ENGRAFT_CLI_H
#define ENGRAFT_CLI_H

#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/store.h"

/* The other face: what runs when no command is given (the terminal
 * interface, ef_tui_run). main.c passes it in, so the CLI never depends on
 * the TUI. */
typedef int (*ef_face_fn)(struct store *s, ef_day today, struct ef_err *err);

/* Returns the process exit status (the exit codes of the man page). */
int ef_cli_main(int argc, char **argv, ef_face_fn no_command);

#endif
