#if canImport(Glibc)
import Glibc
#endif
import CodecGuards
import Locking
import FileNames

/// The file an output is written into while it is made, through a ``CodecGuards/cg_sink`` that encoders
/// write to as rows arrive (and ImageWriter, for `.npy` rows at their offsets):
///
/// - a path: a nameless file in the output's folder (`O_TMPFILE`), given the name `.NAME.tmp-XXXXXX` by
///   ``commit()`` (linkat(2)) and renamed over the path at once — the only moment the path changes. So while
///   an output is being made nothing in its folder has its name, and even SIGKILL leaves nothing behind; the
///   named temporary file exists only during the commit, listed in ``inFlight`` so that
///   ``AtomicFile/removeTemporaryFilesInFlight()`` (the signal clean-up) can delete it. Where the file system
///   has no `O_TMPFILE` (NFS, say), the file is `.NAME.tmp-XXXXXX` from the start, listed in ``inFlight``
///   all along, as before.
/// - standard output: a spool file in `$TMPDIR` (or `/tmp`), unlinked as soon as it is created (so nothing
///   can be left behind), copied to standard output by ``commit()``: a failed run writes nothing there.
///
/// ``discard()``, or dropping the object without ``commit()``, removes the temporary file. No fsync: atomic
/// against crashes of this process, not against power loss. `fault` is the test hook (``WriteFault``):
/// `write-byte:N` lets only the first N bytes reach the file, `rename` fails the rename; both clean up as a
/// real failure does. (Standard output takes neither: it has no file of its own.)
final class OutputFile {
    /// The output's name in messages: its path, or "standard output".
    let name: String
    /// Where encoders write. Valid while this object lives.
    let sink: OpaquePointer
    private let fd: Int32
    /// The named temporary file, nil while there is none (a nameless file before commit, a spool).
    private var temporary: String?
    /// A nameless file (O_TMPFILE) that ``commit()`` links into the folder.
    private let nameless: Bool
    private let destination: ImageDestination
    private let fault: WriteFault?
    private var open = true

    /// Temporary files being written right now (between mkstemp and rename or removal).
    static let inFlight = Lock<Set<String>>([])

