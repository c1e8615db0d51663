#if canImport(Glibc)
import Glibc
#endif

/// A file's bytes in one allocation that libpng and libjpeg may point into for as long as a decoder lives:
/// read straight from a descriptor (standard input; files used whole) or copied once from an array, freed
/// with the last owner. Image files are not read whole: see ``InputFile``.
final class FileBytes {
    private var buffer: UnsafeMutableBufferPointer<UInt8>
    /// The bytes; valid only while this object lives, so whoever keeps the pointer keeps the object
    /// (a decoder stores it; a caller that copies wraps the copy in `withExtendedLifetime`).
    private(set) var bytes: UnsafeBufferPointer<UInt8>

    init(_ array: [UInt8]) {
        buffer = .allocate(capacity: max(array.count, 1))
        _ = buffer.initialize(from: array)
        bytes = UnsafeBufferPointer(rebasing: buffer[0..<array.count])
    }

    /// The whole file at `path`, for the files that are used whole and not decoded as images (`.npy` weights
    /// and biases, kernel files; through ``AtomicFile/read(_:)``): opened and checked as ``InputFile`` opens
    /// images (only a regular file, without blocking), at most ``AtomicFile/maxReadBytes``.
    /// (Standard input, which may be a pipe, is read with ``init(descriptor:name:refusingTerminal:)``.)
    convenience init(reading path: String) throws {
        let (fd, _) = try InputFile.openRegularFile(path)
        defer { close(fd) }
        try self.init(descriptor: fd, name: path)
    }

    /// Everything left to read from the open descriptor `fd` (not closed here), checked as for a path;
    /// `name` names it in errors. With `refusingTerminal`, a terminal is refused (nobody types an image).
    init(descriptor fd: Int32, name path: String, refusingTerminal: Bool = false) throws {
        if refusingTerminal && isatty(fd) == 1 {
            throw ImageCodecError.cannotRead(path: path, reason: "is a terminal; pipe an image into it (cat photo.png | imgconv …)")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ImageCodecError.cannotRead(path: path, reason: "cannot read: \(FileBytes.errorText())") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw ImageCodecError.cannotRead(path: path, reason: "is a folder, not a file") }
        if (info.st_mode & S_IFMT) == S_IFCHR || (info.st_mode & S_IFMT) == S_IFBLK {
            throw ImageCodecError.cannotRead(path: path, reason: "is a device, not a file")
        }
        let tooLarge = InputFile.tooLarge(path)
        // The stated size plus one byte, to see the end without a second buffer; pipes and growing files grow it.
        let stated = max(Int(info.st_size), 0)
        guard stated <= AtomicFile.maxReadBytes else { throw tooLarge }
        buffer = .allocate(capacity: stated + 1)
        bytes = UnsafeBufferPointer(start: buffer.baseAddress, count: 0)
        // Every property is set: from here on a throw runs deinit, which frees `buffer`.
        var count = 0
        while true {
            if count == buffer.count {
                guard count < AtomicFile.maxReadBytes else { throw tooLarge }
                let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: min(max(2 * count, 1 << 16), AtomicFile.maxReadBytes + 1))
                larger.baseAddress!.moveInitialize(from: buffer.baseAddress!, count: count)
                buffer.deallocate()
                buffer = larger
            }
            let n = Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw ImageCodecError.cannotRead(path: path, reason: "cannot read: \(FileBytes.errorText())") }
            if n == 0 { break }
            count += n
        }
        guard count <= AtomicFile.maxReadBytes else { throw tooLarge }
        bytes = UnsafeBufferPointer(rebasing: buffer[0..<count])
    }

    deinit { buffer.deallocate() }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
