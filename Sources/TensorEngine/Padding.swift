/// Explicit padding of a plane: samples added above, below, left and right.
public struct Padding: Hashable, Sendable, CustomStringConvertible {
    /// Rows added above the plane.
    public var top: Int
    /// Rows added below the plane.
    public var bottom: Int
    /// Columns added left of the plane.
    public var left: Int
    /// Columns added right of the plane.
    public var right: Int

    /// Each side on its own, as `F.pad(x, (left, right, top, bottom))`. Not checked here: the operations refuse a
    /// negative side (``EngineError/invalidParameter(_:)``).
    public init(top: Int, bottom: Int, left: Int, right: Int) {
        self.top = top
        self.bottom = bottom
        self.left = left
        self.right = right
    }

    /// PyTorch's symmetric padding `(pH, pW)`: pH rows above and below, pW columns left and right.
    public init(_ pair: Pair) {
        self.init(top: pair.h, bottom: pair.h, left: pair.w, right: pair.w)
    }

    /// No padding.
    public static let zero = Padding(top: 0, bottom: 0, left: 0, right: 0)

    /// PyTorch's `padding="same"` for stride 1: the total d·(k − 1) per axis is split with
    /// ⌊total/2⌋ on top/left and the remaining one (for an odd total) on bottom/right,
    /// so that the output has the input's size.
    public static func same(kernel: Pair, dilation: Pair = Pair(1)) -> Padding {
        let totalH = dilation.h * (kernel.h - 1), totalW = dilation.w * (kernel.w - 1)
        return Padding(top: totalH / 2, bottom: totalH - totalH / 2, left: totalW / 2, right: totalW - totalW / 2)
    }

    /// Parses `"N"`, `"H,W"` (symmetric, as PyTorch) or `"top,bottom,left,right"`; spaces may separate the
    /// numbers instead of commas, as in ``Pair/init(parsing:)``.
    /// Note the last order is not `F.pad`'s (left, right, top, bottom): it follows this type and ``Pair``'s height-first order.
    public init?(parsing text: some StringProtocol) {
        if let pair = Pair(parsing: text) {
            self.init(pair)
            return
        }
        guard let numbers = Pair.parseNumbers(text), numbers.count == 4 else { return nil }
        self.init(top: numbers[0], bottom: numbers[1], left: numbers[2], right: numbers[3])
    }

    /// Whether all four sides are 0.
    @inlinable public var isZero: Bool { top == 0 && bottom == 0 && left == 0 && right == 0 }
    /// Rows added, top + bottom.
    @inlinable public var vertical: Int { top + bottom }
    /// Columns added, left + right.
    @inlinable public var horizontal: Int { left + right }

    public var description: String {
        if top == bottom && left == right { return Pair(h: top, w: left).description }
        return "(top \(top), bottom \(bottom), left \(left), right \(right))"
    }
}

/// How a convolution's padding is given, as PyTorch's `padding=` argument.
public enum PaddingSpec: Hashable, Sendable, CustomStringConvertible {
    /// `(pH, pW)` on both sides of each axis.
    case explicit(Pair)
    /// PyTorch's `padding="same"`: the output keeps the input's size; the stride must be 1 (PyTorch refuses
    /// `same` at any other stride, and so does every function here). See ``Padding/same(kernel:dilation:)``.
    case same
    /// The kernel centred on each sampled pixel at any stride: ``Padding/same(kernel:dilation:)``'s padding,
    /// ⌊d·(k − 1)/2⌋ before and the rest after, so the output has ⌈size/s⌉ rows and columns. The same padding
    /// as ``same`` at stride 1; unlike it, allowed at every stride. The named filters' default (`FilterGeometry`, in ImageFilters).
    case centred
    /// No padding.
    case valid
    /// Each side given on its own, as `F.pad(x, (left, right, top, bottom))` before a `valid` convolution
    /// computes; beyond PyTorch's symmetric `padding=`, for filters whose `same` padding is uneven.
    case sides(Padding)

    /// Parses `same`, `centred` (or `centered`), `valid`, `N` or `H,W`.
    public init?(parsing text: some StringProtocol) {
        switch text {
        case "same": self = .same
        case "centred", "centered": self = .centred
        case "valid": self = .valid
        default:
            guard let pair = Pair(parsing: text) else { return nil }
            self = .explicit(pair)
        }
    }

    /// The explicit padding for a kernel of size `kernel`, dilation `dilation` and stride `stride`.
    /// Throws for `same` with a stride other than 1 and for negative padding, as PyTorch does.
    public func resolved(kernel: Pair, dilation: Pair, stride: Pair) throws -> Padding {
        switch self {
        case .valid:
            return .zero
        case .same:
            guard stride == Pair(1) else {
                throw EngineError("padding \"same\" needs stride 1, but the stride is \(stride)")
            }
            return .same(kernel: kernel, dilation: dilation)
        case .centred:
            return .same(kernel: kernel, dilation: dilation)
        case .explicit(let pair):
            guard pair.h >= 0, pair.w >= 0 else {
                throw EngineError("padding must not be negative, but it is \(pair)")
            }
            return Padding(pair)
        case .sides(let padding):
            guard padding.top >= 0, padding.bottom >= 0, padding.left >= 0, padding.right >= 0 else {
                throw EngineError("padding must not be negative, but it is \(padding)")
            }
            return padding
        }
    }

    public var description: String {
        switch self {
        case .explicit(let pair): return pair.description
        case .same: return "same"
        case .centred: return "centred"
        case .valid: return "valid"
        case .sides(let padding): return padding.description
        }
    }
}
