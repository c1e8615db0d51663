// setjmp guards around libpng and libjpeg; see CodecGuards.h for the contract.
#include "CodecGuards.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>
#include <jpeglib.h>
#include <jerror.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

// ---- messages ----

static void log_error(cg_log *log, const char *message) {
    snprintf(log->error, sizeof log->error, "%s", message);
}

static void log_warning(cg_log *log, const char *message) {
    size_t room = sizeof log->warnings - log->warnings_len;
    if (room < 2) return;  // full: later warnings are dropped
    int n = snprintf(log->warnings + log->warnings_len, room, "%s\n", message);
    if (n > 0) log->warnings_len += (size_t)n < room ? (size_t)n : room - 1;
}

// ---- input ----

enum { SOURCE_BUFFER = 65536 };

// The bytes of a cg_input, one window at a time.
typedef struct source {
    cg_input input;
    uint64_t offset;         // descriptor: where the next window starts; memory: bytes handed out
    unsigned char *buffer;   // descriptor only
    int read_errno;          // a failed pread(2)
} source;

static int source_init(source *s, cg_input input) {
    memset(s, 0, sizeof *s);
    s->input = input;
    if (input.fd < 0) return 0;
    s->buffer = malloc(SOURCE_BUFFER);
    return s->buffer ? 0 : -1;
}

// The next window of bytes (*out, returned length); 0 at the end or on a read error (then read_errno is set).
static size_t source_fill(source *s, const unsigned char **out) {
    if (s->input.fd < 0) {
        size_t left = s->input.size - (size_t)s->offset;
        *out = s->input.data + s->offset;
        s->offset = s->input.size;
        return left;
    }
    if (s->offset >= s->input.limit) return 0;
    uint64_t room = s->input.limit - s->offset;
    size_t want = room < SOURCE_BUFFER ? (size_t)room : SOURCE_BUFFER;
    for (;;) {
        ssize_t n = pread(s->input.fd, s->buffer, want, (off_t)s->offset);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            s->read_errno = errno;
            return 0;
        }
        s->offset += (uint64_t)n;
        *out = s->buffer;
        return (size_t)n;
    }
}

static void source_free(source *s) {
    free(s->buffer);
    s->buffer = NULL;
}

// ---- output ----

enum { SINK_BUFFER = 65536 };

struct cg_sink {
    int fd;
    int64_t fail_at;          // < 0: no fault
    uint64_t written;         // bytes that reached fd
    uint64_t accepted;        // bytes given to cg_sink_write (the insert not counted)
    unsigned char *insert;    // pending insert, NULL when none (or done)
    size_t insert_length;
    uint64_t insert_at;
    int fault_hit, error;
    size_t used;
    unsigned char buffer[SINK_BUFFER];
};

cg_sink *cg_sink_new(int fd, int64_t fail_at) {
    cg_sink *sink = calloc(1, sizeof *sink);
    if (!sink) return NULL;
    sink->fd = fd;
    sink->fail_at = fail_at;
    return sink;
}

int cg_sink_insert_at(cg_sink *sink, uint64_t at, const unsigned char *bytes, size_t length) {
    if (length == 0) return 0;
    sink->insert = malloc(length);
    if (!sink->insert) return -1;
    memcpy(sink->insert, bytes, length);
    sink->insert_length = length;
    sink->insert_at = at;
    return 0;
}

// How many of the next `length` bytes may reach the file before the byte fault (all without one).
static size_t sink_allowed(cg_sink *sink, size_t length) {
    if (sink->fail_at < 0) return length;
    uint64_t left = (uint64_t)sink->fail_at > sink->written ? (uint64_t)sink->fail_at - sink->written : 0;
    return left < length ? (size_t)left : length;
}

// Writes `length` bytes to fd (at `offset` when `positioned`), counting them; 0 or -1.
static int sink_put(cg_sink *sink, const unsigned char *bytes, size_t length, int positioned, uint64_t offset) {
    if (sink->fault_hit || sink->error) return -1;
    size_t allowed = sink_allowed(sink, length), done = 0;
    while (done < allowed) {
        ssize_t n = positioned ? pwrite(sink->fd, bytes + done, allowed - done, (off_t)(offset + done))
                               : write(sink->fd, bytes + done, allowed - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            sink->error = n < 0 ? errno : EIO;
            return -1;
        }
        done += (size_t)n;
        sink->written += (uint64_t)n;
    }
    if (allowed < length) {
        sink->fault_hit = 1;
        return -1;
    }
    return 0;
}

