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
        var clipped = 0
        tensor.withUnsafeMutableBufferPointer { values in
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
                for i in values.indices {
                    var v = values[i] + shift
                    if takeAbs { v = Swift.abs(v) }
                    if !(v >= 0) { if v < 0 || v.isNaN { clipped += 1 }; v = 0 } else if v > 1 { clipped += 1; v = 1 }
                    values[i] = v
                }
            }
        }
        return clipped
    }

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
