import Foundation

/// The `--files-from` list: one input path per line.
public enum FileList {
    /// The paths in `text`: one per line, `\n` or `\r\n` endings, blank lines ignored.
    /// Nothing else is trimmed, so names may start or end with spaces.
    public static func paths(in text: String) -> [String] {
        // Split the bytes, not the Characters: Swift counts "\r\n" as one Character.
        text.utf8.split(separator: UInt8(ascii: "\n")).compactMap { bytes in
            let bytes = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes
            let line = String(decoding: bytes, as: UTF8.self)
            return line.allSatisfy(\.isWhitespace) ? nil : line
        }
    }

    /// The paths listed in the file at `source`, or on standard input when `source` is `-`.
    public static func paths(
        from source: String,
        standardInput: () -> Data = { FileHandle.standardInput.readDataToEndOfFile() }
    ) throws(BatchError) -> [String] {
        let data: Data
        if source == "-" {
            data = standardInput()
        } else {
            guard let contents = FileManager.default.contents(atPath: source) else {
                throw BatchError("Cannot read the file list \(source).")
            }
            data = contents
        }
        return paths(in: String(decoding: data, as: UTF8.self))
    }
}
