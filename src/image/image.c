/* image.c — ingest: open a source read-only, take its SHA-256, sniff its format from the magic
 * bytes, check its structure, and hand each page to its format's decoder (contract in
 * landrec/image.h). The decoders: tiff.c (with tiff_header.c and tiff_rows.c), png.c, jpeg.c;
 * what they share: page.c and image_internal.h.
 *
 * The descriptor opened by lr_image_open is kept and every page is read from it with pread
 * (no mmap), so the bytes decoded are those that were hashed even if the path is replaced
 * meanwhile; a change of size or mtime is refused.
 */
#include "image_internal.h"

#include "landrec/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC_LEN 16       /* bytes read to recognise a format */
#define COUNT_MAGIC_LEN 8  /* what lr_image_count_pages reads: enough for a TIFF */
#define NOT_IMAGE_SHOWN 8  /* leading bytes quoted (in hex) when a file is not an image */
#define SHOWN_PATH_MAX 400 /* a path's display form in messages (utf8.h) */

void lr_image_limits_default(lr_image_limits *out_limits)
{
    if (!out_limits)
        return;
    out_limits->max_pixels = (int64_t)LR_IMAGE_DEFAULT_MAX_MEGAPIXELS * 1000000;
    out_limits->max_side = LR_IMAGE_DEFAULT_MAX_SIDE;
    out_limits->max_file_bytes = (int64_t)LR_IMAGE_DEFAULT_MAX_FILE_MB * 1024 * 1024;
}

/* ---------------------------------------------------------------------------------------- */
/* Format sniffing                                                                           */
/* ---------------------------------------------------------------------------------------- */

