/// Some rows of a taller tensor: rows `top ..< top + shape.h` of every plane of an (N, C, `height`, W)
/// tensor. It is what a sliding-window operation reads to compute some of its output rows, so that an
/// image can flow through a chain of operations a few rows at a time (see ``inputRows(for:kernel:stride:dilation:padBefore:height:mode:)``).
///
/// The rows may lie in several blocks, one below the other (the strips a stage was given), each Float planes or the
/// 8-bit samples a file holds (``SampleRows``, standing for their v/255): the engine's operations read each row where
/// it is, through its address, so a window over strips is never copied into one tensor unless a caller asks for
/// ``tensor``; the banded operations make the Floats of sample rows as they fill their scratch
/// (``withRowSources(_:)``), others get Float rows (``withRowAddresses(_:)``).
///
/// Padding is decided by the real edges, row 0 and row `height − 1`, never by the window's own edges: an
/// operation reading padded row r reads the input row ``PaddingMode``'s rule gives for r on an axis of `height`
/// rows, which the window must hold. A whole tensor is the window with `top` 0 and `height` its own height.
public struct RowWindow: Sendable {
    /// Rows `rows` of `block` (all its planes), one piece of the window.
    private struct Piece: Sendable {
        let block: RowBlock
        let rows: Range<Int>
    }

    /// The pieces, top to bottom, together `shape.h` rows.
    private let pieces: [Piece]
    /// The rows held, as an (N, C, rows, W) shape.
    public let shape: TensorShape
    /// The first row held, in the full tensor's rows.
    public let top: Int
    /// The full tensor's height.
    public let height: Int

    /// Rows `top ..< top + tensor.h` of a tensor `height` rows tall. Traps unless `top ≥ 0` and
    /// `top + tensor.h ≤ height`.
    public init(_ tensor: Tensor, top: Int, height: Int) {
        self.init(parts: [(tensor, 0..<tensor.h)], top: top, height: height)
    }

    /// A whole tensor.
    public init(whole tensor: Tensor) {
        self.init(tensor, top: 0, height: tensor.h)
    }

    /// Rows `top…` of a tensor `height` rows tall, made of rows `rows` of each part in turn (no copy). The parts
    /// share N, C and W; traps unless the rows fit.
    package init(parts: [(tensor: Tensor, rows: Range<Int>)], top: Int, height: Int) {
        self.init(blocks: parts.map { (.planes($0.tensor), $0.rows) }, top: top, height: height)
    }

    /// Rows `top…` of a tensor `height` rows tall, made of rows `rows` of each block in turn (no copy). The blocks
    /// share N, C and W; traps unless the rows fit.
    package init(blocks: [(block: RowBlock, rows: Range<Int>)], top: Int, height: Int) {
        precondition(!blocks.isEmpty, "a window needs a block, even an empty one")
        let first = blocks[0].block.shape
        var count = 0
        for part in blocks {
            let shape = part.block.shape
            precondition(shape.n == first.n && shape.c == first.c && shape.w == first.w, "a window block of \(shape) below one of \(first)")
            precondition(part.rows.lowerBound >= 0 && part.rows.upperBound <= shape.h, "rows \(part.rows) of a \(shape.h)-row block")
            count += part.rows.count
        }
        precondition(top >= 0 && top + count <= height, "rows \(top)..<\(top + count) outside 0..<\(height)")
        pieces = blocks.filter { !$0.rows.isEmpty }.map { Piece(block: $0.block, rows: $0.rows) }
        shape = TensorShape(n: first.n, c: first.c, h: count, w: first.w)
        self.top = top
        self.height = height
    }

    /// The rows held as one (N, C, rows, W) tensor: the tensor given when the window is one whole tensor, else a copy
    /// (sample rows spread into Floats).
    public var tensor: Tensor {
        if pieces.count == 1, case .planes(let whole) = pieces[0].block, pieces[0].rows == 0 ..< whole.h { return whole }
        return Tensor(shape: shape) { destination in
            guard shape.count > 0 else { return }
            var row = 0
            for piece in pieces {
                let at = destination.baseAddress! + row * shape.w
                switch piece.block {
                case .planes(let tensor):
                    tensor.withUnsafeBufferPointer { source in
                        for p in 0..<shape.planeCount {
                            (at + p * shape.planeSize)
                                .update(from: source.baseAddress! + p * tensor.shape.planeSize + piece.rows.lowerBound * shape.w,
                                        count: piece.rows.count * shape.w)
                        }
                    }
                case .samples(let samples):
                    samples.spread(rows: piece.rows, into: at, planeSize: shape.planeSize)
                }
                row += piece.rows.count
            }
        }
    }

