import TensorEngine

/// One output position drawn on a diagram: its receptive field on the padded input and its output cell,
/// both outlined in `colour`.
package struct MarkedPosition: Sendable, Equatable {
    package var position: GridPoint
    package var colour: RGBColour
    /// The window's extent on the padded-input panel: rows r·sH ..< r·sH + dH·(kH − 1) + 1, times the scale.
    package var receptiveField: PixelRect
    /// The samples the window reads, marked by a dot when the dilation is not 1 (empty otherwise).
    package var taps: [PixelRect]
    /// The position's cell on the output panel.
    package var outputCell: PixelRect
}

/// What a diagram shows besides its two panels.
package struct DiagramOptions: Sendable {
    /// Output positions to outline (default: 0,0, 0,1 and 1,0, those that exist; only 0,0 with `products`). Any number; colours go on
    /// past the first six.
    package var positions: [GridPoint]?
    /// Canvas pixels per sample; default ``ConvolutionDiagram/automaticScale(longestSide:)``, raised to fit the
    /// numbers when `numbers` is true.
    package var scale: Int?
    /// Each cell's value written in it: nil = when the cells are large enough, true = always, false = never.
    package var numbers: Bool?
    /// The first position's window with each product and their sum, written below the panels (and each
    /// weight in its tap's cell when numbers are drawn).
    package var products: Bool
    /// The first position's output value written below the panels (`output at r,c = v`), when there are no products.
    package var valueLine: Bool
    /// Only the first `revealed` output positions in row-major order are drawn (an animation's frame);
    /// nil shows them all.
    package var revealed: Int?

    package init(positions: [GridPoint]? = nil, scale: Int? = nil, numbers: Bool? = nil, products: Bool = false,
                valueLine: Bool = false, revealed: Int? = nil) {
        self.valueLine = valueLine
        self.positions = positions
        self.scale = scale
        self.numbers = numbers
        self.products = products
        self.revealed = revealed
    }
}

/// Where ``ConvolutionDiagram`` put things, in canvas pixels, so tests can check the geometry.
package struct DiagramLayout: Sendable {
    /// Canvas pixels per sample (both panels).
    package var scale: Int
    /// The padded input: (H + pad_top + pad_bottom)·scale × (W + pad_left + pad_right)·scale.
    package var inputPanel: PixelRect
    /// The unpadded input inside ``inputPanel``: pad_left·scale from its left edge, pad_top·scale from its top.
    package var inputImage: PixelRect
    /// The output: H_out·scale × W_out·scale.
    package var outputPanel: PixelRect
    package var marks: [MarkedPosition]
    /// The caption's lines, top to bottom, as drawn.
    package var caption: [String]
    package var outputSize: Pair
    /// The one grey scale of both panels (and the colour bar's end values).
    package var valueScale: ValueScale
    /// The colour bar: `valueScale.low` at its left end, `high` at its right.
    package var colourBar: PixelRect
    /// How values are written in the cells, nil when they are not.
    package var numbers: CellNumbers?
    /// Max pooling: the winning tap of each marked window (padded coordinates), in the order of ``marks``.
    package var winners: [GridPoint]
    /// The products lines (`--products`), as drawn, and where the first of them starts.
    package var products: [String]
    package var productsOrigin: PixelRect?
}

/// A drawn picture and where its parts are.
package struct Diagram: Sendable {
    /// (1, 3, height, width), values in [0, 1].
    package var image: Tensor
    package var layout: DiagramLayout
}

