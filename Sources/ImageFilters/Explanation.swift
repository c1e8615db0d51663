import TensorEngine

/// The course's worked example as text: a small matrix, a convolution or pooling, the padded input,
/// the output, and one output element's sum written out term by term.
///
/// The output comes from the engine itself (``conv2d(_:weight:bias:parameters:)``, ``maxPool2d(_:parameters:)``,
/// ``avgPool2d(_:parameters:)``) and the padded input from ``pad(_:padding:mode:)``, so what is explained is what
/// imgconv computes; the written-out sum reads the same padded values.
public struct Explanation: Sendable {
    public enum Operation: Sendable {
        case convolution(Kernel)
        case maxPool(kernel: Pair)
        case averagePool(kernel: Pair)
    }

    public let input: Kernel
    public let operation: Operation
    public let stride: Pair
    public let padding: PaddingSpec
    /// nil: PyTorch's default (zeros for convolution and average pooling, −∞ for max pooling).
    public let paddingMode: PaddingMode?
    public let dilation: Pair

    /// `stride` nil: 1 for convolution, the kernel size for pooling (PyTorch's defaults).
    public init(input: Kernel, operation: Operation, stride: Pair? = nil, padding: PaddingSpec = .explicit(Pair(0)),
                paddingMode: PaddingMode? = nil, dilation: Pair = Pair(1)) {
        self.input = input
        self.operation = operation
        self.stride = stride ?? {
            switch operation {
            case .convolution: Pair(1)
            case .maxPool(let k), .averagePool(let k): k
            }
        }()
        self.padding = padding
        self.paddingMode = paddingMode
        self.dilation = dilation
    }

    private var kernelSize: Pair {
        switch operation {
        case .convolution(let k): Pair(h: k.rows, w: k.columns)
        case .maxPool(let k), .averagePool(let k): k
        }
    }

    private var inputTensor: Tensor {
        Tensor(shape: TensorShape(n: 1, c: 1, h: input.rows, w: input.columns), storage: input.values)
    }

    /// The output tensor, as the engine computes it.
    public func output() throws -> Tensor {
        switch operation {
        case .convolution(let k):
            let parameters = Conv2dParameters(stride: stride, padding: padding, dilation: dilation, paddingMode: paddingMode ?? .zeros)
            return try conv2d(inputTensor, weight: k.depthwiseWeight(channels: 1), bias: nil, parameters: parameters)
        case .maxPool(let k):
            return try maxPool2d(inputTensor, parameters: MaxPool2dParameters(kernel: k, stride: stride, padding: try poolPadding(),
                                                                             dilation: dilation, paddingMode: paddingMode)).output
        case .averagePool(let k):
            guard dilation == Pair(1) else { throw FilterError("average pooling has no dilation (PyTorch's AvgPool2d takes none)") }
            return try avgPool2d(inputTensor, parameters: AvgPool2dParameters(kernel: k, stride: stride, padding: try poolPadding(),
                                                                             paddingMode: paddingMode))
        }
    }

    private func poolPadding() throws -> Pair {
        switch padding {
        case .explicit(let p): return p
        case .valid: return Pair(0)
        case .same: throw FilterError("pooling takes a padding number, not \"same\"")
        case .sides(let p) where p.top == p.bottom && p.left == p.right: return Pair(h: p.top, w: p.left)
        case .sides(let p): throw FilterError("pooling pads both sides of an axis equally, not \(p)")
        }
    }

    private func resolvedPadding() throws -> Padding {
        switch operation {
        case .convolution: try padding.resolved(kernel: kernelSize, dilation: dilation, stride: stride)
        case .maxPool, .averagePool: Padding(try poolPadding())
        }
    }

