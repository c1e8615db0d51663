import TensorEngine

/// Values written into the cells of an enlarged plane, centred, in black or white by the cell's shade.
///
/// ``fitting(_:format:cell:lines:)`` picks the largest font scale (1…3) at which the longest value fits
/// inside a cell with 2 px to spare on each side (and `lines` lines of text fit its height), or nil when
/// even scale 1 does not: that is when numbers are drawn automatically.
package struct CellNumbers: Sendable, Equatable {
    package var format: NumberFormat
    package var fontScale: Int

    package init(format: NumberFormat, fontScale: Int) {
        self.format = format
        self.fontScale = fontScale
    }

    /// The widest value of `planes` in `format`, in font pixels at scale 1.
    package static func widestText(_ planes: [Tensor], format: NumberFormat) -> Int {
        planes.flatMap { $0.storage }.map { BitmapFont.width(of: format.string($0)) }.max() ?? 0
    }

    package static func fitting(_ planes: [Tensor], format: NumberFormat, cell: Int, lines: Int = 1) -> CellNumbers? {
        let widest = widestText(planes, format: format)
        for fontScale in stride(from: 3, through: 1, by: -1)
        where widest * fontScale <= cell - 5 && (BitmapFont.glyphHeight * lines + 2 * (lines - 1)) * fontScale <= cell - 5 {
            return CellNumbers(format: format, fontScale: fontScale)
        }
        return nil
    }

    /// The cell size at which values of `planes` fit at font scale 1 (`lines` lines).
    package static func minimumCell(_ planes: [Tensor], format: NumberFormat, lines: Int = 1) -> Int {
        max(widestText(planes, format: format), BitmapFont.glyphHeight * lines + 2 * (lines - 1)) + 5
    }
}

extension Canvas {
    /// Writes every value of the one-channel plane `t` into its `scale × scale` cell of the panel at `origin`,
    /// centred, in the ink that reads on the pixel already drawn there. `lineOffset` moves the text up by that
    /// many font pixels (to leave room for a second line). Cells for which `skip` is true are left alone.
    package mutating func writeValues(_ t: Tensor, x originX: Int, y originY: Int, scale: Int, numbers: CellNumbers,
                                     lineOffset: Int = 0, skip: (GridPoint) -> Bool = { _ in false }) {
        for row in 0..<t.h {
            for column in 0..<t.w where !skip(GridPoint(row: row, column: column)) {
                let text = numbers.format.string(t[0, 0, row, column])
                let cellX = originX + column * scale, cellY = originY + row * scale
                writeCentred(text, cell: PixelRect(x: cellX, y: cellY, width: scale, height: scale), fontScale: numbers.fontScale,
                             lineOffset: lineOffset)
            }
        }
    }

    /// `text` centred in `cell` (its last row and column are the grid line), black or white by the pixel there.
    package mutating func writeCentred(_ text: String, cell: PixelRect, fontScale: Int, lineOffset: Int = 0, colour: RGBColour? = nil) {
        let w = BitmapFont.width(of: text, scale: fontScale), h = (BitmapFont.glyphHeight - 1) * fontScale
        let x = cell.x + (cell.width - 1 - w + 1) / 2
        let y = cell.y + (cell.height - 1 - h + 1) / 2 - lineOffset * fontScale
        let under = self[min(max(cell.x + 1, 0), width - 1), min(max(cell.y + 1, 0), height - 1)]
        let ink = colour ?? RGBColour.ink(onGray: 0.299 * under.r + 0.587 * under.g + 0.114 * under.b)
        self.text(text, x: x, y: y, colour: ink, scale: fontScale)
    }
}
