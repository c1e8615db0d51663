// setjmp guards around libpng and libjpeg; see CodecGuards.h for the contract.
#include "CodecGuards.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>
#include <jpeglib.h>
#include <jerror.h>
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

void cg_buffer_free(cg_buffer *buffer) {
    free(buffer->data);
    buffer->data = NULL;
    buffer->size = 0;
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
    const unsigned char *data;
    size_t size, position;
};

static void png_read_memory(png_structp png, png_bytep out, size_t length) {
    cg_png_reader *reader = png_get_io_ptr(png);
    if (length > reader->size - reader->position) png_error(png, "file is truncated");
    memcpy(out, reader->data + reader->position, length);
    reader->position += length;
}

cg_png_reader *cg_png_reader_new(const unsigned char *data, size_t size) {
    cg_png_reader *reader = calloc(1, sizeof *reader);
    if (!reader) return NULL;
    reader->data = data;
    reader->size = size;
    reader->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader->guard, png_on_error, png_on_warning);
    if (reader->png) reader->info = png_create_info_struct(reader->png);
    if (!reader->png || !reader->info) {
        cg_png_reader_free(reader);
        return NULL;
    }
    png_set_read_fn(reader->png, reader, png_read_memory);
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
    free(reader);
}

// ---- PNG writing ----

// Destination of png_set_write_fn: a growing malloc'ed buffer.
typedef struct png_sink {
    cg_buffer out;
    size_t capacity;
} png_sink;

struct cg_png_writer {
    png_guard guard;  // first, so the error pointer is the writer too
    png_structp png;
    png_infop info;
    png_sink sink;
};

static void png_write_memory(png_structp png, png_bytep data, size_t length) {
    png_sink *sink = png_get_io_ptr(png);
    cg_buffer *out = &sink->out;
    if (out->size + length > sink->capacity) {
        size_t capacity = sink->capacity ? sink->capacity : 65536;
        while (capacity < out->size + length) capacity *= 2;
        unsigned char *grown = realloc(out->data, capacity);
        if (!grown) png_error(png, "out of memory");
        out->data = grown;
        sink->capacity = capacity;
    }
    memcpy(out->data + out->size, data, length);
    out->size += length;
}

static void png_flush_memory(png_structp png) { (void)png; }

cg_png_writer *cg_png_writer_new(void) {
    cg_png_writer *writer = calloc(1, sizeof *writer);
    if (!writer) return NULL;
    writer->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &writer->guard, png_on_error, png_on_warning);
    if (writer->png) writer->info = png_create_info_struct(writer->png);
    if (!writer->png || !writer->info) {
        cg_png_writer_free(writer);
        return NULL;
    }
    png_set_write_fn(writer->png, &writer->sink, png_write_memory, png_flush_memory);
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

int cg_png_writer_finish(cg_png_writer *writer, cg_buffer *out) {
    if (setjmp(writer->guard.jump)) return -1;
    png_write_end(writer->png, NULL);
    *out = writer->sink.out;
    writer->sink.out.data = NULL;
    writer->sink.out.size = 0;
    return 0;
}

const cg_log *cg_png_writer_log(const cg_png_writer *writer) { return &writer->guard.log; }

