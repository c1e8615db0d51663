import Testing
import TensorEngine

/// The one comparison of float arrays the whole suite uses.
///
/// Two arrays match within `tolerance` when they have the same length and, position for position,
/// either both values are NaN, or both are the same infinity, or both are finite and |a − e| ≤ tolerance.
/// A NaN facing a number (or a number facing NaN) is always a mismatch, whatever the tolerance, so a
/// NaN-propagation bug cannot hide behind `.max()` (which skips NaN). `tolerance: 0` is exact equality
/// (with NaN equal to NaN).
public struct FloatComparison: Sendable, CustomStringConvertible {
    /// The largest |a − e| over the positions where both values are finite (0 when there are none).
    public var worstFiniteDifference: Float = 0
    /// The first position that breaks the rule above, with both values, or nil.
    public var firstMismatch: (index: Int, actual: Float, expected: Float)?
    /// How many positions break the rule.
    public var mismatches = 0

    public init(_ actual: [Float], _ expected: [Float], tolerance: Float) {
        precondition(actual.count == expected.count, "compare arrays of one length: \(actual.count) vs \(expected.count)")
        for i in actual.indices {
            let a = actual[i], e = expected[i]
            let ok: Bool
            if a.isNaN || e.isNaN {
                ok = a.isNaN && e.isNaN
            } else if a.isInfinite || e.isInfinite {
                ok = a == e
            } else {
                let d = abs(a - e)
                worstFiniteDifference = max(worstFiniteDifference, d)
                ok = d <= tolerance
            }
            if !ok {
                mismatches += 1
                if firstMismatch == nil { firstMismatch = (i, a, e) }
            }
        }
    }

    public var matches: Bool { mismatches == 0 }

    public var description: String {
        guard let m = firstMismatch else { return "match (worst |difference| \(worstFiniteDifference))" }
        return "\(mismatches) mismatches; first at element \(m.index): \(m.actual), expected \(m.expected); worst finite |difference| \(worstFiniteDifference)"
    }
}

/// Records an issue unless `actual` and `expected` have the same shape and match within `tolerance`
/// by the rule of ``FloatComparison`` (NaN only against NaN, position for position). Returns the
/// comparison (nil on a shape mismatch) so a caller can also read the worst difference.
@discardableResult
public func expectClose(_ actual: Tensor, _ expected: Tensor, _ label: String, tolerance: Float,
                        sourceLocation: SourceLocation = #_sourceLocation) -> FloatComparison? {
    guard actual.shape == expected.shape else {
        Issue.record("\(label): shape \(actual.shape), expected \(expected.shape)", sourceLocation: sourceLocation)
        return nil
    }
    let comparison = FloatComparison(actual.storage, expected.storage, tolerance: tolerance)
    if !comparison.matches {
        Issue.record("\(label): \(comparison) (tolerance \(tolerance))", sourceLocation: sourceLocation)
    }
    return comparison
}

/// The same rule for plain arrays (for example values read from a file without a tensor shape).
@discardableResult
public func expectClose(_ actual: [Float], _ expected: [Float], _ label: String, tolerance: Float,
                        sourceLocation: SourceLocation = #_sourceLocation) -> FloatComparison? {
    guard actual.count == expected.count else {
        Issue.record("\(label): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return nil
    }
    let comparison = FloatComparison(actual, expected, tolerance: tolerance)
    if !comparison.matches {
        Issue.record("\(label): \(comparison) (tolerance \(tolerance))", sourceLocation: sourceLocation)
    }
    return comparison
}

/// The tolerances the PyTorch contract is held to, from the worst errors measured against the committed PyTorch 1.13
/// fixtures (README, Tests): max pooling (plain and adaptive) and every padding mode only select values and match
/// exactly; average pooling adds in PyTorch's order and matches exactly too; adaptive average pooling does too except
/// for a 1×1 output, which PyTorch computes as a mean that sums in another order, and it is held to 2⁻²⁴ (one unit in
/// the last place of a value in [0.5, 1)); convolution sums many products in another order and is held to 2e-5 (worst
/// measured 9.5e-6, an 11×11 kernel at stride 4).
public enum TorchTolerance {
    public static let convolution: Float = 2e-5
    public static let averagePooling: Float = 0x1p-24
    public static let exact: Float = 0

    /// The tolerance for one op name of the fixtures (`conv2d`, `max_pool2d`, `avg_pool2d`, `pad`, …).
    public static func of(op: String) -> Float {
        switch op {
        case "conv2d": convolution
        case "adaptive_avg_pool2d": averagePooling
        default: exact
        }
    }
}
