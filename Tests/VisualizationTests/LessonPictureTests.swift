import Foundation
import ImageFilters
import TensorEngine
import Testing
import Visualization

/// The lesson's worked example: 5×5 input, 3×3 kernel, output 8 9 8 / 8 5 9 / 6 5 5.
let lessonInput: [[Float]] = [[1, 2, 3, 0, 1], [0, 1, 5, 1, 0], [1, 0, 2, 2, 1], [1, 1, 2, 0, 0], [1, 0, 1, 1, 1]]
let lessonKernel = try! Kernel([[1, 0, 1], [0, 1, 0], [1, 0, 1]])

/// Correlation of `x` zero-padded by `p` with `k` at stride `s` and dilation `d`, written out here by loops.
func directConv(_ x: [[Float]], _ k: [[Float]], s: Int = 1, p: Int = 0, d: Int = 1) -> [[Float]] {
    let h = x.count, w = x[0].count, kh = k.count, kw = k[0].count
    let oh = (h + 2 * p - d * (kh - 1) - 1) / s + 1, ow = (w + 2 * p - d * (kw - 1) - 1) / s + 1
    return (0..<oh).map { r in
        (0..<ow).map { c in
            var sum: Float = 0
            for i in 0..<kh {
                for j in 0..<kw {
                    let y = r * s + i * d - p, xx = c * s + j * d - p
                    if y >= 0 && y < h && xx >= 0 && xx < w { sum += x[y][xx] * k[i][j] }
                }
            }
            return sum
        }
    }
}

@Test func theLessonsNumbersAreWrittenInTheirCells() throws {
    let input = PreparedInput(data: Picture.grid(lessonInput), isData: true)
    let diagram = try ConvolutionDiagram.draw(input, operation: try WindowRequest(operation: .kernel(lessonKernel)).resolved(),
                                              options: DiagramOptions(positions: []))
    let layout = diagram.layout, s = layout.scale
    let png = try Picture.roundTrip(diagram.image)
    let numbers = try #require(layout.numbers, "a 5×5 grid gets numbers automatically")
    #expect(layout.outputSize == Pair(3))
    let expected = directConv(lessonInput, [[1, 0, 1], [0, 1, 0], [1, 0, 1]])
    #expect(expected == [[8, 9, 8], [8, 5, 9], [6, 5, 5]])
    for r in 0..<5 {
        for c in 0..<5 {
            let cell = PixelRect(x: layout.inputPanel.x + c * s, y: layout.inputPanel.y + r * s, width: s, height: s)
            #expect(Picture.findText(png, String(Int(lessonInput[r][c])), in: cell, fontScale: numbers.fontScale), "input \(r),\(c)")
        }
    }
    for r in 0..<3 {
        for c in 0..<3 {
            let cell = PixelRect(x: layout.outputPanel.x + c * s, y: layout.outputPanel.y + r * s, width: s, height: s)
            #expect(Picture.findText(png, String(Int(expected[r][c])), in: cell, fontScale: numbers.fontScale), "output \(r),\(c)")
            // A wrong value is not found: the reader can fail.
            #expect(!Picture.findText(png, String(Int(expected[r][c]) + 1), in: cell, fontScale: numbers.fontScale))
        }
    }
    // One grey scale, 0…9 here: the colour bar runs black to white with the end values beside it.
    #expect(layout.valueScale == ValueScale(low: 0, high: 9))
    let bar = layout.colourBar
    #expect(Pixel(png, x: bar.x, y: bar.y + 2) == Pixel(RGBColour.black))
    #expect(Pixel(png, x: bar.maxX - 1, y: bar.y + 2) == Pixel(RGBColour.white))
    let line = BitmapFont.lineHeight * 2
    #expect(Picture.findText(png, "0", in: PixelRect(x: 0, y: bar.y - 2, width: bar.x, height: line + 4), fontScale: 2))
    #expect(Picture.findText(png, "9", in: PixelRect(x: bar.maxX, y: bar.y - 2, width: 40, height: line + 4), fontScale: 2))
    // Without --numbers nothing is written; --no-numbers wins over size.
    let plain = try ConvolutionDiagram.draw(input, operation: try WindowRequest(operation: .kernel(lessonKernel)).resolved(),
                                            options: DiagramOptions(positions: [], numbers: false))
    #expect(plain.layout.numbers == nil)
}

@Test func productsWriteTheLessonsSum() throws {
    let input = PreparedInput(data: Picture.grid(lessonInput), isData: true)
    let diagram = try ConvolutionDiagram.draw(input, operation: try WindowRequest(operation: .kernel(lessonKernel)).resolved(),
                                              options: DiagramOptions(positions: [GridPoint(row: 0, column: 0)], products: true))
    #expect(diagram.layout.products == ["at 0,0: (1×1) + (2×0) + (3×1)", "  + (0×0) + (1×1) + (5×0)", "  + (1×1) + (0×0) + (2×1)", "  = 8"])
    let png = try Picture.roundTrip(diagram.image)
    let origin = try #require(diagram.layout.productsOrigin)
    let line = BitmapFont.lineHeight * 2
    for (i, text) in diagram.layout.products.enumerated() {
        #expect(Picture.findText(png, text.trimmingCharacters(in: .whitespaces),
                                 in: PixelRect(x: origin.x, y: origin.y + i * line, width: origin.width, height: line), fontScale: 2))
    }
    // Each weight is written in its tap's cell: "×1" and "×0".
    let s = diagram.layout.scale, numbers = try #require(diagram.layout.numbers)
    for (i, w) in lessonKernel.values.enumerated() {
        let cell = PixelRect(x: diagram.layout.inputPanel.x + (i % 3) * s, y: diagram.layout.inputPanel.y + (i / 3) * s, width: s, height: s)
        #expect(Picture.findText(png, "×\(Int(w))", in: cell, fontScale: max(1, numbers.fontScale - 1)), "weight \(i)")
    }
    // Every position's sum is the engine's output, e.g. 1,2 → 9.
    let other = try ConvolutionDiagram.draw(input, operation: try WindowRequest(operation: .kernel(lessonKernel)).resolved(),
                                            options: DiagramOptions(positions: [GridPoint(row: 1, column: 2)], products: true))
    #expect(other.layout.products.last == "  = 9")
    // Edge is a magnitude, not a sum of products: refused with a reason.
    #expect(throws: VisualizationError.self) {
        try ConvolutionDiagram.draw(input, operation: try WindowRequest(operation: .filter(TestFilters.edge)).resolved(), options: DiagramOptions(products: true))
    }
}

