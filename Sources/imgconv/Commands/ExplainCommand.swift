import ArgumentParser
import Foundation
import ImageFilters
import TensorEngine

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Work a small convolution or pooling by hand: padded input, kernel, output, and one sum written out.",
        discussion: """
        The output is computed by the same engine as every other command; the written-out sum reads the \
        same padded values. Rows and columns count from 0.

        Examples:
          imgconv explain --input "1 2 3 0 1; 0 1 5 1 0; 1 0 2 2 1; 1 1 2 0 0; 1 0 1 1 1" --kernel "1 0 1; 0 1 0; 1 0 1"
          imgconv explain --input "0 0 0; 0 0.3 0.5; 0 0.8 1" --kernel "1 2 3; 4 5 6; 7 8 9"
          imgconv explain --input-file m.txt --kernel "1 1; 1 1" --stride 2 --padding 1 --padding-mode reflect --at 1,2
          imgconv explain --input-file m.txt --pool max --kernel-size 2
        """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("The input matrix as rows: \"1 2 3; 4 5 6\".", valueName: "ROWS"))
    var input: String?

    @Option(help: ArgumentHelp("The input matrix from a text or CSV file.", valueName: "FILE"), completion: .file())
    var inputFile: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The kernel as rows.", valueName: "ROWS"))
    var kernel: String?

    @Option(help: ArgumentHelp("The kernel from a file.", valueName: "FILE"), completion: .file())
    var kernelFile: String?

    @Option(help: ArgumentHelp("Pooling instead of a kernel: max or avg (with --kernel-size).", valueName: "max|avg"))
    var pool: String?

    @Option(help: ArgumentHelp("Pooling window: N or H,W.", valueName: "K"))
    var kernelSize: Pair?

    @Option(help: ArgumentHelp("Default 1 for convolution, the window for pooling.", valueName: "S"))
    var stride: Pair?

    @Option(help: ArgumentHelp("N, H,W, same or valid (default 0).", valueName: "P"))
    var padding: PaddingSpec = .explicit(Pair(0))

    @Option(help: ArgumentHelp("Default zeros (−∞ for max pooling). " + GeometryHelp.paddingModes, valueName: "MODE"))
    var paddingMode: PaddingMode?

    @Option(help: ArgumentHelp(GeometryHelp.dilation, valueName: "D"))
    var dilation: Pair = Pair(1)

    @Option(help: ArgumentHelp("The output element whose sum is written out (default 0,0).", valueName: "ROW,COL"))
    var at: GridPosition?

    func validate() throws {
        guard (input == nil) != (inputFile == nil) else { throw ValidationError("Give the matrix with --input or --input-file.") }
        let kernels = [kernel, kernelFile].compactMap { $0 }.count
        if pool == nil {
            guard kernels == 1 else { throw ValidationError("Give --kernel or --kernel-file, or --pool max|avg with --kernel-size.") }
        } else {
            guard pool == "max" || pool == "avg" else { throw ValidationError("--pool takes max or avg, not '\(pool!)'.") }
            guard kernels == 0, kernelSize != nil else { throw ValidationError("Pooling takes --kernel-size, not a kernel.") }
        }
    }

    func run() throws {
        try Diagnostics.exitingOnFailure {
            let matrix = try Self.matrix(text: input, file: inputFile)
            let operation: Explanation.Operation
            switch pool {
            case "max": operation = .maxPool(kernel: kernelSize!)
            case "avg": operation = .averagePool(kernel: kernelSize!)
            default: operation = .convolution(try Self.matrix(text: kernel, file: kernelFile))
            }
            let explanation = Explanation(input: matrix, operation: operation, stride: stride, padding: padding,
                                          paddingMode: paddingMode, dilation: dilation)
            print(try explanation.render(at: (at?.row ?? 0, at?.column ?? 0)))
        }
    }

    static func matrix(text: String?, file: String?) throws -> Kernel {
        if let text { return try KernelParser.parse(text).kernel }
        let contents = try String(contentsOfFile: file!, encoding: .utf8)
        do {
            return try KernelParser.parse(contents).kernel
        } catch {
            throw ValidationError("\(file!): \(error)")
        }
    }
}
