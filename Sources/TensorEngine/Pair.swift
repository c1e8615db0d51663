/// Two sizes in PyTorch's order: height first, then width.
///
/// Kernel sizes, strides, paddings, dilations and output sizes are all pairs.
/// `Pair(3)` is the square pair (3, 3).
public struct Pair: Hashable, Sendable, CustomStringConvertible {
    public var h: Int
    public var w: Int

    public init(h: Int, w: Int) {
        self.h = h
        self.w = w
    }

    /// The square pair (value, value).
    public init(_ value: Int) {
        self.init(h: value, w: value)
    }

    /// The largest magnitude ``init(parsing:)`` and ``Padding/init(parsing:)`` accept: 2³¹ − 1. Far beyond
    /// any image, and small enough that `size + pads − d·(k − 1)` cannot overflow `Int`.
    public static let maxParsedValue = Int(Int32.max)

    /// Parses `"N"` (square) or `"H,W"`, as typed on a command line; spaces around numbers are allowed.
    /// Returns nil for anything else, including numbers beyond ±``maxParsedValue``
    /// (no sign check: callers validate ranges and name them).
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return nil }
        let numbers = parts.compactMap { Pair.parseNumber($0) }
        guard numbers.count == parts.count else { return nil }
        self.init(h: numbers[0], w: numbers.count == 2 ? numbers[1] : numbers[0])
    }

    /// One integer of at most ±``maxParsedValue``, spaces ignored.
    static func parseNumber(_ text: some StringProtocol) -> Int? {
        guard let n = Int(String(text.filter { $0 != " " })), abs(n) <= maxParsedValue else { return nil }
        return n
    }

    /// The pair as PyTorch prints it: `3` when square, `(3, 5)` otherwise.
    public var description: String { h == w ? "\(h)" : "(\(h), \(w))" }
}
