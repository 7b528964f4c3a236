/* test_errors.c — what the ingest refuses and how it says so: missing, unreadable, directory,
 * empty, non-image, truncated and corrupt files; damaged pages inside a multi-page TIFF (the
 * other pages must still read); declared sizes beyond the limits (refused before anything is
 * decoded); the checksum on every failure; the master left untouched; a PNG and a JPEG with
 * damaged data, whose decoders' own messages are kept with the error (or the page's warning)
 * and never printed on stderr. */
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

/* ---- the decoders' own messages --------------------------------------------------------- */

/* Sends stderr to path; returns the saved descriptor for stderr_back. */
static int stderr_to(const char *path)
{
    fflush(stderr);
    int saved = dup(2);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (saved < 0 || fd < 0)
        exit(99);
    dup2(fd, 2);
    close(fd);
    return saved;
}

static long stderr_back(int saved, const char *path)
{
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (st.st_size > 0) {
        size_t n;
        char *b = (char *)read_all(path, &n);
        fprintf(stderr, "printed on stderr: %.*s\n", (int)n, b ? b : "");
        free(b);
    }
    return (long)st.st_size;
}

static uint32_t get_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Offset of the first chunk of type in a PNG, or 0. */
static size_t png_chunk(const unsigned char *b, size_t n, const char *type)
{
    for (size_t off = 8; off + 12 <= n;) {
        uint32_t len = get_be32(b + off);
        if (memcmp(b + off + 4, type, 4) == 0)
            return off;
        off += 12 + (size_t)len;
    }
    return 0;
}

/* Offset of the first marker m (ff m) in a JPEG's header, or 0. */
static size_t jpeg_marker(const unsigned char *b, size_t n, unsigned char m)
{
    for (size_t off = 2; off + 4 <= n && b[off] == 0xff;) {
        if (b[off + 1] == m)
            return off;
        off += 2 + (size_t)(b[off + 2] << 8 | b[off + 3]);
    }
    return 0;
}

/* Decodes path, which opens, expecting LR_ERR_CORRUPT with the library's own text in the
 * detail, and nothing on stderr. */
static void expect_decoder_message(const char *label, const char *path, const char *lib,
                                   const char *want)
{
    const char *errpath = tmp("decoder-stderr.txt");
    int saved = stderr_to(errpath);
    lr_source *src = NULL;
    lr_error err;
    PIX *pix = NULL;
    lr_page_info info;
    int rc_open = lr_image_open(path, NULL, &src, NULL, &err);
    int rc = rc_open ? rc_open : lr_image_read_page(src, 1, &pix, &info, &err);
    lr_image_close(&src);
    long printed = stderr_back(saved, errpath);
    CHECKF(rc_open == 0, "%s: open: %s", label, err.message);
    CHECKF(rc == LR_ERR_CORRUPT && pix == NULL, "%s: rc %d", label, rc);
    CHECKF(strstr(err.message, "could not be decoded") != NULL, "%s: message \"%s\"", label,
           err.message);
    CHECKF(strncmp(err.detail, lib, strlen(lib)) == 0 && strstr(err.detail, want) != NULL,
           "%s: detail \"%s\" lacks \"%s\" ... \"%s\"", label, err.detail, lib, want);
    CHECKF(printed == 0, "%s: %ld bytes printed on stderr", label, printed);
    pixDestroy(&pix);
}

static void check_decoder_messages(void)
{
    PIX *pix0 = pixCreate(256, 192, 32);
    for (int y = 0; y < 192; y++)
        for (int x = 0; x < 256; x++)
            pixSetPixel(pix0, x, y, (l_uint32)((x * 2654435761u) ^ (y * 40503u)) & 0xffffff00u);
    pixSetResolution(pix0, 300, 300);
    char png[1200], jpg[1200]; /* tmp() reuses its buffers */
    snprintf(png, sizeof png, "%s", tmp("damaged-data.png"));
    snprintf(jpg, sizeof jpg, "%s", tmp("damaged-data.jpg"));
    CHECK(pixWritePng(png, pix0, 0.0) == 0 && pixWriteJpeg(jpg, pix0, 90, 0) == 0);
    pixDestroy(&pix0);
    size_t n;

    /* PNG: a wrong checksum on the image data, an error for libpng */
    unsigned char *b = read_all(png, &n);
    size_t off = b ? png_chunk(b, n, "IDAT") : 0;
    CHECK(off > 0);
    if (off) {
        b[off + 8 + get_be32(b + off) + 3] ^= 0x55;
        write_bytes(tmp("idat-crc.png"), b, n);
        expect_decoder_message("png idat crc", tmp("idat-crc.png"), "libpng: ", "CRC error");
    }
    free(b);

    /* PNG: a wrong checksum on an ancillary chunk (pHYs), a warning for libpng: the page
     * reads, the warning is the page's, and nothing is printed */
    b = read_all(png, &n);
    off = b ? png_chunk(b, n, "pHYs") : 0;
    CHECK(off > 0);
    if (off) {
        b[off + 8 + get_be32(b + off) + 3] ^= 0x55;
        const char *path = tmp("phys-crc.png");
        write_bytes(path, b, n);
        const char *errpath = tmp("decoder-stderr.txt");
        int saved = stderr_to(errpath);
        lr_source *src = NULL;
        lr_error err;
        PIX *pix = NULL;
        lr_page_info info;
        int rc = lr_image_open(path, NULL, &src, NULL, &err);
        if (rc == 0)
            rc = lr_image_read_page(src, 1, &pix, &info, &err);
        lr_image_close(&src);
        long printed = stderr_back(saved, errpath);
        CHECKF(rc == 0 && pix, "png phys crc: %s: %s", err.message, err.detail);
        if (rc == 0)
            CHECKF(strstr(info.warning, "libpng: pHYs: CRC error") != NULL, "warning \"%s\"",
                   info.warning);
        CHECKF(printed == 0, "png phys crc: %ld bytes printed on stderr", printed);
        pixDestroy(&pix);
    }
    free(b);

    /* JPEG: a Huffman table whose code counts add up to more than 256, an error */
    b = read_all(jpg, &n);
    off = b ? jpeg_marker(b, n, 0xc4) : 0;
    CHECK(off > 0);
    if (off) {
        memset(b + off + 5, 0xff, 16);
        write_bytes(tmp("bad-dht.jpg"), b, n);
        expect_decoder_message("jpeg dht", tmp("bad-dht.jpg"), "libjpeg: ",
                               "Bogus Huffman table definition");
    }
    free(b);

    /* JPEG: a restart marker in the middle of the scan where none is due, a warning that
     * libjpeg carries on from; landrec fails the page on it */
    b = read_all(jpg, &n);
    off = b ? jpeg_marker(b, n, 0xda) : 0;
    CHECK(off > 0);
    if (off) {
        size_t data = off + 2 + (size_t)(b[off + 2] << 8 | b[off + 3]), mid = data + (n - data) / 2;
        if (b[mid - 1] == 0xff)
            mid++;
        b[mid] = 0xff;
        b[mid + 1] = 0xd3;
        write_bytes(tmp("stray-rst.jpg"), b, n);
        expect_decoder_message("jpeg stray marker", tmp("stray-rst.jpg"), "libjpeg: ",
                               "Corrupt JPEG data");
    }
    free(b);
}

int main(void)
{
    lr_log_route_leptonica();
    util_init("image-errors");
    check_bad_files();
    check_damaged_pages();
    check_limits();
    check_untouched();
    check_decoder_messages();
    return lr_test_finish("test_errors");
}
