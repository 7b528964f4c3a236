/* cli.h — what the subcommands of the landrec command share. */
#ifndef LANDREC_CLI_H
#define LANDREC_CLI_H

#include <getopt.h>

#include "landrec/batch.h"

int cmd_db(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_enhance(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_manifest(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* Where the SQL migrations are: $LR_SCHEMA_DIR, the installed copy, or the source tree. */
const char *cli_schema_dir(void);

/* Prints "landrec: error: message\nDETAIL: …\nHINT: …" to stderr. */
void cli_report(const char *context, const lr_error *err);

/* Option codes of the enhancement settings that "run" and "enhance" share. */
enum {
    CLI_OPT_METHOD = 1000, /* sauvola | otsu ("run --binarize", "enhance --method") */
    CLI_OPT_SAUVOLA_K,
    CLI_OPT_NO_DESKEW,
    CLI_OPT_NO_ORIENT,
    CLI_OPT_NO_BACKGROUND,
    CLI_OPT_REMOVE_LINES,
};

/* Applies one of the shared enhancement options to *po: 1 when c was one and arg is valid,
 * 0 when c is not a shared option, -1 when arg is not a valid value. */
int cli_enhance_option(int c, const char *arg, lr_pipeline_options *po);

/* Reports a bad option value on stderr, naming the option as it was written: "--jobs" when
 * getopt_long matched a long option (longindex >= 0; set it to -1 before each call), "-j"
 * otherwise. Prints "landrec: CMD: invalid value "VALUE" for OPTION" and a hint pointing to
 * "landrec CMD --help"; returns LR_EXIT_CANNOT_RUN. */
int cli_bad_value(const char *cmd, const struct option *longopts, int longindex, int c,
                  const char *value);

/* Applies -v/-q counts to the logger. */
void cli_set_verbosity(int verbose, int quiet);

/* The command line as one string, for the invocation record: each argument in its display form
 * (valid UTF-8, utf8.h), the value of --db (or --db=) with its passwords masked and $PGPASSWORD
 * masked anywhere (conninfo.h), quoted when it holds a blank or a quote. Caller frees; NULL
 * when out of memory. */
char *cli_join_args(int argc, char **argv);

#endif
