import TensorEngine

/// One output position drawn on a diagram: its receptive field on the padded input and its output cell,
/// both outlined in `colour`.
public struct MarkedPosition: Sendable, Equatable {
    public var position: GridPoint
    public var colour: RGBColour
    /// The window's extent on the padded-input panel: rows r·sH ..< r·sH + dH·(kH − 1) + 1, times the scale.
    public var receptiveField: PixelRect
    /// The samples the window reads, marked by a dot when the dilation is not 1 (empty otherwise).
    public var taps: [PixelRect]
    /// The position's cell on the output panel.
    public var outputCell: PixelRect
}

/// Where ``ConvolutionDiagram`` put things, in canvas pixels, so tests can check the geometry.
public struct DiagramLayout: Sendable {
    /// Canvas pixels per sample (both panels).
    public var scale: Int
    /// The padded input: (H + pad_top + pad_bottom)·scale × (W + pad_left + pad_right)·scale.
    public var inputPanel: PixelRect
    /// The unpadded input inside ``inputPanel``: pad_left·scale from its left edge, pad_top·scale from its top.
    public var inputImage: PixelRect
    /// The output: H_out·scale × W_out·scale.
    public var outputPanel: PixelRect
    public var marks: [MarkedPosition]
    /// The caption's lines, top to bottom, as drawn.
    public var caption: [String]
    public var outputSize: Pair
}

/// A drawn picture and where its parts are.
public struct Diagram: Sendable {
    /// (1, 3, height, width), values in [0, 1].
    public var image: Tensor
    public var layout: DiagramLayout
}

/// The `visualize` picture: a caption with the output-size arithmetic, then two panels at the same scale —
/// the padded input (padding band holding the mode's real values, tinted) with the receptive fields of a
/// few output positions outlined, and the operation's output with the same positions outlined.
public enum ConvolutionDiagram {
    static let margin = 16
    static let textScale = 2
    static let panelGap = 32

    /// Pixels per sample so that the longer of the two panels is about 360 px: at least 1, at most 32.
    public static func automaticScale(longestSide: Int) -> Int {
        min(32, max(1, 360 / max(1, longestSide)))
    }

    /// The first output position, the next along the row and the next down (those that exist).
    public static func defaultPositions(outputSize: Pair) -> [GridPoint] {
        [GridPoint(row: 0, column: 0), GridPoint(row: 0, column: 1), GridPoint(row: 1, column: 0)]
            .filter { $0.row < outputSize.h && $0.column < outputSize.w }
    }

