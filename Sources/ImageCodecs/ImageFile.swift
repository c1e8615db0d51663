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
    /// text grids (``TextGridFile``) as (1, 1, H, W) with the values written.
    public static func read(_ path: String, options: DecodeOptions = .init()) throws -> DecodedImage {
        try read(ImageInput(.file(path)), options: options)
    }

    /// Decodes an input already read (a file or standard input), as ``read(_:options:)`` does.
    public static func read(_ input: ImageInput, options: DecodeOptions = .init()) throws -> DecodedImage {
        let file = input.file, path = input.name
        switch try format(of: file.bytes, path: path) {
        case .png: return try PNGDecoder.decode(file, path: path, options: options)
        case .jpeg: return try JPEGDecoder.decode(file, path: path, options: options)
        case .npy: return try decodeNumpy(withExtendedLifetime(file) { Array(file.bytes) }, path: path)
        case .text: return try decodeTextGrid(withExtendedLifetime(file) { Array(file.bytes) }, path: path)
        }
    }

    /// Decodes the whole contents of a PNG, JPEG or `.npy` file already in memory, as ``read(_:options:)``
    /// does; `path` only names the file in errors. Any bytes give a result or an ``ImageCodecError``.
    public static func decode(bytes data: [UInt8], path: String, options: DecodeOptions = .init()) throws -> DecodedImage {
        switch try data.withUnsafeBufferPointer({ try format(of: $0, path: path) }) {
        case .png: return try PNGDecoder.decode(FileBytes(data), path: path, options: options)
        case .jpeg: return try JPEGDecoder.decode(FileBytes(data), path: path, options: options)
        case .npy: return try decodeNumpy(data, path: path)
        case .text: return try decodeTextGrid(data, path: path)
        }
    }

    /// The metadata ``read(_:options:)`` would return with default options, from the header only
    /// (no pixel is decoded; for `.npy` the file is parsed by ``NumpyFile``).
    public static func readInfo(_ path: String) throws -> ImageMetadata {
        try readInfo(ImageInput(.file(path)))
    }

    /// The metadata of an input already read, as ``readInfo(_:)-(String)`` gives it.
    public static func readInfo(_ input: ImageInput) throws -> ImageMetadata {
        let file = input.file, path = input.name
        switch try format(of: file.bytes, path: path) {
        case .png: return try PNGDecoder.readInfo(file, path: path)
        case .jpeg: return try JPEGDecoder.readInfo(file, path: path)
        case .npy: return try decodeNumpy(withExtendedLifetime(file) { Array(file.bytes) }, path: path).metadata
        case .text: return try decodeTextGrid(withExtendedLifetime(file) { Array(file.bytes) }, path: path).metadata
        }
    }

    /// Encodes `tensor` in the format named by `path`'s extension and writes it atomically (``AtomicFile``).
    ///
    /// PNG and JPEG need N = 1 and C = 1...4 (gray, gray+alpha, RGB, RGBA); `.npy` takes any shape.
    /// `source` (the metadata of the file the tensor came from) supplies defaults: the PNG bit depth
    /// (16 when the source was a 16-bit PNG) and the ICC profile. Returns warnings and notices,
    /// e.g. "alpha composited onto white". Does not check that `path` differs from the input:
    /// call ``AtomicFile/ensureDistinct(output:input:)`` for that.
    @discardableResult
    public static func write(_ tensor: Tensor, to path: String, source: ImageMetadata?,
                             options: EncodeOptions = .init()) throws -> [String] {
        try write(tensor, to: .file(path), source: source, options: options)
    }

    /// Encodes `tensor` as ``write(_:to:source:options:)-(_,String,_,_)`` does, to a file or standard output
    /// (``ImageDestination/write(_:)``: nothing reaches standard output unless encoding succeeded).
    @discardableResult
    public static func write(_ tensor: Tensor, to destination: ImageDestination, source: ImageMetadata?,
                             options: EncodeOptions = .init()) throws -> [String] {
        switch try destination.format() {
        case .npy:
            try destination.write(NumpyFile.encode(tensor), fault: options.fault)
            return []
        case .text:
            try destination.write(TextGridFile.encode(tensor, path: destination.name), fault: options.fault)
            return []
        case .png, .jpeg:
            break
        }
        try checkImageShape(tensor, path: destination.name)
        let writer = try ImageWriter(destination: destination, width: tensor.w, height: tensor.h, channels: tensor.c,
                                     source: source, options: options)
        try writer.append(tensor)
        return try writer.finish(after: .noFileBeingRead)  // a whole tensor: its decode, if any, is complete
    }

    /// The format of a file's contents, from its first bytes, or an error naming `path`. Text grids have no
    /// signature: contents that are no other format are one when `path` ends in `.txt` or `.csv`.
    static func format(of bytes: UnsafeBufferPointer<UInt8>, path: String) throws -> ImageFormat {
        if let format = ImageFormat.detect(magic: Array(bytes.prefix(8))) { return format }
        if TextGridFile.isTextGridPath(path) { return .text }
        throw ImageCodecError(path: path, reason: bytes.isEmpty ? "file is empty" : "not a PNG, JPEG or .npy file")
    }

    private static func decodeTextGrid(_ data: [UInt8], path: String) throws -> DecodedImage {
        let tensor = try TextGridFile.read(contentsOf: data, path: path)
        var metadata = npyMetadata(tensor)
        metadata.format = .text
        metadata.colorType = "float32 text"
        return DecodedImage(tensor: tensor, metadata: metadata, warnings: [])
    }

    private static func decodeNumpy(_ data: [UInt8], path: String) throws -> DecodedImage {
        let tensor = try NumpyFile.read(contentsOf: data, path: path)
        return DecodedImage(tensor: tensor, metadata: npyMetadata(tensor), warnings: [])
    }

    private static func checkImageShape(_ tensor: Tensor, path: String) throws {
        guard tensor.n == 1, (1...4).contains(tensor.c) else {
            throw ImageCodecError(path: path, reason: "cannot write a tensor of shape \(tensor.shape) as an image: it needs N = 1 and 1 to 4 channels")
        }
        guard tensor.w > 0, tensor.h > 0 else {
            throw ImageCodecError(path: path, reason: "cannot write an empty \(tensor.w)×\(tensor.h) image")
        }
    }

    private static func npyMetadata(_ tensor: Tensor) -> ImageMetadata {
        ImageMetadata(format: .npy, width: tensor.w, height: tensor.h, channels: tensor.c, bitDepth: 32, colorType: "float32")
    }
}
