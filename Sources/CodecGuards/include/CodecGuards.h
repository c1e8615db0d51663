#ifndef CODEC_GUARDS_H
#define CODEC_GUARDS_H
// setjmp guards around libpng and libjpeg.
//
// libpng and libjpeg report fatal errors by longjmp (libjpeg's default even calls exit()).
// Every function here catches that, stores the library's message and returns -1 instead,
// so a bad file can never abort the process. Warnings are collected, one per line.
// The readers and writers are opaque; Swift only sees plain numbers and byte buffers.

#include <stddef.h>
#include <stdint.h>

/// Fatal error (empty when none) and warnings ("\n"-separated) of one reader or writer.
typedef struct cg_log {
    char error[256];
    char warnings[2048];
    size_t warnings_len;
    int truncated;           // JPEG: the image data ended early ("Premature end of JPEG file" or
                             // "Corrupt JPEG data: premature end of data segment")
} cg_log;

// ---- input ----
/// Where a reader takes its bytes from: memory (`data`, `size`; `fd` < 0), which must outlive the reader,
/// or an open regular file `fd` (not closed by the reader), read with pread(2) from offset 0 through a
/// 64 KiB buffer of the reader's own, so that several readers may share one descriptor and memory does not
/// grow with the file. At most `limit` bytes are read from a descriptor (later bytes count as the end).
typedef struct cg_input {
    const unsigned char *data;
    size_t size;
    int fd;
    uint64_t limit;
} cg_input;

// ---- output ----
/// Where encoders (and Swift, for .npy and text files) write a file: an open descriptor (not closed here),
/// through a 64 KiB buffer. Counts the bytes written; with a byte fault (`fail_at` >= 0, the test hook
/// write-byte:N) writes only the first `fail_at` bytes and then fails as a full disk would.
typedef struct cg_sink cg_sink;
/// NULL only when out of memory. `fail_at` < 0: no fault.
cg_sink *cg_sink_new(int fd, int64_t fail_at);
/// Once, before the first write: `bytes` (copied) are written when the stream reaches offset `at`, before
/// the byte that would be there (how PNG chunks are placed right after IHDR). 0, or -1 out of memory.
int cg_sink_insert_at(cg_sink *sink, uint64_t at, const unsigned char *bytes, size_t length);
/// Appends `length` bytes (buffered). 0 or -1 (then cg_sink_errno or cg_sink_fault_hit says why).
int cg_sink_write(cg_sink *sink, const void *bytes, size_t length);
/// Writes `length` bytes at `offset` (pwrite, unbuffered; buffered bytes are flushed first). 0 or -1.
int cg_sink_pwrite(cg_sink *sink, const void *bytes, size_t length, uint64_t offset);
/// Writes out the buffer. 0 or -1.
int cg_sink_flush(cg_sink *sink);
/// Bytes that reached the descriptor so far.
uint64_t cg_sink_written(const cg_sink *sink);
/// 1 once the byte fault stopped a write.
int cg_sink_fault_hit(const cg_sink *sink);
/// The errno of a failed write(2), 0 when none.
int cg_sink_errno(const cg_sink *sink);
void cg_sink_free(cg_sink *sink);

// ---- PNG reading ----
typedef struct cg_png_reader cg_png_reader;

/// Header of a PNG after png_read_info and the expansion transforms.
typedef struct cg_png_info {
    uint32_t width, height;
    int source_bit_depth;    // 1, 2, 4, 8 or 16, as stored
    int source_color_type;   // PNG colour type 0, 2, 3, 4 or 6, as stored
    int interlaced;          // 1 for Adam7
    int channels;            // after expansion: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA
    int bit_depth;           // after expansion: 8 or 16 (16-bit samples come in host order)
    size_t row_bytes;
    const unsigned char *icc; // iCCP profile, owned by the reader, NULL when absent
    uint32_t icc_length;
} cg_png_info;

