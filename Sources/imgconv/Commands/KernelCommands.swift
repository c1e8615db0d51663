import ArgumentParser
import Foundation
import ImageFilters
import ImagePipeline
import TensorEngine

struct KernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "List the named kernels with their matrices.",
        discussion: """
        Each name can be given to `imgconv kernel show` and to every --kernel option (conv, explain, \
        visualize). Gaussian, box, motion and emboss kernels take parameters (gaussian:SIGMA, box:N, \
        motion:LENGTH,ANGLE, emboss:ANGLE); names are case-insensitive.

        Example:
          imgconv kernels

        Every name works wherever a kernel is taken: conv --kernel sobel-x, explain, visualize, kernel show.

        Then the structuring elements of dilate, erode, open, close, gradient, tophat, blackhat, median and rank \
        (--shape square|cross|disk at --size K or H,W; disk is OpenCV's MORPH_ELLIPSE), drawn at size 5 and 7.
        """
    )

    func run() throws {
        for (name, kernel) in KernelLibrary.catalogue() {
            print("\(name) (\(kernel.rows)×\(kernel.columns)):")
            print(kernel.description.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            print("")
        }
        for shape in StructuringElement.Shape.allCases {
            for size in [5, 7] {
                let element = try StructuringElement(shape, size: Pair(size))
                print("element --shape \(shape.rawValue) --size \(size) (\(element.count) of \(size * size) pixels):")
                print(element.description.split(separator: ";").map { "  " + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n"))
                print("")
            }
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
        libvips matrix, 2-D .npy, or a PNG/JPEG image whose gray values are the weights).

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

    @Option(parsing: .unconditional, help: ArgumentHelp("Divide by D.", valueName: "D"), transform: NumberArgument.float)
    var divisor: Float?

    func run() throws {
        try Diagnostics.validatingOptions {
            var parsed: ParsedKernel
            if try KernelLibrary.named(spec) == nil, FileManager.default.fileExists(atPath: spec) {
                parsed = try KernelFile.read(spec)
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
