/// The shape of an NCHW tensor: batch `n`, channels `c`, height `h`, width `w`.
///
/// Element (n, c, y, x) lives at offset `((n·C + c)·H + y)·W + x` of the contiguous storage.
public struct TensorShape: Hashable, Sendable, CustomStringConvertible {
    /// Batch size N: the number of images.
    public var n: Int
    /// Channels C per image (1 gray, 3 RGB, 4 RGBA for decoded images).
    public var c: Int
    /// Height H, in rows.
    public var h: Int
    /// Width W, in columns.
    public var w: Int

    /// The shape (n, c, h, w); a single image (n = 1) by default. Traps on a negative dimension; zero is allowed.
    /// Does not check the element count (``validateCount()`` does).
    public init(n: Int = 1, c: Int, h: Int, w: Int) {
        precondition(n >= 0 && c >= 0 && h >= 0 && w >= 0, "tensor dimensions must not be negative")
        self.n = n
        self.c = c
        self.h = h
        self.w = w
    }

    /// Number of elements, N·C·H·W.
    public var count: Int { n * c * h * w }
    /// Elements in one plane, H·W.
    public var planeSize: Int { h * w }
    /// Number of planes, N·C.
    public var planeCount: Int { n * c }

    /// Flat offset of element (n, c, y, x).
    @inlinable
    public func offset(_ n: Int, _ c: Int, _ y: Int, _ x: Int) -> Int {
        ((n * self.c + c) * h + y) * w + x
    }

    public var description: String { "(\(n), \(c), \(h), \(w))" }

    /// ``validateCount(n:c:h:w:)`` for this shape.
    public func validateCount() throws { try TensorShape.validateCount(n: n, c: c, h: h, w: w) }

    /// The most elements one tensor may hold: 2³⁰ Float32 values, 4 GiB — what a job may hold whole (a
    /// barrier, a whole-image decode, a `.npy` output); images that stream are not held whole. Larger requests, which a few bytes of hostile
    /// input or a typo such as `--padding 100000` can make, are refused before anything is allocated.
    public static let maxCount = 1 << 30

    /// Throws unless an (n, c, h, w) tensor can be allocated: N·C·H·W computed without overflow and at
    /// most ``maxCount``. Every engine function calls it before allocating its result (the geometry
    /// types do not: they are also plain arithmetic, for the `shape` command).
    public static func validateCount(n: Int, c: Int, h: Int, w: Int) throws {
        var count = 1, overflow = false
        for d in [n, c, h, w] {
            let (p, o) = count.multipliedReportingOverflow(by: max(d, 0))
            count = p
            overflow = overflow || o
        }
        guard overflow || count > maxCount else { return }
        let size = overflow ? "more than 2⁶³" : "\(count)"
        throw EngineError.limitExceeded("a tensor of shape (\(n), \(c), \(h), \(w)) would hold \(size) values, more than the \(maxCount) (4 GiB) one tensor may hold")
    }
}
