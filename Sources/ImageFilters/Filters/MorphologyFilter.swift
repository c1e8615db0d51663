import TensorEngine

/// Morphology and rank filters (OpenCV's `dilate`, `erode`, `morphologyEx`, `medianBlur`; libvips `rank`) as a filter
/// step: passes of the engine's ``/TensorEngine/maskedPool2d(_:parameters:)`` over a structuring element, on every channel.
///
/// With D = dilation (max), E = erosion (min), each repeated `iterations` times (Dⁿ, Eⁿ), and x the input:
///
///     dilate = Dⁿ x     erode = Eⁿ x     open = Dⁿ(Eⁿ x)     close = Eⁿ(Dⁿ x)     gradient = Dⁿ x − Eⁿ x
///     tophat = x − open     blackhat = close − x     median, rank = the rank-th smallest, repeated n times
///
/// as `cv2.morphologyEx` defines them. The median is the ⌊n/2⌋-th smallest of the element's n samples (OpenCV's for odd
/// sizes, libvips' `rank … n/2`); `rank` with percentile P takes the min(n − 1, ⌊P·n/100⌋)-th (0: min, 100: max).
/// Borders as OpenCV: the morphology passes ignore the pixels outside the image unless a padding mode is given; the
/// median and rank use `replicate` unless another mode is given. A stride applies to the last pass of
/// dilate, erode, median and rank (a composition's difference needs its parts on one grid).
///
/// Streaming: a pass's output rows read its element's rows around them (the anchor above, the rest below), so a
/// composition's rows read the hull of its passes' reach; each call computes the intermediate rows it needs.
/// Alpha follows the geometry (``AlphaMode/keep``) unless told otherwise.
public struct MorphologyFilter: ImageFilter {
    /// dilate = max over the element, erode = min; open = dilate(erode), close = erode(dilate); gradient = dilate −
    /// erode; tophat = x − open, blackhat = close − x; median and rank pick a sample by its rank in the window.
    public enum Operation: String, CaseIterable, Sendable {
        case dilate, erode, open, close, gradient, tophat, blackhat, median, rank
    }

    /// Which operation.
    public let operation: Operation
    /// The window of every pass.
    public let element: StructuringElement
    /// How the element was given, for the summary (`5×5 disk`, `3×3 element from e.txt`).
    public let elementLabel: String
    /// Passes of dilate or erode (each part of a composition repeated, as OpenCV's `iterations`), 1…``maxIterations``.
    public let iterations: Int
    /// Rows and columns between outputs; above 1 only for dilate, erode, median and rank.
    public let stride: Pair
    /// nil: OpenCV's default (ignore outside for morphology, replicate for median and rank).
    public let paddingMode: PaddingMode?
    /// Only for `rank`: 0…100.
    public let percentile: Float?
    /// The passes whose difference (or, without `subtracted`, whose result) is the output; an empty chain is the input.
    let passes: [MaskedPool2dParameters]
    let subtracted: [MaskedPool2dParameters]?

    /// The most iterations accepted (each pass is a full sweep of the image).
    public static let maxIterations = 1000

    /// The filter; throws ``FilterError`` for iterations outside 1…``maxIterations``, a stride below 1 or on a
    /// composition, a rank without a percentile in 0…100, or a percentile on another operation.
    public init(_ operation: Operation, element: StructuringElement, elementLabel: String? = nil, iterations: Int = 1,
                stride: Pair = Pair(1), paddingMode: PaddingMode? = nil, percentile: Float? = nil) throws {
        guard iterations >= 1, iterations <= Self.maxIterations else {
            throw FilterError.invalidParameter(name: "iterations", reason: "must be between 1 and \(Self.maxIterations), not \(iterations)")
        }
        guard stride.h >= 1, stride.w >= 1 else { throw FilterError.invalidGeometry(reason: "stride must be at least 1, but it is \(stride)") }
        let single: Bool = switch operation {
        case .dilate, .erode, .median, .rank: true
        default: false
        }
        guard single || stride == Pair(1) else {
            throw FilterError.invalidGeometry(reason: "\(operation.rawValue) combines passes on one grid: a stride applies to dilate, erode, median and rank only")
        }
        if operation == .rank {
            guard let percentile, percentile >= 0, percentile <= 100 else {
                throw FilterError.invalidParameter(name: "percentile", reason: "must be between 0 and 100 for rank")
            }
        } else if percentile != nil {
            throw FilterError.invalidGeometry(reason: "a percentile applies to rank only")
        }
        self.operation = operation
        self.element = element
        self.elementLabel = elementLabel ?? "\(element.rows)×\(element.columns) element"
        self.iterations = iterations
        self.stride = stride
        self.paddingMode = paddingMode
        self.percentile = percentile

        func repeated(_ reduction: WindowReduction, mode: PaddingMode?, lastStride: Pair = Pair(1)) -> [MaskedPool2dParameters] {
            (0..<iterations).map { k in
                MaskedPool2dParameters(element: element, reduction: reduction, stride: k == iterations - 1 ? lastStride : Pair(1), paddingMode: mode)
            }
        }
        let n = element.count
        let dilation = repeated(.max, mode: paddingMode), erosion = repeated(.min, mode: paddingMode)
        switch operation {
        case .dilate: passes = repeated(.max, mode: paddingMode, lastStride: stride); subtracted = nil
        case .erode: passes = repeated(.min, mode: paddingMode, lastStride: stride); subtracted = nil
        case .open: passes = erosion + dilation; subtracted = nil
        case .close: passes = dilation + erosion; subtracted = nil
        case .gradient: passes = dilation; subtracted = erosion
        case .tophat: passes = []; subtracted = erosion + dilation
        case .blackhat: passes = dilation + erosion; subtracted = []
        case .median:
            passes = repeated(.rank(n / 2), mode: paddingMode ?? .replicate, lastStride: stride); subtracted = nil
        case .rank:
            let r = Swift.min(n - 1, Int((Double(percentile!) * Double(n) / 100).rounded(.down)))
            passes = repeated(.rank(r), mode: paddingMode ?? .replicate, lastStride: stride); subtracted = nil
        }
    }

