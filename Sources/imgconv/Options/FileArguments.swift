import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import BatchProcessing
import FileNames

/// IN and OUT: two files, or two folders for a batch run; with more paths (mogrify-style), several input
/// files and, last, the output folder.
struct FileArguments: ParsableArguments {
    @Argument(help: ArgumentHelp(FileOperands.inputHelp, valueName: "input"), completion: .file())
    var input: String

    @Argument(help: ArgumentHelp(FileOperands.outputHelp, valueName: "output"), completion: .file())
    var output: String

    @Argument(help: ArgumentHelp("More inputs: with more than two paths, all but the last are input files and the last is the output folder (created if missing), as in imgconv blur a.jpg b.jpg c.png outdir/. Each output is named after its input.", valueName: "more"),
              completion: .file())
    var more: [String] = []

    var operands: FileOperands {
        guard let last = more.last else { return FileOperands(inputs: [input], output: output) }
        return FileOperands(inputs: [input, output] + more.dropLast(), output: last)
    }

    /// Takes a path that is not valid UTF-8 by its bytes: the argument parser repairs such an argument (U+FFFD
    /// for each invalid byte), which would open or create a file of another name, so each such IN or OUT is
    /// replaced by the lossless text of the bytes the process received (``FileNameBytes``).
    mutating func validate() throws {
        for raw in CommandLine.rawArguments {
            let repaired = String(decoding: raw, as: UTF8.self), lossless = FileNameBytes.text(raw)
            guard lossless != repaired else { continue }
            if input == repaired { input = lossless }
            if output == repaired { output = lossless }
            more = more.map { $0 == repaired ? lossless : $0 }
        }
    }
}

/// IN and OUT alone, for a command whose own words follow them (pipeline's steps).
struct TwoFileArguments: ParsableArguments {
    @Argument(help: ArgumentHelp(FileOperands.inputHelp, valueName: "input"), completion: .file())
    var input: String

    @Argument(help: ArgumentHelp(FileOperands.outputHelp, valueName: "output"), completion: .file())
    var output: String

    var operands: FileOperands { FileOperands(inputs: [input], output: output) }
}

/// The paths a file command was given: one input (a file, a folder or `-`) and its output, or several input files
/// and an output folder.
struct FileOperands {
    var inputs: [String]
    var output: String

    var input: String { inputs[0] }
    var hasSeveralInputs: Bool { inputs.count > 1 }

    static let inputHelp = "Input image (PNG or JPEG, recognised by content), .npy tensor or .txt/.csv grid, - for standard input; or a folder of images and .npy tensors."
    static let outputHelp = "Output file (.png, .jpg/.jpeg, .npy, .txt or .csv: the extension picks the format), - for standard output (with --format); or a folder when IN is one."
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
