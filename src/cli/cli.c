#include "engraft/cli.h"

#include <stdio.h>

int ef_cli_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "engraft: under construction\n");
	return 2;
}
