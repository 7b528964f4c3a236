/* cmd_enhance.c — "landrec enhance": one image through orientation and enhancement, for
 * archivists trying settings on a bad scan. */
#include <getopt.h>
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "landrec/orient.h"
#include "landrec/page.h"

static const char usage[] =
    "usage: landrec enhance [OPTIONS] IN OUT\n"
    "\n"
    "Enhances one page of IN (orientation, deskew, border clean-up, background\n"
    "normalisation) and writes it to OUT in the format its extension names (.tif, .tiff,\n"
    ".png, .jpg). Prints the detected orientation and skew.\n"
    "\n"
    "options:\n"
    "      --binarize         write the 1-bit page OCR reads instead of the grey/colour view\n"
    "      --method METHOD    binarization: sauvola (default) or otsu\n"
    "      --sauvola-k K      Sauvola factor (default: 0.5)\n"
    "  -p, --page N           page of a multi-page TIFF (default: 1)\n"
    "      --no-deskew        detect skew but do not correct it\n"
    "      --no-orientation   do not detect orientation\n"
    "      --no-background    no background normalisation\n"
    "      --remove-lines     remove vertical ruling lines from the --binarize output\n"
    "  -h, --help             this help\n"
    "\n"
    "Exit status: 0 written, 1 the input could not be read or the output written,\n"
    "2 bad options or OCR models missing.\n";

enum { OPT_BIN = 256 };

static int format_for(const char *path, bool binary)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return -1;
    if (!strcasecmp(dot, ".tif") || !strcasecmp(dot, ".tiff"))
        return binary ? IFF_TIFF_G4 : IFF_TIFF_ZIP;
    if (!strcasecmp(dot, ".png"))
        return IFF_PNG;
    if (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg"))
        return IFF_JFIF_JPEG;
    return -1;
}

/* What was found and written, on stdout. */
static void print_report(const char *in, const char *outp, bool binarize, bool detect_orientation,
                         const lr_page *pg, struct Pix *result)
{
    const lr_page_info *info = &pg->info;
    printf("input:       %s page %d (%dx%d, %s, %d dpi%s)\n", in, pg->page, info->width,
           info->height, info->colour, pg->dpi, info->dpi_assumed ? " assumed" : "");
    if (info->warning[0])
        printf("warnings:    %s\n", info->warning);
    if (detect_orientation)
        printf("orientation: %d (turned clockwise to read upright; OSD confidence %.2f; "
               "decided by %s)\n",
               pg->orientation.deg, (double)pg->orientation.osd_conf,
               lr_orient_source_name(pg->orientation.source));
    else
        printf("orientation: not detected\n");
    const lr_enhanced *enh = &pg->enhanced;
    printf("skew:        %.2f degrees counter-clockwise (confidence %.2f, %s)\n",
           (double)enh->skew_deg, (double)enh->skew_conf,
           enh->skew_applied ? "corrected" : "not corrected");
    printf("output:      %s (%s, %dx%d)\n", outp,
           binarize ? "1-bit" : (pixGetDepth(result) == 32 ? "colour" : "grey"),
           pixGetWidth(result), pixGetHeight(result));
}

/* Page page of in through orientation and enhancement (page.h) into outp as format, and
 * the report. Returns the exit status. */
static int enhance_file(const char *in, long page, const char *outp, int format, bool binarize,
                        const lr_pipeline_options *po)
{
    int status = 1;
    lr_source *src = NULL;
    lr_ocr *ocr = NULL;
    lr_page pg = {0};
    lr_error err;
    lr_error_clear(&err);
    char sha[LR_SHA256_HEX_LEN + 1];
    if (lr_image_open(in, &po->limits, &src, sha, &err) < 0 ||
        lr_page_decode(src, (int)page, &pg, &err) < 0) {
        cli_report(in, &err);
        goto done;
    }
    /* The text models too, as "landrec run" loads them: the fallback that decides when OSD is
     * unsure reads text lines with them (orient.h). */
    if (po->detect_orientation && lr_ocr_new(&po->ocr, &ocr, &err) < 0) {
        cli_report("enhance", &err);
        status = LR_EXIT_CANNOT_RUN;
        goto done;
    }
    lr_page_options opts;
    lr_page_options_default(&opts);
    opts.last = LR_PAGE_STAGE_ENHANCE;
    opts.detect_orientation = po->detect_orientation;
    opts.enhance = &po->enhance;
    const lr_page_tools tools = {.ocr = ocr};
    if (lr_page_process_decoded(&tools, &opts, &pg, &err) < 0) {
        cli_report(in, &err);
        goto done;
    }
    PIX *result = binarize ? pg.enhanced.ocr_binary : pg.enhanced.view;
    if (pg.info.dpi_x > 0)
        pixSetResolution(result, pg.info.dpi_x, pg.info.dpi_y);
    if (pixWrite(outp, result, format) != 0) {
        fprintf(stderr, "landrec: enhance: could not write \"%s\"\n", outp);
        goto done;
    }
    print_report(in, outp, binarize, po->detect_orientation, &pg, result);
    status = 0;
done:
    lr_page_clear(&pg);
    lr_ocr_destroy(&ocr);
    lr_image_close(&src);
    return status;
}

int cmd_enhance(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"binarize", no_argument, NULL, OPT_BIN},
        {"method", required_argument, NULL, CLI_OPT_METHOD},
        {"sauvola-k", required_argument, NULL, CLI_OPT_SAUVOLA_K},
        {"page", required_argument, NULL, 'p'},
        {"no-deskew", no_argument, NULL, CLI_OPT_NO_DESKEW},
        {"no-orientation", no_argument, NULL, CLI_OPT_NO_ORIENT},
        {"no-background", no_argument, NULL, CLI_OPT_NO_BACKGROUND},
        {"remove-lines", no_argument, NULL, CLI_OPT_REMOVE_LINES},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    lr_pipeline_options po;
    lr_pipeline_options_default(&po);
    bool binarize = false;
    long page = 1;
    int c, longindex;
    optind = 1;
    while ((longindex = -1, c = getopt_long(argc, argv, "p:h", longopts, &longindex)) != -1) {
        switch (c) {
        case OPT_BIN:
            binarize = true;
            break;
        case 'p': {
            char *end;
            page = strtol(optarg, &end, 10);
            if (*end || page < 1)
                goto bad_value;
            break;
        }
        case 'h':
            fputs(usage, stdout);
            return 0;
        default: {
            int r = cli_enhance_option(c, optarg, &po);
            if (r < 0)
                goto bad_value;
            if (r > 0)
                break;
            fputs("HINT: run \"landrec enhance --help\" for the options.\n", stderr);
            return LR_EXIT_CANNOT_RUN;
        }
        }
    }
    if (argc - optind != 2) {
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    const char *in = argv[optind], *outp = argv[optind + 1];
    int format = format_for(outp, binarize);
    if (format < 0) {
        fprintf(stderr, "landrec: enhance: cannot tell the output format of \"%s\"\n", outp);
        fputs("HINT: end OUT with .tif, .tiff, .png or .jpg.\n", stderr);
        return LR_EXIT_CANNOT_RUN;
    }

    return enhance_file(in, page, outp, format, binarize, &po);

bad_value:
    return cli_bad_value("enhance", longopts, longindex, c, optarg);
}