int cg_sink_flush(cg_sink *sink) {
    size_t used = sink->used;
    sink->used = 0;
    return used ? sink_put(sink, sink->buffer, used, 0, 0) : (sink->fault_hit || sink->error ? -1 : 0);
}

static int sink_append(cg_sink *sink, const unsigned char *bytes, size_t length) {
    while (length > 0) {
        if (sink->used == SINK_BUFFER && cg_sink_flush(sink) != 0) return -1;
        size_t room = SINK_BUFFER - sink->used, n = length < room ? length : room;
        memcpy(sink->buffer + sink->used, bytes, n);
        sink->used += n;
        bytes += n;
        length -= n;
    }
    return 0;
}

int cg_sink_write(cg_sink *sink, const void *data, size_t length) {
    const unsigned char *bytes = data;
    if (sink->fault_hit || sink->error) return -1;
    if (sink->insert && sink->insert_at < sink->accepted + length) {
        size_t before = sink->insert_at > sink->accepted ? (size_t)(sink->insert_at - sink->accepted) : 0;
        if (sink_append(sink, bytes, before) != 0 || sink_append(sink, sink->insert, sink->insert_length) != 0) return -1;
        free(sink->insert);
        sink->insert = NULL;
        sink->accepted += before;
        bytes += before;
        length -= before;
    }
    sink->accepted += length;
    return sink_append(sink, bytes, length);
}

int cg_sink_pwrite(cg_sink *sink, const void *bytes, size_t length, uint64_t offset) {
    if (cg_sink_flush(sink) != 0) return -1;
    return sink_put(sink, bytes, length, 1, offset);
}

uint64_t cg_sink_written(const cg_sink *sink) { return sink->written; }
int cg_sink_fault_hit(const cg_sink *sink) { return sink->fault_hit; }
int cg_sink_errno(const cg_sink *sink) { return sink->error; }

void cg_sink_free(cg_sink *sink) {
    if (!sink) return;
    free(sink->insert);
    free(sink);
}

// ---- libpng ----

// What libpng's error and warning callbacks reach through png_get_error_ptr.
typedef struct png_guard {
    cg_log log;
    jmp_buf jump;
} png_guard;

static void png_on_error(png_structp png, png_const_charp message) {
    png_guard *guard = png_get_error_ptr(png);
    log_error(&guard->log, message);
    longjmp(guard->jump, 1);
}

static void png_on_warning(png_structp png, png_const_charp message) {
    png_guard *guard = png_get_error_ptr(png);
    log_warning(&guard->log, message);
}

struct cg_png_reader {
    png_guard guard;  // first, so the error pointer is the reader too
    png_structp png;
    png_infop info;
    source source;
    const unsigned char *window;  // the bytes of the current window not yet given to libpng
    size_t left;
};

static void png_read_source(png_structp png, png_bytep out, size_t length) {
    cg_png_reader *reader = png_get_io_ptr(png);
    while (length > 0) {
        if (reader->left == 0) {
            reader->left = source_fill(&reader->source, &reader->window);
            if (reader->left == 0) {
                if (reader->source.read_errno) {
                    char message[200];
                    snprintf(message, sizeof message, "cannot read: %s", strerror(reader->source.read_errno));
                    png_error(png, message);
                }
                png_error(png, "file is truncated");
            }
        }
        size_t n = length < reader->left ? length : reader->left;
        memcpy(out, reader->window, n);
        reader->window += n;
        reader->left -= n;
        out += n;
        length -= n;
    }
}

cg_png_reader *cg_png_reader_new(cg_input input) {
    cg_png_reader *reader = calloc(1, sizeof *reader);
    if (!reader) return NULL;
    if (source_init(&reader->source, input) != 0) {
        free(reader);
        return NULL;
    }
    reader->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader->guard, png_on_error, png_on_warning);
    if (reader->png) reader->info = png_create_info_struct(reader->png);
    if (!reader->png || !reader->info) {
        cg_png_reader_free(reader);
        return NULL;
    }
    png_set_read_fn(reader->png, reader, png_read_source);
    return reader;
}

