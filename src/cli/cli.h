/* cli.h — what the subcommands of the landrec command share. */
#ifndef LANDREC_CLI_H
#define LANDREC_CLI_H

#include "landrec/batch.h"

int cmd_db(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_enhance(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_review(int argc, char **argv);

/* Where the SQL migrations are: $LR_SCHEMA_DIR, the installed copy, or the source tree. */
const char *cli_schema_dir(void);

/* Prints "landrec: error: message\nDETAIL: …\nHINT: …" to stderr. */
void cli_report(const char *context, const lr_error *err);

/* Applies -v/-q counts to the logger. */
void cli_set_verbosity(int verbose, int quiet);

/* The command line as one string, for the invocation record. Caller frees. */
char *cli_join_args(int argc, char **argv);

#endif
