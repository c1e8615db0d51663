import ImageFilters
import TensorEngine

/// The `visualize --weight W.npy --groups G` picture: a dense `torch.nn.Conv2d` weight (C_out, C_in/G, kH, kW)
/// applied to a multi-channel input, every channel drawn as its own block.
///
/// Channels are split into G groups: input channels g·C_in/G ..< (g + 1)·C_in/G and output channels
/// g·C_out/G ..< (g + 1)·C_out/G form group g, and output channel o reads only its group's inputs:
///
///     out[o](r, c) = bias[o] + Σ_{i < C_in/G} Σ_{a, b} W[o, i, a, b] · x_pad[g·C_in/G + i](r·sH + a·dH, c·sW + b·dW),   g = ⌊o / (C_out/G)⌋
///
/// Each block is framed in its group's colour; the chosen output channel's position is outlined in its block, and
/// its window on every input channel of its group (and only there), in ``windowColour``. The output is what
/// `imgconv conv --weight` computes with these parameters: its filter, ``/ImageFilters/DenseConvolutionFilter``
/// (the engine's ``/TensorEngine/conv2d(_:weight:bias:parameters:)``), every channel as data.
package enum GroupedConvolutionDiagram {
    /// At most this many input or output channels are drawn as blocks.
    package static let maxChannels = 16

    package struct Layout: Sendable {
        package var scale: Int
        /// Each input channel's padded plane, left to right.
        package var inputBlocks: [PixelRect]
        /// Each output channel's plane, left to right.
        package var outputBlocks: [PixelRect]
        /// The group of each input and output channel.
        package var inputGroups: [Int]
        package var outputGroups: [Int]
        /// Group g's frame colour.
        package var groupColours: [RGBColour]
        /// The frame around each block, `frameThickness` pixels wide, just outside it.
        package var frameThickness: Int
        package var window: SlidingWindow
        package var outputChannel: Int
        package var position: GridPoint
        /// The window of `position` on each input channel of the output channel's group (the blocks' indices).
        package var receptiveFields: [(channel: Int, rect: PixelRect)]
        package var outputCell: PixelRect
        package var caption: [String]
        /// The engine's output, (1, C_out, H_out, W_out).
        package var output: Tensor
    }

    package struct Diagram: Sendable {
        package var image: Tensor
        package var layout: Layout
    }

    static let margin = 16, textScale = 2, blockGap = 20, frame = 3

    /// The window and its output cell: pale yellow, which is neither a grey (a sample) nor a group's colour
    /// (``RGBColour/marker(_:)`` hues are fully saturated).
    package static let windowColour = RGBColour(r: 1, g: 1, b: 0.55)

    /// Draws `weight` (C_out, C_in/groups, kH, kW) with `parameters` (groups, stride, padding, dilation, padding
    /// mode) on `input` (1, C_in, H, W; every channel is data), outlining `position` of `outputChannel`.
    package static func draw(_ input: PreparedInput, weight: Tensor, bias: [Float]?, parameters: Conv2dParameters,
                            outputChannel: Int = 0, position: GridPoint = GridPoint(row: 0, column: 0),
                            scale requestedScale: Int? = nil, numbers: Bool? = nil) throws -> Diagram {
        let x = input.data
        let groups = parameters.groups
        guard x.c <= maxChannels, weight.n <= maxChannels else {
            throw VisualizationError("--weight draws at most \(maxChannels) input and \(maxChannels) output channels as blocks; this is \(x.c) in, \(weight.n) out")
        }
        let geometry: Conv2dGeometry
        do {
            geometry = try Conv2dGeometry(input: x.shape, weight: weight.shape, biasCount: bias?.count, parameters: parameters)
        } catch let error as EngineError {
            throw VisualizationError(error.description)
        }
        let out = geometry.output
        guard (0..<out.c).contains(outputChannel) else {
            throw VisualizationError("--out-channel \(outputChannel) does not exist: the weight has \(out.c) output channel\(out.c == 1 ? "" : "s") (0 to \(out.c - 1))")
        }
        guard (0..<out.h).contains(position.row), (0..<out.w).contains(position.column) else {
            throw VisualizationError("output position \(position) is outside the \(out.h)×\(out.w) output (rows and columns count from 0)")
        }
        let kernel = Pair(h: weight.h, w: weight.w)
        let padding = try parameters.padding.resolved(kernel: kernel, dilation: parameters.dilation, stride: parameters.stride)
        let window = SlidingWindow(kernel: kernel, stride: parameters.stride, padding: padding, dilation: parameters.dilation)
        let padded = Pair(h: x.h + padding.vertical, w: x.w + padding.horizontal)
        let longest = max(padded.w * x.c, out.w * out.c, padded.h, out.h)
        if let requestedScale, requestedScale < 1 { throw VisualizationError("--scale must be at least 1, not \(requestedScale)") }
        var scale = requestedScale ?? min(48, max(1, 900 / max(1, longest)))
        let sizeCheck = { (s: Int) in
            try PictureLimit.check(width: max(x.c * (padded.w * s + blockGap), out.c * (out.w * s + blockGap)) + 2 * margin + 900,
                                   height: (padded.h + out.h) * s + 400)
        }
        try sizeCheck(scale)

        let output = try FilterRunner.run(DenseConvolutionFilter(weight: weight, bias: bias, parameters: parameters), on: x,
                                          options: FilterOptions(alphaMode: .drop, lastChannelIsAlpha: false)).tensor
        let paddedInput = try pad(x, padding: padding, mode: parameters.paddingMode)
        let inPerGroup = x.c / groups, outPerGroup = out.c / groups
        let group = outputChannel / outPerGroup
        let inputGroups = (0..<x.c).map { $0 / inPerGroup }, outputGroups = (0..<out.c).map { $0 / outPerGroup }
        let colours = (0..<groups).map { RGBColour.marker($0) }
        let planes = { (t: Tensor) in (0..<t.c).map { t.channels($0..<($0 + 1)) } }
        let inputPlanes = planes(paddedInput), outputPlanes = planes(output)
        let valueScale = ValueScale.shared(by: [x, output], isData: input.isData)
        let format = NumberFormat.fitting([paddedInput, output])
        if numbers == true && requestedScale == nil { scale = max(scale, CellNumbers.minimumCell([paddedInput, output], format: format)) }
        try sizeCheck(scale)
        let cellNumbers = numbers == false ? nil
            : CellNumbers.fitting([paddedInput, output], format: format, cell: scale) ?? (numbers == true ? CellNumbers(format: format, fontScale: 1) : nil)

        // Text.
        let w = weight.shape
        let first = group * inPerGroup, last = first + inPerGroup - 1
        var caption = [
            "conv: weight (\(w.n), \(w.c), \(w.h), \(w.w)) = (C_out, C_in/groups, kH, kW), groups \(groups), padding \(parameters.paddingMode)",
            window.summary(input: Pair(h: x.h, w: x.w)),
        ]
        caption += window.formulaLines(input: Pair(h: x.h, w: x.w))
        if let note = input.note { caption.append(note) }
        caption.append("group g: input channels g·\(inPerGroup) ..< (g + 1)·\(inPerGroup), output channels g·\(outPerGroup) ..< (g + 1)·\(outPerGroup); frames in the group's colour")
        let value = output[0, outputChannel, position.row, position.column]
        caption.append("output channel \(outputChannel) (group \(group)) at \(position.row),\(position.column) reads input channel\(inPerGroup == 1 ? " \(first)" : "s \(first) to \(last)"): \(format.string(value))")

        // Layout.
        let line = BitmapFont.lineHeight * textScale
        let titleY = margin + caption.count * line + 12
        let labelY = titleY + line + 4
        let inputY = labelY + line + frame + 2
        var cursor = margin + frame
        let inputBlocks = (0..<x.c).map { c -> PixelRect in
            let rect = PixelRect(x: cursor, y: inputY, width: padded.w * scale, height: padded.h * scale)
            cursor += max(rect.width, BitmapFont.width(of: "in \(c) g\(inputGroups[c])", scale: textScale)) + blockGap
            return rect
        }
        let inputRight = cursor
        let outputTitleY = inputY + padded.h * scale + frame + 16
        let outputLabelY = outputTitleY + line + 4
        let outputY = outputLabelY + line + frame + 2
        cursor = margin + frame
        let outputBlocks = (0..<out.c).map { o -> PixelRect in
            let rect = PixelRect(x: cursor, y: outputY, width: out.w * scale, height: out.h * scale)
            cursor += max(rect.width, BitmapFont.width(of: "out \(o) g\(outputGroups[o])", scale: textScale)) + blockGap
            return rect
        }
        let legendY = outputY + out.h * scale + frame + 16
        let legend = "grey scale of every block: " + (valueScale.isStretched ? "\(format.string(valueScale.low)) black to \(format.string(valueScale.high)) white" : "0 black to 1 white")
            + "; pale yellow: the window and the output it makes"
        let textWidth = (caption + [legend]).map { BitmapFont.width(of: $0, scale: textScale) }.max() ?? 0
        let width = max(inputRight, cursor, margin + textWidth) + margin
        let height = legendY + line + margin
        try PictureLimit.check(width: width, height: height)

        var canvas = Canvas(width: width, height: height)
        for (i, text) in caption.enumerated() { canvas.text(text, x: margin, y: margin + i * line, scale: textScale) }
        canvas.text("input: \(x.c) channel\(x.c == 1 ? "" : "s")" + (padding.isZero ? "" : ", padded by \(padding)"), x: margin, y: titleY, scale: textScale)
        canvas.text("output: \(out.c) channel\(out.c == 1 ? "" : "s") of \(out.h)×\(out.w)", x: margin, y: outputTitleY, scale: textScale)
        let ring = { (rect: PixelRect) in PixelRect(x: rect.x - frame, y: rect.y - frame, width: rect.width + 2 * frame, height: rect.height + 2 * frame) }
        func drawBlock(_ plane: Tensor, _ rect: PixelRect, label: String, labelY: Int, group g: Int, band: Padding) {
            canvas.text(label, x: rect.x, y: labelY, colour: colours[g], scale: textScale)
            canvas.blit(valueScale.rgb(plane), x: rect.x, y: rect.y, scale: scale)
            let inner = PixelRect(x: rect.x + band.left * scale, y: rect.y + band.top * scale,
                                  width: rect.width - band.horizontal * scale, height: rect.height - band.vertical * scale)
            for b in ConvolutionDiagram.bands(of: rect, inner: inner) { canvas.tint(b, .paddingTint, amount: 0.45) }
            if scale >= 8 { canvas.grid(rect, cell: scale) }
            if let cellNumbers { canvas.writeValues(plane, x: rect.x, y: rect.y, scale: scale, numbers: cellNumbers) }
            canvas.outline(ring(rect), colours[g], thickness: frame)
        }
        for c in 0..<x.c {
            drawBlock(inputPlanes[c], inputBlocks[c], label: "in \(c) g\(inputGroups[c])", labelY: labelY, group: inputGroups[c], band: padding)
        }
        for o in 0..<out.c {
            drawBlock(outputPlanes[o], outputBlocks[o], label: "out \(o) g\(outputGroups[o])", labelY: outputLabelY, group: outputGroups[o], band: .zero)
        }
        let thickness = max(2, scale / 5)
        let origin = window.origin(of: position), extent = window.extent
        let fields = (first...last).map { c in
            (channel: c, rect: PixelRect(x: inputBlocks[c].x + origin.column * scale, y: inputBlocks[c].y + origin.row * scale,
                                         width: extent.w * scale, height: extent.h * scale))
        }
        for field in fields { canvas.outline(field.rect, windowColour, thickness: thickness) }
        let cell = PixelRect(x: outputBlocks[outputChannel].x + position.column * scale, y: outputBlocks[outputChannel].y + position.row * scale,
                             width: scale, height: scale)
        canvas.outline(cell, windowColour, thickness: thickness)
        canvas.text(legend, x: margin, y: legendY, scale: textScale)

        let layout = Layout(scale: scale, inputBlocks: inputBlocks, outputBlocks: outputBlocks, inputGroups: inputGroups, outputGroups: outputGroups,
                            groupColours: colours, frameThickness: frame, window: window, outputChannel: outputChannel, position: position,
                            receptiveFields: fields, outputCell: cell, caption: caption, output: output)
        return Diagram(image: canvas.tensor, layout: layout)
    }
}
