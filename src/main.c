/* main.c - dispatch only. */
#include "engraft/cli.h"

int main(int argc, char **argv)
{
	return ef_cli_main(argc, argv);
}