    /// The rows held, in the full tensor's rows.
    public var rows: Range<Int> { top ..< top + shape.h }

    /// The full tensor's shape.
    public var fullShape: TensorShape { TensorShape(n: shape.n, c: shape.c, h: height, w: shape.w) }

    /// Whether this is the whole tensor.
    public var isWhole: Bool { top == 0 && shape.h == height }

    /// The same rows with the planes replaced by `tensor`'s (`shape.h` rows, any channel count).
    public func replacing(_ tensor: Tensor) -> RowWindow {
        RowWindow(tensor, top: top, height: height)
    }

    /// Rows `rows` (held) of every plane, as a tensor: a copy unless they are one whole piece.
    package func rows(_ rows: Range<Int>) -> Tensor {
        precondition(rows.lowerBound >= top && rows.upperBound <= top + shape.h, "rows \(rows) asked of a window of rows \(self.rows)")
        return RowWindow(blocks: blocks(rows), top: rows.lowerBound, height: height).tensor
    }

    /// The blocks holding rows `rows` (held), top to bottom, for a window of them.
    private func blocks(_ rows: Range<Int>) -> [(block: RowBlock, rows: Range<Int>)] {
        var parts: [(block: RowBlock, rows: Range<Int>)] = []
        var first = top
        for piece in pieces {
            let low = max(rows.lowerBound, first), high = min(rows.upperBound, first + piece.rows.count)
            if low < high { parts.append((piece.block, piece.rows.lowerBound + low - first ..< piece.rows.lowerBound + high - first)) }
            first += piece.rows.count
        }
        return parts.isEmpty ? [(pieces.first?.block ?? .planes(Tensor(shape: shape)), 0..<0)] : parts
    }

    /// Whether some rows are 8-bit samples.
    private var holdsSamples: Bool {
        pieces.contains { if case .samples = $0.block { true } else { false } }
    }

    /// Calls `body` with the address of every row held as Floats, valid during the call (sample rows are spread into
    /// a Float copy of the window first).
    package func withRowAddresses<R>(_ body: (WindowRows) -> R) -> R {
        if holdsSamples { return RowWindow(tensor, top: top, height: height).withRowSources(body) }
        return withRowSources(body)
    }

    /// Calls `body` with the address of every row held, Floats or 8-bit samples as kept, valid during the call: for
    /// code that reads rows through ``ConvolutionBands`` (which makes the Floats of sample rows as it fills).
    package func withRowSources<R>(_ body: (WindowRows) -> R) -> R {
        var sources: [WindowRows.Source] = []
        sources.reserveCapacity(shape.h)
        func visit(_ index: Int) -> R {
            guard index < pieces.count else { return body(WindowRows(top: top, width: shape.w, sources: sources)) }
            let piece = pieces[index]
            switch piece.block {
            case .planes(let tensor):
                return tensor.withUnsafeBufferPointer { buffer in
                    let base = buffer.baseAddress ?? emptyPlane, planeSize = tensor.shape.planeSize
                    for r in piece.rows { sources.append(.floats(base + r * shape.w, planeStride: planeSize)) }
                    return visit(index + 1)
                }
            case .samples(let samples):
                return samples.bytes.withUnsafeBufferPointer { buffer in
                    let rowBytes = samples.width * samples.channels
                    for r in piece.rows {
                        sources.append(buffer.baseAddress.map { .samples($0 + r * rowBytes, channels: samples.channels) }
                                       ?? .floats(emptyPlane, planeStride: 0))
                    }
                    return visit(index + 1)
                }
            }
        }
        return visit(0)
    }
}

