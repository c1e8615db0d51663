import Foundation

/// What made an output: the command, every option that changes the output's bytes, the contents of the
/// files the command reads besides the input (weights, kernel files) and the imgconv version, as one
/// 64-bit fingerprint. A folder run skips an output only when its record (in `OUT/.imgconv-recipes`, written after
/// the output) names the same recipe and the same input; so a re-run with other parameters redoes everything.
///
/// The CLI writes the description (from the parsed command, in one place), starting with the imgconv version
/// (`ImgConvVersion.current`, bumped whenever any command's output bytes change); options that only change how a
/// run goes (`--jobs`, `--progress`, `--report`, `--shard`, `--quiet`, `--dry-run`, selection options)
/// are not part of it.
public struct Recipe: Sendable, Hashable, CustomStringConvertible {
    /// FNV-1a-64 of the description and the contents of the files read, as 16 hex digits.
    public let fingerprint: String

    /// The recipe of `description`, with the bytes of every file in `filesRead` (in order) included.
    /// A file that cannot be read, or is not a regular file (a FIFO must not be read twice, nor block),
    /// contributes its path and "unreadable": the run itself fails on it.
    public init(description: String, filesRead: [String] = []) {
        var text = Array((description + "\n").utf8)
        for path in filesRead {
            text += Array("file \(path) ".utf8)
            if FileStatus(path: path)?.kind == .regularFile, let data = try? FileContents.read(path, limit: Int.max) {
                text += Array("\(data.count) ".utf8)
                text += Array(data)
            } else {
                text += Array("unreadable".utf8)
            }
            text.append(0x0A)
        }
        let hash = FNV1a64.hash(text)
        fingerprint = String(hash, radix: 16).leftPadded(to: 16)
    }

    public var description: String { fingerprint }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