@Test func maxPoolingSharesOneScaleBoxesTheWinnerAndNamesNoPhantomPadding() throws {
    let rows: [[Float]] = [[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [0, 2, 4, 1]]
    let input = PreparedInput(data: Picture.grid(rows), isData: true)
    let op = try WindowRequest(operation: .maxPool, kernelSize: Pair(2)).resolved()
    let marked = [GridPoint(row: 0, column: 0), GridPoint(row: 1, column: 1)]
    let diagram = try ConvolutionDiagram.draw(input, operation: op, options: DiagramOptions(positions: marked))
    let layout = diagram.layout, s = layout.scale
    let png = try Picture.roundTrip(diagram.image)
    #expect(layout.caption[0].contains("padding none") && !layout.caption.joined().contains("−∞"))
    // The winner of each marked window: 6 at (1,1) and 4 at (3,2), boxed in the window's colour.
    #expect(layout.winners == [GridPoint(row: 1, column: 1), GridPoint(row: 3, column: 2)])
    for (mark, w) in zip(layout.marks, layout.winners) {
        let inner = (x: layout.inputPanel.x + w.column * s + s / 2, y: layout.inputPanel.y + w.row * s + max(2, s / 4) - 1)
        #expect(Pixel(png, x: inner.x, y: inner.y) == Pixel(mark.colour), "winner box of \(mark.position)")
    }
    // Same value, same grey: the output 5 (0,1) and the input 5 (1,2), read off a corner of each cell.
    let inCell = Pixel(png, x: layout.inputPanel.x + 2 * s + 2, y: layout.inputPanel.y + 1 * s + 2)
    let outCell = Pixel(png, x: layout.outputPanel.x + 1 * s + 2, y: layout.outputPanel.y + 2)
    #expect(inCell == outCell && inCell.isGray)
    // With padding, the −∞ note appears.
    let padded = try ConvolutionDiagram.draw(input, operation: try WindowRequest(operation: .maxPool, kernelSize: Pair(2), padding: .explicit(Pair(1))).resolved())
    #expect(padded.layout.caption.contains { $0.contains("−∞") })
}

@Test func moreThanSixPositionsGetTheirOwnColours() throws {
    let input = PreparedInput(data: Picture.grayNoise(h: 12, w: 12), isData: false)
    let positions = (0..<10).map { GridPoint(row: $0, column: $0) }
    let diagram = try ConvolutionDiagram.draw(input, operation: try WindowRequest().resolved(), options: DiagramOptions(positions: positions, scale: 8))
    let colours = diagram.layout.marks.map(\.colour)
    #expect(Set(colours).count == 10)
    for c in colours {
        #expect(!Pixel(c).isGray && !(c.b > c.r + 0.2 && c.b > c.g + 0.2), "\(c) must not look like the padding tint or grey")
    }
    let png = try Picture.roundTrip(diagram.image)
    for mark in diagram.layout.marks.suffix(3) {
        #expect(Pixel(png, x: mark.outputCell.x, y: mark.outputCell.y) == Pixel(mark.colour))
    }
}

@Test func flipIsTrueConvolution() throws {
    let k = try Kernel([[1, 2, 0], [0, 1, 3], [4, 0, 1]])
    let flipped = try WindowRequest(operation: .kernel(k), flip: true).resolved()
    #expect(flipped.appliedKernel?.values == [1, 0, 4, 3, 1, 0, 0, 2, 1])
    let out = try flipped.apply(Picture.grid(lessonInput))
    let expected = directConv(lessonInput, [[1, 0, 4], [3, 1, 0], [0, 2, 1]])
    for r in 0..<3 { for c in 0..<3 { #expect(out[0, 0, r, c] == expected[r][c]) } }
    #expect(flipped.label.contains("flipped"))
    #expect(throws: VisualizationError.self) { try WindowRequest(operation: .maxPool, flip: true).resolved() }
}

@Test("Pictures beyond the stated size are refused before anything is allocated", arguments: [
    (Pair(0), 100_000), (Pair(100_000), nil), (Pair(2_000), 3),
] as [(Pair, Int?)])
func hugePicturesAreRefused(_ padding: Pair, _ scale: Int?) throws {
    let input = PreparedInput(data: Picture.grayNoise(h: 427, w: 640), isData: false)
    let op = try WindowRequest(padding: .explicit(padding)).resolved()
    let start = ContinuousClock.now
    #expect(throws: VisualizationError.self) { try ConvolutionDiagram.draw(input, operation: op, options: DiagramOptions(scale: scale)) }
    #expect(throws: VisualizationError.self) {
        try ContactSheet.draw(input, base: WindowRequest(), paddings: [.explicit(padding)], scale: scale)
    }
    #expect(ContinuousClock.now - start < .seconds(5))
    do {
        _ = try ConvolutionDiagram.draw(input, operation: op, options: DiagramOptions(scale: scale))
    } catch let error as VisualizationError {
        #expect(error.description.contains("megapixels"))
    }
}