/// Consecutive rows of an (N, C, H, W) tensor as a stage keeps them: Float planes, or the 8-bit samples they stand for.
package enum RowBlock: Sendable {
    case planes(Tensor)
    case samples(SampleRows)

    /// The (N, C, rows, W) shape of the rows.
    package var shape: TensorShape {
        switch self {
        case .planes(let tensor): tensor.shape
        case .samples(let samples): samples.shape
        }
    }
}

/// The addresses of a ``RowWindow``'s rows (``RowWindow/withRowAddresses(_:)``, ``RowWindow/withRowSources(_:)``):
/// row r of plane p (batch item × channel) is `width` samples at ``row(_:plane:)``, wherever the window's pieces keep
/// it, or `width` pixels of interleaved 8-bit samples (``source(_:)``).
package struct WindowRows: @unchecked Sendable {
    /// Where one row is: Float planes `planeStride` apart, or interleaved 8-bit pixels of `channels` samples (one
    /// batch item, so plane p is channel p).
    package enum Source {
        case floats(UnsafePointer<Float>, planeStride: Int)
        case samples(UnsafePointer<UInt8>, channels: Int)
    }

    /// The first row held, in the full tensor's rows.
    package let top: Int
    package let width: Int
    fileprivate let sources: [Source]

    /// The rows held, in the full tensor's rows.
    package var rows: Range<Int> { top ..< top + sources.count }

    /// Where row `row` (in the full tensor's rows, one of ``rows``) is.
    @inline(__always) package func source(_ row: Int) -> Source {
        precondition(row >= top && row < top + sources.count, "input row \(row) read, rows \(rows) held")
        return sources[row - top]
    }

    /// Row `row` (in the full tensor's rows, one of ``rows``) of plane `plane`; the row must be Floats.
    @inline(__always) package func row(_ row: Int, plane: Int) -> UnsafePointer<Float> {
        guard case .floats(let start, let planeStride) = source(row) else {
            preconditionFailure("input row \(row) is 8-bit samples: read it through withRowAddresses")
        }
        return start + plane * planeStride
    }
}

/// The input rows that output rows `rows` of a sliding window read along the vertical axis, as one range
/// (their hull): the one row-dependency rule of convolution, pooling and padding.
///
/// Output row i reads padded rows i·s + ky·d for ky < k, that is input rows i·s + ky·d − padBefore; rows
/// outside 0..<height read the row ``PaddingMode``'s rule gives (reflected, replicated, wrapped), or nothing for a
/// constant mode (and for `mode` nil, pooling's −∞). So
///
///     first = (rows.first)·s − padBefore,   last = (rows.last)·s − padBefore + (k − 1)·d
///
/// clipped to the input, widened by the rows the padding rule reads for positions outside it. Vertical circular
/// padding reads the opposite edge, so its first and last rows need the whole input: such a step is a barrier.
/// Empty when the rows are empty or read only constant padding.
public func inputRows(for rows: Range<Int>, kernel: Int, stride: Int, dilation: Int, padBefore: Int, height: Int,
                      mode: PaddingMode?) -> Range<Int> {
    guard !rows.isEmpty, height > 0 else { return 0..<0 }
    let first = rows.lowerBound * stride - padBefore
    let last = (rows.upperBound - 1) * stride - padBefore + (kernel - 1) * dilation
    var low = Int.max, high = Int.min
    if max(first, 0) <= min(last, height - 1) { (low, high) = (max(first, 0), min(last, height - 1)) }
    if let mode, mode.constantValue == nil {
        // Positions outside the input, each read through the rule; the rule is periodic with period ≤ 2·height,
        // so beyond that many positions every row is read.
        let outside = max(0, -first) + max(0, last - (height - 1))
        if outside >= 2 * height { return 0..<height }
        for position in Swift.stride(from: first, to: min(0, last + 1), by: 1) {
            if let r = sourceIndex(position, size: height, mode: mode) { low = min(low, r); high = max(high, r) }
        }
        for position in Swift.stride(from: max(height, first), through: last, by: 1) {
            if let r = sourceIndex(position, size: height, mode: mode) { low = min(low, r); high = max(high, r) }
        }
    }
    if low <= high { return low ..< high + 1 }
    let anchor = min(max(first, 0), height)
    return anchor ..< anchor
}