int cg_png_read_header(cg_png_reader *reader, cg_png_info *out) {
    png_structp png = reader->png;
    png_infop info = reader->info;
    if (setjmp(reader->guard.jump)) return -1;
    png_read_info(png, info);
    memset(out, 0, sizeof *out);
    out->source_bit_depth = png_get_bit_depth(png, info);
    out->source_color_type = png_get_color_type(png, info);
    out->interlaced = png_get_interlace_type(png, info) == PNG_INTERLACE_ADAM7;
    png_set_expand(png);  // palette → RGB, gray 1/2/4 → 8, tRNS → alpha; no gamma handling
    if (out->source_bit_depth == 16) png_set_swap(png);  // host (little-endian) order
    if (out->interlaced) png_set_interlace_handling(png);
    png_read_update_info(png, info);
    out->width = png_get_image_width(png, info);
    out->height = png_get_image_height(png, info);
    out->channels = png_get_channels(png, info);
    out->bit_depth = png_get_bit_depth(png, info);
    out->row_bytes = png_get_rowbytes(png, info);
    png_charp name;
    int compression;
    png_bytep profile;
    png_uint_32 length;
    if (png_get_iCCP(png, info, &name, &compression, &profile, &length) & PNG_INFO_iCCP) {
        out->icc = profile;
        out->icc_length = length;
    }
    return 0;
}

int cg_png_read_rows(cg_png_reader *reader, unsigned char *rows, size_t stride, uint32_t count) {
    if (setjmp(reader->guard.jump)) return -1;
    for (uint32_t y = 0; y < count; y++) png_read_row(reader->png, rows + (size_t)y * stride, NULL);
    return 0;
}

int cg_png_read_image(cg_png_reader *reader, unsigned char *pixels, size_t stride) {
    uint32_t height = png_get_image_height(reader->png, reader->info);
    png_bytep *volatile rows = malloc(sizeof(png_bytep) * (height ? height : 1));
    if (!rows) {
        log_error(&reader->guard.log, "out of memory");
        return -1;
    }
    if (setjmp(reader->guard.jump)) {
        free(rows);
        return -1;
    }
    for (uint32_t y = 0; y < height; y++) rows[y] = pixels + (size_t)y * stride;
    png_read_image(reader->png, rows);
    free(rows);
    return 0;
}

int cg_png_read_end(cg_png_reader *reader) {
    if (setjmp(reader->guard.jump)) return -1;
    png_read_end(reader->png, NULL);
    return 0;
}

const cg_log *cg_png_log(const cg_png_reader *reader) { return &reader->guard.log; }

void cg_png_reader_free(cg_png_reader *reader) {
    if (!reader) return;
    if (reader->png) png_destroy_read_struct(&reader->png, reader->info ? &reader->info : NULL, NULL);
    source_free(&reader->source);
    free(reader);
}

// ---- PNG writing ----

struct cg_png_writer {
    png_guard guard;  // first, so the error pointer is the writer too
    png_structp png;
    png_infop info;
    cg_sink *sink;
};

static void png_write_sink(png_structp png, png_bytep data, size_t length) {
    cg_png_writer *writer = png_get_io_ptr(png);
    if (cg_sink_write(writer->sink, data, length) != 0) png_error(png, "cannot write the file");
}

static void png_flush_sink(png_structp png) { (void)png; }  // the sink is flushed once, at the end

cg_png_writer *cg_png_writer_new(cg_sink *sink) {
    cg_png_writer *writer = calloc(1, sizeof *writer);
    if (!writer) return NULL;
    writer->sink = sink;
    writer->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &writer->guard, png_on_error, png_on_warning);
    if (writer->png) writer->info = png_create_info_struct(writer->png);
    if (!writer->png || !writer->info) {
        cg_png_writer_free(writer);
        return NULL;
    }
    png_set_write_fn(writer->png, writer, png_write_sink, png_flush_sink);
    return writer;
}

