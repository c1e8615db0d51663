import TensorEngine

/// What a filter does with output values outside [0, 1] before they are written as pixels.
///
/// - `clamp`: min(max(v, 0), 1) — the default for filters whose kernel sums to 1 (blur, sharpen, emboss).
/// - `abs`: |v|, then clamp — for signed responses such as one gradient direction.
/// - `normalize`: (v − min) / (max − min) over the whole tensor, a min–max stretch (a flat result becomes 0).
/// - `offset(V)`: v + V, then clamp — GIMP's offset; 0.5 shows signed responses around mid-grey.
public enum ValuePolicy: Hashable, Sendable, CustomStringConvertible {
    case clamp
    case abs
    case normalize
    case offset(Float)

    /// Applies the policy in place and returns how many values had to be clipped to [0, 1].
    @discardableResult
    public func apply(to tensor: inout Tensor) -> Int {
        tensor.withUnsafeMutableBufferPointer { apply(to: $0) }
    }

    /// Applies the policy to rows `rows` of every plane only (`normalize` then takes its min and max from
    /// those rows); returns how many values were clipped.
    @discardableResult
    public func apply(to tensor: inout Tensor, rows: Range<Int>) -> Int {
        if rows == 0..<tensor.h { return apply(to: &tensor) }
        if case .normalize = self {  // min and max over the rows of every plane, so copy them out and back
            var part = tensor.rows(rows)
            let clipped = apply(to: &part)
            let plane = tensor.shape.planeSize, width = tensor.w, planes = tensor.shape.planeCount
            tensor.withUnsafeMutableBufferPointer { values in
                part.withUnsafeBufferPointer { src in
                    for p in 0..<planes {
                        (values.baseAddress! + p * plane + rows.lowerBound * width)
                            .update(from: src.baseAddress! + p * part.shape.planeSize, count: part.shape.planeSize)
                    }
                }
            }
            return clipped
        }
        let plane = tensor.shape.planeSize, width = tensor.w, planes = tensor.shape.planeCount
        return tensor.withUnsafeMutableBufferPointer { values in
            var clipped = 0
            for p in 0..<planes {
                let start = p * plane + rows.lowerBound * width
                clipped += apply(to: UnsafeMutableBufferPointer(rebasing: values[start..<(start + rows.count * width)]))
            }
            return clipped
        }
    }

    /// The policy on raw values; clamp, abs and offset go eight at a time.
    func apply(to values: UnsafeMutableBufferPointer<Float>) -> Int {
        var clipped = 0
        switch self {
        case .normalize:
            var lo = Float.infinity, hi = -Float.infinity
            for v in values where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
            let range = hi - lo
            let scale: Float = range > 0 && range.isFinite ? 1 / range : 0
            for i in values.indices { values[i] = values[i].isFinite ? (values[i] - lo) * scale : 0 }
        case .clamp, .abs, .offset:
            let shift: Float = if case .offset(let v) = self { v } else { 0 }
            let takeAbs = self == .abs
            guard let base = values.baseAddress else { return 0 }
            let n = values.count
            var i = 0
            var counts = SIMD8<Int32>(repeating: 0)
            let zero = SIMD8<Float>(repeating: 0), one = SIMD8<Float>(repeating: 1)
            let none = SIMD8<Int32>(repeating: 0), single = SIMD8<Int32>(repeating: 1)
            while i + 8 <= n {
                let raw = UnsafeMutableRawPointer(base + i)
                var v = raw.loadUnaligned(as: SIMD8<Float>.self) + shift
                if takeAbs {  // clear the sign bit, exactly Swift.abs
                    v = unsafeBitCast(unsafeBitCast(v, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: SIMD8<Float>.self)
                }
                let low = .!(v .>= zero), high = v .> one  // low: negative or NaN
                counts &+= none.replacing(with: single, where: low) &+ none.replacing(with: single, where: high)
                v = v.replacing(with: zero, where: low).replacing(with: one, where: high)
                raw.storeBytes(of: v, as: SIMD8<Float>.self)
                i += 8
            }
            clipped = Int(counts.wrappedSum())
            while i < n {
                var v = base[i] + shift
                if takeAbs { v = Swift.abs(v) }
                if !(v >= 0) { clipped += 1; v = 0 } else if v > 1 { clipped += 1; v = 1 }
                base[i] = v
                i += 1
            }
        }
        return clipped
    }

    /// Parses `clamp`, `abs`, `normalize` or `offset=V` (V a finite number); nil for anything else.
    public init?(parsing text: String) {
        switch text {
        case "clamp": self = .clamp
        case "abs": self = .abs
        case "normalize": self = .normalize
        default:
            guard text.hasPrefix("offset="), let v = Float(text.dropFirst(7)), v.isFinite else { return nil }
            self = .offset(v)
        }
    }

    public var description: String {
        switch self {
        case .clamp: "clamp"
        case .abs: "abs"
        case .normalize: "normalize"
        case .offset(let v): "offset=\(v)"
        }
    }
}
