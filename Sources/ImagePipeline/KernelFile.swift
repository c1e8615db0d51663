import ImageCodecs
import ImageFilters
import TensorEngine

/// Reads a kernel from a file, whatever it holds: what `--kernel-file` (conv, explain) and `kernel show FILE` take.
///
/// - text: anything ``/ImageFilters/KernelParser/parse(_:fromFile:)`` reads (rows of numbers with spaces or commas and `#`
///   comments, a libvips matrix file with its `width height [scale [offset]]` header, an ImageMagick string,
///   a kernel name);
/// - a 2-D `.npy` (kH, kW), values as stored;
/// - a PNG or JPEG image, as `vips conv` takes one: each pixel is a weight. The weights are the decoded values
///   imgconv uses everywhere, v/255 (v/65535 for 16-bit), not libvips' raw 0–255; colour images give their
///   BT.601 luminance, alpha is ignored. An image kernel is usually a shape (a disk, a blob) meant to be
///   averaged over, so it goes with `--normalize`, after which the result is the same as libvips'.
///
/// Bytes that are none of these are refused with one sentence; the error never quotes binary content.
public enum KernelFile {
    /// The kernel in the file at `path`, told apart by its first bytes (`.npy`, PNG, JPEG signatures), else text.
    /// Throws an ``/ImageCodecs/ImageCodecError``: `notFound` / `cannotRead` / `limitExceeded` (over 4 GiB) for the file,
    /// `invalidParameter` for a `.npy` that is not 2-D, `notAnImage` for bytes that are none of the forms,
    /// `corrupt` for text or values that are no kernel (the parser's sentence as the reason), and any error
    /// decoding an image gives.
    public static func read(_ path: String) throws -> ParsedKernel {
        let bytes = try AtomicFile.read(path)
        switch ImageFormat.detect(magic: Array(bytes.prefix(8))) {
        case .npy:
            let array = try NumpyFile.readArray(contentsOf: bytes, path: path)
            guard array.dimensions.count == 2 else {
                throw ImageCodecError.invalidParameter(path: path, reason: "a kernel .npy must be 2-D (kH, kW), not \(array.dimensions)")
            }
            return ParsedKernel(kernel: try kernel(array.tensor, path: path))
        case .png, .jpeg:
            let image = try ImageFile.decode(bytes: bytes, path: path, options: DecodeOptions(autoOrient: true))
            let gray = image.tensor.c >= 3 ? Luminance.of(image.tensor) : image.tensor
            return ParsedKernel(kernel: try kernel(gray, path: path))
        default:
            break
        }
        guard let text = TextGridFile.plainText(bytes) else {
            throw ImageCodecError.notAnImage(path: path, reason: "is not a kernel: not text (rows of numbers, a libvips matrix), a 2-D .npy, PNG or JPEG")
        }
        do {
            return try KernelParser.parse(text, fromFile: true)
        } catch {
            throw ImageCodecError.corrupt(path: path, reason: "\(error)")
        }
    }

    /// Channel 0 of the first batch item as a kernel.
    private static func kernel(_ t: Tensor, path: String) throws -> Kernel {
        let values = Array(t.storage.prefix(t.h * t.w))
        do {
            return try Kernel(rows: t.h, columns: t.w, values: values)
        } catch {
            throw ImageCodecError.corrupt(path: path, reason: "\(error)")
        }
    }
}
