import TensorEngine

/// The course's worked example as text: a small matrix, a convolution or pooling, the padded input,
/// the output, and one output element's sum written out term by term.
///
/// The output comes from the engine itself (``/TensorEngine/conv2d(_:weight:bias:parameters:)``, ``/TensorEngine/maxPool2d(_:parameters:)``,
/// ``/TensorEngine/avgPool2d(_:parameters:)``) and the padded input from ``/TensorEngine/pad(_:padding:mode:)``, so what is explained is what
/// imgconv computes; the written-out sum reads the same padded values.
package struct Explanation: Sendable {
    package enum Operation: Sendable {
        case convolution(Kernel)
        case maxPool(kernel: Pair)
        case averagePool(kernel: Pair)
    }

    package let input: Kernel
    package let operation: Operation
    package let stride: Pair
    package let padding: PaddingSpec
    /// nil: PyTorch's default (zeros for convolution and average pooling, −∞ for max pooling).
    package let paddingMode: PaddingMode?
    package let dilation: Pair
    /// Convolution: added to every output (`nn.Conv2d`'s bias for one channel).
    package let bias: Float
    /// Convolution: true convolution, the kernel rotated 180° before it slides (`--flip`); the written-out
    /// sums show the weights as applied.
    package let flip: Bool
    /// Pooling: PyTorch's `ceil_mode` (a last, partial window when the division leaves a remainder).
    package let ceilMode: Bool
    /// Average pooling: PyTorch's `count_include_pad`; false divides by the taps inside the input only.
    package let countIncludePad: Bool

    /// `stride` nil: 1 for convolution, the kernel size for pooling (PyTorch's defaults).
    package init(input: Kernel, operation: Operation, stride: Pair? = nil, padding: PaddingSpec = .explicit(Pair(0)),
                paddingMode: PaddingMode? = nil, dilation: Pair = Pair(1), bias: Float = 0, flip: Bool = false,
                ceilMode: Bool = false, countIncludePad: Bool = true) {
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
        self.bias = bias
        self.flip = flip
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
    }

    private var kernelSize: Pair {
        switch operation {
        case .convolution(let k): Pair(h: k.rows, w: k.columns)
        case .maxPool(let k), .averagePool(let k): k
        }
    }

    /// The convolution's weights as they slide: the kernel, rotated 180° with ``flip``.
    private var appliedKernel: Kernel? {
        guard case .convolution(let k) = operation else { return nil }
        return flip ? k.flipped : k
    }

    private var inputTensor: Tensor {
        Tensor(shape: TensorShape(n: 1, c: 1, h: input.rows, w: input.columns), storage: input.values)
    }

    /// The output tensor, as the engine computes it.
    package func output() throws -> Tensor {
        switch operation {
        case .convolution:
            guard !ceilMode, countIncludePad else { throw FilterError.invalidGeometry(reason: "ceil mode and count_include_pad belong to pooling, not to a convolution") }
            let parameters = Conv2dParameters(stride: stride, padding: padding, dilation: dilation, paddingMode: paddingMode ?? .zeros, flip: flip)
            guard case .convolution(let k) = operation else { preconditionFailure() }
            return try conv2d(inputTensor, weight: k.depthwiseWeight(channels: 1), bias: bias == 0 ? nil : [bias], parameters: parameters)
        case .maxPool(let k):
            try requireNoConvolutionOptions()
            guard countIncludePad else { throw FilterError.invalidGeometry(reason: "count_include_pad belongs to average pooling, not to max pooling") }
            return try maxPool2d(inputTensor, parameters: MaxPool2dParameters(kernel: k, stride: stride, padding: try poolPadding(),
                                                                             dilation: dilation, ceilMode: ceilMode, paddingMode: paddingMode)).output
        case .averagePool(let k):
            try requireNoConvolutionOptions()
            guard dilation == Pair(1) else { throw FilterError.invalidGeometry(reason: "average pooling has no dilation (PyTorch's AvgPool2d takes none)") }
            return try avgPool2d(inputTensor, parameters: AvgPool2dParameters(kernel: k, stride: stride, padding: try poolPadding(),
                                                                             ceilMode: ceilMode, countIncludePad: countIncludePad,
                                                                             paddingMode: paddingMode))
        }
    }

    private func requireNoConvolutionOptions() throws {
        guard bias == 0, !flip else { throw FilterError.invalidGeometry(reason: "a bias and flipping belong to a convolution, not to pooling") }
    }

    private func poolPadding() throws -> Pair {
        switch padding {
        case .explicit(let p): return p
        case .valid: return Pair(0)
        case .same, .centred: throw FilterError.invalidGeometry(reason: "pooling takes a padding number, not \"\(padding)\"")
        case .sides(let p) where p.top == p.bottom && p.left == p.right: return Pair(h: p.top, w: p.left)
        case .sides(let p): throw FilterError.invalidGeometry(reason: "pooling pads both sides of an axis equally, not \(p)")
        }
    }

    private func resolvedPadding() throws -> Padding {
        switch operation {
        case .convolution: try padding.resolved(kernel: kernelSize, dilation: dilation, stride: stride)
        case .maxPool, .averagePool: Padding(try poolPadding())
        }
    }

    /// Every output position, row by row: what `--all` writes out.
    package func allPositions() throws -> [(row: Int, column: Int)] {
        let out = try output()
        return (0..<out.h).flatMap { r in (0..<out.w).map { (row: r, column: $0) } }
    }

    /// The whole explanation with one written-out sum per position of `positions` (row, column, from 0), in order.
    package func render(at positions: [(row: Int, column: Int)] = [(0, 0)]) throws -> String {
        let out = try output()
        for position in positions {
            guard (0..<out.h).contains(position.row), (0..<out.w).contains(position.column) else {
                throw FilterError.invalidGeometry(reason: "--at \(position.row),\(position.column) is outside the \(out.h)×\(out.w) output (rows and columns count from 0)")
            }
        }
        let (padded, pads, fillMode) = try paddedInput()
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
            if flip {
                lines.append("Kernel (\(k.rows)×\(k.columns)) as given:")
                lines.append(k.description.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
                lines.append("rotated 180° (--flip: true convolution), as it slides:")
                lines.append(k.flipped.description.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            } else {
                lines.append("Kernel (\(k.rows)×\(k.columns)), cross-correlation as in PyTorch:")
                lines.append(k.description.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            }
            if bias != 0 { lines.append("Bias \(KernelFormatting.number(bias)), added to every output") }
        case .maxPool(let k): lines.append("Max pooling, window \(k.h)×\(k.w)")
        case .averagePool(let k):
            lines.append("Average pooling, window \(k.h)×\(k.w)" + (countIncludePad ? "" : ", padding not counted (count_include_pad=False)"))
        }
        lines.append("Stride \(stride), padding \(pads), dilation \(dilation)" + (ceilMode ? ", ceil mode" : ""))
        lines.append("")
        for (axis, size, k, s, before, after, d) in [("rows:   ", input.rows, kernelSize.h, stride.h, pads.top, pads.bottom, dilation.h),
                                                     ("columns:", input.columns, kernelSize.w, stride.w, pads.left, pads.right, dilation.w)] {
            lines.append("Output \(axis) \(outputSizeFormula(input: size, kernel: k, stride: s, padBefore: before, padAfter: after, dilation: d, ceilMode: ceilMode))")
            if let lesson = lessonFormula(input: size, kernel: k, stride: s, padBefore: before, padAfter: after, dilation: d, ceilMode: ceilMode) {
                lines.append("                \(lesson)")
            }
        }
        lines.append("")
        lines.append("Output (\(out.h)×\(out.w)):")
        lines.append(Self.grid(out))
        lines.append("")
        for position in positions {
            lines.append(try writtenOut(position, padded: padded, output: out, pads: pads))
        }
        return lines.joined(separator: "\n")
    }

    /// The input as the windows read it: padded with the padding mode (−∞ for max pooling by default).
    func paddedInput() throws -> (tensor: Tensor, padding: Padding, mode: PaddingMode) {
        let pads = try resolvedPadding()
        let fillMode: PaddingMode = {
            if let paddingMode { return paddingMode }
            if case .maxPool = operation { return .constant(-.infinity) }
            return .zeros
        }()
        return (try pad(inputTensor, padding: pads, mode: fillMode), pads, fillMode)
    }

    /// The terms of output position `p`'s written-out sum: the window's taps inside the padded input, and for
    /// average pooling without count_include_pad only those inside the input itself (the divisor is their count).
    func writtenTerms(_ p: (row: Int, column: Int), padded: Tensor, pads: Padding) -> [Tap] {
        let all = taps(p, padded: padded)
        guard case .averagePool = operation, !countIncludePad else { return all }
        return all.filter { (pads.top..<pads.top + input.rows).contains($0.y) && (pads.left..<pads.left + input.columns).contains($0.x) }
    }

    /// One tap of a window: the padded input's value at (y, x) (padded coordinates) and its weight.
    struct Tap {
        var value: Float, weight: Float, y: Int, x: Int
    }

    /// The taps of output position `p` that lie inside the padded input (in ceil mode the last window may reach
    /// past it; PyTorch leaves those taps out, and so does its divisor).
    private func taps(_ p: (row: Int, column: Int), padded: Tensor) -> [Tap] {
        var taps: [Tap] = []
        let kernel = appliedKernel
        for ky in 0..<kernelSize.h {
            for kx in 0..<kernelSize.w {
                let y = p.row * stride.h + ky * dilation.h, x = p.column * stride.w + kx * dilation.w
                guard y < padded.h, x < padded.w else { continue }
                taps.append(Tap(value: padded[0, 0, y, x], weight: kernel?[ky, kx] ?? 1, y: y, x: x))
            }
        }
        return taps
    }

    /// `Output[r, c] = (a×b) + … = v`, reading the padded input at the window's taps.
    private func writtenOut(_ p: (row: Int, column: Int), padded: Tensor, output: Tensor, pads: Padding) throws -> String {
        let taps = writtenTerms(p, padded: padded, pads: pads)
        let result = output[0, 0, p.row, p.column]
        let head = "Output[\(p.row), \(p.column)] ="
        let n = KernelFormatting.number
        switch operation {
        case .convolution:
            let terms = taps.map { "(\(n($0.value))×\(n($0.weight)))" }.joined(separator: " + ")
            let biasTerm = bias == 0 ? "" : bias < 0 ? " + (\(n(bias)))" : " + \(n(bias))"
            return "\(head) \(terms)\(biasTerm) = \(n(result))"
        case .maxPool:
            let best = taps.firstIndex { $0.value == result } ?? 0
            let cell = "row \(taps[best].y - pads.top), column \(taps[best].x - pads.left) of the input"
            return "\(head) max(\(taps.map { n($0.value) }.joined(separator: ", "))) = \(n(result))  (taken from \(cell))"
        case .averagePool:
            // count_include_pad (PyTorch's default): padded cells count, so the divisor is the window's taps
            // inside the padded input; without it only the taps inside the input itself (writtenTerms).
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
