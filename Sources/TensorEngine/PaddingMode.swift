/// What a sliding window reads outside the input plane.
///
/// Along one axis of size n, with the input `a b c d` (n = 4) and two padded samples each side:
///
/// | mode           | padded row              | OpenCV                       | scipy.ndimage        | ImageMagick `-virtual-pixel` |
/// |----------------|-------------------------|------------------------------|----------------------|------------------------------|
/// | `zeros`        | `0 0 │ a b c d │ 0 0`    | `BORDER_CONSTANT`, value 0   | `constant`, cval 0   | `black`                      |
/// | `constant(v)`  | `v v │ a b c d │ v v`    | `BORDER_CONSTANT`, value v   | `constant`, cval v   | `background` (colour v)      |
/// | `reflect`      | `c b │ a b c d │ c b`    | `BORDER_REFLECT_101`         | `mirror`             | none (`mirror` repeats the edge) |
/// | `symmetric`    | `b a │ a b c d │ d c`    | `BORDER_REFLECT`             | `reflect`            | `mirror`                     |
/// | `replicate`    | `a a │ a b c d │ d d`    | `BORDER_REPLICATE`           | `nearest`            | `edge`                       |
/// | `circular`     | `c d │ a b c d │ a b`    | `BORDER_WRAP`                | `wrap`               | `tile`                       |
///
/// `zeros`, `reflect`, `replicate` and `circular` are PyTorch's `padding_mode`s (and `F.pad` modes,
/// `zeros` being `constant` with value 0); `symmetric` is numpy's `np.pad(mode="symmetric")`.
///
/// Padded position i along an axis of n samples reads input sample i itself when 0 ≤ i < n, else
///
///     reflect:   m = i mod 2(n − 1);  m ≥ n ? 2(n − 1) − m : m     (n = 1: sample 0)
///     symmetric: m = i mod 2n;        m ≥ n ? 2n − 1 − m : m
///     replicate: clamp(i, 0, n − 1)
///     circular:  i mod n
///
/// (mod taking values in 0..<period), and `zeros` / `constant(v)` read 0 / v. Convolution, pooling and ``pad(_:padding:mode:)``
/// all read through this one rule.
///
/// PyTorch's limits, which every operation checks with ``PaddingReach/pytorch`` and refuses with
/// ``EngineError/invalidParameter(_:)``: `reflect` needs each pad < the input size on that axis; `circular` needs
/// each pad ≤ the size (it wraps at most once); and so does `symmetric` here; `replicate`, `reflect`, `circular` and
/// `symmetric` need a non-empty axis to read from. With ``PaddingReach/unlimited`` (the named image filters) only
/// the last rule holds: the formulas above are periodic, so the border keeps reflecting (or wrapping) for as long
/// as the window reaches (`a b c` padded by 5 with `reflect` reads `b c b │ a b c │ b a b`).
public enum PaddingMode: Hashable, Sendable, CustomStringConvertible {
    /// Reads 0 outside the plane (PyTorch's default `padding_mode`).
    case zeros
    /// Mirrors about the edge sample, which is not repeated (`c b │ a b c d`); PyTorch's `reflect`.
    case reflect
    /// Repeats the edge sample (`a a │ a b c d`); PyTorch's `replicate`.
    case replicate
    /// Wraps around to the opposite edge (`c d │ a b c d`); PyTorch's `circular`.
    case circular
    /// Mirrors including the edge sample (`b a │ a b c d`); numpy's `symmetric`, not a PyTorch mode.
    case symmetric
    /// Reads v outside the plane, as `F.pad(mode="constant", value=v)`; ``init(parsing:)`` accepts only a finite v.
    case constant(Float)

    /// Parses `zeros | reflect | replicate | circular | symmetric | constant=V` (V finite).
    public init?(parsing text: some StringProtocol) {
        switch text {
        case "zeros": self = .zeros
        case "reflect": self = .reflect
        case "replicate": self = .replicate
        case "circular": self = .circular
        case "symmetric": self = .symmetric
        default:
            guard text.hasPrefix("constant="), let value = Float(text.dropFirst("constant=".count)), value.isFinite else { return nil }
            self = .constant(value)
        }
    }

    /// The value read outside the plane for `zeros` (0) and `constant(v)` (v); nil for modes that read input samples.
    @inlinable
    public var constantValue: Float? {
        switch self {
        case .zeros: return 0
        case .constant(let v): return v
        case .reflect, .replicate, .circular, .symmetric: return nil
        }
    }

