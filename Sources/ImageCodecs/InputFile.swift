#if canImport(Glibc)
import Glibc
#endif
import CodecGuards
import FileNames

/// An input's bytes, read where they lie: a regular file is kept open and read with pread(2) at any offset,
/// by as many readers as like and as often (a job may read the header once and decode twice), never loaded
/// whole, so memory does not grow with the file; standard input (a pipe can be read only once, front to back)
/// and bytes given in memory are held whole (``FileBytes``).
///
/// Decoders see it as a ``CodecGuards/cg_input`` (libpng and libjpeg read it through a 64 KiB window of their
/// own); the metadata scanners and the `.npy` reader read the ranges they need.
final class InputFile: @unchecked Sendable {
    private enum Storage {
        case memory(FileBytes)
        case descriptor(Int32)
    }

    private let storage: Storage
    /// The size: of the bytes in memory, or the file's size when it was opened.
    let count: Int

    /// Opens the regular file at `path` (refusing anything else without blocking, see ``openRegularFile(_:)``).
    init(path: String) throws {
        let (fd, info) = try Self.openRegularFile(path)
        let size = max(Int(info.st_size), 0)
        guard size <= AtomicFile.maxReadBytes else {
            close(fd)
            throw Self.tooLarge(path)
        }
        storage = .descriptor(fd)
        count = size
    }

    /// Bytes already read whole (standard input, or an array).
    init(_ bytes: FileBytes) {
        storage = .memory(bytes)
        count = bytes.bytes.count
    }

    deinit {
        if case .descriptor(let fd) = storage { close(fd) }
    }

    /// Up to `count` bytes from `offset` (fewer at the end of the file). Throws only when the file cannot be read.
    func bytes(at offset: Int, count wanted: Int, name: String) throws -> [UInt8] {
        let n = max(0, min(wanted, count - offset))
        guard n > 0 else { return [] }
        return try [UInt8](unsafeUninitializedCapacity: n) { out, initialized in
            initialized = try read(into: UnsafeMutableRawBufferPointer(out), at: offset, name: name)
        }
    }

    /// Reads `buffer.count` bytes from `offset` into `buffer`; returns how many there were (fewer at the end).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int, name: String) throws -> Int {
        switch storage {
        case .memory(let file):
            let n = max(0, min(buffer.count, file.bytes.count - offset))
            if n > 0 { buffer.baseAddress!.copyMemory(from: file.bytes.baseAddress! + offset, byteCount: n) }
            return n
        case .descriptor(let fd):
            var done = 0
            while done < buffer.count {
                let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
                if n < 0 && errno == EINTR { continue }
                guard n >= 0 else { throw ImageCodecError.system("cannot read", path: name, errno: errno) }
                if n == 0 { break }
                done += n
            }
            return done
        }
    }

    /// Up to `count` bytes from `offset`, or what there is; for the lenient scanners (a read error is an end).
    func bytes(at offset: Int, count: Int) -> [UInt8] {
        (try? bytes(at: offset, count: count, name: "")) ?? []
    }

    /// The whole contents (for text grids, which are parsed whole).
    func all(name: String) throws -> [UInt8] {
        try bytes(at: 0, count: count, name: name)
    }

    /// What the C readers take. Memory stays valid while this object lives: decoders keep it.
    var cInput: cg_input {
        switch storage {
        case .memory(let file):
            return cg_input(data: file.bytes.baseAddress, size: file.bytes.count, fd: -1, limit: 0)
        case .descriptor(let fd):
            return cg_input(data: nil, size: 0, fd: fd, limit: UInt64(AtomicFile.maxReadBytes))
        }
    }

    /// Opens `path` for reading, refusing anything but a regular file without blocking: a FIFO would block
    /// open(2) until a writer came, a device such as `/dev/zero` would never end. The file is opened with
    /// `O_NONBLOCK` (which changes nothing for a regular file) and checked with fstat(2) before one byte is
    /// read. The caller closes the descriptor.
    static func openRegularFile(_ path: String) throws -> (Int32, stat) {
        let fd = FileNameBytes.withPath(path) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { throw ImageCodecError.system("cannot open", path: path, errno: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ImageCodecError.cannotRead(path: path, reason: "cannot read: \(reason)")
        }
        let refusal: String?
        switch info.st_mode & S_IFMT {
        case S_IFREG: refusal = nil
        case S_IFDIR: refusal = "is a folder, not a file"
        case S_IFCHR, S_IFBLK: refusal = "is a device, not a file"
        case S_IFIFO: refusal = "is a FIFO (named pipe), not a regular file"
        default: refusal = "is not a regular file"
        }
        if let refusal {
            close(fd)
            throw ImageCodecError.cannotRead(path: path, reason: refusal)
        }
        return (fd, info)
    }

    static func tooLarge(_ path: String) -> ImageCodecError {
        ImageCodecError.limitExceeded(path: path, limit: .fileSize, reason: "is larger than \(AtomicFile.maxReadBytes >> 30) GiB, more than any image or tensor imgconv reads")
    }
}
