#if canImport(Glibc)
import Glibc
#endif
import CodecGuards
import Locking

/// The file an output is written into while it is made, through a ``CodecGuards/cg_sink`` that encoders
/// write to as rows arrive (and ImageWriter, for `.npy` rows at their offsets):
///
/// - a path: a temporary file `.NAME.tmp-XXXXXX` created beside it (mode 0644), renamed over the path by
///   ``commit()`` — the only moment the path changes. Until then it is listed in ``inFlight``, so that
///   ``AtomicFile/removeTemporaryFilesInFlight()`` (the signal clean-up) can delete it.
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
    private let temporary: String?
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
            guard stat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                throw ImageCodecError(path: path, reason: "the output folder \(folder) does not exist")
            }
            template = "\(folder)/.\(file).tmp-XXXXXX"
        case .standardOutput:
            self.fault = nil
            let folder = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            template = "\(folder)/.imgconv-stdout.tmp-XXXXXX"
        }
        var bytes = Array(template.utf8CString)
        let fd = bytes.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        let folder = AtomicFile.split(template).folder
        guard fd >= 0 else { throw ImageCodecError(path: name, reason: "cannot create a file in \(folder): \(errorText())") }
        let created = bytes.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        if case .file = destination {
            _ = Self.inFlight.withLock { $0.insert(created) }
            temporary = created
        } else {
            unlink(created)  // a spool nobody else needs to see: gone with the descriptor
            temporary = nil
        }
        self.fd = fd
        var failAt: Int64 = -1
        if case .writeByte(let n)? = self.fault?.stage { failAt = Int64(n) }
        guard let sink = cg_sink_new(fd, failAt) else {
            close(fd)
            if let temporary { unlink(temporary); _ = Self.inFlight.withLock { $0.remove(temporary) } }
            throw ImageCodecError(path: name, reason: "out of memory")
        }
        self.sink = sink
    }

    deinit {
        discard()
        cg_sink_free(sink)
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
        if code != 0 { return ImageCodecError(path: name, reason: "cannot write: \(String(cString: strerror(code)))") }
        return codecError ?? ImageCodecError(path: name, reason: "cannot write")
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
                open = false
                let closed = close(fd)  // once only: a second close could close another thread's new descriptor
                guard closed == 0 else { throw ImageCodecError(path: path, reason: "cannot write: \(errorText())") }
                if let fault, fault.stage == .rename { throw fault.error(path: path, "cannot replace the file") }
                guard rename(temporary!, path) == 0 else { throw ImageCodecError(path: path, reason: "cannot replace the file: \(errorText())") }
                _ = Self.inFlight.withLock { $0.remove(temporary!) }
            case .standardOutput:
                try copySpoolToStandardOutput()
                open = false
                close(fd)
            }
        } catch {
            discard()
            throw error
        }
    }

    /// Removes the temporary file (nothing at the destination changes). Safe to call more than once.
    func discard() {
        if open {
            open = false
            close(fd)
        }
        if let temporary, Self.inFlight.withLock({ $0.remove(temporary) }) != nil { unlink(temporary) }
    }

    private func copySpoolToStandardOutput() throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        try buffer.withUnsafeMutableBytes { raw in
            while true {
                let n = pread(fd, raw.baseAddress!, raw.count, offset)
                if n < 0 && errno == EINTR { continue }
                guard n >= 0 else { throw ImageCodecError(path: name, reason: "cannot write: \(errorText())") }
                if n == 0 { return }
                var done = 0
                while done < n {
                    let m = Glibc.write(1, raw.baseAddress! + done, n - done)
                    if m < 0 && errno == EINTR { continue }
                    guard m > 0 else { throw ImageCodecError(path: name, reason: "cannot write: \(errorText())") }
                    done += m
                }
                offset += off_t(n)
            }
        }
    }

}

private func errorText() -> String { String(cString: strerror(errno)) }
