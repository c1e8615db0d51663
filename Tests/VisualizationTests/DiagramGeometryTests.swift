import ImageCodecs
import TensorEngine
import Testing
import Visualization

/// One visualize configuration and the output positions to mark.
struct DiagramCase: CustomTestStringConvertible, Sendable {
    var h: Int, w: Int
    var kernel: Pair, stride: Pair, padding: Pair, dilation: Pair
    var positions: [GridPoint]?
    var testDescription: String { "\(h)×\(w) k=\(kernel) s=\(stride) p=\(padding) d=\(dilation)" }

    var request: WindowRequest {
        WindowRequest(kernelSize: kernel, stride: stride, padding: .explicit(padding), paddingMode: .zeros, dilation: dilation)
    }

    /// ⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1, written out here rather than taken from the engine.
    func expectedOutput(_ n: Int, _ k: Int, _ s: Int, _ p: Int, _ d: Int) -> Int {
        let numerator = n + 2 * p - d * (k - 1) - 1
        return (numerator >= 0 ? numerator / s : -((-numerator + s - 1) / s)) + 1
    }

    var expectedOutputSize: Pair {
        Pair(h: expectedOutput(h, kernel.h, stride.h, padding.h, dilation.h),
             w: expectedOutput(w, kernel.w, stride.w, padding.w, dilation.w))
    }
}

let diagramCases: [DiagramCase] = [
    DiagramCase(h: 12, w: 10, kernel: Pair(3), stride: Pair(1), padding: Pair(0), dilation: Pair(1)),
    DiagramCase(h: 24, w: 24, kernel: Pair(5), stride: Pair(2), padding: Pair(1), dilation: Pair(1)),
    DiagramCase(h: 16, w: 14, kernel: Pair(3), stride: Pair(2), padding: Pair(2), dilation: Pair(2),
                positions: [GridPoint(row: 0, column: 0), GridPoint(row: 3, column: 4), GridPoint(row: 7, column: 2)]),
    DiagramCase(h: 11, w: 13, kernel: Pair(h: 3, w: 2), stride: Pair(h: 2, w: 1), padding: Pair(h: 1, w: 0), dilation: Pair(h: 1, w: 3),
                positions: [GridPoint(row: 5, column: 6), GridPoint(row: 0, column: 0)]),
]

