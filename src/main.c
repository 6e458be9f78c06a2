/* main.c - the two faces: a command runs in the CLI; no command opens the
 * terminal interface (the CLI parses the global options and opens the
 * database for both). */
#include "engraft/cli.h"
#include "engraft/tui.h"

int main(int argc, char **argv)
{
	return ef_cli_main(argc, argv, ef_tui_run);
}