/// The `visualize` picture: a caption with the output-size arithmetic, then two panels at the same scale —
/// the padded input (padding band holding the mode's real values, tinted) with the receptive fields of a
/// few output positions outlined, and the operation's output with the same positions outlined — one grey
/// scale for both, shown by a colour bar with its end values, each cell's value written in it when the
/// cells are large enough, max pooling's winners boxed, and optionally one window's products and sum.
package enum ConvolutionDiagram {
    static let margin = 16
    static let textScale = 2
    static let panelGap = 32
    static let barHeight = 14

    /// Pixels per sample so that the longer of the two panels is about 400 px: at least 1, at most 48.
    package static func automaticScale(longestSide: Int) -> Int {
        min(48, max(1, 400 / max(1, longestSide)))
    }

    /// The first output position, the next along the row and the next down (those that exist).
    package static func defaultPositions(outputSize: Pair) -> [GridPoint] {
        [GridPoint(row: 0, column: 0), GridPoint(row: 0, column: 1), GridPoint(row: 1, column: 0)]
            .filter { $0.row < outputSize.h && $0.column < outputSize.w }
    }

    package static func draw(_ input: PreparedInput, operation: ResolvedOperation, positions: [GridPoint]? = nil,
                            scale: Int? = nil) throws -> Diagram {
        try draw(input, operation: operation, options: DiagramOptions(positions: positions, scale: scale))
    }

    package static func draw(_ input: PreparedInput, operation: ResolvedOperation, options: DiagramOptions) throws -> Diagram {
        let inputSize = Pair(h: input.data.h, w: input.data.w)
        let outputSize = try operation.outputSize(input: inputSize)
        let window = operation.window, padding = window.padding
        let paddedSize = Pair(h: inputSize.h + padding.top + padding.bottom, w: inputSize.w + padding.left + padding.right)
        if let scale = options.scale, scale < 1 { throw VisualizationError("--scale must be at least 1, not \(scale)") }
        // The picture's size from the arithmetic alone, before anything is allocated.
        let longest = max(paddedSize.h, paddedSize.w, outputSize.h, outputSize.w)
        let firstScale = options.scale ?? automaticScale(longestSide: longest)
        try PictureLimit.check(width: (paddedSize.w + outputSize.w) * firstScale + 2 * margin + panelGap,
                               height: max(paddedSize.h, outputSize.h) * firstScale + 2 * margin)

        // --products explains one window: without --at, only the first.
        let positions = options.positions ?? Array(defaultPositions(outputSize: outputSize).prefix(options.products ? 1 : 3))
        for p in positions where p.row < 0 || p.row >= outputSize.h || p.column < 0 || p.column >= outputSize.w {
            throw VisualizationError("output position \(p) is outside the \(outputSize.h)×\(outputSize.w) output (rows and columns count from 0)")
        }
        let output = try operation.apply(input.data)
        let padded = try operation.padded(input.data)
        let gray = input.data.c == 1
        if options.products {
            guard gray else { throw VisualizationError("--products needs a one-channel input: pick one with --channel") }
            guard !positions.isEmpty else { throw VisualizationError("--products needs an output position") }
            if operation.appliedKernel == nil && !operation.isMaxPool && !operation.isAvgPool {
                throw VisualizationError("--products writes a weighted sum; \(operation.label) is not one (edge is the magnitude of two convolutions): use --kernel with one of its kernels")
            }
        }

        // One grey scale and one number format for both panels.
        // −∞ padding of max pooling is drawn as zeros (the display mode); the caption says so.
        let displayPadded = padded
        let valueScale = ValueScale.shared(by: [input.data, output], isData: input.isData)
        let format = NumberFormat.fitting([displayPadded, output])
        let lines = options.products && operation.appliedKernel != nil ? 2 : 1
        var scale = firstScale
        if options.numbers == true && options.scale == nil && gray {
            scale = max(scale, CellNumbers.minimumCell([displayPadded, output], format: format, lines: lines))
        }
        let numbers: CellNumbers? = !gray || options.numbers == false ? nil
            : CellNumbers.fitting([displayPadded, output], format: format, cell: scale, lines: lines)
                ?? (options.numbers == true ? CellNumbers(format: format, fontScale: 1) : nil)

        // Text.
        var caption = [operation.label + ", padding " + operation.paddingDescription, window.summary(input: inputSize)]
        caption += window.formulaLines(input: inputSize)
        if let note = input.note { caption.append(note) }
        if operation.isMaxPool && operation.paddingMode == nil && !padding.isZero {
            caption.append("max pooling pads with −∞ (drawn as 0): a padded tap never wins")
        }
        let inputTitle = padding.isZero ? "input \(inputSize.h)×\(inputSize.w)" : "input padded by \(padding)"
        let outputTitle = "output \(outputSize.h)×\(outputSize.w)"
        let legend = "grey scale of both panels: " + (valueScale.isStretched ? "min to max of input and output" : "0 black to 1 white")
            + (operation.isMaxPool && !positions.isEmpty ? "; thick box: the window's maximum" : "")
        var productLines = options.products ? self.productLines(operation: operation, position: positions[0], padded: padded,
                                                                output: output, format: format) : []
        if options.valueLine && !options.products, let p = positions.first {
            let values = (0..<output.c).map { format.string(output[0, $0, p.row, p.column]) }
            productLines = ["output at \(p.row),\(p.column) = " + values.joined(separator: ", ")]
        }

        // Layout.
        let line = BitmapFont.lineHeight * textScale
        let captionHeight = caption.count * line
        let titleY = margin + captionHeight + 12
        let panelY = titleY + line + 4
        let inputPanel = PixelRect(x: margin, y: panelY, width: paddedSize.w * scale, height: paddedSize.h * scale)
        let leftColumn = max(inputPanel.width, BitmapFont.width(of: inputTitle, scale: textScale))
        let outputPanel = PixelRect(x: margin + leftColumn + panelGap, y: panelY, width: outputSize.w * scale, height: outputSize.h * scale)
        let rightColumn = max(outputPanel.width, BitmapFont.width(of: outputTitle, scale: textScale))
        let barY = panelY + max(inputPanel.height, outputPanel.height) + 16
        let lowText = format.string(valueScale.low), highText = format.string(valueScale.high)
        let barX = margin + BitmapFont.width(of: lowText, scale: textScale) + 8
        let colourBar = PixelRect(x: barX, y: barY, width: 256, height: barHeight)
        let legendY = barY + max(barHeight, line) + 6
        let productsY = legendY + line + 10
        let textWidths = (caption + [legend] + productLines).map { BitmapFont.width(of: $0, scale: textScale) }
        let width = max(outputPanel.x + rightColumn, margin + (textWidths.max() ?? 0),
                        colourBar.maxX + 8 + BitmapFont.width(of: highText, scale: textScale)) + margin
        let height = productsY + productLines.count * line + margin
        try PictureLimit.check(width: width, height: height)
        let inputImage = PixelRect(x: inputPanel.x + padding.left * scale, y: inputPanel.y + padding.top * scale,
                                   width: inputSize.w * scale, height: inputSize.h * scale)

        var canvas = Canvas(width: width, height: height)
        for (i, text) in caption.enumerated() { canvas.text(text, x: margin, y: margin + i * line, scale: textScale) }
        canvas.text(inputTitle, x: inputPanel.x, y: titleY, scale: textScale)
        canvas.text(outputTitle, x: outputPanel.x, y: titleY, scale: textScale)

        // Panels: enlarged samples, tinted padding band, grid; outputs not yet revealed stay empty.
        let revealed = options.revealed ?? outputSize.h * outputSize.w
        let hidden = { (p: GridPoint) in p.row * outputSize.w + p.column >= revealed }
        canvas.blit(valueScale.rgb(displayPadded), x: inputPanel.x, y: inputPanel.y, scale: scale)
        for band in bands(of: inputPanel, inner: inputImage) { canvas.tint(band, .paddingTint, amount: 0.45) }
        canvas.blit(valueScale.rgb(output), x: outputPanel.x, y: outputPanel.y, scale: scale)
        for r in 0..<outputSize.h {
            for c in 0..<outputSize.w where hidden(GridPoint(row: r, column: c)) {
                canvas.fill(PixelRect(x: outputPanel.x + c * scale, y: outputPanel.y + r * scale, width: scale, height: scale), .emptyCell)
            }
        }
        if scale >= 8 {
            canvas.grid(inputPanel, cell: scale)
            canvas.grid(outputPanel, cell: scale)
        }
        let weights = options.products ? operation.appliedKernel : nil
        if let numbers {
            canvas.writeValues(displayPadded, x: inputPanel.x, y: inputPanel.y, scale: scale, numbers: numbers,
                               lineOffset: weights == nil ? 0 : 5)
            canvas.writeValues(output, x: outputPanel.x, y: outputPanel.y, scale: scale, numbers: numbers, skip: hidden)
        }

        // Marks, the first position drawn last so that it stays on top.
        let thickness = max(1, scale / 5)
        let dilated = window.dilation != Pair(1)
        let marks = positions.enumerated().map { index, position in
            let origin = window.origin(of: position), extent = window.extent
            let field = PixelRect(x: inputPanel.x + origin.column * scale, y: inputPanel.y + origin.row * scale,
                                  width: extent.w * scale, height: extent.h * scale)
            let dot = max(2, scale * 2 / 5), offset = (scale - max(2, scale * 2 / 5)) / 2
            let taps = dilated && numbers == nil ? window.taps(of: position).map {
                PixelRect(x: inputPanel.x + $0.column * scale + offset, y: inputPanel.y + $0.row * scale + offset, width: dot, height: dot)
            } : []
            let cell = PixelRect(x: outputPanel.x + position.column * scale, y: outputPanel.y + position.row * scale, width: scale, height: scale)
            return MarkedPosition(position: position, colour: RGBColour.marker(index), receptiveField: field, taps: taps, outputCell: cell)
        }
        let winners = gray ? positions.compactMap { operation.winner(of: $0, padded: padded) } : []
        for (index, mark) in marks.enumerated().reversed() {
            canvas.outline(mark.receptiveField, mark.colour, thickness: thickness)
            canvas.outline(mark.outputCell, mark.colour, thickness: thickness)
            for tap in mark.taps { canvas.fill(tap, mark.colour) }
            if dilated && numbers != nil {
                // Numbers leave no room for dots: outline each tap instead.
                for tap in window.taps(of: mark.position) {
                    canvas.outline(PixelRect(x: inputPanel.x + tap.column * scale, y: inputPanel.y + tap.row * scale, width: scale, height: scale),
                                   mark.colour, thickness: max(1, thickness / 2))
                }
            }
            if index < winners.count {
                let w = winners[index]
                canvas.outline(PixelRect(x: inputPanel.x + w.column * scale, y: inputPanel.y + w.row * scale, width: scale, height: scale),
                               mark.colour, thickness: max(2, scale / 4))
            }
        }
        if let weights, let first = positions.first, let numbers {
            let ink = RGBColour.marker(0)
            for (i, tap) in window.taps(of: first).enumerated() {
                let cell = PixelRect(x: inputPanel.x + tap.column * scale, y: inputPanel.y + tap.row * scale, width: scale, height: scale)
                canvas.writeCentred("×" + weightText(weights.values[i]), cell: cell, fontScale: max(1, numbers.fontScale - 1),
                                    lineOffset: -6, colour: ink)
            }
        }

        // Colour bar, legend, products.
        // 32 steps of 8 px, black to white: few colours, so an animation's GIF palette stays exact.
        for step in 0..<32 {
            canvas.fill(PixelRect(x: colourBar.x + step * 8, y: colourBar.y, width: 8, height: barHeight), RGBColour(gray: Float(step) / 31))
        }
        canvas.text(lowText, x: margin, y: barY, scale: textScale)
        canvas.text(highText, x: colourBar.maxX + 8, y: barY, scale: textScale)
        canvas.text(legend, x: margin, y: legendY, scale: textScale)
        for (i, text) in productLines.enumerated() {
            canvas.text(text, x: margin, y: productsY + i * line, colour: RGBColour.marker(0).mixed(with: .white, amount: 0.35), scale: textScale)
        }

        let layout = DiagramLayout(scale: scale, inputPanel: inputPanel, inputImage: inputImage, outputPanel: outputPanel,
                                   marks: marks, caption: caption, outputSize: outputSize, valueScale: valueScale, colourBar: colourBar,
                                   numbers: numbers, winners: winners, products: productLines,
                                   productsOrigin: productLines.isEmpty ? nil
                                       : PixelRect(x: margin, y: productsY, width: width - 2 * margin, height: productLines.count * line))
        return Diagram(image: canvas.tensor, layout: layout)
    }

    /// A weight as written next to a product: whole numbers plainly, else up to 3 decimals without trailing zeros.
    /// A weight too small for 3 decimals (a Gaussian's far taps) is written in full (`3.3546e-05`), never as `0.`.
    static func weightText(_ weight: Float) -> String {
        if weight == weight.rounded() { return NumberFormat(decimals: 0).string(weight) }
        if abs(weight) < 0.0005 { return "\(weight)" }
        var text = NumberFormat(decimals: 3).string(weight)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// The lesson's sum at `position`, one kernel row per line: `(1×1) + (2×0) + (3×1)`, `+ (0×0) + …`, `= 8`
    /// (the engine's output value; "→ v" when the filter then clamps it). Max pooling: `max(…) = v`;
    /// average pooling: `(a + b + …) / n = v`.
    package static func productLines(operation: ResolvedOperation, position: GridPoint, padded: Tensor, output: Tensor,
                                    format: NumberFormat) -> [String] {
        let window = operation.window
        let taps = window.taps(of: position)
        let pad = window.padding
        let result = output[0, 0, position.row, position.column]
        let noPadMode = operation.paddingMode == nil
        func value(_ tap: GridPoint) -> Float {
            let inside = tap.row >= pad.top && tap.row < padded.h - pad.bottom && tap.column >= pad.left && tap.column < padded.w - pad.right
            return !inside && noPadMode && operation.isMaxPool ? -.infinity : padded[0, 0, tap.row, tap.column]
        }
        let at = "at \(position.row),\(position.column): "
        let rows = (0..<window.kernel.h).map { i in Array(taps[(i * window.kernel.w)..<((i + 1) * window.kernel.w)]) }
        if operation.isMaxPool {
            let body = rows.map { $0.map { format.string(value($0)) }.joined(separator: ", ") }
            return [at + "max(" + body[0]] + body.dropFirst().map { "    " + $0 } + ["    ) = " + format.string(result)]
        }
        if operation.isAvgPool {
            let body = rows.map { $0.map { format.string(value($0)) }.joined(separator: " + ") }
            let n = window.kernel.h * window.kernel.w
            return [at + "(" + body[0]] + body.dropFirst().map { "  + " + $0 } + ["  ) / \(n) = " + format.string(result)]
        }
        do {
            guard let kernel = operation.appliedKernel else { return [] }
            var sum: Float = 0
            var body: [String] = []
            for (i, row) in rows.enumerated() {
                var terms: [String] = []
                for (j, tap) in row.enumerated() {
                    let w = kernel[i, j], v = value(tap)
                    sum += w * v
                    terms.append("(" + format.string(v) + "×" + weightText(w) + ")")
                }
                body.append(terms.joined(separator: " + "))
            }
            let differs = abs(sum - result) > 1e-3 * max(1, abs(sum))
            let clamped = differs ? " → " + format.string(result) : ""
            var lines = [at + body[0]]
            lines += body.dropFirst().map { "  + " + $0 }
            lines.append("  = " + format.string(sum) + clamped)
            return lines
        }
    }

    /// The parts of `outer` outside `inner`: top, bottom, left and right bands (empty ones left out).
    static func bands(of outer: PixelRect, inner: PixelRect) -> [PixelRect] {
        [
            PixelRect(x: outer.x, y: outer.y, width: outer.width, height: inner.y - outer.y),
            PixelRect(x: outer.x, y: inner.maxY, width: outer.width, height: outer.maxY - inner.maxY),
            PixelRect(x: outer.x, y: inner.y, width: inner.x - outer.x, height: inner.height),
            PixelRect(x: inner.maxX, y: inner.y, width: outer.maxX - inner.maxX, height: inner.height),
        ].filter { $0.width > 0 && $0.height > 0 }
    }
}
