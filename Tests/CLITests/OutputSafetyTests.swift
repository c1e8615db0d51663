#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// Outputs that cannot be written: each run must end in exit 1 with one line naming the output and the
/// reason, leave the input byte for byte as it was, and leave no output and no `.NAME.tmp-*` file.
@Suite(.serialized) struct OutputSafetyTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples/skimage_chelsea.png").path

    /// A folder holding a copy of the sample image, removed afterwards.
    struct Workspace {
        let folder: String
        let input: String
        let original: Data
        init() throws {
            folder = try CLI.temporaryFolder().path
            input = folder + "/in.png"
            try FileManager.default.copyItem(atPath: OutputSafetyTests.sample, toPath: input)
            original = try Data(contentsOf: URL(fileURLWithPath: input))
        }
        func cleanup() { try? FileManager.default.removeItem(atPath: folder) }

        /// Runs `arguments` and checks the rules above for `output`.
        func expectRefused(_ arguments: [String], output: String, saying reason: String,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
            let r = try BoundedRun.run(arguments, timeout: 60, logFolder: folder)
            #expect(r.exitStatus == 1, "\(r)", sourceLocation: sourceLocation)
            #expect(r.stderrLines.count == 1 && r.stderr.contains(reason), "\(r)", sourceLocation: sourceLocation)
            #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == original, "the input changed", sourceLocation: sourceLocation)
            let outFolder = URL(fileURLWithPath: output).deletingLastPathComponent().path
            #expect(temporaryFilesLeft(in: outFolder).isEmpty, "temporary file left in \(outFolder)", sourceLocation: sourceLocation)
            if output != input {
                #expect(!FileManager.default.fileExists(atPath: output), "partial output left", sourceLocation: sourceLocation)
            }
        }
    }

    /// Mounts a tmpfs of `size` at a new folder (root only; nil when mounting is not possible here).
    static func mountTmpfs(options: String) -> String? {
        guard geteuid() == 0, let folder = try? CLI.temporaryFolder().path else { return nil }
        guard run("/bin/mount", ["-t", "tmpfs", "-o", options, "tmpfs", folder]) == 0 else {
            try? FileManager.default.removeItem(atPath: folder)
            return nil
        }
        return folder
    }

    /// Whether this machine lets the tests mount a small tmpfs (root and a kernel that allows it): probed once.
    static let canMountTmpfs: Bool = {
        guard let folder = mountTmpfs(options: "size=64k") else { return false }
        unmount(folder)
        return true
    }()

    static func unmount(_ folder: String) {
        _ = run("/bin/umount", [folder])
        try? FileManager.default.removeItem(atPath: folder)
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    @Test func outputInAFolderThatDoesNotExist() throws {
        let w = try Workspace()
        defer { w.cleanup() }
        let output = w.folder + "/missing/out.png"
        try w.expectRefused(["convert", w.input, output], output: output, saying: "the output folder \(w.folder)/missing does not exist")
        try w.expectRefused(["blur", w.input, output], output: output, saying: "does not exist")
    }

    @Test func outputEqualToTheInput() throws {
        let w = try Workspace()
        defer { w.cleanup() }
        try w.expectRefused(["convert", w.input, w.input], output: w.input, saying: "output is the same file as the input")
        // Another spelling of the same path, and a hard link to it.
        let spelled = w.folder + "/../" + URL(fileURLWithPath: w.folder).lastPathComponent + "/./in.png"
        try w.expectRefused(["blur", w.input, spelled], output: w.input, saying: "output is the same file as the input")
        let link = w.folder + "/link.png"
        try #require(Glibc.link(w.input, link) == 0)
        try w.expectRefused(["sharpen", w.input, link], output: w.input, saying: "output is the same file as the input")
    }

    @Test(.enabled(if: geteuid() != 0 || OutputSafetyTests.canMountTmpfs,
                   "as root the read-only folder must be a read-only tmpfs, and mounting one (mount -t tmpfs) fails here"))
    func readOnlyOutputFolder() throws {
        let w = try Workspace()
        defer { w.cleanup() }
        // Root ignores permission bits, so as root the folder is a read-only tmpfs instead.
        let folder: String
        if geteuid() == 0 {
            folder = try #require(Self.mountTmpfs(options: "ro,size=64k"), "a read-write tmpfs mounts here but a read-only one does not")
        } else {
            folder = w.folder + "/readonly"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o555])
        }
        defer { if geteuid() == 0 { Self.unmount(folder) } }
        let output = folder + "/out.png"
        try w.expectRefused(["convert", w.input, output], output: output, saying: "cannot create a file in \(folder)")
        try w.expectRefused(["blur", w.input, output], output: output, saying: "cannot create a file in \(folder)")
    }

    @Test(.enabled(if: OutputSafetyTests.canMountTmpfs, "the full disk is a 64 KiB tmpfs, and mounting one needs root (mount -t tmpfs -o size=64k)"))
    func fullDisk() throws {
        let w = try Workspace()
        defer { w.cleanup() }
        let folder = try #require(Self.mountTmpfs(options: "size=64k"))
        defer { Self.unmount(folder) }
        // The sample as Float32 .npy is about 1.6 MB: far more than the 64 KiB the disk holds.
        let output = folder + "/out.npy"
        try w.expectRefused(["convert", w.input, output], output: output, saying: "No space left on device")
        try w.expectRefused(["blur", w.input, output], output: output, saying: "No space left on device")
        // The disk is empty again: nothing of the failed writes stayed.
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? ["?"]).isEmpty)
    }
}
