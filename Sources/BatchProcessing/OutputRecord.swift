import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FileNames

/// What a folder run remembers about one output it wrote, so that a re-run can tell whether the output is
/// still the one it would make: `OUT/.imgconv-recipes/RELATIVE_OUTPUT_PATH`, one line of JSON.
///
/// The record holds the recipe's fingerprint, the input's relative path, size and modification time (to the
/// nanosecond) when it was read, and the output's device, inode, size and modification time just after it
/// was renamed into place. An output is up to date when all of these still hold. So a changed recipe, a
/// changed or replaced input, an output replaced or edited by anyone (even by a run that was killed before
/// it wrote the new record: the rename gives the output a new inode) all make the output be redone; a
/// missing or unreadable record too.
///
/// One record file per output makes concurrent `--shard` processes into one folder safe: each output, and
/// so each record, has one writer (two processes given the same shard write the same bytes). Records are
/// written atomically (temporary file, then rename), after the output. The folder is hidden, so it is never
/// an input of a later run that reads OUT.
package struct OutputRecord: Sendable, Equatable {
    /// The hidden folder in OUT that holds the records.
    package static let folderName = ".imgconv-recipes"

    package var recipe: String
    package var inputRelativePath: String
    package var input: FileFacts
    package var output: FileFacts

    /// Size, modification time and identity of a file at one moment.
    package struct FileFacts: Sendable, Equatable {
        package var size: Int64
        package var modifiedSeconds: Int
        package var modifiedNanoseconds: Int
        package var device: UInt64
        package var inode: UInt64

        init(_ status: FileStatus) {
            size = status.size
            modifiedSeconds = status.modified.seconds
            modifiedNanoseconds = status.modified.nanoseconds
            device = status.identity.device
            inode = status.identity.inode
        }

        package init(size: Int64, modifiedSeconds: Int, modifiedNanoseconds: Int, device: UInt64, inode: UInt64) {
            self.size = size
            self.modifiedSeconds = modifiedSeconds
            self.modifiedNanoseconds = modifiedNanoseconds
            self.device = device
            self.inode = inode
        }

        /// The same size and modification time; `compareIdentity` also asks for the same device and inode
        /// (for outputs: a rename makes a new inode; inputs may be copied or restored with their times).
        func matches(_ other: FileFacts, compareIdentity: Bool) -> Bool {
            size == other.size && modifiedSeconds == other.modifiedSeconds && modifiedNanoseconds == other.modifiedNanoseconds
                && (!compareIdentity || (device == other.device && inode == other.inode))
        }
    }

    /// Where the record of the output at `outputRelativePath` (relative to `outputRoot`) lives.
    package static func path(outputRoot: String, outputRelativePath: String) -> String {
        PathText.join(PathText.join(outputRoot, folderName), outputRelativePath)
    }

    /// The record as one JSON object (keys `format`, `recipe`, `input`, `input_file`, `output_file`; each
    /// file is `[size, seconds, nanoseconds, device, inode]`), so that any file name fits.
    var text: String {
        let facts = { (f: FileFacts) -> [NSNumber] in
            [NSNumber(value: f.size), NSNumber(value: f.modifiedSeconds), NSNumber(value: f.modifiedNanoseconds),
             NSNumber(value: f.device), NSNumber(value: f.inode)]
        }
        let object: [String: Any] = ["format": "imgconv output record 1", "recipe": recipe, "input": inputRelativePath,
                                     "input_file": facts(input), "output_file": facts(output)]
        // Only strings and numbers: serialization cannot fail.
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    package init(recipe: String, inputRelativePath: String, input: FileFacts, output: FileFacts) {
        self.recipe = recipe
        self.inputRelativePath = inputRelativePath
        self.input = input
        self.output = output
    }

    /// Parses a record's text; nil when it is not one.
    package init?(text: String) {
        func facts(_ value: Any?) -> FileFacts? {
            guard let n = value as? [NSNumber], n.count == 5 else { return nil }
            return FileFacts(size: n[0].int64Value, modifiedSeconds: n[1].intValue, modifiedNanoseconds: n[2].intValue,
                             device: n[3].uint64Value, inode: n[4].uint64Value)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              object["format"] as? String == "imgconv output record 1",
              let recipe = object["recipe"] as? String, let inputPath = object["input"] as? String,
              let input = facts(object["input_file"]), let output = facts(object["output_file"])
        else { return nil }
        self.init(recipe: recipe, inputRelativePath: inputPath, input: input, output: output)
    }

    /// The record at `path`, or nil when there is none or it cannot be read or parsed.
    static func read(at path: String) -> OutputRecord? {
        guard let status = FileStatus(path: path), status.kind == .regularFile, status.size < 64 << 10,
              let data = try? FileContents.read(path, limit: 64 << 10) else { return nil }
        return OutputRecord(text: String(decoding: data, as: UTF8.self))
    }

    /// Whether the output described by this record is the one `recipe` would make from the input now.
    func isCurrent(recipe: Recipe, inputRelativePath: String, input: FileStatus, output: FileStatus) -> Bool {
        self.recipe == recipe.fingerprint && self.inputRelativePath == inputRelativePath
            && self.input.matches(FileFacts(input), compareIdentity: false)
            && self.output.matches(FileFacts(output), compareIdentity: true)
    }

    /// Writes this record to `path` atomically, creating its folders; the temporary file is registered
    /// with `temporaryFiles` while it exists. Throws the system's reason on failure.
    func write(to path: String, temporaryFiles: TemporaryFileRegistry) throws(BatchError) {
        let folder = (path as NSString).deletingLastPathComponent
        try FolderCreation.create(folder)
        let name = PathText.lastComponent(path)
        var template = FileNameBytes.bytes("\(folder)/.\(name).tmp-XXXXXX").map { CChar(bitPattern: $0) } + [0]
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw BatchError.cannotAccess("Cannot write the record \(path): \(systemErrorMessage(errno)).") }
        let temporary = template.withUnsafeBufferPointer { FileNameBytes.text(cString: $0.baseAddress!) }
        temporaryFiles.register(temporary)
        defer { temporaryFiles.unregister(temporary) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let closed = close(fd) == 0
        let renamed = closed && FileNameBytes.withPath(temporary, { from in FileNameBytes.withPath(path) { rename(from, $0) } }) == 0
        guard written == bytes.count, renamed else {
            let reason = systemErrorMessage(errno)
            FileNameBytes.withPath(temporary) { _ = unlink($0) }
            throw BatchError.cannotAccess("Cannot write the record \(path): \(reason).")
        }
    }
}

/// `mkdir -p` that says why it failed.
enum FolderCreation {
    /// Creates `path` and any missing folders above it. Throws "Cannot create the folder X: reason."
    static func create(_ path: String, what: String = "folder") throws(BatchError) {
        if FileStatus(path: path)?.kind == .directory { return }
        var built = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            built += "/" + component
            if FileNameBytes.withPath(built, { mkdir($0, 0o777) }) != 0 && errno != EEXIST {
                throw BatchError.cannotAccess("Cannot create the \(what) \(path): \(systemErrorMessage(errno)).")
            }
        }
        guard FileStatus(path: path)?.kind == .directory else {
            throw BatchError.cannotAccess("Cannot create the \(what) \(path): \(systemErrorMessage(ENOTDIR)).")
        }
    }
}