@Test("Receptive fields, taps and output cells sit where the formula puts them", arguments: diagramCases)
func receptiveFieldsFollowTheFormula(_ c: DiagramCase) throws {
    let input = PreparedInput(data: Picture.grayNoise(h: c.h, w: c.w), isData: false)
    let diagram = try ConvolutionDiagram.draw(input, operation: try c.request.resolved(), positions: c.positions, scale: 9)
    let layout = diagram.layout, s = layout.scale
    let png = try Picture.roundTrip(diagram.image)
    #expect(png.h == diagram.image.h && png.w == diagram.image.w)

    let out = c.expectedOutputSize
    #expect(layout.outputSize == out)
    #expect(layout.outputPanel.width == out.w * s && layout.outputPanel.height == out.h * s)
    #expect(layout.marks.map(\.position) == (c.positions ?? [GridPoint(row: 0, column: 0), GridPoint(row: 0, column: 1), GridPoint(row: 1, column: 0)]))

    for mark in layout.marks {
        let (r, col) = (mark.position.row, mark.position.column)
        // Window origin r·s, extent d·(k − 1) + 1, in padded samples.
        let expected = PixelRect(x: layout.inputPanel.x + col * c.stride.w * s, y: layout.inputPanel.y + r * c.stride.h * s,
                                 width: (c.dilation.w * (c.kernel.w - 1) + 1) * s, height: (c.dilation.h * (c.kernel.h - 1) + 1) * s)
        #expect(mark.receptiveField == expected, "field of \(mark.position)")
        #expect(mark.outputCell == PixelRect(x: layout.outputPanel.x + col * s, y: layout.outputPanel.y + r * s, width: s, height: s))

        // The outline's colour, where no other field's rectangle can have painted over it.
        let others = layout.marks.filter { $0.position != mark.position }
        let f = mark.receptiveField
        let edgePoints = [(f.x, f.y), (f.maxX - 1, f.y), (f.x, f.maxY - 1), (f.maxX - 1, f.maxY - 1),
                          (f.x + f.width / 2, f.y), (f.x, f.y + f.height / 2), (f.maxX - 1, f.y + f.height / 2), (f.x + f.width / 2, f.maxY - 1)]
        let free = edgePoints.filter { p in !others.contains { $0.receptiveField.contains(x: p.0, y: p.1) } }
        for (x, y) in free { #expect(Pixel(png, x: x, y: y) == Pixel(mark.colour), "outline of \(mark.position) at \(x),\(y)") }
        #expect(Pixel(png, x: mark.outputCell.x, y: mark.outputCell.y) == Pixel(mark.colour))

        if c.dilation == Pair(1) {
            #expect(mark.taps.isEmpty)
        } else {
            #expect(mark.taps.count == c.kernel.h * c.kernel.w)
            for (i, tap) in mark.taps.enumerated() {
                let ti = i / c.kernel.w, tj = i % c.kernel.w
                let cellX = layout.inputPanel.x + (col * c.stride.w + tj * c.dilation.w) * s
                let cellY = layout.inputPanel.y + (r * c.stride.h + ti * c.dilation.h) * s
                #expect(tap.x >= cellX && tap.maxX <= cellX + s && tap.y >= cellY && tap.maxY <= cellY + s, "tap \(ti),\(tj) of \(mark.position)")
                let covered = others.contains { $0.taps.contains { $0.contains(x: tap.x, y: tap.y) } }
                if !covered { #expect(Pixel(png, x: tap.x, y: tap.y) == Pixel(mark.colour)) }
            }
        }
    }

    // The output panel is exactly H_out·scale × W_out·scale of image samples: gray inside, background just past it.
    let op = layout.outputPanel
    let y = op.y + op.height / 2 + 1
    #expect(Pixel(png, x: op.maxX - 2, y: y).isGray)
    #expect(!Pixel(png, x: op.maxX, y: y).isGray)
    #expect(!Pixel(png, x: op.x + op.width / 2, y: op.maxY).isGray)
}

@Test("The padding band is p·scale pixels on each side and holds the mode's real values",
      arguments: [(PaddingMode.zeros, Pair(2)), (.reflect, Pair(h: 1, w: 3)), (.circular, Pair(2)), (.replicate, Pair(h: 3, w: 1))])
func paddingBand(_ mode: PaddingMode, _ p: Pair) throws {
    let (h, w, scale) = (14, 12, 9)
    let data = Picture.grayNoise(h: h, w: w)
    let request = WindowRequest(kernelSize: Pair(3), padding: .explicit(p), paddingMode: mode)
    let diagram = try ConvolutionDiagram.draw(PreparedInput(data: data, isData: false), operation: try request.resolved(),
                                              positions: [GridPoint(row: 0, column: 0)], scale: scale)
    let layout = diagram.layout, panel = layout.inputPanel, inner = layout.inputImage
    #expect(inner.x - panel.x == p.w * scale && panel.maxX - inner.maxX == p.w * scale)
    #expect(inner.y - panel.y == p.h * scale && panel.maxY - inner.maxY == p.h * scale)
    #expect(panel.width == (w + 2 * p.w) * scale && panel.height == (h + 2 * p.h) * scale)

    let png = try Picture.roundTrip(diagram.image)
    // Across a middle row (below the marked window): tinted exactly in the bands, gray exactly inside.
    let y = inner.y + (h / 2) * scale + 2
    for x in panel.x..<panel.maxX {
        let inside = x >= inner.x && x < inner.maxX
        let pixel = Pixel(png, x: x, y: y)
        #expect(inside ? pixel.isGray : pixel.isTinted, "x = \(x - panel.x) px into the panel: \(pixel)")
    }
    let x = inner.x + (w / 2) * scale + 2
    for y in panel.y..<panel.maxY where !layout.marks[0].receptiveField.contains(x: x, y: y) {
        let inside = y >= inner.y && y < inner.maxY
        #expect(inside ? Pixel(png, x: x, y: y).isGray : Pixel(png, x: x, y: y).isTinted, "y = \(y - panel.y) px into the panel")
    }
    // Each band cell shows the sample the mode reads (0.55·v + 0.45·tint), read back from its red channel.
    for row in 0..<(h + 2 * p.h) {
        for column in [0, w + 2 * p.w - 1] where row >= 2 * 3 {  // left and right bands, below the marked window
            let source = (sourceIndex(row - p.h, size: h, mode: mode), sourceIndex(column - p.w, size: w, mode: mode))
            let expected: Float = if let sy = source.0, let sx = source.1 { data[0, 0, sy, sx] } else { mode.constantValue ?? 0 }
            let red = Float(Pixel(png, x: panel.x + column * scale, y: panel.y + row * scale).r) / 255
            let shown = (red - 0.45 * RGBColour.paddingTint.r) / 0.55
            #expect(abs(shown - expected) < 0.01, "padded sample \(row),\(column): shown \(shown), mode reads \(expected)")
        }
    }
}

@Test func theDefaultOperationKeepsTheCentreTapOfEveryWindow() throws {
    let data = Picture.grayNoise(h: 13, w: 11)
    let request = WindowRequest(kernelSize: Pair(3), stride: Pair(2), padding: .explicit(Pair(1)))
    let diagram = try ConvolutionDiagram.draw(PreparedInput(data: data, isData: false), operation: try request.resolved(), scale: 6)
    let png = try Picture.roundTrip(diagram.image)
    let layout = diagram.layout
    for r in 0..<layout.outputSize.h {
        for c in 0..<layout.outputSize.w {
            // Window origin (2r, 2c) in padded samples; the centre tap (2r + 1, 2c + 1) is input (2r, 2c).
            let expected = Int((data[0, 0, 2 * r, 2 * c] * 255).rounded())
            let pixel = Pixel(png, x: layout.outputPanel.x + c * 6 + 3, y: layout.outputPanel.y + r * 6 + 3)
            #expect(abs(pixel.g - expected) <= 1 || layout.marks.contains { $0.outputCell.contains(x: layout.outputPanel.x + c * 6 + 3, y: layout.outputPanel.y + r * 6 + 3) })
        }
    }
}

@Test func refusedConfigurationsSayWhy() throws {
    let input = PreparedInput(data: Picture.grayNoise(h: 6, w: 6), isData: false)
    let tooBig = WindowRequest(kernelSize: Pair(5), dilation: Pair(2))
    #expect(throws: VisualizationError.self) { try ConvolutionDiagram.draw(input, operation: try tooBig.resolved()) }
    #expect(throws: VisualizationError.self) { try WindowRequest(stride: Pair(2), padding: .same).resolved() }
    let reflect = WindowRequest(kernelSize: Pair(3), padding: .explicit(Pair(6)), paddingMode: .reflect)
    #expect(throws: VisualizationError.self) { try ConvolutionDiagram.draw(input, operation: try reflect.resolved()) }
    #expect(throws: VisualizationError.self) {
        try ConvolutionDiagram.draw(input, operation: try WindowRequest().resolved(), positions: [GridPoint(row: 4, column: 0)])
    }
    #expect(throws: VisualizationError.self) { try WindowRequest(operation: .filter(TestFilters.edge), kernelSize: Pair(5)).resolved() }
}
