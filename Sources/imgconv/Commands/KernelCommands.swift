import ArgumentParser
import Foundation
import ImageFilters
import TensorEngine

struct KernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "List the named kernels with their matrices.",
        discussion: """
        Each name can be given to `imgconv kernel show`. Gaussian, box, motion and emboss kernels take \
        parameters (gaussian:SIGMA, box:N, motion:LENGTH,ANGLE, emboss:ANGLE).

        Example:
          imgconv kernels
        """
    )

    func run() throws {
        for (name, kernel) in NamedKernel.catalogue() {
            print("\(name) (\(kernel.rows)×\(kernel.columns)):")
            print(kernel.description.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            print("")
        }
    }
}

struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Inspect kernels.",
        subcommands: [KernelShowCommand.self]
    )
}

struct KernelShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a kernel exactly as it will be applied: weights, sum, separability, value range, path.",
        discussion: """
        SPEC is a named kernel (see `imgconv kernels`: sobel-x, gaussian:2, box:5, emboss:135, …), inline rows \
        ("1 0 1; 0 1 0; 1 0 1"), an ImageMagick string ("3x3: 1,0,1 0,1,0 1,0,1") or a file (text, CSV, \
        libvips matrix, 2-D .npy).

        Examples:
          imgconv kernel show sobel-x
          imgconv kernel show gaussian:1.5
          imgconv kernel show "1 2 1; 2 4 2; 1 2 1" --normalize
        """
    )

    @Argument(help: "The kernel: a name, rows, an ImageMagick string or a file.")
    var spec: String

    @Flag(help: "Rotate by 180° (true convolution).")
    var flip = false

    @Flag(help: "Divide by the sum of the weights.")
    var normalize = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Divide by D.", valueName: "D"))
    var divisor: Float?

    func run() throws {
        try Diagnostics.exitingOnFailure {
            var parsed: ParsedKernel
            if let named = try NamedKernel.kernel(named: spec) {
                parsed = ParsedKernel(kernel: named)
            } else if FileManager.default.fileExists(atPath: spec) {
                parsed = try ConvArguments.readKernelFile(spec)
            } else {
                parsed = try KernelParser.parse(spec)
            }
            let filter = try KernelFilter(kernel: parsed.kernel, flip: flip, normalize: normalize,
                                          divisor: (divisor ?? 1) * parsed.divisor, offset: parsed.offset, geometry: FilterGeometry())
            let k = filter.convolution.kernel
            print("\(k.rows)×\(k.columns) kernel, as applied (cross-correlation\(flip ? " with the flipped kernel" : "")):")
            print(k.description.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            print("sum: \(KernelFormatting.number(k.sum))")
            if let factors = k.separableFactors {
                let column = factors.column.map(KernelFormatting.number).joined(separator: " ")
                let row = factors.row.map(KernelFormatting.number).joined(separator: " ")
                print("separable: yes, column [\(column)] × row [\(row)]")
            } else {
                print("separable: no")
            }
            let range = k.outputRange
            let offset = filter.convolution.bias
            print("output range on inputs in [0, 1]: \(KernelFormatting.number(range.lowerBound + offset)) … \(KernelFormatting.number(range.upperBound + offset))")
            print("path: \(filter.convolution.path.rawValue)")
        }
    }
}

/// The named kernels `kernels` lists and `kernel show` accepts.
enum NamedKernel {
    static func catalogue() -> [(String, Kernel)] {
        var list: [(String, Kernel)] = []
        for op in KernelLibrary.EdgeOperator.allCases {
            if op.isLaplacian {
                list.append((op.rawValue, op.xKernel))
            } else {
                list.append(("\(op.rawValue)-x", op.xKernel))
                list.append(("\(op.rawValue)-y", op.yKernel))
            }
        }
        list.append(("sharpen", KernelLibrary.sharpenClassic))
        list.append(("emboss:135", try! KernelLibrary.emboss(angle: 135)))
        list.append(("identity", KernelLibrary.identity))
        list.append(("box:3", try! KernelLibrary.box(size: 3)))
        list.append(("gaussian:1", try! KernelLibrary.gaussian(sigma: 1)))
        list.append(("motion:5,0", try! KernelLibrary.motion(length: 5, angle: 0)))
        return list
    }

    /// The kernel for `name`, nil when it is not a kernel name.
    static func kernel(named name: String) throws -> Kernel? {
        let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1] : nil
        func number(_ text: String?) throws -> Float {
            guard let text, let v = Float(text) else { throw ValidationError("'\(name)' needs a number after the colon, e.g. gaussian:2") }
            return v
        }
        switch parts[0] {
        case "gaussian": return try KernelLibrary.gaussian(sigma: number(argument))
        case "box":
            guard let n = argument.flatMap({ Int($0) }) else { throw ValidationError("'\(name)' needs a size, e.g. box:5") }
            return try KernelLibrary.box(size: n)
        case "motion":
            let values = (argument ?? "").split(separator: ",").compactMap { Float($0) }
            guard values.count == 2 else { throw ValidationError("'\(name)' needs a length and an angle, e.g. motion:9,30") }
            return try KernelLibrary.motion(length: values[0], angle: values[1])
        case "emboss": return try KernelLibrary.emboss(angle: argument == nil ? 135 : number(argument))
        case "sharpen": return KernelLibrary.sharpenClassic
        case "identity": return KernelLibrary.identity
        default:
            return catalogue().first { $0.0 == name }?.1
        }
    }
}