int cg_png_writer_start(cg_png_writer *writer, uint32_t width, uint32_t height, int channels, int bit_depth,
                        int level, int filters, int strategy, const unsigned char *icc, size_t icc_length) {
    static const int color_types[5] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                       PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
    if (channels < 1 || channels > 4 || (bit_depth != 8 && bit_depth != 16)) {
        log_error(&writer->guard.log, "unsupported channel count or bit depth");
        return -1;
    }
    png_structp png = writer->png;
    if (setjmp(writer->guard.jump)) return -1;
    png_set_benign_errors(png, 1);  // a questionable ICC profile is a warning, as on read
    if (level >= 0) png_set_compression_level(png, level);
    if (filters >= 0) png_set_filter(png, PNG_FILTER_TYPE_BASE, filters);
    if (strategy >= 0) png_set_compression_strategy(png, strategy);
    png_set_IHDR(png, writer->info, width, height, bit_depth, color_types[channels], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (icc && icc_length > 0) png_set_iCCP(png, writer->info, "ICC Profile", PNG_COMPRESSION_TYPE_BASE, icc, (png_uint_32)icc_length);
    png_write_info(png, writer->info);
    if (bit_depth == 16) png_set_swap(png);
    return 0;
}

int cg_png_writer_rows(cg_png_writer *writer, const unsigned char *rows, size_t stride, uint32_t count) {
    if (setjmp(writer->guard.jump)) return -1;
    for (uint32_t y = 0; y < count; y++) png_write_row(writer->png, rows + (size_t)y * stride);
    return 0;
}

int cg_png_writer_finish(cg_png_writer *writer) {
    if (setjmp(writer->guard.jump)) return -1;
    png_write_end(writer->png, NULL);
    if (cg_sink_flush(writer->sink) != 0) png_error(writer->png, "cannot write the file");
    return 0;
}

const cg_log *cg_png_writer_log(const cg_png_writer *writer) { return &writer->guard.log; }

void cg_png_writer_free(cg_png_writer *writer) {
    if (!writer) return;
    if (writer->png) png_destroy_write_struct(&writer->png, writer->info ? &writer->info : NULL);
    free(writer);
}

// ---- libjpeg ----

// libjpeg's error manager extended with our jump target and log.
typedef struct jpeg_guard {
    struct jpeg_error_mgr manager;  // first: libjpeg casts cinfo->err to this
    jmp_buf jump;
    cg_log log;
    int fail_on_truncation;
} jpeg_guard;

static void jpeg_on_error(j_common_ptr cinfo) {
    jpeg_guard *guard = (jpeg_guard *)cinfo->err;
    char message[JMSG_LENGTH_MAX];
    cinfo->err->format_message(cinfo, message);
    log_error(&guard->log, message);
    longjmp(guard->jump, 1);
}

// Replaces emit_message: keeps warnings (level -1), ignores trace messages, never prints.
static void jpeg_on_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;
    jpeg_guard *guard = (jpeg_guard *)cinfo->err;
    char message[JMSG_LENGTH_MAX];
    cinfo->err->format_message(cinfo, message);
    cinfo->err->num_warnings++;
    // Both mean the image data ran out before the last row ("Premature end of JPEG file" at the end of the
    // file, "Corrupt JPEG data: premature end of data segment" at a marker such as an early EOI); libjpeg
    // fills the missing rows with grey either way, so both are truncation.
    if (cinfo->err->msg_code == JWRN_JPEG_EOF || cinfo->err->msg_code == JWRN_HIT_MARKER) {
        guard->log.truncated = 1;
        if (guard->fail_on_truncation) {
            log_error(&guard->log, message);
            longjmp(guard->jump, 1);
        }
    }
    log_warning(&guard->log, message);
}

static void jpeg_guard_init(jpeg_guard *guard, int fail_on_truncation) {
    memset(guard, 0, sizeof *guard);
    jpeg_std_error(&guard->manager);
    guard->manager.error_exit = jpeg_on_error;
    guard->manager.emit_message = jpeg_on_message;
    guard->fail_on_truncation = fail_on_truncation;
}

// libjpeg's source manager over a cg_input: jpeg_mem_src's behaviour (the end of the data gives a warning
// and a fake EOI, as often as libjpeg asks), with the bytes read a window at a time.
typedef struct jpeg_source {
    struct jpeg_source_mgr manager;  // first: libjpeg casts cinfo->src to this
    source source;
} jpeg_source;

