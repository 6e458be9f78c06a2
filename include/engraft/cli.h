/* cli.h - the command line: `engraft [--db PATH] [--user NAME] COMMAND ...` */
#ifndef ENGRAFT_CLI_H
#define ENGRAFT_CLI_H

/* Returns the process exit status (design.md exit codes). */
int ef_cli_main(int argc, char **argv);

#endif
