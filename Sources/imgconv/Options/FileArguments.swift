import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import BatchProcessing

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

    /// Refuses a command line whose IN or OUT is not valid UTF-8: Swift would turn the invalid bytes into
    /// U+FFFD and open, or create, a file of another name.
    func validate() throws {
        for raw in CommandLine.rawArguments {
            guard FileNameBytes.validText(raw) == nil else { continue }
            let repaired = String(decoding: raw, as: UTF8.self)
            if repaired == input || repaired == output || more.contains(repaired) {
                throw ValidationError("\(FileNameBytes.escaped(raw)): the name is not valid UTF-8 (shown with \\xNN escapes); imgconv cannot open or create it. Rename it.")
            }
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