static const JOCTET fake_eoi[2] = {0xFF, JPEG_EOI};

static void jpeg_source_init(j_decompress_ptr cinfo) { (void)cinfo; }

static boolean jpeg_source_fill(j_decompress_ptr cinfo) {
    jpeg_source *src = (jpeg_source *)cinfo->src;
    const unsigned char *window;
    size_t n = source_fill(&src->source, &window);
    if (n == 0) {
        if (src->source.read_errno) {
            jpeg_guard *guard = (jpeg_guard *)cinfo->err;
            char message[200];
            snprintf(message, sizeof message, "cannot read: %s", strerror(src->source.read_errno));
            log_error(&guard->log, message);
            longjmp(guard->jump, 1);
        }
        WARNMS(cinfo, JWRN_JPEG_EOF);
        window = fake_eoi;
        n = 2;
    }
    src->manager.next_input_byte = window;
    src->manager.bytes_in_buffer = n;
    return TRUE;
}

static void jpeg_source_skip(j_decompress_ptr cinfo, long num_bytes) {
    struct jpeg_source_mgr *src = cinfo->src;
    if (num_bytes <= 0) return;
    while (num_bytes > (long)src->bytes_in_buffer) {
        num_bytes -= (long)src->bytes_in_buffer;
        (void)src->fill_input_buffer(cinfo);
    }
    src->next_input_byte += (size_t)num_bytes;
    src->bytes_in_buffer -= (size_t)num_bytes;
}

static void jpeg_source_term(j_decompress_ptr cinfo) { (void)cinfo; }

struct cg_jpeg_reader {
    jpeg_guard guard;
    struct jpeg_decompress_struct cinfo;
    int created;
    jpeg_source src;
};

cg_jpeg_reader *cg_jpeg_reader_new(cg_input input, int fail_on_truncation) {
    cg_jpeg_reader *reader = calloc(1, sizeof *reader);
    if (!reader) return NULL;
    if (source_init(&reader->src.source, input) != 0) {
        free(reader);
        return NULL;
    }
    jpeg_guard_init(&reader->guard, fail_on_truncation);
    reader->cinfo.err = &reader->guard.manager;
    if (setjmp(reader->guard.jump)) return reader;  // message kept; read_header reports it
    jpeg_create_decompress(&reader->cinfo);
    reader->created = 1;
    reader->src.manager.init_source = jpeg_source_init;
    reader->src.manager.fill_input_buffer = jpeg_source_fill;
    reader->src.manager.skip_input_data = jpeg_source_skip;
    reader->src.manager.resync_to_restart = jpeg_resync_to_restart;
    reader->src.manager.term_source = jpeg_source_term;
    reader->cinfo.src = &reader->src.manager;
    return reader;
}

int cg_jpeg_read_header(cg_jpeg_reader *reader, cg_jpeg_info *out) {
    struct jpeg_decompress_struct *cinfo = &reader->cinfo;
    if (!reader->created) return -1;
    if (setjmp(reader->guard.jump)) return -1;
    jpeg_save_markers(cinfo, JPEG_APP0 + 2, 0xFFFF);  // ICC_PROFILE
    jpeg_read_header(cinfo, TRUE);
    memset(out, 0, sizeof *out);
    out->width = cinfo->image_width;
    out->height = cinfo->image_height;
    out->components = cinfo->num_components;
    out->color_space = cinfo->jpeg_color_space;
    out->adobe_inverted = cinfo->saw_Adobe_marker;
    out->progressive = cinfo->progressive_mode;
    out->arithmetic = cinfo->arith_code;
    // djpeg's defaults are libjpeg's defaults (JDCT_ISLOW, fancy upsampling); only the colour space is chosen.
    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE: cinfo->out_color_space = JCS_GRAYSCALE; break;
    case JCS_CMYK:
    case JCS_YCCK: cinfo->out_color_space = JCS_CMYK; break;
    default: cinfo->out_color_space = JCS_RGB; break;
    }
    jpeg_calc_output_dimensions(cinfo);
    out->output_components = cinfo->out_color_components;
    // Component geometry is set once the header reaches the first SOS; a multi-scan file makes
    // jpeg_start_decompress allocate a whole-image coefficient array per component (jdcoefct.c), with
    // rows and columns of blocks rounded up to the component's sampling factors.
    if (jpeg_has_multiple_scans(cinfo)) {
        uint64_t total = 0;
        for (int ci = 0; ci < cinfo->num_components; ci++) {
            jpeg_component_info *comp = &cinfo->comp_info[ci];
            uint64_t h = comp->v_samp_factor, w = comp->h_samp_factor;
            uint64_t rows = (comp->height_in_blocks + h - 1) / h * h, cols = (comp->width_in_blocks + w - 1) / w * w;
            total += rows * cols * sizeof(JBLOCK);
        }
        out->coefficient_bytes = total;
    }
    return 0;
}

