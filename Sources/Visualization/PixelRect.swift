/// A rectangle of canvas pixels: columns `x ..< x + width`, rows `y ..< y + height`.
package struct PixelRect: Hashable, Sendable, CustomStringConvertible {
    package var x: Int
    package var y: Int
    package var width: Int
    package var height: Int

    package init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    package var maxX: Int { x + width }
    package var maxY: Int { y + height }

    package func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }

    package var description: String { "\(width)×\(height) at (\(x), \(y))" }
}

/// A row and column of a grid (an output position, or a sample of the padded input).
package struct GridPoint: Hashable, Sendable, CustomStringConvertible {
    package var row: Int
    package var column: Int

    package init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    package var description: String { "\(row),\(column)" }
}

/// A region of an image in pixels, as `--crop TOP,LEFT,HEIGHT,WIDTH` gives it: rows `top ..< top + height`,
/// columns `left ..< left + width` (row first, like every other H,W pair of imgconv).
package struct CropRegion: Hashable, Sendable, CustomStringConvertible {
    package var top: Int
    package var left: Int
    package var height: Int
    package var width: Int

    package init(top: Int, left: Int, height: Int, width: Int) {
        self.top = top
        self.left = left
        self.height = height
        self.width = width
    }

    /// Parses `TOP,LEFT,HEIGHT,WIDTH`; nil for anything else.
    package init?(parsing text: some StringProtocol) {
        // Spaces around a number are allowed, inside one ("1 2") are not: digits are never glued together.
        let numbers = text.split(separator: ",", omittingEmptySubsequences: false).map { field -> Int? in
            let words = field.split(separator: " ")
            return words.count == 1 ? Int(words[0]) : nil
        }
        guard numbers.count == 4, let t = numbers[0], let l = numbers[1], let h = numbers[2], let w = numbers[3] else { return nil }
        self.init(top: t, left: l, height: h, width: w)
    }

    package var description: String { "\(top),\(left),\(height),\(width)" }
}
