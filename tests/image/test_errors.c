/* test_errors.c — what the ingest refuses and how it says so: missing, unreadable, directory,
 * empty, non-image, truncated and corrupt files; damaged pages inside a multi-page TIFF (the
 * other pages must still read); declared sizes beyond the limits (refused before anything is
 * decoded); the checksum on every failure; the master left untouched. */
#include <sys/resource.h>
#include <time.h>

#include "image_util.h"
#include "landrec/log.h"

static const char *EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/* Opens path expecting failure rc; checks the code, the message and the checksum. */
static void expect_open_fails(const char *label, const char *path, const lr_image_limits *lim,
                              int want_rc, const char *want_msg, bool want_sha)
{
    lr_source *src = (lr_source *)1; /* must be reset to NULL */
    lr_error err;
    char sha[LR_SHA256_HEX_LEN + 1] = "x";
    int rc = lr_image_open(path, lim, &src, sha, &err);
    CHECKF(rc == want_rc, "%s: rc %d (%s), want %s: %s: %s", label, rc, lr_status_name(rc),
           lr_status_name(want_rc), err.message, err.detail);
    CHECKF(err.code == want_rc, "%s", label);
    CHECKF(src == NULL, "%s: out_src not NULL", label);
    CHECKF(strstr(err.message, want_msg) != NULL, "%s: message \"%s\" lacks \"%s\"", label,
           err.message, want_msg);
    if (want_sha) {
        char want[LR_SHA256_HEX_LEN + 1];
        CHECK(lr_digest_file(path, want, NULL, NULL) == 0);
        CHECKF(strcmp(sha, want) == 0, "%s: sha256 \"%s\"", label, sha);
    } else {
        CHECKF(sha[0] == '\0', "%s: sha256 should be empty", label);
    }
}

