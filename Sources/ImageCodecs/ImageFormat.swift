/// The file formats imgconv reads and writes.
public enum ImageFormat: String, Sendable, CaseIterable {
    /// PNG (libpng): 1, 2, 4, 8 or 16 bits per sample; read and written with alpha.
    case png
    /// JPEG (libjpeg): 8 bits per sample, no alpha.
    case jpeg
    /// NumPy's `.npy`: read from a float32, float64, uint8, uint16 or int64 array of shape (H, W), (C, H, W) or
    /// (N, C, H, W), written as float32 (N, C, H, W); values as they are.
    case npy
    /// A text grid (`.txt`, `.csv`): one row of numbers per line, read and written as a (1, 1, H, W) tensor with
    /// values as they are. It has no signature: inputs are recognised by extension.
    case text

    /// Whether the format holds values as they are (`.npy`, text grids) rather than image samples in [0, 1]:
    /// such tensors have no alpha and are never clamped on reading.
    public var holdsRawValues: Bool { self == .npy || self == .text }

    /// The format whose signature starts `magic` (the first bytes of a file), or nil.
    ///
    /// Only content counts, never the file name. PNG is recognised by its first four bytes
    /// (`\x89PNG`) so that a signature mangled later on (e.g. by CR/LF conversion) reaches libpng,
    /// which names the damage; JPEG by `FF D8 FF` (SOI and the first byte of the next marker, as a folder
    /// run's `ImageKind` recognises it, so that a file is an image to both or to neither); `.npy` by `\x93NUMPY`.
    public static func detect(magic: [UInt8]) -> ImageFormat? {
        if magic.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .png }
        if magic.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if magic.starts(with: [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]) { return .npy }
        return nil
    }

    /// The format to write for `path`, chosen by its extension (case-insensitive):
    /// `.png`, `.jpg`/`.jpeg`, `.npy`, `.txt`/`.csv` (text grid). Any other extension is an error listing these.
    public static func forOutputPath(_ path: String) throws -> ImageFormat {
        // The text after the last dot of the last component: "x." has an empty extension, not "x";
        // a leading dot (".png") starts a hidden name, not an extension.
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        let ext = name.lastIndex(of: ".").map { $0 == name.startIndex ? "" : String(name[name.index(after: $0)...]).lowercased() } ?? ""
        switch ext {
        case "png": return .png
        case "jpg", "jpeg": return .jpeg
        case "npy": return .npy
        case "txt", "csv": return .text
        default:
            let what = ext.isEmpty ? "has no extension" : "has the unsupported extension .\(ext)"
            throw ImageCodecError.invalidParameter(path: path, reason: "output \(what); use .png, .jpg, .jpeg, .npy, .txt or .csv")
        }
    }
}
