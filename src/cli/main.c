/* main.c — the landrec command: re-executes itself with OMP_THREAD_LIMIT=1 when it is not set,
 * then dispatches to a subcommand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "landrec/conninfo.h"
#include "landrec/log.h"
#include "landrec/utf8.h"
#include "lr_config.h"

static const char usage[] =
    "landrec — scanned land records into a searchable PostgreSQL database\n"
    "\n"
    "usage: landrec COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "commands:\n"
    "  db init            create or upgrade the schema and its roles (safe to run twice)\n"
    "  db status          schema version and what has been loaded\n"
    "  run PATH...        enhance, OCR and load scans (files or directories)\n"
    "  enqueue PATH...    put the pages of scans in the work queue, for workers anywhere\n"
    "  worker             claim pages from the work queue and process them (--drain: until\n"
    "                     none is left)\n"
    "  status             the work queue per batch and its workers\n"
    "  reprocess SELECTION    queue pages again with other settings, chosen by their latest\n"
    "                     run (--from-batch, --below-confidence, --failed, ...)\n"
    "  compare A B        the runs of two settings side by side: confidence, CER, fields\n"
    "  choose RUN_ID --by NAME   the run that stands for its page (export gives it)\n"
    "  enhance IN OUT     enhance one image and write it, printing orientation and skew\n"
    "  export             write the latest results as JSON lines (pages, or --records)\n"
    "  qa BATCH           acceptance checks of a delivery: the rescan list (CSV, HTML)\n"
    "  review export|import   fields flagged for review: out to images + CSV, corrections in\n"
    "  eval               score each stage against ground truth (synthetic and real sets)\n"
    "  serve              the archive in the browser: search, sheets, review desk, dashboard\n"
    "  report --year Y    the dashboard's figures for a year, as text (and --html FILE)\n"
    "  user add NAME      an account of the web application (--role reader|reviewer|...)\n"
    "  manifest check CSV check a delivery's manifest: each rejected line and why\n"
    "\n"
    "  landrec COMMAND --help   options of a command\n"
    "  landrec --version        version of landrec, Tesseract and Leptonica\n"
    "\n"
    "The database is named by --db CONNINFO (a libpq connection string or URI) or by the\n"
    "usual PG* environment variables (PGHOST, PGDATABASE, PGUSER, ...).\n"
    "Exit status: 0 success, 1 some inputs failed (the rest loaded), 2 nothing could run.\n"
    "See landrec(1) and docs/reference.md.\n";

const char *cli_schema_dir(void)
{
    return lr_store_default_schema_dir();
}

void cli_report(const char *context, const lr_error *err)
{
    if (context && *context)
        fprintf(stderr, "landrec: %s: %s\n", context,
                err && err->message[0] ? err->message : "unknown error");
    else
        fprintf(stderr, "landrec: error: %s\n",
                err && err->message[0] ? err->message : "unknown error");
    if (err && err->detail[0])
        fprintf(stderr, "DETAIL: %s\n", err->detail);
    if (err && err->hint[0])
        fprintf(stderr, "HINT: %s\n", err->hint);
}

int cli_enhance_option(int c, const char *arg, lr_pipeline_options *po)
{
    switch (c) {
    case CLI_OPT_METHOD:
        if (!strcmp(arg, "sauvola"))
            po->enhance.binarize = LR_BINARIZE_SAUVOLA;
        else if (!strcmp(arg, "otsu"))
            po->enhance.binarize = LR_BINARIZE_OTSU;
        else
            return -1;
        return 1;
    case CLI_OPT_SAUVOLA_K: {
        char *end;
        double k = strtod(arg, &end);
        if (end == arg || *end || k <= 0 || k >= 1)
            return -1;
        po->enhance.sauvola_k = (float)k;
        return 1;
    }
    case CLI_OPT_NO_DESKEW:
        po->enhance.deskew = false;
        return 1;
    case CLI_OPT_NO_ORIENT:
        po->detect_orientation = false;
        return 1;
    case CLI_OPT_NO_BACKGROUND:
        po->enhance.normalize_background = false;
        return 1;
    case CLI_OPT_REMOVE_LINES:
        po->enhance.remove_lines = true;
        return 1;
    }
    return 0;
}

bool cli_parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

int cli_pipeline_option(const char *cmd, int c, const char *arg, lr_pipeline_options *po)
{
    long v;
    switch (c) {
    case 'l':
        po->ocr.lang = arg;
        return 1;
    case CLI_OPT_PSM:
        if (!cli_parse_int(arg, 0, 13, &v))
            return -1;
        po->ocr.psm = (int)v;
        return 1;
    case CLI_OPT_DOC_TYPE:
        if (lr_doc_type_parse(arg, &po->doc_type) < 0) {
            fprintf(stderr,
                    "landrec: %s: unknown document type \"%s\"\nHINT: use auto, "
                    "land_ledger, forest_ledger, movement_resolution, cadastral_map, "
                    "forest_map, survey_map or unknown.\n",
                    cmd, arg);
            return -2;
        }
        return 1;
    case CLI_OPT_FORMS:
        po->forms_dir = arg;
        return 1;
    case CLI_OPT_NO_RECORDS:
        po->records = false;
        return 1;
    case CLI_OPT_WHOLE_PAGE:
        po->whole_page = true;
        return 1;
    case CLI_OPT_MAX_MP:
        if (!cli_parse_int(arg, 1, 10000, &v))
            return -1;
        po->limits.max_pixels = (int64_t)v * 1000000;
        return 1;
    }
    return cli_enhance_option(c, arg, po);
}

int cli_pipeline_option_or_exit(const char *cmd, int c, const char *arg, lr_pipeline_options *po,
                                const struct option *longopts, int longindex)
{
    int r = cli_pipeline_option(cmd, c, arg, po);
    if (r > 0)
        return -1;
    if (r == -2)
        return LR_EXIT_CANNOT_RUN;
    if (r < 0)
        return cli_bad_value(cmd, longopts, longindex, c, arg);
    fprintf(stderr, "HINT: run \"landrec %s --help\" for the options.\n", cmd);
    return LR_EXIT_CANNOT_RUN;
}

int cli_bad_value(const char *cmd, const struct option *longopts, int longindex, int c,
                  const char *value)
{
    char shortname[3] = {'-', (char)c, '\0'};
    const char *name = shortname;
    if (longindex >= 0)
        name = longopts[longindex].name;
    else if (c < 1 || c > 127) /* no short form: find the long one (only it can have matched) */
        for (const struct option *o = longopts; o->name; o++)
            if (o->val == c && !o->flag) {
                name = o->name;
                break;
            }
    fprintf(stderr, "landrec: %s: invalid value \"%s\" for %s%s\n", cmd, value ? value : "",
            name == shortname ? "" : "--", name);
    fprintf(stderr, "HINT: run \"landrec %s --help\" for the options.\n", cmd);
    return LR_EXIT_CANNOT_RUN;
}