static void check_bad_files(void)
{
    lr_error err;
    lr_source *src = NULL;

    CHECK(lr_image_open(NULL, NULL, &src, NULL, &err) == LR_ERR_ARG);
    CHECK(lr_image_open("x", NULL, NULL, NULL, &err) == LR_ERR_ARG);
    lr_image_limits bad = {.max_pixels = 0, .max_side = 10, .max_file_bytes = 10};
    CHECK(lr_image_open("x", &bad, &src, NULL, &err) == LR_ERR_ARG && src == NULL);

    expect_open_fails("missing", tmp("does-not-exist.tif"), NULL, LR_ERR_IO,
                      "No such file or directory", false);
    CHECK(strstr(err.detail, "") != NULL);

    mkdir(tmp("a-directory.tif"), 0755);
    expect_open_fails("directory", tmp("a-directory.tif"), NULL, LR_ERR_IO, "directory", false);

    const char *unreadable = tmp("unreadable.tif");
    write_tiff(unreadable, (tiff_spec){.photometric = PHOTOMETRIC_MINISBLACK});
    chmod(unreadable, 0);
    if (geteuid() != 0)
        expect_open_fails("unreadable", unreadable, NULL, LR_ERR_IO, "Permission denied", false);
    else
        printf("running as root: the unreadable-file check is skipped\n");
    chmod(unreadable, 0644);

    const char *empty = tmp("empty.tif");
    write_bytes(empty, "", 0);
    expect_open_fails("empty", empty, NULL, LR_ERR_EMPTY, "empty file", true);
    {
        char sha[LR_SHA256_HEX_LEN + 1];
        lr_image_open(empty, NULL, &src, sha, &err);
        CHECK(strcmp(sha, EMPTY_SHA) == 0);
        CHECK(strcmp(lr_status_name(err.code), "empty") == 0);
    }

    const char *text = tmp("notes.txt");
    const char *words = "Land register, Gyeongseong 1913: lot 12, paddy, 300 pyeong.\n";
    write_bytes(text, words, strlen(words));
    expect_open_fails("text", text, NULL, LR_ERR_FORMAT,
                      "not an image: unrecognised file signature", true);
    lr_image_open(text, NULL, &src, NULL, &err);
    CHECKF(strstr(err.detail, "looks like text") != NULL, "detail \"%s\"", err.detail);
    CHECK(strcmp(lr_status_name(err.code), "format") == 0);

    /* random bytes under a .tif name: the name must not matter */
    unsigned char garbage[4096];
    uint32_t seed = 12345;
    for (size_t i = 0; i < sizeof garbage; i++) {
        seed = seed * 1103515245u + 12345u;
        garbage[i] = (unsigned char)(seed >> 16);
    }
    garbage[0] = 0x9c; /* not accidentally a signature */
    const char *garb = tmp("garbage.tif");
    write_bytes(garb, garbage, sizeof garbage);
    expect_open_fails("garbage", garb, NULL, LR_ERR_FORMAT, "unrecognised file signature", true);
    lr_image_open(garb, NULL, &src, NULL, &err);
    CHECK(strstr(err.detail, "looks like text") == NULL);
    CHECK(strstr(err.detail, "9c") != NULL);

    const char *gif = tmp("picture.tif");
    write_bytes(gif, "GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14);
    expect_open_fails("gif", gif, NULL, LR_ERR_FORMAT, "unsupported image format: gif", true);

    /* a TIFF signature followed by garbage: the first directory is unreadable */
    unsigned char fake[64];
    memcpy(fake, "II*\0\x08\0\0\0\xff\xff", 10);
    memset(fake + 10, 0xee, sizeof fake - 10);
    const char *fk = tmp("bad-ifd.tif");
    write_bytes(fk, fake, sizeof fake);
    expect_open_fails("bad first ifd", fk, NULL, LR_ERR_CORRUPT, "first directory", true);
    lr_image_open(fk, NULL, &src, NULL, &err);
    CHECKF(strncmp(err.detail, "libtiff: ", 9) == 0 && strlen(err.detail) > 12,
           "detail \"%s\"", err.detail);

    /* a TIFF truncated in half: libtiff writes the directory after the data, so it is gone */
    const char *half = tmp("half.tif");
    write_tiff(half, (tiff_spec){.photometric = PHOTOMETRIC_RGB,
                                 .compression = COMPRESSION_ADOBE_DEFLATE});
    struct stat st;
    stat(half, &st);
    CHECK(truncate(half, st.st_size / 2) == 0);
    expect_open_fails("truncated in half", half, NULL, LR_ERR_CORRUPT, "corrupt tiff", true);
    lr_image_open(half, NULL, &src, NULL, &err);
    CHECKF(strstr(err.detail, "libtiff") != NULL, "detail \"%s\"", err.detail);
    CHECK(lr_image_count_pages(half) == 1);

    /* truncated PNG and JPEG headers */
    const char *png = tmp("stub.png");
    write_bytes(png, "\x89PNG\r\n\x1a\n\0\0", 10);
    expect_open_fails("png stub", png, NULL, LR_ERR_CORRUPT, "corrupt png", true);
    const char *jpg = tmp("stub.jpg");
    write_bytes(jpg, "\xff\xd8\xff\xe0\0\x10JFIF", 10);
    expect_open_fails("jpeg stub", jpg, NULL, LR_ERR_CORRUPT, "corrupt jpeg", true);

    CHECK(lr_image_count_pages(tmp("does-not-exist.tif")) == 1);
    CHECK(lr_image_count_pages(text) == 1);
    CHECK(lr_image_count_pages(empty) == 1);
    CHECK(lr_image_count_pages(tmp("a-directory.tif")) == 1);
}

/* Multi-page TIFFs with one damaged page: that page is corrupt, the others read. */
static void check_damaged_pages(void)
{
    const tiff_spec pages[3] = {
        {.bps = 1, .photometric = PHOTOMETRIC_MINISWHITE, .compression = COMPRESSION_CCITTFAX4,
         .xres = 300, .yres = 300},
        {.photometric = PHOTOMETRIC_MINISBLACK, .compression = COMPRESSION_ADOBE_DEFLATE,
         .rows_per_strip = 96, .xres = 300, .yres = 300},
        {.photometric = PHOTOMETRIC_RGB, .compression = COMPRESSION_LZW, .xres = 300,
         .yres = 300},
    };
    const tiff_spec g4 = pages[0];
    const tiff_spec jpeg = {.photometric = PHOTOMETRIC_YCBCR, .compression = COMPRESSION_JPEG,
                            .rows_per_strip = 96, .xres = 300, .yres = 300};
    enum { GARBLE_FF, GARBLE_00, BEYOND_EOF, SHORT };
    static const struct {
        const char *name;
        int middle; /* 0: deflate grey, 1: G4, 2: JPEG */
        int damage;
    } kinds[] = {
        {"deflate-garbled", 0, GARBLE_FF}, /* every bit set: an invalid deflate block type */
        {"deflate-short", 0, SHORT},       /* the strip's data cut short */
        {"strip-beyond-eof", 0, BEYOND_EOF}, /* as in an interrupted copy */
        {"g4-garbled", 1, GARBLE_00},
        {"g4-short", 1, SHORT},
        {"jpeg-short", 2, SHORT},
    };
    const int bad = 2; /* the damaged page, 1-based */
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        char file[64];
        snprintf(file, sizeof file, "multi-%s.tif", kinds[k].name);
        const char *path = tmp(file);
        tiff_spec sp[3] = {g4, pages[1], pages[2]};
        if (kinds[k].middle == 1) {
            sp[0] = pages[1];
            sp[1] = g4;
        } else if (kinds[k].middle == 2) {
            sp[1] = jpeg;
        }
        CHECK(write_tiff_pages(path, sp, 3) == 0);
        uint64_t off = 0, count = 0;
        CHECK(tiff_strip0(path, bad - 1, &off, &count) == 0 && count > 4);
        struct stat st;
        stat(path, &st);
        switch (kinds[k].damage) {
        case GARBLE_FF: overwrite_bytes(path, off + 2, (size_t)count - 2, 0xff); break;
        case GARBLE_00: overwrite_bytes(path, off, (size_t)count, 0x00); break;
        case BEYOND_EOF:
            tiff_patch_tag(path, bad - 1, TIFFTAG_STRIPOFFSETS, (uint32_t)st.st_size - 3);
            break;
        case SHORT:
            tiff_patch_tag(path, bad - 1, TIFFTAG_STRIPBYTECOUNTS, (uint32_t)count / 3);
            break;
        }
        lr_source *src = NULL;
        lr_error err;
        char sha[LR_SHA256_HEX_LEN + 1], want[LR_SHA256_HEX_LEN + 1];
        int rc = lr_image_open(path, NULL, &src, sha, &err);
        CHECKF(rc == 0, "%s: open: %s: %s", kinds[k].name, err.message, err.detail);
        if (rc)
            continue;
        lr_digest_file(path, want, NULL, NULL);
        CHECK(strcmp(sha, want) == 0);
        CHECK(lr_source_page_count(src) == 3);
        CHECK(lr_image_count_pages(path) == 3);
        for (int p = 1; p <= 3; p++) {
            PIX *pix = NULL;
            lr_page_info info;
            rc = lr_image_read_page(src, p, &pix, &info, &err);
            if (p == bad) {
                CHECKF(rc == LR_ERR_CORRUPT, "%s: page %d rc %d (%s) warning \"%s\"", kinds[k].name,
                       p, rc, lr_status_name(rc), info.warning);
                CHECK(pix == NULL);
                CHECKF(strstr(err.message, "could not be decoded") != NULL, "%s: \"%s\"",
                       kinds[k].name, err.message);
                CHECKF(strstr(err.detail, "libtiff: ") != NULL && strlen(err.detail) > 20,
                       "%s: detail \"%s\"", kinds[k].name, err.detail);
                CHECK(info.width == 128 && info.height == 96); /* header still reported */
            } else {
                CHECKF(rc == 0 && pix, "%s: page %d: %s: %s", kinds[k].name, p, err.message,
                       err.detail);
                CHECK(is_black(pix, (SQ_X0 + SQ_X1) / 2, (SQ_Y0 + SQ_Y1) / 2, 0));
                CHECK(info.warning[0] == '\0');
                CHECK(info.page == p);
            }
            pixDestroy(&pix);
        }
        /* reading the bad page again, then a good one, still works (no state left over) */
        PIX *pix = NULL;
        CHECK(lr_image_read_page(src, bad, &pix, NULL, &err) == LR_ERR_CORRUPT);
        CHECK(lr_image_read_page(src, 3, &pix, NULL, &err) == 0 && pix);
        pixDestroy(&pix);
        lr_image_close(&src);
    }

    /* a directory chain that breaks off after page 2: two pages, and a warning */
    const char *chain = tmp("multi-broken-chain.tif");
    tiff_spec sp[3] = {pages[0], pages[1], pages[2]};
    CHECK(write_tiff_pages(chain, sp, 3) == 0);
    CHECK(tiff_patch_next(chain, 1, 0x7ffffff0u) == 0);
    lr_source *src = NULL;
    lr_error err;
    CHECK(lr_image_open(chain, NULL, &src, NULL, &err) == 0);
    CHECKF(src && lr_source_page_count(src) == 2, "pages %d",
           src ? lr_source_page_count(src) : -1);
    CHECKF(src && strstr(lr_source_warning(src), "directory chain broken") != NULL,
           "warning \"%s\"", src ? lr_source_warning(src) : "");
    PIX *pix = NULL;
    CHECK(lr_image_read_page(src, 2, &pix, NULL, &err) == 0 && pix);
    pixDestroy(&pix);
    CHECK(lr_image_read_page(src, 3, &pix, NULL, &err) == LR_ERR_ARG && pix == NULL);
    CHECK(lr_image_read_page(src, 0, &pix, NULL, &err) == LR_ERR_ARG);
    CHECK(strstr(err.message, "out of range") != NULL);
    lr_image_close(&src);
}

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check_limits(void)
{
    const char *path = tmp("limits.tif");
    CHECK(write_tiff(path, (tiff_spec){.photometric = PHOTOMETRIC_MINISBLACK,
                                       .compression = COMPRESSION_LZW}) == 0);
    lr_image_limits lim;
    lr_image_limits_default(&lim);
    CHECK(lim.max_pixels == (int64_t)LR_IMAGE_DEFAULT_MAX_MEGAPIXELS * 1000000);
    CHECK(lim.max_side == LR_IMAGE_DEFAULT_MAX_SIDE);
    CHECK(lim.max_file_bytes == (int64_t)LR_IMAGE_DEFAULT_MAX_FILE_MB << 20);

    struct {
        const char *name;
        lr_image_limits lim;
    } low[] = {
        {"pixels", {.max_pixels = 128 * 96 - 1, .max_side = 1000, .max_file_bytes = 1 << 30}},
        {"side", {.max_pixels = 1000000, .max_side = 127, .max_file_bytes = 1 << 30}},
    };
    for (int i = 0; i < 2; i++) {
        lr_source *src = NULL;
        lr_error err;
        PIX *pix = NULL;
        lr_page_info info;
        CHECK(lr_image_open(path, &low[i].lim, &src, NULL, &err) == 0);
        int rc = lr_image_read_page(src, 1, &pix, &info, &err);
        CHECKF(rc == LR_ERR_TOO_LARGE, "%s: rc %d", low[i].name, rc);
        CHECK(pix == NULL && strcmp(lr_status_name(err.code), "too-large") == 0);
        CHECKF(strstr(err.detail, "128 × 96") != NULL, "%s: detail \"%s\"", low[i].name,
               err.detail);
        CHECK(info.width == 128 && info.height == 96 && info.bits_per_sample == 8);
        lr_image_close(&src);
    }
    /* exactly at the limits is allowed */
    lr_image_limits exact = {.max_pixels = 128 * 96, .max_side = 128, .max_file_bytes = 1 << 30};
    lr_source *src = NULL;
    lr_error err;
    PIX *pix = NULL;
    CHECK(lr_image_open(path, &exact, &src, NULL, &err) == 0);
    CHECK(lr_image_read_page(src, 1, &pix, NULL, &err) == 0 && pix);
    pixDestroy(&pix);
    lr_image_close(&src);

    /* the file size limit: refused before reading, so no checksum */
    struct stat st;
    stat(path, &st);
    lr_image_limits small = {.max_pixels = 1000000, .max_side = 1000,
                             .max_file_bytes = st.st_size - 1};
    expect_open_fails("file size", path, &small, LR_ERR_TOO_LARGE, "file too large", false);
    small.max_file_bytes = st.st_size;
    CHECK(lr_image_open(path, &small, &src, NULL, &err) == 0);
    lr_image_close(&src);

    /* A bitonal G4 page whose header claims 200000 × 200000 (40 gigapixels), with the default
     * limits: refused from the header alone, quickly and without allocating. Under
     * AddressSanitizer an attempt to allocate 5 GB would abort the test outright. */
    const char *huge = tmp("huge-header.tif");
    CHECK(write_tiff(huge, (tiff_spec){.bps = 1, .photometric = PHOTOMETRIC_MINISWHITE,
                                       .compression = COMPRESSION_CCITTFAX4,
                                       .rows_per_strip = 0xffffffffu}) == 0);
    CHECK(tiff_patch_tag(huge, 0, TIFFTAG_IMAGEWIDTH, 200000) == 0);
    CHECK(tiff_patch_tag(huge, 0, TIFFTAG_IMAGELENGTH, 200000) == 0);
    long rss0 = max_rss_kb();
    double t0 = now_s();
    lr_page_info info;
    CHECK(lr_image_open(huge, NULL, &src, NULL, &err) == 0);
    int rc = lr_image_read_page(src, 1, &pix, &info, &err);
    double dt = now_s() - t0;
    long grew = max_rss_kb() - rss0;
    CHECKF(rc == LR_ERR_TOO_LARGE, "huge: rc %d %s %s", rc, err.message, err.detail);
    CHECK(pix == NULL);
    CHECK(info.width == 200000 && info.height == 200000 && info.bits_per_sample == 1);
    CHECKF(strstr(err.detail, "200000 × 200000") != NULL &&
               strstr(err.detail, "40000.0 megapixels") != NULL,
           "detail \"%s\"", err.detail);
    CHECKF(dt < 0.5, "refusing took %.3f s", dt);
    CHECKF(grew < 16 * 1024, "max RSS grew by %ld kB", grew);
    lr_image_close(&src);

    /* one side beyond 32000 with few pixels */
    const char *wide = tmp("wide-header.tif");
    CHECK(write_tiff(wide, (tiff_spec){.bps = 1, .photometric = PHOTOMETRIC_MINISWHITE,
                                       .compression = COMPRESSION_CCITTFAX4,
                                       .rows_per_strip = 0xffffffffu}) == 0);
    CHECK(tiff_patch_tag(wide, 0, TIFFTAG_IMAGEWIDTH, 40000) == 0);
    CHECK(tiff_patch_tag(wide, 0, TIFFTAG_IMAGELENGTH, 10) == 0);
    CHECK(lr_image_open(wide, NULL, &src, NULL, &err) == 0);
    CHECK(lr_image_read_page(src, 1, &pix, &info, &err) == LR_ERR_TOO_LARGE);
    lr_image_close(&src);
}

