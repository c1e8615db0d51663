import Foundation
import Locking
import FileNames

/// One line of the `--report` file.
package struct ReportEntry: Sendable, Hashable {
    package enum Status: String, Sendable, Hashable { case ok, failed, skipped }

    package var path: String
    package var output: String?
    package var status: Status
    /// The failure's reason (status `failed`) or the skip's reason (status `skipped`), else nil.
    package var error: String?
    package var inputBytes: Int64?
    package var outputBytes: Int64?
    package var milliseconds: Double?

    package init(path: String, output: String?, status: Status, error: String? = nil,
                inputBytes: Int64? = nil, outputBytes: Int64? = nil, milliseconds: Double? = nil) {
        self.path = path
        self.output = output
        self.status = status
        self.error = error
        self.inputBytes = inputBytes
        self.outputBytes = outputBytes
        self.milliseconds = milliseconds
    }

    /// The entry as one line of JSON with sorted keys and no newline. Every key is present;
    /// absent values are `null`. Keys: `error`, `input_bytes`, `milliseconds`, `output`,
    /// `output_bytes`, `path`, `status`.
    package var jsonLine: String {
        let object: [String: Any] = [
            "path": path,
            "output": output ?? NSNull(),
            "status": status.rawValue,
            "error": error ?? NSNull(),
            "input_bytes": inputBytes.map { NSNumber(value: $0) } ?? NSNull(),
            "output_bytes": outputBytes.map { NSNumber(value: $0) } ?? NSNull(),
            "milliseconds": milliseconds.map { NSNumber(value: ($0 * 1000).rounded() / 1000) } ?? NSNull(),
        ]
        // Only strings, numbers and NSNull: serialization cannot fail.
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

extension ReportEntry {
    /// Whether the file at `path` may be replaced by a report: it is empty, or its first line is a JSON
    /// object with string `path` and `status` keys, as every line this writer writes. Reads at most 64 KiB.
    package static func looksLikeReport(atPath path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 64 << 10)) ?? Data()
        if head.isEmpty { return true }
        guard let end = head.firstIndex(of: UInt8(ascii: "\n")),
              let object = try? JSONSerialization.jsonObject(with: head[head.startIndex..<end]) as? [String: Any]
        else { return false }
        return object["path"] is String && object["status"] is String
    }
}

/// Writes `ReportEntry` lines to a JSON Lines file, one `write(2)` per line, from any thread.
package final class ReportWriter: Sendable {
    private let handle: Lock<FileHandle?>

    /// Creates (or empties) the file at `path`.
    package init(path: String) throws(BatchError) {
        let fd = FileNameBytes.withPath(path) { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { throw BatchError.cannotAccess("Cannot create the report file \(path): \(String(cString: strerror(errno))).") }
        self.handle = Lock(FileHandle(fileDescriptor: fd, closeOnDealloc: true))
    }

    /// Appends `entry` as one line; it is in the file when this returns.
    package func write(_ entry: ReportEntry) {
        let line = Data((entry.jsonLine + "\n").utf8)
        handle.withLock { handle in
            handle?.write(line)
        }
    }

    /// Closes the file; later writes are dropped.
    package func close() {
        handle.withLock { handle in
            try? handle?.close()
            handle = nil
        }
    }
}
