import ArgumentParser
import Foundation
import ImageCodecs
import ImageFilters
import ImagePipeline
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
          imgconv explain --input-file m.csv --pool avg --kernel-size 2 --padding 1 --ceil-mode --no-count-include-pad --all
          imgconv explain --input "1 2 3 0 1; 0 1 5 1 0; 1 0 2 2 1; 1 1 2 0 0; 1 0 1 1 1" --kernel sobel-x --flip --bias=-1 --at 0,0 --at 2,2
        """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("The input matrix as rows: \"1 2 3; 4 5 6\" (rows split by ; or newlines, values by spaces or commas).", valueName: "ROWS"))
    var input: String?

    @Option(help: ArgumentHelp("The input matrix from a file: a .txt/.csv text grid, a 2-D .npy, or a one-channel image (values in [0, 1]).", valueName: "FILE"), completion: .file())
    var inputFile: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The kernel as rows, or a name from `imgconv kernels` (sobel-x, gaussian:1, box:3, …).", valueName: "ROWS|NAME"))
    var kernel: String?

    @Option(help: ArgumentHelp("The kernel from a file: text rows, a libvips matrix, a 2-D .npy or a gray image.", valueName: "FILE"), completion: .file())
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

    @Option(parsing: .unconditional, help: ArgumentHelp("Convolution: a number added to every output (nn.Conv2d's bias), e.g. --bias -0.5.", valueName: "B"),
            transform: NumberArgument.float)
    var bias: Float?

    @Flag(help: "Convolution: rotate the kernel by 180° (true convolution; PyTorch correlates).")
    var flip = false

    @Flag(help: "Pooling: round the output size up (PyTorch's ceil_mode).")
    var ceilMode = false

    @Flag(help: "Average pooling: divide by the cells inside the input only (count_include_pad=False).")
    var noCountIncludePad = false

    @Option(help: ArgumentHelp("An output element whose sum is written out (default 0,0); repeat for several.", valueName: "ROW,COL"))
    var at: [GridPosition] = []

    @Flag(help: "Write out the sum of every output element, row by row.")
    var all = false

    func validate() throws {
        guard (input == nil) != (inputFile == nil) else { throw ValidationError("Give the matrix with --input or --input-file.") }
        let kernels = [kernel, kernelFile].compactMap { $0 }.count
        if pool == nil {
            guard kernels == 1 else { throw ValidationError("Give --kernel or --kernel-file, or --pool max|avg with --kernel-size.") }
            if ceilMode || noCountIncludePad { throw ValidationError("--ceil-mode and --no-count-include-pad go with --pool.") }
        } else {
            guard pool == "max" || pool == "avg" else { throw ValidationError("--pool takes max or avg, not '\(pool!)'.") }
            guard kernels == 0, kernelSize != nil else { throw ValidationError("Pooling takes --kernel-size, not a kernel.") }
            if bias != nil || flip { throw ValidationError("--bias and --flip go with a kernel, not with --pool.") }
            if noCountIncludePad && pool == "max" { throw ValidationError("--no-count-include-pad goes with --pool avg.") }
        }
        if let bias, !bias.isFinite { throw ValidationError("--bias must be a finite number.") }
        if all && !at.isEmpty { throw ValidationError("Give --at or --all, not both.") }
    }

    func run() throws {
        try Diagnostics.validatingOptions {
            let matrix = try Self.inputMatrix(text: input, file: inputFile)
            let operation: Explanation.Operation
            switch pool {
            case "max": operation = .maxPool(kernel: kernelSize!)
            case "avg": operation = .averagePool(kernel: kernelSize!)
            default:
                let parsed = try kernel.map { try KernelParser.parse($0) } ?? KernelFile.read(kernelFile!)
                operation = .convolution(try parsed.kernel.divided(by: parsed.divisor))
            }
            let explanation = Explanation(input: matrix, operation: operation, stride: stride, padding: padding,
                                          paddingMode: paddingMode, dilation: dilation, bias: bias ?? 0, flip: flip,
                                          ceilMode: ceilMode, countIncludePad: !noCountIncludePad)
            let positions = all ? try explanation.allPositions() : at.isEmpty ? [(0, 0)] : at.map { ($0.row, $0.column) }
            print(try explanation.render(at: positions))
        }
    }

    /// The input matrix: inline rows (`--input`, an option: its errors are usage errors, 64) or any file imgconv
    /// reads (its errors are that file's, exit 1), which must hold one plane of finite numbers.
    static func inputMatrix(text: String?, file: String?) throws -> Kernel {
        let tensor: Tensor, name: String
        if let text {
            do {
                (tensor, name) = (try TextGridFile.parse(text, name: "--input", rowsSplitBySemicolons: true), "--input")
            } catch {
                throw ValidationError(String(describing: error))
            }
        } else {
            (tensor, name) = (try ImageFile.read(file!).tensor, file!)
        }
        func refuse(_ reason: String) -> any Error {
            text != nil ? ValidationError("\(name): \(reason)") : ImageCodecError.corrupt(path: name, reason: reason)
        }
        guard tensor.n == 1, tensor.c == 1 else {
            throw refuse("explain takes one plane, not a tensor of shape (\(tensor.n), \(tensor.c), \(tensor.h), \(tensor.w))")
        }
        guard let bad = tensor.storage.firstIndex(where: { !$0.isFinite }) else {
            return try Kernel(rows: tensor.h, columns: tensor.w, values: tensor.storage)
        }
        throw refuse("row \(bad / tensor.w + 1), column \(bad % tensor.w + 1) is \(tensor.storage[bad]); explain needs finite numbers")
    }
}
