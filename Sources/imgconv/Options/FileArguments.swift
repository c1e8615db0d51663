import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import BatchProcessing

/// IN and OUT: two files, or two folders for a batch run.
struct FileArguments: ParsableArguments {
    @Argument(help: "Input image (PNG or JPEG, recognised by content) or .npy tensor; or a folder of them.")
    var input: String

    @Argument(help: "Output file (.png, .jpg/.jpeg or .npy: the extension picks the format); or a folder when IN is one.")
    var output: String

    /// Refuses a command line whose IN or OUT is not valid UTF-8: Swift would turn the invalid bytes into
    /// U+FFFD and open, or create, a file of another name.
    func validate() throws {
        for raw in CommandLine.rawArguments {
            guard FileNameBytes.validText(raw) == nil else { continue }
            let repaired = String(decoding: raw, as: UTF8.self)
            if repaired == input || repaired == output {
                throw ValidationError("\(FileNameBytes.escaped(raw)): the name is not valid UTF-8 (shown with \\xNN escapes); imgconv cannot open or create it. Rename it.")
            }
        }
    }
}

extension CommandLine {
    /// The arguments as the bytes the process received, without Swift's repair of invalid UTF-8.
    static var rawArguments: [[UInt8]] {
        (0..<Int(argc)).compactMap { index in
            unsafeArgv[index].map { pointer in
                Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
            }
        }
    }
}
