/// A 4-D tensor of `Float` in NCHW order with contiguous storage and value semantics.
///
/// Copies share storage until one of them is mutated (copy-on-write, as `Array`).
/// Hot loops use ``withUnsafeBufferPointer(_:)`` / ``withUnsafeMutableBufferPointer(_:)``
/// so that no bounds check or copy happens per element.
public struct Tensor: Equatable, Sendable {
    /// (N, C, H, W); fixed for the tensor's life (``reshaped(_:)`` makes a new one).
    public private(set) var shape: TensorShape
    /// The elements, in NCHW order; `storage.count == shape.count`.
    public private(set) var storage: [Float]

    /// A tensor with every element equal to `value`.
    public init(shape: TensorShape, repeating value: Float = 0) {
        self.shape = shape
        self.storage = [Float](repeating: value, count: shape.count)
    }

    /// A tensor holding `storage` (NCHW order). `storage.count` must equal `shape.count`.
    public init(shape: TensorShape, storage: [Float]) {
        precondition(storage.count == shape.count, "storage holds \(storage.count) values, shape \(shape) needs \(shape.count)")
        self.shape = shape
        self.storage = storage
    }

    /// A tensor whose every element is written by `initializer`, without zero-filling first.
    /// The initializer must write all `shape.count` elements.
    public init(shape: TensorShape, unsafeUninitialized initializer: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        self.shape = shape
        self.storage = try [Float](unsafeUninitializedCapacity: shape.count) { buffer, initializedCount in
            try initializer(buffer)
            initializedCount = shape.count
        }
    }

    /// Batch size N (``TensorShape/n``).
    @inlinable public var n: Int { shape.n }
    /// Channels C (``TensorShape/c``).
    @inlinable public var c: Int { shape.c }
    /// Height H in rows (``TensorShape/h``).
    @inlinable public var h: Int { shape.h }
    /// Width W in columns (``TensorShape/w``).
    @inlinable public var w: Int { shape.w }

    /// Element (n, c, y, x), bounds-checked: for tests and small tools, not for hot loops.
    public subscript(n: Int, c: Int, y: Int, x: Int) -> Float {
        get { storage[shape.offset(n, c, y, x)] }
        set { storage[shape.offset(n, c, y, x)] = newValue }
    }

    /// Calls `body` with the elements in NCHW order (``TensorShape/offset(_:_:_:_:)`` indexes them) and returns
    /// its result. The pointer is valid only during the call.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the elements in NCHW order, writable, after making the storage unique (copy-on-write);
    /// returns its result. The pointer is valid only during the call; the count cannot change.
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: TensorShape) -> Tensor {
        precondition(newShape.count == shape.count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(shape: newShape, storage: storage)
    }

    /// Channels `range` of every batch item, as a new tensor.
    public func channels(_ range: Range<Int>) -> Tensor {
        precondition(range.lowerBound >= 0 && range.upperBound <= c, "channel range \(range) outside 0..<\(c)")
        let plane = shape.planeSize
        let out = TensorShape(n: n, c: range.count, h: h, w: w)
        return withUnsafeBufferPointer { src in
            Tensor(shape: out) { dst in
                for b in 0..<n {
                    let from = (b * c + range.lowerBound) * plane
                    let to = b * range.count * plane
                    let len = range.count * plane
                    dst.baseAddress!.advanced(by: to).update(from: src.baseAddress!.advanced(by: from), count: len)
                }
            }
        }
    }

    /// Concatenation along the channel axis; all parts must share N, H and W.
    public static func concatenatingChannels(_ parts: [Tensor]) -> Tensor {
        precondition(!parts.isEmpty, "nothing to concatenate")
        let first = parts[0].shape
        for p in parts {
            precondition(p.n == first.n && p.h == first.h && p.w == first.w, "cannot concatenate \(p.shape) with \(first)")
        }
        let totalC = parts.reduce(0) { $0 + $1.c }
        let plane = first.planeSize
        return Tensor(shape: TensorShape(n: first.n, c: totalC, h: first.h, w: first.w)) { dst in
            var offset = 0
            for b in 0..<first.n {
                for p in parts {
                    let len = p.c * plane
                    p.withUnsafeBufferPointer { src in
                        if len > 0 { dst.baseAddress!.advanced(by: offset).update(from: src.baseAddress!.advanced(by: b * len), count: len) }
                    }
                    offset += len
                }
            }
        }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String { "Tensor\(shape)" }
}