/* The master is opened read-only and left exactly as it was. */
static void check_untouched(void)
{
    const char *path = tmp("master.tif");
    tiff_spec sp[2] = {{.bps = 1, .photometric = PHOTOMETRIC_MINISWHITE,
                        .compression = COMPRESSION_CCITTFAX4, .xres = 400, .yres = 400},
                       {.photometric = PHOTOMETRIC_RGB, .compression = COMPRESSION_JPEG,
                        .xres = 400, .yres = 400}};
    CHECK(write_tiff_pages(path, sp, 2) == 0);
    /* an old mtime, so that any write would show; read-only, so that any O_RDWR would fail */
    struct timespec times[2] = {{.tv_sec = 1000000000}, {.tv_sec = 1000000000}};
    utimensat(AT_FDCWD, path, times, 0);
    chmod(path, 0444);
    struct stat before, after;
    stat(path, &before);
    char sha0[LR_SHA256_HEX_LEN + 1], sha1[LR_SHA256_HEX_LEN + 1];
    lr_digest_file(path, sha0, NULL, NULL);

    lr_source *src = NULL;
    lr_error err;
    char sha[LR_SHA256_HEX_LEN + 1];
    CHECK(lr_image_open(path, NULL, &src, sha, &err) == 0);
    CHECK(strcmp(sha, sha0) == 0);
    CHECK(src && lr_source_size(src) == before.st_size);
    CHECK(src && strcmp(lr_source_path(src), path) == 0);
    for (int p = 1; p <= 2; p++) {
        PIX *pix = NULL;
        CHECK(lr_image_read_page(src, p, &pix, NULL, &err) == 0 && pix);
        pixDestroy(&pix);
    }
    lr_image_close(&src);
    lr_image_close(&src); /* harmless twice */
    CHECK(lr_image_count_pages(path) == 2);

    stat(path, &after);
    lr_digest_file(path, sha1, NULL, NULL);
    CHECK(strcmp(sha0, sha1) == 0);
    CHECK(after.st_size == before.st_size);
    CHECK(after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
          after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
    CHECK(after.st_ctim.tv_sec == before.st_ctim.tv_sec &&
          after.st_ctim.tv_nsec == before.st_ctim.tv_nsec);
    chmod(path, 0644);

    /* a file changed after its checksum was taken is refused */
    CHECK(lr_image_open(path, NULL, &src, NULL, &err) == 0);
    FILE *f = fopen(path, "ab");
    fputs("appended", f);
    fclose(f);
    PIX *pix = NULL;
    int rc = lr_image_read_page(src, 1, &pix, NULL, &err);
    CHECKF(rc == LR_ERR_IO && strstr(err.message, "changed") != NULL, "rc %d \"%s\"", rc,
           err.message);
    CHECK(pix == NULL);
    lr_image_close(&src);
}

int main(void)
{
    lr_log_route_leptonica();
    util_init("image-errors");
    check_bad_files();
    check_damaged_pages();
    check_limits();
    check_untouched();
    return lr_test_finish("test_errors");
}
