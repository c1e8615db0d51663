import Foundation

/// The `--files-from` list: one input path per line.
public enum FileList {
    /// The paths in `text`: one per line, `\n` or `\r\n` endings, blank lines ignored.
    /// Nothing else is trimmed, so names may start or end with spaces.
    public static func paths(in text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
            let line = line.hasSuffix("\r") ? line.dropLast() : line[...]
            return line.allSatisfy(\.isWhitespace) ? nil : String(line)
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