void cli_set_verbosity(int verbose, int quiet)
{
    int level = LR_LOG_WARNING + verbose - quiet;
    if (level < LR_LOG_ERROR)
        level = LR_LOG_ERROR;
    if (level > LR_LOG_DEBUG)
        level = LR_LOG_DEBUG;
    lr_log_set_level((lr_log_level)level);
}

/* One argument as it is recorded: the value of --db without its password, then the display
 * form (valid UTF-8). Caller frees. */
static char *shown_arg(char **argv, int i)
{
    char *redacted = NULL;
    if (i > 0 && strcmp(argv[i - 1], "--db") == 0) {
        redacted = lr_conninfo_redact(argv[i]);
    } else if (strncmp(argv[i], "--db=", 5) == 0) {
        char *r = lr_conninfo_redact(argv[i] + 5);
        redacted = r ? malloc(strlen(r) + 6) : NULL;
        if (redacted)
            strcat(strcpy(redacted, "--db="), r);
        free(r);
    }
    char *shown = lr_utf8_path_display(redacted ? redacted : argv[i]);
    free(redacted);
    return shown;
}

char *cli_join_args(int argc, char **argv)
{
    char **shown = calloc((size_t)argc + 1, sizeof *shown);
    char *s = NULL;
    if (!shown)
        return NULL;
    size_t len = 1;
    for (int i = 0; i < argc; i++) {
        if (!(shown[i] = shown_arg(argv, i)))
            goto done;
        len += strlen(shown[i]) + 3;
    }
    if (!(s = malloc(len)))
        goto done;
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i)
            strcat(s, " ");
        bool quote = strpbrk(shown[i], " \t'\"") != NULL || !shown[i][0];
        if (quote)
            strcat(s, "'");
        strcat(s, shown[i]);
        if (quote)
            strcat(s, "'");
    }
    /* $PGPASSWORD, should a command line quote it. */
    char *r = lr_conninfo_redact_text(s, NULL);
    free(s);
    s = r;
done:
    for (int i = 0; i < argc; i++)
        free(shown[i]);
    free(shown);
    return s;
}

/* Tesseract's OpenMP reads OMP_THREAD_LIMIT when the library loads, before main(): setting it
 * here is too late, so start again with it set. Without it Tesseract runs about 9 times
 * slower on two cores with one worker per core (its threads compete with the workers). */
static void ensure_single_threaded_ocr(char **argv)
{
    if (getenv("OMP_THREAD_LIMIT"))
        return;
    setenv("OMP_THREAD_LIMIT", "1", 1);
    execv("/proc/self/exe", argv);
    /* If re-execution is impossible, go on: slower, not wrong. */
    lr_log_warning("could not re-execute with OMP_THREAD_LIMIT=1; OCR may be slow");
}

/* The subcommands, each in its cmd_NAME.c. */
static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"db", cmd_db},         {"run", cmd_run},   {"enhance", cmd_enhance},
    {"export", cmd_export}, {"eval", cmd_eval}, {"review", cmd_review},
    {"serve", cmd_serve},   {"user", cmd_user},     {"enqueue", cmd_enqueue},
    {"worker", cmd_worker}, {"status", cmd_status}, {"manifest", cmd_manifest},
    {"qa", cmd_qa},         {"report", cmd_report}, {"reprocess", cmd_reprocess},
    {"compare", cmd_compare}, {"choose", cmd_choose},
};

int main(int argc, char **argv)
{
    ensure_single_threaded_ocr(argv);
    lr_log_route_leptonica();
    if (argc < 2) {
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("landrec %s (%s)\n", LR_VERSION, lr_ocr_engine_version());
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(cmd, commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "landrec: unknown command \"%s\"\n", cmd);
    fputs("HINT: run \"landrec --help\" for the list of commands.\n", stderr);
    return LR_EXIT_CANNOT_RUN;
}
