import ArgumentParser
import TensorEngine

struct ShapeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shape",
        abstract: "Print the output size of a convolution or pooling, with the formula's numbers filled in.",
        discussion: """
        H_out = ⌊(H + pad_top + pad_bottom − d·(k − 1) − 1)/s⌋ + 1, and the same for W (⌈…⌉ for pooling \
        with --ceil-mode). Impossible configurations are refused with PyTorch's reasons.

        Examples:
          imgconv shape --input 227,227 --kernel-size 11 --stride 4          → 55×55
          imgconv shape --input 32,64 --kernel-size 5                        → 28×60
          imgconv shape --input 28,28 --kernel-size 2 --pool max             → 14×14
          imgconv shape --input 64,32 --kernel-size 3 --padding same         → 64×32
        """
    )

    @Option(help: ArgumentHelp("Input size: N or H,W.", valueName: "H,W"))
    var input: Pair

    @Option(help: ArgumentHelp("Kernel or window size: N or H,W.", valueName: "K"))
    var kernelSize: Pair = Pair(1)

    @Option(help: ArgumentHelp("Stride (default 1 for convolution, the window size for pooling).", valueName: "S"))
    var stride: Pair?

    @Option(help: ArgumentHelp("N, H,W, or for convolution same / valid.", valueName: "P"))
    var padding: PaddingSpec = .explicit(Pair(0))

    @Option(help: ArgumentHelp(GeometryHelp.dilation, valueName: "D"))
    var dilation: Pair = Pair(1)

    @Option(help: ArgumentHelp("Pooling instead of convolution: max or avg.", valueName: "max|avg"), completion: .list(["max", "avg"]))
    var pool: String?

    @Flag(help: "Pooling only: round the output size up (PyTorch's ceil_mode).")
    var ceilMode = false

    func validate() throws {
        if let pool, pool != "max" && pool != "avg" { throw ValidationError("--pool takes max or avg, not '\(pool)'.") }
        if ceilMode && pool == nil { throw ValidationError("--ceil-mode applies to pooling; add --pool max or --pool avg.") }
        if pool == "avg" && dilation != Pair(1) { throw ValidationError("Average pooling has no dilation (PyTorch's AvgPool2d takes none).") }
    }

    func run() throws {
        try Diagnostics.exitingOnFailure {
            let inputShape = TensorShape(n: 1, c: 1, h: input.h, w: input.w)
            let padding: Padding
            let output: TensorShape
            let stride: Pair
            if pool != nil {
                guard case .explicit(let p) = self.padding else {
                    throw ValidationError("Pooling takes a number for --padding, not \(self.padding).")
                }
                stride = self.stride ?? kernelSize
                let geometry = try Pool2dGeometry(input: inputShape, kernel: kernelSize, stride: stride, padding: p,
                                                  dilation: dilation, ceilMode: ceilMode, paddingMode: nil)
                padding = Padding(p)
                output = geometry.output
            } else {
                stride = self.stride ?? Pair(1)
                let parameters = Conv2dParameters(stride: stride, padding: self.padding, dilation: dilation)
                let geometry = try Conv2dGeometry(input: inputShape, weight: TensorShape(n: 1, c: 1, h: kernelSize.h, w: kernelSize.w),
                                                  biasCount: nil, parameters: parameters)
                padding = geometry.padding
                output = geometry.output
            }
            let rows = outputSizeFormula(input: input.h, kernel: kernelSize.h, stride: stride.h, padBefore: padding.top,
                                         padAfter: padding.bottom, dilation: dilation.h, ceilMode: ceilMode)
            let columns = outputSizeFormula(input: input.w, kernel: kernelSize.w, stride: stride.w, padBefore: padding.left,
                                            padAfter: padding.right, dilation: dilation.w, ceilMode: ceilMode)
            print("rows:    \(rows)")
            print("columns: \(columns)")
            print("\(input.h)×\(input.w) → \(output.h)×\(output.w)")
        }
    }
}