/// Starts reading `input` (see cg_input). Returns NULL only when out of memory. Check cg_png_log(reader)->error
/// after cg_png_read_header.
cg_png_reader *cg_png_reader_new(cg_input input);
/// Reads the header chunks and sets up expansion (palette → RGB, low depths → 8 bits, tRNS → alpha). 0 or -1.
int cg_png_read_header(cg_png_reader *reader, cg_png_info *info);
/// Reads `count` consecutive rows (non-interlaced images) into `rows`, `stride` bytes apart. 0 or -1.
int cg_png_read_rows(cg_png_reader *reader, unsigned char *rows, size_t stride, uint32_t count);
/// Reads the whole image (any interlacing) into `pixels`, rows `stride` bytes apart. 0 or -1.
int cg_png_read_image(cg_png_reader *reader, unsigned char *pixels, size_t stride);
/// Reads the chunks after the image data, checking their CRCs. 0 or -1.
int cg_png_read_end(cg_png_reader *reader);
const cg_log *cg_png_log(const cg_png_reader *reader);
void cg_png_reader_free(cg_png_reader *reader);

// ---- PNG writing ----
// Rows go in as they come (cg_png_writer_rows, any number of calls) and the file goes to a cg_sink as it is made.
typedef struct cg_png_writer cg_png_writer;

/// Writes to `sink`, which must outlive the writer. NULL only when out of memory.
cg_png_writer *cg_png_writer_new(cg_sink *sink);
/// Writes the header: `width`×`height`, `channels` 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA, `bit_depth` 8 or 16
/// (16-bit samples are given in host order). `level` is the zlib level 0...9 or -1 for libpng's default;
/// `filters` a PNG_FILTER_* mask for png_set_filter or -1 for libpng's default; `strategy` a zlib strategy
/// (Z_DEFAULT_STRATEGY 0, Z_FILTERED 1, Z_HUFFMAN_ONLY 2, Z_RLE 3) or -1 for libpng's default. `icc` may be NULL. 0 or -1.
int cg_png_writer_start(cg_png_writer *writer, uint32_t width, uint32_t height, int channels, int bit_depth,
                        int level, int filters, int strategy, const unsigned char *icc, size_t icc_length);
/// Appends `count` rows, `stride` bytes apart. 0 or -1.
int cg_png_writer_rows(cg_png_writer *writer, const unsigned char *rows, size_t stride, uint32_t count);
/// Ends the file (after all `height` rows) and flushes the sink. 0 or -1.
int cg_png_writer_finish(cg_png_writer *writer);
const cg_log *cg_png_writer_log(const cg_png_writer *writer);
void cg_png_writer_free(cg_png_writer *writer);

// ---- JPEG reading ----
typedef struct cg_jpeg_reader cg_jpeg_reader;

typedef struct cg_jpeg_info {
    uint32_t width, height;  // as stored (before any EXIF orientation)
    int components;          // in the file: 1 gray, 3 YCbCr/RGB, 4 CMYK/YCCK
    int color_space;         // libjpeg J_COLOR_SPACE of the file
    int output_components;   // what cg_jpeg_read_rows delivers: 1 gray, 3 RGB, 4 CMYK
    int adobe_inverted;      // 1 when an Adobe APP14 marker is present (CMYK stored inverted)
    int progressive;
    int arithmetic;
    uint64_t coefficient_bytes; // multi-scan (progressive or non-interleaved) files: the whole-image coefficient
                                // buffers jpeg_start_decompress allocates (2 bytes per DCT coefficient of every
                                // block of every component, padded to whole MCUs); 0 for single-scan files
} cg_jpeg_info;