void cg_png_writer_free(cg_png_writer *writer) {
    if (!writer) return;
    if (writer->png) png_destroy_write_struct(&writer->png, writer->info ? &writer->info : NULL);
    cg_buffer_free(&writer->sink.out);
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

struct cg_jpeg_reader {
    jpeg_guard guard;
    struct jpeg_decompress_struct cinfo;
    int created;
};

cg_jpeg_reader *cg_jpeg_reader_new(const unsigned char *data, size_t size, int fail_on_truncation) {
    cg_jpeg_reader *reader = calloc(1, sizeof *reader);
    if (!reader) return NULL;
    jpeg_guard_init(&reader->guard, fail_on_truncation);
    reader->cinfo.err = &reader->guard.manager;
    if (setjmp(reader->guard.jump)) return reader;  // message kept; read_header reports it
    jpeg_create_decompress(&reader->cinfo);
    reader->created = 1;
    jpeg_mem_src(&reader->cinfo, data, (unsigned long)size);
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

int cg_jpeg_finish(cg_jpeg_reader *reader) {
    if (setjmp(reader->guard.jump)) return -1;
    jpeg_finish_decompress(&reader->cinfo);
    return 0;
}

const cg_log *cg_jpeg_log(const cg_jpeg_reader *reader) { return &reader->guard.log; }

void cg_jpeg_reader_free(cg_jpeg_reader *reader) {
    if (!reader) return;
    if (reader->created) jpeg_destroy_decompress(&reader->cinfo);
    free(reader);
}

// ---- JPEG writing ----

// The compressed file grows in one malloc'ed buffer that only this writer owns (`sink.out`): libjpeg's
// jpeg_mem_dest would not do, as it frees and replaces its buffer while growing without telling the caller,
// so a writer freed before jpeg_finish_compress freed that buffer a second time (the double free in
// cg_jpeg_writer_free after a failure mid-image). The sink frees nothing; cg_jpeg_writer_free frees it once.
typedef struct jpeg_sink {
    struct jpeg_destination_mgr manager;  // first: libjpeg casts cinfo->dest to this
    cg_buffer out;                        // out.size: bytes finished before the current free window
    size_t capacity;
} jpeg_sink;

struct cg_jpeg_writer {
    jpeg_guard guard;
    struct jpeg_compress_struct cinfo;
    int created;
    jpeg_sink sink;
};

// Makes the whole buffer past `out.size` the free window, doubling the buffer first when `grow`.
static void jpeg_sink_window(j_compress_ptr cinfo, int grow) {
    jpeg_sink *sink = (jpeg_sink *)cinfo->dest;
    if (grow || sink->capacity == 0) {
        size_t capacity = sink->capacity ? 2 * sink->capacity : 65536;
        unsigned char *grown = realloc(sink->out.data, capacity);
        if (!grown) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 10);
        sink->out.data = grown;
        sink->capacity = capacity;
    }
    sink->manager.next_output_byte = sink->out.data + sink->out.size;
    sink->manager.free_in_buffer = sink->capacity - sink->out.size;
}

static void jpeg_sink_init(j_compress_ptr cinfo) {
    jpeg_sink *sink = (jpeg_sink *)cinfo->dest;
    sink->out.size = 0;
    jpeg_sink_window(cinfo, 0);
}

// Called with the window full: everything in it is finished.
static boolean jpeg_sink_empty(j_compress_ptr cinfo) {
    jpeg_sink *sink = (jpeg_sink *)cinfo->dest;
    sink->out.size = sink->capacity;
    jpeg_sink_window(cinfo, 1);
    return TRUE;
}

static void jpeg_sink_term(j_compress_ptr cinfo) {
    jpeg_sink *sink = (jpeg_sink *)cinfo->dest;
    sink->out.size = sink->capacity - sink->manager.free_in_buffer;
}

cg_jpeg_writer *cg_jpeg_writer_new(void) {
    cg_jpeg_writer *writer = calloc(1, sizeof *writer);
    if (!writer) return NULL;
    jpeg_guard_init(&writer->guard, 0);
    writer->cinfo.err = &writer->guard.manager;
    return writer;
}

int cg_jpeg_writer_start(cg_jpeg_writer *writer, uint32_t width, uint32_t height, int channels, int quality,
                         const unsigned char *icc, size_t icc_length) {
    if (channels != 1 && channels != 3) {
        log_error(&writer->guard.log, "JPEG needs 1 or 3 channels");
        return -1;
    }
    if (setjmp(writer->guard.jump)) return -1;
    struct jpeg_compress_struct *cinfo = &writer->cinfo;
    jpeg_create_compress(cinfo);
    writer->created = 1;
    writer->sink.manager.init_destination = jpeg_sink_init;
    writer->sink.manager.empty_output_buffer = jpeg_sink_empty;
    writer->sink.manager.term_destination = jpeg_sink_term;
    cinfo->dest = &writer->sink.manager;
    cinfo->image_width = width;
    cinfo->image_height = height;
    cinfo->input_components = channels;
    cinfo->in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(cinfo);  // as cjpeg: YCbCr 4:2:0 for colour, islow DCT, optimised off
    jpeg_set_quality(cinfo, quality, TRUE);
    jpeg_start_compress(cinfo, TRUE);
    if (icc && icc_length > 0) jpeg_write_icc_profile(cinfo, icc, (unsigned int)icc_length);
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

int cg_jpeg_writer_finish(cg_jpeg_writer *writer, cg_buffer *out) {
    if (setjmp(writer->guard.jump)) return -1;
    jpeg_finish_compress(&writer->cinfo);
    *out = writer->sink.out;  // ownership moves to the caller
    writer->sink.out.data = NULL;
    writer->sink.out.size = 0;
    writer->sink.capacity = 0;
    return 0;
}

const cg_log *cg_jpeg_writer_log(const cg_jpeg_writer *writer) { return &writer->guard.log; }

void cg_jpeg_writer_free(cg_jpeg_writer *writer) {
    if (!writer) return;
    if (writer->created) jpeg_destroy_compress(&writer->cinfo);  // never frees the sink's buffer
    cg_buffer_free(&writer->sink.out);
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