    public static func draw(_ input: PreparedInput, operation: ResolvedOperation, positions: [GridPoint]? = nil,
                            scale: Int? = nil) throws -> Diagram {
        let inputSize = Pair(h: input.data.h, w: input.data.w)
        let outputSize = try operation.outputSize(input: inputSize)
        let output = try operation.apply(input.data)
        let window = operation.window, padding = window.padding
        let padded = try pad(input.data, padding: padding, mode: operation.displayPaddingMode)

        let positions = positions ?? defaultPositions(outputSize: outputSize)
        guard positions.count <= RGBColour.markers.count else {
            throw VisualizationError("at most \(RGBColour.markers.count) positions can be marked, not \(positions.count)")
        }
        for p in positions where p.row < 0 || p.row >= outputSize.h || p.column < 0 || p.column >= outputSize.w {
            throw VisualizationError("output position \(p) is outside the \(outputSize.h)×\(outputSize.w) output (rows and columns count from 0)")
        }
        let scale = scale ?? automaticScale(longestSide: max(padded.h, padded.w, outputSize.h, outputSize.w))
        guard scale >= 1 else { throw VisualizationError("--scale must be at least 1, not \(scale)") }

        // Text.
        var caption = [operation.label + ", padding " + operation.paddingDescription, window.summary(input: inputSize)]
        caption += window.formulaLines(input: inputSize)
        if let note = input.note { caption.append(note) }
        let outputNormalised = input.isData || DisplayPlanes.needsNormalising(output)
        if outputNormalised && !input.isData { caption.append("output shown min–max normalised (values outside 0…1)") }
        let inputTitle = padding.isZero ? "input \(inputSize.h)×\(inputSize.w)" : "input padded by \(padding)"
        let outputTitle = "output \(outputSize.h)×\(outputSize.w)"

        // Layout.
        let line = BitmapFont.lineHeight * textScale
        let captionHeight = caption.count * line
        let titleY = margin + captionHeight + 12
        let panelY = titleY + line + 4
        let inputPanel = PixelRect(x: margin, y: panelY, width: padded.w * scale, height: padded.h * scale)
        let leftColumn = max(inputPanel.width, BitmapFont.width(of: inputTitle, scale: textScale))
        let outputPanel = PixelRect(x: margin + leftColumn + panelGap, y: panelY, width: outputSize.w * scale, height: outputSize.h * scale)
        let rightColumn = max(outputPanel.width, BitmapFont.width(of: outputTitle, scale: textScale))
        let captionWidth = caption.map { BitmapFont.width(of: $0, scale: textScale) }.max() ?? 0
        let width = max(outputPanel.x + rightColumn, margin + captionWidth) + margin
        let height = panelY + max(inputPanel.height, outputPanel.height) + margin
        let inputImage = PixelRect(x: inputPanel.x + padding.left * scale, y: inputPanel.y + padding.top * scale,
                                   width: inputSize.w * scale, height: inputSize.h * scale)

        var canvas = Canvas(width: width, height: height)
        for (i, text) in caption.enumerated() { canvas.text(text, x: margin, y: margin + i * line, scale: textScale) }
        canvas.text(inputTitle, x: inputPanel.x, y: titleY, scale: textScale)
        canvas.text(outputTitle, x: outputPanel.x, y: titleY, scale: textScale)

        // Panels: enlarged samples, tinted padding band, grid.
        canvas.blit(DisplayPlanes.rgb(padded, normalise: input.isData), x: inputPanel.x, y: inputPanel.y, scale: scale)
        for band in bands(of: inputPanel, inner: inputImage) { canvas.tint(band, .paddingTint, amount: 0.45) }
        canvas.blit(DisplayPlanes.rgb(output, normalise: outputNormalised), x: outputPanel.x, y: outputPanel.y, scale: scale)
        if scale >= 8 {
            canvas.grid(inputPanel, cell: scale)
            canvas.grid(outputPanel, cell: scale)
        }

        // Marks, the first position drawn last so that it stays on top.
        let thickness = max(1, scale / 5)
        let dilated = window.dilation != Pair(1)
        let marks = positions.enumerated().map { index, position in
            let origin = window.origin(of: position), extent = window.extent
            let field = PixelRect(x: inputPanel.x + origin.column * scale, y: inputPanel.y + origin.row * scale,
                                  width: extent.w * scale, height: extent.h * scale)
            let dot = max(2, scale * 2 / 5), offset = (scale - max(2, scale * 2 / 5)) / 2
            let taps = dilated ? window.taps(of: position).map {
                PixelRect(x: inputPanel.x + $0.column * scale + offset, y: inputPanel.y + $0.row * scale + offset, width: dot, height: dot)
            } : []
            let cell = PixelRect(x: outputPanel.x + position.column * scale, y: outputPanel.y + position.row * scale, width: scale, height: scale)
            return MarkedPosition(position: position, colour: RGBColour.markers[index], receptiveField: field, taps: taps, outputCell: cell)
        }
        for mark in marks.reversed() {
            canvas.outline(mark.receptiveField, mark.colour, thickness: thickness)
            canvas.outline(mark.outputCell, mark.colour, thickness: thickness)
            for tap in mark.taps { canvas.fill(tap, mark.colour) }
        }

        let layout = DiagramLayout(scale: scale, inputPanel: inputPanel, inputImage: inputImage, outputPanel: outputPanel,
                                   marks: marks, caption: caption, outputSize: outputSize)
        return Diagram(image: canvas.tensor, layout: layout)
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
