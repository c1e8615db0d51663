/// A rectangle of canvas pixels: columns `x ..< x + width`, rows `y ..< y + height`.
public struct PixelRect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }

    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }

    public var description: String { "\(width)×\(height) at (\(x), \(y))" }
}

/// A row and column of a grid (an output position, or a sample of the padded input).
public struct GridPoint: Hashable, Sendable, CustomStringConvertible {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    public var description: String { "\(row),\(column)" }
}

/// A region of an image in pixels, as `--crop TOP,LEFT,HEIGHT,WIDTH` gives it: rows `top ..< top + height`,
/// columns `left ..< left + width` (row first, like every other H,W pair of imgconv).
public struct CropRegion: Hashable, Sendable, CustomStringConvertible {
    public var top: Int
    public var left: Int
    public var height: Int
    public var width: Int

    public init(top: Int, left: Int, height: Int, width: Int) {
        self.top = top
        self.left = left
        self.height = height
        self.width = width
    }

    /// Parses `TOP,LEFT,HEIGHT,WIDTH`; nil for anything else.
    public init?(parsing text: some StringProtocol) {
        // Spaces around a number are allowed, inside one ("1 2") are not: digits are never glued together.
        let numbers = text.split(separator: ",", omittingEmptySubsequences: false).map { field -> Int? in
            let words = field.split(separator: " ")
            return words.count == 1 ? Int(words[0]) : nil
        }
        guard numbers.count == 4, let t = numbers[0], let l = numbers[1], let h = numbers[2], let w = numbers[3] else { return nil }
        self.init(top: t, left: l, height: h, width: w)
    }

    public var description: String { "\(top),\(left),\(height),\(width)" }
}
