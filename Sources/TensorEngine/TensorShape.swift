/// The shape of an NCHW tensor: batch `n`, channels `c`, height `h`, width `w`.
///
/// Element (n, c, y, x) lives at offset `((n·C + c)·H + y)·W + x` of the contiguous storage.
public struct TensorShape: Hashable, Sendable, CustomStringConvertible {
    public var n: Int
    public var c: Int
    public var h: Int
    public var w: Int

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
}