    init(_ destination: ImageDestination, fault: WriteFault?) throws {
        self.destination = destination
        name = destination.name
        let template: String
        switch destination {
        case .file(let path):
            self.fault = fault?.applying(to: path)
            let (folder, file) = AtomicFile.split(path)
            var info = stat()
            guard FileNameBytes.withPath(folder, { stat($0, &info) }) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                throw ImageCodecError.notFound(path: path, reason: "the output folder \(folder) does not exist")
            }
            template = "\(folder)/.\(file).tmp-XXXXXX"
        case .standardOutput:
            self.fault = nil
            let folder = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            template = "\(folder)/.imgconv-stdout.tmp-XXXXXX"
        }
        let folder = AtomicFile.split(template).folder
        var fd = FileNameBytes.withPath(folder) { Glibc.open($0, Self.openTmpfile | O_RDWR | O_CLOEXEC, 0o644) }
        nameless = fd >= 0
        if nameless {
            temporary = nil
        } else {
            var bytes = FileNameBytes.bytes(template).map { CChar(bitPattern: $0) } + [0]
            fd = bytes.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else { throw ImageCodecError.cannotWrite(path: name, reason: "cannot create a file in \(folder): \(errorText())") }
            let created = bytes.withUnsafeBufferPointer { FileNameBytes.text(cString: $0.baseAddress!) }
            if case .file = destination {
                _ = Self.inFlight.withLock { $0.insert(created) }
                temporary = created
            } else {
                FileNameBytes.withPath(created) { _ = unlink($0) }  // a spool nobody else needs to see: gone with the descriptor
                temporary = nil
            }
        }
        self.fd = fd
        var failAt: Int64 = -1
        if case .writeByte(let n)? = self.fault?.stage { failAt = Int64(n) }
        guard let sink = cg_sink_new(fd, failAt) else {
            close(fd)
            if let temporary { FileNameBytes.withPath(temporary) { _ = unlink($0) }; _ = Self.inFlight.withLock { $0.remove(temporary) } }
            throw ImageCodecError.outOfMemory(path: name)
        }
        self.sink = sink
    }

    deinit {
        discard()
        cg_sink_free(sink)
    }

    /// The bytes in the file so far (what reached it: the sink's buffer not counted). For tests.
    var size: Int {
        var info = stat()
        return fstat(fd, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Appends `bytes` (buffered).
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if bytes.isEmpty { return }
        if cg_sink_write(sink, bytes.baseAddress, bytes.count) != 0 { throw failure(orElse: nil) }
    }

    /// Writes `bytes` at `offset` (pwrite).
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        if bytes.isEmpty { return }
        if cg_sink_pwrite(sink, bytes.baseAddress, bytes.count, UInt64(offset)) != 0 { throw failure(orElse: nil) }
    }

    /// The sink's own failure (the byte fault, a failed write) when it has one, else `codecError`: what an
    /// encoder that failed while writing should throw.
    func failure(orElse codecError: ImageCodecError?) -> ImageCodecError {
        if cg_sink_fault_hit(sink) != 0, let fault {
            return fault.error(path: name, "cannot write after \(cg_sink_written(sink)) bytes")
        }
        let code = cg_sink_errno(sink)
        if code != 0 { return ImageCodecError.cannotWrite(path: name, reason: "cannot write: \(String(cString: strerror(code)))") }
        return codecError ?? ImageCodecError.cannotWrite(path: name, reason: "cannot write")
    }

    /// Flushes and puts the file in place: renames it over the path, or copies the spool to standard output.
    /// On failure the temporary file is removed.
    func commit() throws {
        precondition(open, "\(name): committed or discarded already")
        do {
            if cg_sink_flush(sink) != 0 { throw failure(orElse: nil) }
            switch destination {
            case .file(let path):
                fchmod(fd, 0o644)
                if nameless { try giveTemporaryName(path) }
                open = false
                let closed = close(fd)  // once only: a second close could close another thread's new descriptor
                guard closed == 0 else { throw ImageCodecError.cannotWrite(path: path, reason: "cannot write: \(errorText())") }
                if let fault, fault.stage == .rename { throw fault.error(path: path, "cannot replace the file") }
                guard FileNameBytes.withPath(temporary!, { from in FileNameBytes.withPath(path) { rename(from, $0) } }) == 0 else { throw ImageCodecError.cannotWrite(path: path, reason: "cannot replace the file: \(errorText())") }
                _ = Self.inFlight.withLock { $0.remove(temporary!) }
            case .standardOutput:
                try copy(to: 1)
                open = false
                close(fd)
            }
        } catch {
            discard()
            throw error
        }
    }

    /// Ends a standard-output spool without copying it anywhere and returns its bytes (an encode to memory).
    func commitToMemory() throws -> [UInt8] {
        precondition(open, "\(name): committed or discarded already")
        guard case .standardOutput = destination else { preconditionFailure("only a spool can be read back") }
        do {
            if cg_sink_flush(sink) != 0 { throw failure(orElse: nil) }
            var bytes = [UInt8](repeating: 0, count: size)
            var offset = 0
            try bytes.withUnsafeMutableBytes { raw in
                while offset < raw.count {
                    let n = pread(fd, raw.baseAddress! + offset, raw.count - offset, off_t(offset))
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { throw ImageCodecError.cannotWrite(path: name, reason: "cannot read the encoded bytes back: \(errorText())") }
                    offset += n
                }
            }
            open = false
            close(fd)
            return bytes
        } catch {
            discard()
            throw error
        }
    }

    /// `open(2)`'s O_TMPFILE (Linux: 020000000 with O_DIRECTORY), which Swift does not import.
    private static let openTmpfile = Int32(0o20000000) | O_DIRECTORY

    /// Gives the nameless file its temporary name `.NAME.tmp-XXXXXX` beside `path` (listed in ``inFlight``),
    /// through /proc/self/fd as open(2) describes; a name taken already is drawn again. Without /proc, the
    /// contents are copied into a new named temporary file instead.
    private func giveTemporaryName(_ path: String) throws {
        let (folder, file) = AtomicFile.split(path)
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        for _ in 0..<100 {
            let suffix = String((0..<6).map { _ in letters.randomElement()! })
            let name = "\(folder)/.\(file).tmp-\(suffix)"
            _ = Self.inFlight.withLock { $0.insert(name) }
            temporary = name  // from here on, discard() removes it
            if FileNameBytes.withPath(name, { linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, $0, AT_SYMLINK_FOLLOW) }) == 0 { return }
            let code = errno
            _ = Self.inFlight.withLock { $0.remove(name) }
            temporary = nil
            if code == ENOENT { return try copyIntoNamedFile(folder: folder, file: file, path: path) }
            guard code == EEXIST else {
                throw ImageCodecError.cannotWrite(path: path, reason: "cannot create a file in \(folder): \(String(cString: strerror(code)))")
            }
        }
        throw ImageCodecError.cannotWrite(path: path, reason: "cannot create a file in \(folder): every temporary name is taken")
    }

    private func copyIntoNamedFile(folder: String, file: String, path: String) throws {
        var bytes = FileNameBytes.bytes("\(folder)/.\(file).tmp-XXXXXX").map { CChar(bitPattern: $0) } + [0]
        let target = bytes.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard target >= 0 else { throw ImageCodecError.cannotWrite(path: path, reason: "cannot create a file in \(folder): \(errorText())") }
        let name = bytes.withUnsafeBufferPointer { FileNameBytes.text(cString: $0.baseAddress!) }
        _ = Self.inFlight.withLock { $0.insert(name) }
        temporary = name
        defer { close(target) }
        fchmod(target, 0o644)
        try copy(to: target)
    }

    /// Removes the temporary file (nothing at the destination changes). Safe to call more than once.
    func discard() {
        if open {
            open = false
            close(fd)
        }
        if let temporary, Self.inFlight.withLock({ $0.remove(temporary) }) != nil { FileNameBytes.withPath(temporary) { _ = unlink($0) } }
    }

    /// Copies the file's contents to `target` (standard output, or a named temporary file).
    private func copy(to target: Int32) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        try buffer.withUnsafeMutableBytes { raw in
            while true {
                let n = pread(fd, raw.baseAddress!, raw.count, offset)
                if n < 0 && errno == EINTR { continue }
                guard n >= 0 else { throw ImageCodecError.cannotWrite(path: name, reason: "cannot write: \(errorText())") }
                if n == 0 { return }
                var done = 0
                while done < n {
                    let m = Glibc.write(target, raw.baseAddress! + done, n - done)
                    if m < 0 && errno == EINTR { continue }
                    guard m > 0 else { throw ImageCodecError.cannotWrite(path: name, reason: "cannot write: \(errorText())") }
                    done += m
                }
                offset += off_t(n)
            }
        }
    }
}

private func errorText() -> String { String(cString: strerror(errno)) }