/// Reads `input` (see cg_input). When `fail_on_truncation` is set, image data that ends early ("Premature end
/// of JPEG file", "Corrupt JPEG data: premature end of data segment") is a fatal error. A read error is fatal.
cg_jpeg_reader *cg_jpeg_reader_new(cg_input input, int fail_on_truncation);
/// jpeg_read_header, saving APP2 (ICC) markers (EXIF and XMP are read from the bytes in Swift). 0 or -1.
int cg_jpeg_read_header(cg_jpeg_reader *reader, cg_jpeg_info *info);
/// The ICC profile from APP2 markers (malloc'ed; free with free()), or NULL.
unsigned char *cg_jpeg_icc(cg_jpeg_reader *reader, size_t *length);
/// jpeg_start_decompress with djpeg's defaults (islow DCT, fancy upsampling). 0 or -1.
int cg_jpeg_start(cg_jpeg_reader *reader);
/// Reads up to `max_rows` rows into `rows` (`stride` bytes apart); `*got` is how many. 0 or -1.
int cg_jpeg_read_rows(cg_jpeg_reader *reader, unsigned char *rows, size_t stride, uint32_t max_rows, uint32_t *got);
/// jpeg_finish_decompress. 0 or -1.
/// Skips the next `count` rows (libjpeg-turbo's jpeg_skip_scanlines: the entropy-coded data is still decoded, so
/// its errors and warnings are the same, but no sample is made); `*skipped` rows were skipped. Returns -2 when this
/// libjpeg cannot (not libjpeg-turbo, or a multi-scan file), -1 on a libjpeg error.
int cg_jpeg_skip_rows(cg_jpeg_reader *reader, uint32_t count, uint32_t *skipped);
int cg_jpeg_finish(cg_jpeg_reader *reader);
const cg_log *cg_jpeg_log(const cg_jpeg_reader *reader);
void cg_jpeg_reader_free(cg_jpeg_reader *reader);

// ---- JPEG writing ----
// libjpeg's defaults as cjpeg (4:2:0 for colour, islow DCT, no optimisation): the same pixels at the same
// quality give the same bytes as `cjpeg -quality Q`. Rows go in as they come, the file out to a cg_sink.
typedef struct cg_jpeg_writer cg_jpeg_writer;

/// Writes to `sink`, which must outlive the writer. NULL only when out of memory.
cg_jpeg_writer *cg_jpeg_writer_new(cg_sink *sink);
/// Starts a `width`×`height` file of 8-bit gray (`channels` 1) or RGB (3) at `quality` 1...100: writes SOI and
/// the JFIF APP0 marker. 0 or -1.
int cg_jpeg_writer_start(cg_jpeg_writer *writer, uint32_t width, uint32_t height, int channels, int quality);
/// Writes one marker (`marker` 0xE1 for APP1, …) with `length` (at most 65533) bytes of payload; after start,
/// before the first row. 0 or -1.
int cg_jpeg_writer_marker(cg_jpeg_writer *writer, int marker, const unsigned char *data, size_t length);
/// Writes the ICC profile as APP2 ICC_PROFILE markers (split as libjpeg does); after start, before the first row. 0 or -1.
int cg_jpeg_writer_icc(cg_jpeg_writer *writer, const unsigned char *icc, size_t icc_length);
/// Appends `count` rows, `stride` bytes apart. 0 or -1.
int cg_jpeg_writer_rows(cg_jpeg_writer *writer, const unsigned char *rows, size_t stride, uint32_t count);
/// Ends the file (after all `height` rows) and flushes the sink. 0 or -1.
int cg_jpeg_writer_finish(cg_jpeg_writer *writer);
const cg_log *cg_jpeg_writer_log(const cg_jpeg_writer *writer);
void cg_jpeg_writer_free(cg_jpeg_writer *writer);

// ---- memory ----
/// mallopt(M_MMAP_THRESHOLD, mmap_threshold) and mallopt(M_TRIM_THRESHOLD, trim_threshold) (glibc):
/// freed large buffers stay in the heap for reuse. 0 when both were accepted, -1 otherwise (or not glibc).
int cg_keep_freed_memory(int mmap_threshold, int trim_threshold);

#endif