    public var description: String {
        switch self {
        case .zeros: return "zeros"
        case .reflect: return "reflect"
        case .replicate: return "replicate"
        case .circular: return "circular"
        case .symmetric: return "symmetric"
        case .constant(let v): return "constant=\(v)"
        }
    }

    /// Throws unless `padding` can be applied to a `height × width` plane in this mode: PyTorch's limits
    /// (see above) for ``PaddingReach/pytorch``; for ``PaddingReach/unlimited`` only a non-negative
    /// padding and, for the reading modes, a non-empty axis.
    package func validate(_ padding: Padding, height: Int, width: Int, reach: PaddingReach = .pytorch) throws {
        try validateAxis(padding.top, "top", height, "height", reach)
        try validateAxis(padding.bottom, "bottom", height, "height", reach)
        try validateAxis(padding.left, "left", width, "width", reach)
        try validateAxis(padding.right, "right", width, "width", reach)
    }

    private func validateAxis(_ pad: Int, _ side: String, _ size: Int, _ axis: String, _ reach: PaddingReach) throws {
        guard pad >= 0 else { throw EngineError("padding must not be negative, but the \(side) padding is \(pad)") }
        guard pad > 0, constantValue == nil else { return }
        guard size > 0 else {
            throw EngineError("\(self) padding needs input samples to read, but the \(axis) is 0")
        }
        guard reach == .pytorch else { return }
        switch self {
        case .reflect where pad >= size:
            throw EngineError("reflect padding must be smaller than the input: \(side) padding \(pad) ≥ \(axis) \(size)")
        case .circular where pad > size:
            throw EngineError("circular padding must not exceed the input (it would wrap around more than once): \(side) padding \(pad) > \(axis) \(size)")
        case .symmetric where pad > size:
            throw EngineError("symmetric padding must not exceed the input: \(side) padding \(pad) > \(axis) \(size)")
        default:
            return
        }
    }
}

/// The input index that padded position `i` reads along an axis of `size` samples, or nil where the
/// mode supplies its constant (`zeros`, `constant`). Positions inside `0..<size` map to themselves.
///
/// This is the one padding rule of the engine: `pad`, convolution and pooling all read through it.
///
///     reflect:   period 2(n−1), i ↦ m = i mod 2(n−1); m ≥ n ? 2(n−1) − m : m
///     symmetric: period 2n,     i ↦ m = i mod 2n;     m ≥ n ? 2n − 1 − m : m
///     replicate: i ↦ clamp(i, 0, n − 1)
///     circular:  i ↦ i mod n
///
/// The formulas hold for any distance, beyond PyTorch's limits: this is also the repeated reflection that
/// ``PaddingReach/unlimited`` allows (scipy.ndimage `mirror`, OpenCV `BORDER_REFLECT_101`, which keep reflecting
/// when the border is longer than the image: `a b c` padded by 5 reads `b c b │ a b c │ b a b`; on a one-sample
/// axis reflect reads that sample, as replicate). `size` must be ≥ 1 for the reading modes.
@inlinable
package func sourceIndex(_ i: Int, size: Int, mode: PaddingMode) -> Int? {
    if i >= 0 && i < size { return i }
    switch mode {
    case .zeros, .constant:
        return nil
    case .replicate:
        return i < 0 ? 0 : size - 1
    case .circular:
        let m = i % size
        return m < 0 ? m + size : m
    case .reflect:
        if size == 1 { return 0 }
        let period = 2 * (size - 1)
        var m = i % period
        if m < 0 { m += period }
        return m >= size ? period - m : m
    case .symmetric:
        let period = 2 * size
        var m = i % period
        if m < 0 { m += period }
        return m >= size ? period - 1 - m : m
    }
}

/// How far the reading padding modes (`reflect`, `symmetric`, `replicate`, `circular`) may reach past the plane;
/// see ``PaddingMode`` for the limits and formulas.
public enum PaddingReach: Hashable, Sendable {
    /// PyTorch's limits: `reflect` pads < the size, `circular` and `symmetric` pads ≤ the size. `conv`, `pad`,
    /// pooling and the engine's own defaults.
    case pytorch
    /// Any distance: the border keeps reflecting (or wrapping) through ``PaddingMode``'s periodic
    /// formulas, so a filter works on every image of at least 1×1 whatever its kernel. The named image filters.
    case unlimited
}