    /// The whole explanation; `at` (row, column, from 0) picks the output element whose sum is written out.
    public func render(at position: (row: Int, column: Int) = (0, 0)) throws -> String {
        let out = try output()
        guard (0..<out.h).contains(position.row), (0..<out.w).contains(position.column) else {
            throw FilterError("--at \(position.row),\(position.column) is outside the \(out.h)×\(out.w) output (rows and columns count from 0)")
        }
        let pads = try resolvedPadding()
        let fillMode: PaddingMode = {
            if let paddingMode { return paddingMode }
            if case .maxPool = operation { return .constant(-.infinity) }
            return .zeros
        }()
        let padded = try pad(inputTensor, padding: pads, mode: fillMode)
        var lines: [String] = []
        lines.append("Input (\(input.rows)×\(input.columns)):")
        lines.append(Self.grid(inputTensor))
        if pads != .zero {
            let modeName = paddingMode?.description ?? (fillMode == .zeros ? "zeros" : "−∞, never chosen")
            lines.append("")
            lines.append("Padded input (\(padded.h)×\(padded.w); padding \(pads), \(modeName)):")
            lines.append(Self.grid(padded))
        }
        lines.append("")
        switch operation {
        case .convolution(let k):
            lines.append("Kernel (\(k.rows)×\(k.columns)), cross-correlation as in PyTorch:")
            lines.append(k.description.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        case .maxPool(let k): lines.append("Max pooling, window \(k.h)×\(k.w)")
        case .averagePool(let k): lines.append("Average pooling, window \(k.h)×\(k.w)")
        }
        lines.append("Stride \(stride), padding \(pads), dilation \(dilation)")
        lines.append("")
        let rowFormula = outputSizeFormula(input: input.rows, kernel: kernelSize.h, stride: stride.h,
                                           padBefore: pads.top, padAfter: pads.bottom, dilation: dilation.h)
        let columnFormula = outputSizeFormula(input: input.columns, kernel: kernelSize.w, stride: stride.w,
                                              padBefore: pads.left, padAfter: pads.right, dilation: dilation.w)
        lines.append("Output rows:    \(rowFormula)")
        lines.append("Output columns: \(columnFormula)")
        lines.append("")
        lines.append("Output (\(out.h)×\(out.w)):")
        lines.append(Self.grid(out))
        lines.append("")
        lines.append(try writtenOut(position, padded: padded, output: out))
        return lines.joined(separator: "\n")
    }

    /// `Output[r, c] = (a×b) + … = v`, reading the padded input at the window's taps.
    private func writtenOut(_ p: (row: Int, column: Int), padded: Tensor, output: Tensor) throws -> String {
        var taps: [(value: Float, weight: Float, y: Int, x: Int)] = []
        for ky in 0..<kernelSize.h {
            for kx in 0..<kernelSize.w {
                let y = p.row * stride.h + ky * dilation.h, x = p.column * stride.w + kx * dilation.w
                let weight: Float = if case .convolution(let k) = operation { k[ky, kx] } else { 1 }
                taps.append((padded[0, 0, y, x], weight, y, x))
            }
        }
        let result = output[0, 0, p.row, p.column]
        let head = "Output[\(p.row), \(p.column)] ="
        let n = KernelFormatting.number
        switch operation {
        case .convolution:
            let terms = taps.map { "(\(n($0.value))×\(n($0.weight)))" }.joined(separator: " + ")
            return "\(head) \(terms) = \(n(result))"
        case .maxPool:
            let best = taps.firstIndex { $0.value == result } ?? 0
            let pads = try resolvedPadding()
            let cell = "row \(taps[best].y - pads.top), column \(taps[best].x - pads.left) of the input"
            return "\(head) max(\(taps.map { n($0.value) }.joined(separator: ", "))) = \(n(result))  (taken from \(cell))"
        case .averagePool:
            // PyTorch's default count_include_pad: padded zeros count, so the divisor is the window size.
            return "\(head) (\(taps.map { n($0.value) }.joined(separator: " + "))) / \(taps.count) = \(n(result))"
        }
    }

    /// A right-aligned grid of numbers, two spaces in.
    static func grid(_ t: Tensor) -> String {
        let cells = (0..<t.h).map { y in (0..<t.w).map { x in KernelFormatting.number(t[0, 0, y, x]) } }
        let width = cells.joined().map(\.count).max() ?? 1
        return cells.map { row in
            "  " + row.map { String(repeating: " ", count: width - $0.count) + $0 }.joined(separator: " ")
        }.joined(separator: "\n")
    }
}