unsigned char *cg_jpeg_icc(cg_jpeg_reader *reader, size_t *length) {
    JOCTET *profile = NULL;
    unsigned int size = 0;
    *length = 0;
    if (setjmp(reader->guard.jump)) return NULL;
    if (!jpeg_read_icc_profile(&reader->cinfo, &profile, &size)) return NULL;  // absent or malformed (warning kept)
    *length = size;
    return profile;
}

int cg_jpeg_start(cg_jpeg_reader *reader) {
    if (setjmp(reader->guard.jump)) return -1;
    jpeg_start_decompress(&reader->cinfo);
    return 0;
}

int cg_jpeg_read_rows(cg_jpeg_reader *reader, unsigned char *rows, size_t stride, uint32_t max_rows, uint32_t *got) {
    struct jpeg_decompress_struct *cinfo = &reader->cinfo;
    JSAMPROW pointers[16];
    *got = 0;
    if (setjmp(reader->guard.jump)) return -1;
    while (*got < max_rows && cinfo->output_scanline < cinfo->output_height) {
        uint32_t batch = max_rows - *got;
        if (batch > 16) batch = 16;
        for (uint32_t i = 0; i < batch; i++) pointers[i] = rows + (size_t)(*got + i) * stride;
        *got += jpeg_read_scanlines(cinfo, pointers, batch);
    }
    return 0;
}

int cg_jpeg_skip_rows(cg_jpeg_reader *reader, uint32_t count, uint32_t *skipped) {
    *skipped = 0;
#ifdef LIBJPEG_TURBO_VERSION
    // Single-scan files only: a multi-scan file has decoded every coefficient before the first row anyway.
    if (jpeg_has_multiple_scans(&reader->cinfo)) return -2;
    if (setjmp(reader->guard.jump)) return -1;
    *skipped = jpeg_skip_scanlines(&reader->cinfo, count);
    return 0;
#else
    (void)reader;
    (void)count;
    return -2;
#endif
}

int cg_jpeg_finish(cg_jpeg_reader *reader) {
    if (setjmp(reader->guard.jump)) return -1;
    jpeg_finish_decompress(&reader->cinfo);
    return 0;
}

const cg_log *cg_jpeg_log(const cg_jpeg_reader *reader) { return &reader->guard.log; }

void cg_jpeg_reader_free(cg_jpeg_reader *reader) {
    if (!reader) return;
    if (reader->created) jpeg_destroy_decompress(&reader->cinfo);
    source_free(&reader->src.source);
    free(reader);
}

// ---- JPEG writing ----

// libjpeg's destination manager over a cg_sink: a 16 KiB window, handed to the sink whenever it is full
// and at the end. A sink failure is a libjpeg error (the Swift side reads the sink to say why).
enum { JPEG_WINDOW = 16384 };

typedef struct jpeg_sink {
    struct jpeg_destination_mgr manager;  // first: libjpeg casts cinfo->dest to this
    cg_sink *sink;
    JOCTET window[JPEG_WINDOW];
} jpeg_sink;

struct cg_jpeg_writer {
    jpeg_guard guard;
    struct jpeg_compress_struct cinfo;
    int created;
    jpeg_sink dest;
};

static void jpeg_sink_init(j_compress_ptr cinfo) {
    jpeg_sink *dest = (jpeg_sink *)cinfo->dest;
    dest->manager.next_output_byte = dest->window;
    dest->manager.free_in_buffer = JPEG_WINDOW;
}

