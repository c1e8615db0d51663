import Foundation
import TensorEngine

/// Reading and writing image files: the one entry point the rest of imgconv uses.
///
/// The input format is found from the file's first bytes (``ImageFormat/detect(magic:)``), the output
/// format from the output path's extension (``ImageFormat/forOutputPath(_:)``).
/// Every failure is an ``ImageCodecError`` naming the file; libpng/libjpeg can never abort the process.
public enum ImageFile {
    /// Decodes the PNG, JPEG, `.npy` or text-grid (`.txt`, `.csv`) file at `path`.
    ///
    /// Images come as N = 1 tensors with values in [0, 1] (8-bit v/255, 16-bit v/65535), pixels as stored
    /// (no gamma or ICC conversion). PNG: palette and tRNS expanded, C = 1...4 by colour type.
    /// JPEG: djpeg's decoding (islow DCT, fancy upsampling), gray C = 1, else RGB C = 3 (CMYK converted),
    /// EXIF orientation applied unless `options.autoOrient` is off. `.npy` tensors come as stored,
    /// text grids (`.txt`, `.csv`: rows of numbers) as (1, 1, H, W) with the values written.
    public static func read(_ path: String, options: DecodeOptions = .init()) throws -> DecodedImage {
        try read(ImageInput(.file(path)), options: options)
    }

    /// Decodes an input already opened (a file or standard input), as ``read(_:options:)-(String,_)`` does: every row of
    /// its ``ImageReader`` decoder, then its end check, then the orientation.
    public static func read(_ input: ImageInput, options: DecodeOptions = .init()) throws -> DecodedImage {
        let decoder = try openRowDecoder(input, options: options)
        var tensor = try decoder.readAll()
        let warnings = try decoder.finish()
        if options.autoOrient { tensor = ExifOrientation.apply(tensor, orientation: decoder.orientation) }
        return DecodedImage(tensor: tensor, metadata: decoder.metadata, warnings: warnings)
    }

    /// Decodes the whole contents of a PNG, JPEG, `.npy` or text-grid file already in memory, as
    /// ``read(_:options:)-(String,_)`` does; `path` only names the file in errors (and marks a text grid by its extension).
    /// Any bytes give a result or an ``ImageCodecError``.
    public static func decode(bytes data: [UInt8], path: String, options: DecodeOptions = .init()) throws -> DecodedImage {
        try read(ImageInput(bytes: data, name: path), options: options)
    }

    /// Decodes a PNG, JPEG or `.npy` file held in memory, as ``read(_:options:)-(String,_)`` does; `name` only names it in
    /// errors (and, ending in `.txt` or `.csv`, marks a text grid).
    public static func decode(_ data: Data, name: String = "data", options: DecodeOptions = .init()) throws -> DecodedImage {
        try decode(bytes: [UInt8](data), path: name, options: options)
    }

    /// Encodes `tensor` in `format` into memory, with the same bytes ``write(_:to:source:options:)-(_,String,_,_)``
    /// would write to a file of that format. `source` supplies defaults as there (the PNG bit depth, the ICC
    /// profile, EXIF and XMP); warnings such as "alpha composited onto white" are dropped: call `write` to see them.
    public static func encode(_ tensor: Tensor, as format: ImageFormat, source: ImageMetadata? = nil,
                              options: EncodeOptions = .init()) throws -> Data {
        let writer = try ImageWriter(destination: .standardOutput(format), shape: tensor.shape, source: source, options: options)
        try writer.append(tensor)
        return Data(try writer.finishInMemory().bytes)
    }

    /// The metadata ``read(_:options:)-(String,_)`` would return with default options, from the header only
    /// (no pixel is decoded; a text grid is parsed).
    public static func readInfo(_ path: String) throws -> ImageMetadata {
        try readInfo(ImageInput(.file(path)))
    }

    /// The metadata of an input already opened, as ``readInfo(_:)-(String)`` gives it.
    public static func readInfo(_ input: ImageInput) throws -> ImageMetadata {
        let file = input.file, path = input.name
        switch try format(of: file.bytes(at: 0, count: 8, name: path), fileSize: file.count, path: path) {
        case .png: return try PNGDecoder.readInfo(file, path: path)
        case .jpeg: return try JPEGDecoder.readInfo(file, path: path)
        case .npy: return try NumpyRowDecoder(file, path: path).metadata
        case .text: return try TextGridRowDecoder(file, path: path).metadata
        }
    }

    /// Encodes `tensor` in the format named by `path`'s extension and writes it atomically: into a nameless
    /// temporary file in the path's folder, renamed over `path` only once the whole file is written.
    ///
    /// PNG and JPEG need N = 1 and C = 1...4 (gray, gray+alpha, RGB, RGBA); `.npy` takes any shape.
    /// `source` (the metadata of the file the tensor came from) supplies defaults: the PNG bit depth
    /// (16 when the source was a 16-bit PNG) and the ICC profile. Returns warnings and notices,
    /// e.g. "alpha composited onto white". Does not check that `path` differs from the input:
    /// compare the paths yourself (the `imgconv` tool refuses an output that is its input).
    @discardableResult
    public static func write(_ tensor: Tensor, to path: String, source: ImageMetadata? = nil,
                             options: EncodeOptions = .init()) throws -> [String] {
        try write(tensor, to: .file(path), source: source, options: options)
    }

    /// Encodes `tensor` as ``write(_:to:source:options:)-(_,String,_,_)`` does, to a file or standard output
    /// (nothing reaches standard output unless encoding succeeded): an ``ImageWriter`` given the whole tensor
    /// as one strip, for every format.
    @discardableResult
    public static func write(_ tensor: Tensor, to destination: ImageDestination, source: ImageMetadata? = nil,
                             options: EncodeOptions = .init()) throws -> [String] {
        let writer = try ImageWriter(destination: destination, shape: tensor.shape, source: source, options: options)
        try writer.append(tensor)
        return try writer.finish(after: .noFileBeingRead)  // a whole tensor: its decode, if any, is complete
    }

    /// The format of a file from its first bytes `magic` (and size), or an error naming `path`. Text grids have
    /// no signature: contents that are no other format are one when `path` ends in `.txt` or `.csv`.
    static func format(of magic: [UInt8], fileSize: Int, path: String) throws -> ImageFormat {
        if let format = ImageFormat.detect(magic: magic) { return format }
        if TextGridFile.isTextGridPath(path) { return .text }
        throw ImageCodecError.notAnImage(path: path, reason: fileSize == 0 ? "file is empty" : "not a PNG, JPEG or .npy file")
    }

    /// What a `.npy` tensor or a text grid says about itself: its plane size and channels, Float32.
    static func tensorMetadata(_ shape: TensorShape, format: ImageFormat) -> ImageMetadata {
        ImageMetadata(format: format, width: shape.w, height: shape.h, channels: shape.c, bitDepth: 32,
                      colorType: format == .text ? "float32 text" : "float32")
    }
}
