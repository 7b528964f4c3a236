/* cli.h — what the subcommands of the landrec command share. */
#ifndef LANDREC_CLI_H
#define LANDREC_CLI_H

#include <getopt.h>

#include "landrec/batch.h"
#include "landrec/qa.h"
#include "landrec/store.h"

int cmd_db(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_enhance(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_manifest(int argc, char **argv);
int cmd_enqueue(int argc, char **argv);
int cmd_worker(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_qa(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_reprocess(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_choose(int argc, char **argv);

/* The acceptance checks of a batch (qa.h, docs/qa.md) appended to *list: the pages' stored
 * measures, and with measure the measures of pages loaded without them taken from their
 * files (otherwise such pages go without the checks that need them). *out_pages: pages read;
 * *out_found: whether any run has the batch name. Used by "qa" and "report". */
int cli_qa_batch(lr_store *st, const char *batch, const lr_qa_thresholds *t, bool measure,
                 lr_qa_findings *list, size_t *out_pages, bool *out_found, lr_error *err);

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

/* Option codes of the pipeline settings that "run" and "enqueue" share (with the enhancement
 * ones above, and -l, --lang). */
enum {
    CLI_OPT_PSM = 1100,
    CLI_OPT_DOC_TYPE,
    CLI_OPT_FORMS,
    CLI_OPT_NO_RECORDS,
    CLI_OPT_WHOLE_PAGE,
    CLI_OPT_MAX_MP,
};

/* Their getopt_long entries, to put in a command's table. */
#define CLI_PIPELINE_LONGOPTS                                                                      \
    {"lang", required_argument, NULL, 'l'}, {"psm", required_argument, NULL, CLI_OPT_PSM},        \
        {"doc-type", required_argument, NULL, CLI_OPT_DOC_TYPE},                                   \
        {"forms", required_argument, NULL, CLI_OPT_FORMS},                                         \
        {"no-records", no_argument, NULL, CLI_OPT_NO_RECORDS},                                     \
        {"whole-page", no_argument, NULL, CLI_OPT_WHOLE_PAGE},                                     \
        {"binarize", required_argument, NULL, CLI_OPT_METHOD},                                     \
        {"sauvola-k", required_argument, NULL, CLI_OPT_SAUVOLA_K},                                 \
        {"no-deskew", no_argument, NULL, CLI_OPT_NO_DESKEW},                                       \
        {"no-orientation", no_argument, NULL, CLI_OPT_NO_ORIENT},                                  \
        {"no-background", no_argument, NULL, CLI_OPT_NO_BACKGROUND},                               \
        {"remove-lines", no_argument, NULL, CLI_OPT_REMOVE_LINES},                                 \
        {"max-megapixels", required_argument, NULL, CLI_OPT_MAX_MP}

/* Their help lines, as "run --help" and "enqueue --help" print them. */
#define CLI_PIPELINE_HELP                                                                          \
    "  -l, --lang LANGS        Tesseract languages (default: kor+chi_tra)\n"                      \
    "      --psm N             Tesseract page segmentation mode for pages read whole\n"           \
    "                          (default: 4)\n"                                                    \
    "      --whole-page        read ruled tables as a page too, not cell by cell\n"               \
    "      --doc-type TYPE     take every page to be TYPE (land_ledger, forest_ledger,\n"         \
    "                          movement_resolution, cadastral_map, forest_map, survey_map,\n"     \
    "                          unknown; default auto: classified from its layout)\n"              \
    "      --forms DIR         form templates (default: schemas/forms, see docs/forms.md)\n"      \
    "      --no-records        no layout/extract stage: page text only\n"                         \
    "      --binarize METHOD   sauvola (default) or otsu\n"                                       \
    "      --sauvola-k K       Sauvola factor (default: 0.5)\n"                                   \
    "      --no-deskew         detect skew but do not correct it\n"                               \
    "      --no-orientation    do not detect orientation (pages are upright)\n"                   \
    "      --no-background     no background normalisation\n"                                     \
    "      --remove-lines      OCR the page without its vertical ruling lines\n"                  \
    "      --max-megapixels N  refuse pages larger than N megapixels (default: 150)\n"

/* Applies one of the shared pipeline options (the enhancement ones included) to *po, as
 * cli_enhance_option does; an unknown document type is reported here (then -2). */
int cli_pipeline_option(const char *cmd, int c, const char *arg, lr_pipeline_options *po);

/* The default: branch of the option loop of a command that takes the pipeline options: -1
 * when c was one of them, valid (the loop goes on); otherwise the exit status to return, the
 * problem reported (a bad value as cli_bad_value reports it, an unknown option with a hint
 * to "landrec CMD --help"). */
int cli_pipeline_option_or_exit(const char *cmd, int c, const char *arg, lr_pipeline_options *po,
                                const struct option *longopts, int longindex);

/* Parses an integer in [lo, hi]; false when s is not one. */
bool cli_parse_int(const char *s, long lo, long hi, long *out);

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
