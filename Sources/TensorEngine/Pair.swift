/// Two sizes in PyTorch's order: height first, then width.
///
/// Kernel sizes, strides, paddings, dilations and output sizes are all pairs.
/// `Pair(3)` is the square pair (3, 3).
public struct Pair: Hashable, Sendable, CustomStringConvertible {
    /// The height (vertical, rows) component.
    public var h: Int
    /// The width (horizontal, columns) component.
    public var w: Int

    /// The pair (h, w). Any integers; each operation checks the range it needs.
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

    /// Parses `"N"` (square) or `"H,W"`, as typed on a command line; `"H W"` (one or more spaces, no comma)
    /// is the same pair, and spaces around numbers are allowed (`" 3 , 5 "`). Digits are never glued
    /// together: `"32 64"` is (32, 64), not 3264. `"32x64"` is refused, as ImageMagick and most tools read
    /// `WxH` width first, the opposite of this type's height-first order.
    /// Returns nil for anything else, including numbers beyond ±``maxParsedValue``
    /// (no sign check: callers validate ranges and name them).
    public init?(parsing text: some StringProtocol) {
        guard let numbers = Pair.parseNumbers(text), (1...2).contains(numbers.count) else { return nil }
        self.init(h: numbers[0], w: numbers.count == 2 ? numbers[1] : numbers[0])
    }

    /// The integers of a list written `a,b,…` or `a b …` (commas, or else runs of spaces, separate them;
    /// spaces around each are allowed), each within ±``maxParsedValue``; nil when any part is not one.
    static func parseNumbers(_ text: some StringProtocol) -> [Int]? {
        let trimmed = text.trimmingSpaces
        let parts = trimmed.contains(",")
            ? trimmed.split(separator: ",", omittingEmptySubsequences: false)
            : trimmed.split(separator: " ", omittingEmptySubsequences: true)
        guard !parts.isEmpty else { return nil }
        let numbers = parts.compactMap { Pair.parseNumber($0) }
        return numbers.count == parts.count ? numbers : nil
    }

    /// One integer of at most ±``maxParsedValue``, spaces around it ignored (spaces inside it are not).
    static func parseNumber(_ text: some StringProtocol) -> Int? {
        guard let n = Int(String(text.trimmingSpaces)), abs(n) <= maxParsedValue else { return nil }
        return n
    }

    /// The pair as PyTorch prints it: `3` when square, `(3, 5)` otherwise.
    public var description: String { h == w ? "\(h)" : "(\(h), \(w))" }
}

extension StringProtocol {
    /// The text without the spaces and tabs at either end.
    var trimmingSpaces: SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
