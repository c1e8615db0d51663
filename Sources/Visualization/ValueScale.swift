import TensorEngine

/// How values become grey levels, one scale for every panel of a picture, so the same value is the same
/// grey in the input and the output (max pooling's winning 6 is one grey in both).
///
/// `low` is drawn black and `high` white, linearly in between, values outside clamped. Images whose
/// values all lie in [0, 1] use 0…1 (the picture as a viewer shows it); `.npy` data and results outside
/// [0, 1] use the joint minimum and maximum of every panel. A constant picture shows mid grey.
/// Non-finite values (max pooling's −∞ padding) are drawn as `low`.
package struct ValueScale: Sendable, Equatable {
    package var low: Float
    package var high: Float

    package init(low: Float, high: Float) {
        self.low = low
        self.high = high
    }

    /// The scale for `planes` shown together; `isData` (a `.npy` input) always stretches to their range.
    package static func shared(by planes: [Tensor], isData: Bool) -> ValueScale {
        var low = Float.infinity, high = -Float.infinity
        for plane in planes {
            for v in plane.storage where v.isFinite {
                low = min(low, v)
                high = max(high, v)
            }
        }
        guard low <= high else { return ValueScale(low: 0, high: 1) }
        if !isData && low >= -1e-4 && high <= 1 + 1e-4 { return ValueScale(low: 0, high: 1) }
        return ValueScale(low: low, high: high)
    }

    /// Whether the scale stretches (anything but 0…1), which the legend says.
    package var isStretched: Bool { low != 0 || high != 1 }

    /// The grey level of `v` in [0, 1].
    package func level(_ v: Float) -> Float {
        guard v.isFinite else { return 0 }
        guard high > low else { return 0.5 }
        return min(max((v - low) / (high - low), 0), 1)
    }

    /// `t`'s first plane (or first three, for colour) as a (1, 3, h, w) display tensor.
    package func rgb(_ t: Tensor) -> Tensor {
        let plane = t.shape.planeSize
        let values = Array(t.storage.prefix(min(t.c, 3) * plane)).map(level)
        let rgb = t.c >= 3 ? values : values + values + values
        return Tensor(shape: TensorShape(n: 1, c: 3, h: t.h, w: t.w), storage: rgb)
    }
}

/// How cell values are written: integers when every value is a whole number (a lesson's grid), else a fixed
/// number of decimals chosen by the largest magnitude (2 below 10, 1 below 100, none above).
package struct NumberFormat: Sendable, Equatable {
    package var decimals: Int

    package init(decimals: Int) { self.decimals = decimals }

    package static func fitting(_ planes: [Tensor]) -> NumberFormat {
        var largest: Float = 0, whole = true
        for plane in planes {
            for v in plane.storage where v.isFinite {
                largest = max(largest, abs(v))
                if v != v.rounded() { whole = false }
            }
        }
        if whole { return NumberFormat(decimals: 0) }
        return NumberFormat(decimals: largest < 10 ? 2 : largest < 100 ? 1 : 0)
    }

    /// `v` with this format's decimals, `−` for minus, `−∞` / `∞` / `NaN` for non-finite values.
    package func string(_ v: Float) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "−∞" : "∞" }
        var scaled = Double(v)
        for _ in 0..<decimals { scaled *= 10 }
        // Beyond 10¹⁵ (a kernel weight of 1e19) the digits would not fit an Int64: Swift's shortest form, e.g. 1e+19.
        guard abs(scaled) < 1e15 else { let text = "\(v)"; return text.hasPrefix("-") ? "−" + text.dropFirst() : text }
        var n = Int64(scaled.rounded())
        let negative = n < 0
        n = abs(n)
        var digits = String(n)
        if decimals > 0 {
            while digits.count <= decimals { digits = "0" + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (negative ? "−" : "") + digits
    }
}
