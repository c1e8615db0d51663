import TensorEngine

/// One stage of a row pipeline (the spirit of libvips' regions): it gives rows of its output on demand,
/// computing them from the rows it asks of the stage before it.
///
/// Demand flows from the file being written back to the file being read: the sink asks the last stage for
/// output strips at absolute row numbers, each stage maps them to the input rows its operation reads
/// (``/ImageFilters/ImageFilter/inputRows(for:input:)``) and asks its upstream for those, down to the decoder.
/// Each request says from which row on the requests to come may still read (`keepingFrom`); that bound never
/// decreases, so a stage keeps just the rows its later requests may read (a few strips), and memory does not
/// grow with the image. A stage computes each of its rows once, top to bottom.
protocol RowStage: AnyObject {
    /// The full output shape (N, C, H, W).
    var shape: TensorShape { get }
    /// Rows `rows` of the output, in a window of exactly those rows (`rows` may be empty). No later request
    /// reads a row above `keep`, which is at most `rows.lowerBound` and at least every earlier call's `keep`.
    func rows(_ rows: Range<Int>, keepingFrom keep: Int) throws -> RowWindow
    /// What `--verbose` says about this stage and every one before it, first stage first.
    func describe(into plan: inout RowPlanDescription)
}

/// The rows a stage has computed and may still be asked for: a list of chunks, each a block of consecutive rows
/// (Float planes, or the 8-bit samples a decoder hands over), together covering rows `lowerBound ..< upperBound` of a
/// tensor of `shape`.
struct RowCache {
    let shape: TensorShape
    private var chunks: [(first: Int, block: RowBlock)] = []
    /// The first row held (when nothing is held, the next row to be appended).
    private(set) var lowerBound = 0
    /// One past the last row computed so far.
    private(set) var upperBound = 0

    init(shape: TensorShape) { self.shape = shape }

    /// Forgets the rows above `row`: no later request reads them.
    mutating func drop(below row: Int) {
        precondition(row >= lowerBound, "a request moved back to row \(row), below row \(lowerBound) already dropped")
        chunks.removeAll { $0.first + $0.block.shape.h <= row }
        lowerBound = min(row, upperBound)
    }

    /// Appends rows `first ..< first + tensor.h`; `first` is ``upperBound``.
    mutating func append(_ tensor: Tensor, at first: Int) {
        append(.planes(tensor), at: first)
    }

    /// Appends rows `first ..< first + block.shape.h`; `first` is ``upperBound``.
    mutating func append(_ block: RowBlock, at first: Int) {
        precondition(first == upperBound, "rows appended at \(first), not at the next row \(upperBound)")
        let rows = block.shape.h
        if rows > 0 { chunks.append((first, block)) }
        upperBound = first + rows
    }

    /// Rows `rows` (held) as one window over the chunks that hold them: no row is copied (nor spread).
    func window(_ rows: Range<Int>) -> RowWindow {
        precondition(rows.isEmpty || (rows.lowerBound >= lowerBound && rows.upperBound <= upperBound),
                     "rows \(rows) asked, rows \(lowerBound)..<\(upperBound) held")
        var parts: [(block: RowBlock, rows: Range<Int>)] = []
        for chunk in chunks {
            let low = max(rows.lowerBound, chunk.first), high = min(rows.upperBound, chunk.first + chunk.block.shape.h)
            if low < high { parts.append((chunk.block, low - chunk.first ..< high - chunk.first)) }
        }
        if parts.isEmpty { parts = [(.planes(Tensor(shape: TensorShape(n: shape.n, c: shape.c, h: 0, w: shape.w))), 0..<0)] }
        return RowWindow(blocks: parts, top: rows.lowerBound, height: shape.h)
    }
}