// Called with the window full.
static boolean jpeg_sink_empty(j_compress_ptr cinfo) {
    jpeg_sink *dest = (jpeg_sink *)cinfo->dest;
    if (cg_sink_write(dest->sink, dest->window, JPEG_WINDOW) != 0) ERREXIT(cinfo, JERR_FILE_WRITE);
    jpeg_sink_init(cinfo);
    return TRUE;
}

static void jpeg_sink_term(j_compress_ptr cinfo) {
    jpeg_sink *dest = (jpeg_sink *)cinfo->dest;
    size_t used = JPEG_WINDOW - dest->manager.free_in_buffer;
    if (cg_sink_write(dest->sink, dest->window, used) != 0 || cg_sink_flush(dest->sink) != 0) ERREXIT(cinfo, JERR_FILE_WRITE);
}

cg_jpeg_writer *cg_jpeg_writer_new(cg_sink *sink) {
    cg_jpeg_writer *writer = calloc(1, sizeof *writer);
    if (!writer) return NULL;
    jpeg_guard_init(&writer->guard, 0);
    writer->cinfo.err = &writer->guard.manager;
    writer->dest.sink = sink;
    return writer;
}

int cg_jpeg_writer_start(cg_jpeg_writer *writer, uint32_t width, uint32_t height, int channels, int quality) {
    if (channels != 1 && channels != 3) {
        log_error(&writer->guard.log, "JPEG needs 1 or 3 channels");
        return -1;
    }
    if (setjmp(writer->guard.jump)) return -1;
    struct jpeg_compress_struct *cinfo = &writer->cinfo;
    jpeg_create_compress(cinfo);
    writer->created = 1;
    writer->dest.manager.init_destination = jpeg_sink_init;
    writer->dest.manager.empty_output_buffer = jpeg_sink_empty;
    writer->dest.manager.term_destination = jpeg_sink_term;
    cinfo->dest = &writer->dest.manager;
    cinfo->image_width = width;
    cinfo->image_height = height;
    cinfo->input_components = channels;
    cinfo->in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(cinfo);  // as cjpeg: YCbCr 4:2:0 for colour, islow DCT, optimised off
    jpeg_set_quality(cinfo, quality, TRUE);
    jpeg_start_compress(cinfo, TRUE);
    return 0;
}

int cg_jpeg_writer_marker(cg_jpeg_writer *writer, int marker, const unsigned char *data, size_t length) {
    if (setjmp(writer->guard.jump)) return -1;
    jpeg_write_marker(&writer->cinfo, marker, data, (unsigned int)length);
    return 0;
}

int cg_jpeg_writer_icc(cg_jpeg_writer *writer, const unsigned char *icc, size_t icc_length) {
    if (setjmp(writer->guard.jump)) return -1;
    jpeg_write_icc_profile(&writer->cinfo, icc, (unsigned int)icc_length);
    return 0;
}

int cg_jpeg_writer_rows(cg_jpeg_writer *writer, const unsigned char *rows, size_t stride, uint32_t count) {
    if (setjmp(writer->guard.jump)) return -1;
    JSAMPROW pointers[16];
    uint32_t done = 0;
    while (done < count) {
        uint32_t batch = count - done;
        if (batch > 16) batch = 16;
        for (uint32_t i = 0; i < batch; i++) pointers[i] = (JSAMPROW)(rows + (size_t)(done + i) * stride);
        done += jpeg_write_scanlines(&writer->cinfo, pointers, batch);
    }
    return 0;
}

int cg_jpeg_writer_finish(cg_jpeg_writer *writer) {
    if (setjmp(writer->guard.jump)) return -1;
    jpeg_finish_compress(&writer->cinfo);
    return 0;
}

const cg_log *cg_jpeg_writer_log(const cg_jpeg_writer *writer) { return &writer->guard.log; }

void cg_jpeg_writer_free(cg_jpeg_writer *writer) {
    if (!writer) return;
    if (writer->created) jpeg_destroy_compress(&writer->cinfo);
    free(writer);
}

// ---- memory ----

int cg_keep_freed_memory(int mmap_threshold, int trim_threshold) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, mmap_threshold) == 1 && mallopt(M_TRIM_THRESHOLD, trim_threshold) == 1 ? 0 : -1;
#else
    (void)mmap_threshold; (void)trim_threshold;
    return -1;
#endif
}