int img_sniff_format(const unsigned char *b, size_t n, const char **out_other)
{
    *out_other = NULL;
    if (n >= 4 && ((b[0] == 'I' && b[1] == 'I' && (b[2] == 42 || b[2] == 43) && b[3] == 0) ||
                   (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && (b[3] == 42 || b[3] == 43))))
        return IMG_FMT_TIFF; /* classic TIFF or BigTIFF */
    if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
        return IMG_FMT_PNG;
    if (n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
        return IMG_FMT_JPEG;
    if (n >= 6 && (memcmp(b, "GIF87a", 6) == 0 || memcmp(b, "GIF89a", 6) == 0))
        *out_other = "gif";
    else if (n >= 5 && memcmp(b, "%PDF-", 5) == 0)
        *out_other = "pdf";
    else if (n >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
        *out_other = "webp";
    else if (n >= 12 && memcmp(b, "\0\0\0\x0cjP  \r\n\x87\n", 12) == 0)
        *out_other = "jpeg 2000";
    else if (n >= 4 && memcmp(b, "\xff\x4f\xff\x51", 4) == 0)
        *out_other = "jpeg 2000 codestream";
    else if (n >= 4 && memcmp(b, "8BPS", 4) == 0)
        *out_other = "photoshop";
    else if (n >= 14 && b[0] == 'B' && b[1] == 'M' && b[6] == 0 && b[7] == 0 && b[8] == 0 &&
             b[9] == 0)
        *out_other = "bmp";
    return 0;
}

static int set_not_an_image(lr_error *err, const unsigned char *b, size_t n)
{
    int rc = lr_error_set(err, LR_ERR_FORMAT, "not an image: unrecognised file signature");
    char hex[3 * NOT_IMAGE_SHOWN + 1] = "";
    bool text = n > 0;
    for (size_t i = 0; i < n; i++) {
        if (i < NOT_IMAGE_SHOWN)
            snprintf(hex + 3 * i, sizeof hex - 3 * i, "%s%02x", i ? " " : "", b[i]);
        if (b[i] < 0x09 || (b[i] > 0x0d && b[i] < 0x20) || b[i] == 0x7f)
            text = false;
    }
    lr_error_detail(err, "The file begins with %s%s.", hex,
                    text ? " (it looks like text)" : "");
    lr_error_hint(err, "landrec reads TIFF, PNG and JPEG files; the format is recognised by "
                       "the file's content, not its name.");
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Opening                                                                                   */
/* ---------------------------------------------------------------------------------------- */

static int open_readonly(const char *path)
{
    /* O_NONBLOCK: never hang on a FIFO given by mistake (regular files ignore it).
     * O_NOATIME when allowed: reading a master should not even touch its access time. */
    int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    int fd = open(path, flags | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = open(path, flags);
    return fd;
}

static int check_limits_arg(const lr_image_limits *limits, lr_image_limits *out, lr_error *err)
{
    lr_image_limits_default(out);
    if (!limits)
        return LR_OK;
    if (limits->max_pixels <= 0 || limits->max_side <= 0 || limits->max_file_bytes <= 0)
        return lr_error_set(err, LR_ERR_ARG, "invalid image limits: every limit must be "
                                             "positive");
    *out = *limits;
    return LR_OK;
}

/* Opens path and checks that it is a regular file within the size limit: *out_fd (the caller
 * closes it, also on failure) and *st. */
static int open_regular_file(const char *path, const char *shown, const lr_image_limits *lim,
                             int *out_fd, struct stat *st, lr_error *err)
{
    int rc;
    int fd = *out_fd = open_readonly(path);
    if (fd < 0) {
        rc = lr_error_set(err, LR_ERR_IO, "could not open file: %s", strerror(errno));
        lr_error_detail(err, "File \"%s\".", shown);
        return rc;
    }
    if (fstat(fd, st) != 0) {
        rc = lr_error_set(err, LR_ERR_IO, "could not stat file: %s", strerror(errno));
        lr_error_detail(err, "File \"%s\".", shown);
        return rc;
    }
    if (S_ISDIR(st->st_mode)) {
        rc = lr_error_set(err, LR_ERR_IO, "could not read file: it is a directory");
        lr_error_detail(err, "Path \"%s\".", shown);
        return rc;
    }
    if (!S_ISREG(st->st_mode)) {
        rc = lr_error_set(err, LR_ERR_IO, "could not read file: not a regular file");
        lr_error_detail(err, "Path \"%s\".", shown);
        return rc;
    }
    if ((int64_t)st->st_size > lim->max_file_bytes) {
        /* Refused before reading: hashing a file we will not process is wasted I/O. */
        rc = lr_error_set(err, LR_ERR_TOO_LARGE, "file too large");
        lr_error_detail(err, "The file has %lld bytes; the limit is %lld bytes.",
                        (long long)st->st_size, (long long)lim->max_file_bytes);
        lr_error_hint(err, "Raise the file size limit if the file is genuine.");
        return rc;
    }
    return LR_OK;
}

/* The SHA-256 of the whole file, which must still have the size fstat gave. */
static int hash_file(int fd, const struct stat *st, const char *shown,
                     char sha[LR_SHA256_HEX_LEN + 1], lr_error *err)
{
    int64_t nread = 0;
    if (lseek(fd, 0, SEEK_SET) != 0)
        return lr_error_set(err, LR_ERR_IO, "could not read file: %s", strerror(errno));
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    int rc = lr_digest_fd(fd, sha, &nread, err);
    if (rc) {
        lr_error_detail(err, "File \"%s\".", shown);
        return rc;
    }
    if (nread != (int64_t)st->st_size) {
        rc = lr_error_set(err, LR_ERR_IO, "file changed while it was being read");
        lr_error_detail(err, "fstat gave %lld bytes but %lld were read.",
                        (long long)st->st_size, (long long)nread);
        return rc;
    }
    return LR_OK;
}

/* The format from the file's first bytes: *out_format, or an error naming what it is. */
static int sniff_file(int fd, int *out_format, lr_error *err)
{
    unsigned char magic[MAGIC_LEN];
    ssize_t nmagic = pread(fd, magic, sizeof magic, 0);
    if (nmagic < 0)
        return lr_error_set(err, LR_ERR_IO, "could not read file: %s", strerror(errno));
    const char *other = NULL;
    int format = *out_format = img_sniff_format(magic, (size_t)nmagic, &other);
    if (!format && other) {
        int rc = lr_error_set(err, LR_ERR_FORMAT, "unsupported image format: %s", other);
        lr_error_hint(err, "landrec reads TIFF, PNG and JPEG files; convert the file to "
                           "TIFF first.");
        return rc;
    }
    if (!format)
        return set_not_an_image(err, magic, (size_t)nmagic);
    return LR_OK;
}

/* The structure of the source: its pages. A damaged file fails here, at open, whatever its
 * format; the PNG and JPEG decoders then only ever see complete files. */
static int read_structure(lr_source *src, lr_error *err)
{
    if (src->format == IMG_FMT_TIFF)
        return img_tiff_read_directories(src, err);
    src->hdr = calloc(1, sizeof *src->hdr);
    if (!src->hdr)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    int rc = src->format == IMG_FMT_PNG ? img_png_parse(src->fd, src->size, src->hdr, err)
                                        : img_jpeg_parse(src->fd, src->size, src->hdr, err);
    if (rc)
        return rc;
    src->pages = 1;
    src->first_pixels = (int64_t)src->hdr->width * src->hdr->height;
    return LR_OK;
}

int lr_image_open(const char *path, const lr_image_limits *limits, lr_source **out_src,
                  char out_sha256[LR_SHA256_HEX_LEN + 1], lr_error *err)
{
    if (out_src)
        *out_src = NULL;
    if (out_sha256)
        out_sha256[0] = '\0';
    lr_error_clear(err);
    if (!path || !path[0] || !out_src)
        return lr_error_set(err, LR_ERR_ARG, "lr_image_open: path and out_src are required");
    lr_image_limits lim;
    int rc = check_limits_arg(limits, &lim, err);
    if (rc)
        return rc;
    lr_image_install_handlers();

    int fd = -1, format = 0;
    lr_source *src = NULL;
    struct stat st;
    char sha[LR_SHA256_HEX_LEN + 1] = "";
    const char *name = strrchr(path, '/');
    name = name && name[1] ? name + 1 : path;
    char shown[SHOWN_PATH_MAX]; /* the path in messages: its display form (utf8.h) */
    lr_utf8_path_show(path, shown, sizeof shown);

    rc = open_regular_file(path, shown, &lim, &fd, &st, err);
    if (rc)
        goto done;
    /* The checksum first, so that every later failure can be keyed by it. */
    rc = hash_file(fd, &st, shown, sha, err);
    if (rc)
        goto done;
    if (out_sha256)
        memcpy(out_sha256, sha, sizeof sha);
    if (st.st_size == 0) {
        rc = lr_error_set(err, LR_ERR_EMPTY, "empty file");
        lr_error_detail(err, "File \"%s\" has zero bytes.", shown);
        goto done;
    }
    rc = sniff_file(fd, &format, err);
    if (rc)
        goto done;

    src = calloc(1, sizeof *src);
    if (src)
        src->fd = -1;
    if (!src || !(src->path = strdup(path))) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    src->name = src->path + (name - path);
    src->fd = fd; /* the source owns it from here, also on failure */
    fd = -1;
    src->format = format;
    src->size = (int64_t)st.st_size;
    src->mtime = st.st_mtim;
    src->limits = lim;
    memcpy(src->sha256, sha, sizeof sha);
    rc = read_structure(src, err);
    if (rc)
        goto done;
    *out_src = src;
    src = NULL;
done:
    if (fd >= 0)
        close(fd);
    lr_image_close(&src);
    return rc;
}

void lr_image_close(lr_source **psrc)
{
    if (!psrc || !*psrc)
        return;
    lr_source *src = *psrc;
    if (src->fd >= 0)
        close(src->fd);
    free(src->hdr);
    free(src->path);
    free(src);
    *psrc = NULL;
}

const char *lr_source_path(const lr_source *src)
{
    return src ? src->path : NULL;
}

const char *lr_source_sha256(const lr_source *src)
{
    return src ? src->sha256 : NULL;
}

const char *lr_source_format(const lr_source *src)
{
    return src ? img_format_name(src->format) : NULL;
}

int64_t lr_source_size(const lr_source *src)
{
    return src ? src->size : 0;
}

int lr_source_page_count(const lr_source *src)
{
    return src ? src->pages : 0;
}

int64_t lr_source_pixels(const lr_source *src)
{
    return src ? src->first_pixels * src->pages : 0;
}

const char *lr_source_warning(const lr_source *src)
{
    return src ? src->warning : NULL;
}

int lr_image_count_pages(const char *path)
{
    if (!path)
        return 1;
    lr_image_install_handlers();
    int count = 1;
    int fd = open_readonly(path);
    if (fd < 0)
        return 1;
    struct stat st;
    unsigned char magic[COUNT_MAGIC_LEN];
    const char *other;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        pread(fd, magic, sizeof magic, 0) == (ssize_t)sizeof magic &&
        img_sniff_format(magic, sizeof magic, &other) == IMG_FMT_TIFF)
        count = img_tiff_count_pages(fd, (int64_t)st.st_size);
    close(fd);
    return count;
}

/* ---------------------------------------------------------------------------------------- */
/* Pages                                                                                     */
/* ---------------------------------------------------------------------------------------- */

int lr_image_read_page(lr_source *src, int page, struct Pix **out_pix, lr_page_info *out_info,
                       lr_error *err)
{
    lr_page_info scratch = {.page = 0};
    lr_page_info *info = out_info ? out_info : &scratch;
    if (out_pix)
        *out_pix = NULL;
    memset(info, 0, sizeof *info);
    info->page = page;
    lr_error_clear(err);
    if (!src || !out_pix)
        return lr_error_set(err, LR_ERR_ARG, "lr_image_read_page: src and out_pix are "
                                             "required");
    if (page < 1 || page > src->pages) {
        int rc = lr_error_set(err, LR_ERR_ARG, "page %d out of range", page);
        lr_error_detail(err, "The file has %d page(s).", src->pages);
        return rc;
    }

    struct stat st;
    if (fstat(src->fd, &st) != 0)
        return lr_error_set(err, LR_ERR_IO, "could not stat file: %s", strerror(errno));
    if ((int64_t)st.st_size != src->size || st.st_mtim.tv_sec != src->mtime.tv_sec ||
        st.st_mtim.tv_nsec != src->mtime.tv_nsec) {
        int rc = lr_error_set(err, LR_ERR_IO, "file changed since it was opened");
        char shown[SHOWN_PATH_MAX];
        lr_error_detail(err, "The checksum no longer describes the file \"%s\".",
                        lr_utf8_path_show(src->path, shown, sizeof shown));
        lr_error_hint(err, "Process the file again.");
        return rc;
    }
    if (src->format == IMG_FMT_TIFF)
        return img_tiff_read_page(src, page, out_pix, info, err);
    return img_read_single_page(src, out_pix, info, err);
}
