/// The maximum and minimum of max pooling, dilation and erosion, with PyTorch's scan rule: `b` replaces the running
/// value `a` when it is larger (smaller) or NaN, so a NaN propagates and ties keep `a`. They are idempotent
/// (a ⊕ a = a), so overlapping windows may be combined: doubling along a row, van Herk/Gil-Werman down the columns.
@usableFromInline
protocol Extremum {
    /// The value that never wins: −∞ for the maximum, +∞ for the minimum (also what "ignore the pixels outside"
    /// pads with, OpenCV's `morphologyDefaultBorderValue`).
    static var identity: Float { get }
    static func combine(_ a: Float, _ b: Float) -> Float
    static func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float>
    static func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float>
}

@usableFromInline
enum Maximum: Extremum {    @usableFromInline static var identity: Float { -.infinity }
    @inline(__always) @usableFromInline static func combine(_ a: Float, _ b: Float) -> Float { b > a || b.isNaN ? b : a }
    @inline(__always) @usableFromInline static func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        a.replacing(with: b, where: (b .> a) .| (b .!= b))
    }
    @inline(__always) @usableFromInline static func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        a.replacing(with: b, where: (b .> a) .| (b .!= b))
    }
}

@usableFromInline
enum Minimum: Extremum {
    @usableFromInline static var identity: Float { .infinity }
    @inline(__always) @usableFromInline static func combine(_ a: Float, _ b: Float) -> Float { b < a || b.isNaN ? b : a }
    @inline(__always) @usableFromInline static func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        a.replacing(with: b, where: (b .< a) .| (b .!= b))
    }
    @inline(__always) @usableFromInline static func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        a.replacing(with: b, where: (b .< a) .| (b .!= b))
    }
}

/// row[x] = row[x] ⊕ next[x] for x < count, ⊕ being `E`'s combine (vectorised).
@inline(__always)
func combineRow<E: Extremum>(_: E.Type, _ next: UnsafePointer<Float>, into row: UnsafeMutablePointer<Float>, count: Int) {
    combineRows(E.self, row, next, into: row, count: count)
}

/// out[x] = a[x] ⊕ b[x] for x < count (vectorised); `out` may be `a`, or lie before `b` by at least 16 samples or not at all.
@inline(__always)
func combineRows<E: Extremum>(_: E.Type, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
    var x = 0
    while x + 16 <= count {
        let u = UnsafeRawPointer(a + x).loadUnaligned(as: SIMD16<Float>.self)
        let v = UnsafeRawPointer(b + x).loadUnaligned(as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(out + x).storeBytes(of: E.combine(u, v), as: SIMD16<Float>.self)
        x += 16
    }
    while x < count { out[x] = E.combine(a[x], b[x]); x += 1 }
}