    public var summary: String {
        let border = (passes.first ?? subtracted?.first)?.paddingMode.map { "\($0) border" } ?? "pixels outside ignored"
        var text = "\(operation.rawValue): \(elementLabel)"
        if let percentile { text += ", percentile \(percentile)" }
        if iterations > 1 { text += ", \(iterations) iterations" }
        if stride != Pair(1) { text += ", stride \(stride)" }
        return text + ", \(border)"
    }

    public var defaultAlphaMode: AlphaMode { .keep }
    public var defaultValuePolicy: ValuePolicy? { nil }

    public func outputShape(for input: TensorShape) throws -> TensorShape {
        var shape = input
        for pass in passes + (subtracted ?? []) {
            let out = try pass.geometry(input: input).output
            if pass.stride != Pair(1) { shape = out }
        }
        return shape
    }

    public func inputRows(for rows: Range<Int>, input: TensorShape) throws -> Range<Int> {
        var hull = try Self.inputRows(of: passes[...], for: rows, input: input)
        if let subtracted {
            let other = try Self.inputRows(of: subtracted[...], for: rows, input: input)
            hull = Swift.min(hull.lowerBound, other.lowerBound) ..< Swift.max(hull.upperBound, other.upperBound)
        }
        return hull
    }

    /// The input rows a chain's output rows read: each pass's rows mapped back through the ones before it.
    private static func inputRows(of chain: ArraySlice<MaskedPool2dParameters>, for rows: Range<Int>, input: TensorShape) throws -> Range<Int> {
        var rows = rows
        for pass in chain.reversed() { rows = try pass.inputRows(for: rows, input: input) }
        return rows
    }

    public func apply(_ colour: RowWindow, rows: Range<Int>) throws -> Tensor {
        _ = try outputShape(for: colour.fullShape)
        let result = try Self.evaluate(passes[...], colour, rows: rows)
        guard let subtracted else { return result }
        let other = try Self.evaluate(subtracted[...], colour, rows: rows)
        return result.withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                Tensor(shape: result.shape) { out in
                    for k in 0..<out.count { out[k] = a[k] - b[k] }
                }
            }
        }
    }

    /// Output rows `rows` of a chain on the rows of `window`: the last pass on the rows the passes before it give.
    private static func evaluate(_ chain: ArraySlice<MaskedPool2dParameters>, _ window: RowWindow, rows: Range<Int>) throws -> Tensor {
        guard let last = chain.last else { return window.rows(rows) }
        let shape = window.fullShape
        let needed = try last.inputRows(for: rows, input: shape)
        let inner = chain.count == 1 ? window : RowWindow(try evaluate(chain.dropLast(), window, rows: needed), top: needed.lowerBound, height: shape.h)
        return try maskedPool2d(inner, parameters: last, rows: rows)
    }

    /// Alpha at the output's pixels: itself at stride 1, else the samples the stride keeps (a 1×1 element).
    public func resample(_ alpha: RowWindow, rows: Range<Int>) throws -> Tensor {
        _ = try outputShape(for: alpha.fullShape)
        let sample = MaskedPool2dParameters(element: try StructuringElement(.square, size: Pair(1)), reduction: .max, stride: stride)
        if stride == Pair(1) { return try Self.evaluate([][...], alpha, rows: rows) }
        return try maskedPool2d(alpha, parameters: sample, rows: rows)
    }
}

extension MorphologyFilter {
    /// A structuring element from a kernel grid (`--element FILE`, any format ``Kernel`` is read from): every value
    /// must be 0 or 1 (an image's black and white, 0 and 255, read as 0 and 1), at least one of them 1.
    public static func element(from kernel: Kernel) throws -> StructuringElement {
        if let bad = kernel.values.first(where: { $0 != 0 && $0 != 1 }) {
            throw FilterError.invalidKernel(reason: "a structuring element holds only 0 and 1, but this one holds \(bad)")
        }
        do {
            return try StructuringElement(rows: kernel.rows, columns: kernel.columns, mask: kernel.values.map { $0 == 1 })
        } catch let error as EngineError {
            throw FilterError.invalidKernel(reason: error.description)
        }
    }
}
