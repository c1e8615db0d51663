/// A structuring element: the window of a morphology or rank filter as a 0/1 mask of `rows × columns` taps,
/// centred on its anchor (⌊rows/2⌋, ⌊columns/2⌋), OpenCV's default anchor.
///
/// Output (i, j) of ``maskedPool2d(_:parameters:)`` at stride 1 reduces the input samples
/// x[i + ky − anchor.h, j + kx − anchor.w] of the taps (ky, kx) whose mask is 1.
public struct StructuringElement: Hashable, Sendable, CustomStringConvertible {
    /// The element's height, at least 1.
    public let rows: Int
    /// The element's width, at least 1.
    public let columns: Int
    /// Row-major, `rows · columns` entries; at least one is true.
    public let mask: [Bool]

    /// Throws unless the sizes are at least 1×1, `mask` has `rows · columns` entries and at least one tap is set.
    public init(rows: Int, columns: Int, mask: [Bool]) throws {
        guard rows >= 1, columns >= 1 else { throw EngineError("a structuring element must be at least 1×1, but it is \(rows)×\(columns)") }
        guard mask.count == rows * columns else { throw EngineError("a \(rows)×\(columns) structuring element needs \(rows * columns) entries, not \(mask.count)") }
        guard mask.contains(true) else { throw EngineError("a structuring element needs at least one 1") }
        self.rows = rows
        self.columns = columns
        self.mask = mask
    }

    /// The shapes OpenCV's `getStructuringElement` makes.
    public enum Shape: String, CaseIterable, Hashable, Sendable {
        /// Every tap: `MORPH_RECT`.
        case square
        /// The anchor's row and column: `MORPH_CROSS`.
        case cross
        /// The ellipse inscribed in the box: `MORPH_ELLIPSE`.
        case disk
    }

    /// `cv2.getStructuringElement(shape, (size.w, size.h))`, exactly. For `disk` (MORPH_ELLIPSE), with
    /// r = ⌊rows/2⌋ and c = ⌊columns/2⌋, row i has the taps c − dx … c + dx (clipped to the box), where
    ///
    ///     dy = i − r,  dx = round(c · √((r² − dy²) / r²))   (0 when r = 0; round half to even, as cvRound)
    ///
    /// so a 5×5 disk is `0 0 1 0 0; 1 1 1 1 1; …` as in OpenCV (not a Euclidean disk). Sizes must be ≥ 1.
    public init(_ shape: Shape, size: Pair) throws {
        guard size.h >= 1, size.w >= 1 else { throw EngineError("a structuring element must be at least 1×1, but it is \(size.h)×\(size.w)") }
        guard size.h <= StructuringElement.maxSide, size.w <= StructuringElement.maxSide else {
            throw EngineError("a structuring element may be at most \(StructuringElement.maxSide)×\(StructuringElement.maxSide), but it is \(size.h)×\(size.w)")
        }
        let anchor = Pair(h: size.h / 2, w: size.w / 2)
        var mask = [Bool](repeating: false, count: size.h * size.w)
        let r = size.h / 2, c = size.w / 2
        for i in 0..<size.h {
            let span: Range<Int>
            switch shape {
            case .square: span = 0..<size.w
            case .cross: span = i == anchor.h ? 0..<size.w : anchor.w ..< anchor.w + 1
            case .disk:
                let dy = i - r
                if r == 0 {
                    span = 0..<size.w
                } else {
                    let dx = Int((Double(c) * ((Double(r * r - dy * dy)) / Double(r * r)).squareRoot()).rounded(.toNearestOrEven))
                    span = max(c - dx, 0) ..< min(c + dx + 1, size.w)
                }
            }
            for x in span { mask[i * size.w + x] = true }
        }
        try self.init(rows: size.h, columns: size.w, mask: mask)
    }

    /// The largest side accepted from a size option: far beyond any useful window, small enough that a window's
    /// taps (at most 1023²) are bounded.
    public static let maxSide = 1023

    /// The anchor, (⌊rows/2⌋, ⌊columns/2⌋).
    public var anchor: Pair { Pair(h: rows / 2, w: columns / 2) }

    /// The number of taps set.
    public var count: Int { mask.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// Every tap is set (a rectangle, which the max and min run as two separable passes).
    public var isRectangle: Bool { !mask.contains(false) }

    /// The padding that centres the element on its anchor: anchor rows above, the rest below, likewise across.
    public var centredPadding: Padding {
        Padding(top: anchor.h, bottom: rows - 1 - anchor.h, left: anchor.w, right: columns - 1 - anchor.w)
    }

    /// The runs of set taps of mask row `ky`, as (first column, length), left to right.
    func runs(ofRow ky: Int) -> [(start: Int, length: Int)] {
        var runs: [(start: Int, length: Int)] = []
        var x = 0
        while x < columns {
            guard mask[ky * columns + x] else { x += 1; continue }
            let start = x
            while x < columns && mask[ky * columns + x] { x += 1 }
            runs.append((start, x - start))
        }
        return runs
    }

    /// The mask as rows of 0 and 1, e.g. `0 1 0; 1 1 1; 0 1 0`.
    public var description: String {
        (0..<rows).map { y in (0..<columns).map { mask[y * columns + $0] ? "1" : "0" }.joined(separator: " ") }.joined(separator: "; ")
    }
}
