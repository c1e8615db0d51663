import TensorEngine

/// One combination of a sweep and where its output was drawn.
package struct SweepTile: Sendable {
    /// The request this tile ran (the sweep's operation with one kernel size, stride, padding, dilation and padding mode).
    package var request: WindowRequest
    /// `s=2 p=1 d=1` and `zeros → 14×14` (or the reason it was refused).
    package var label: [String]
    /// The output size, nil when the combination is refused (e.g. `same` with stride 2).
    package var outputSize: Pair?
    /// The output drawn at the sheet's scale, top-left in its cell: H_out·scale × W_out·scale. Nil when refused.
    package var image: PixelRect?
    /// The tile's cell on the sheet (label and image).
    package var cell: PixelRect
    /// Why the combination was refused, if it was.
    package var error: String?
    /// That reason as written on the tile, line by line.
    package var reason: [String]
}

/// Where ``ContactSheet`` put things.
package struct SweepLayout: Sendable {
    package var scale: Int
    package var tiles: [SweepTile]
    package var caption: [String]
    /// Tiles per row (the first varied option's values) and rows (the other varied options combined).
    package var columns: Int
    package var rows: Int
    package var valueScale: ValueScale
}

package struct SweepSheet: Sendable {
    /// (1, 3, height, width), values in [0, 1].
    package var image: Tensor
    package var layout: SweepLayout
}

/// The `sweep` picture: one labelled tile per combination of kernel sizes, strides, dilations, paddings and
/// padding modes, every output at the same scale and on one grey scale, so sizes and borders compare at a
/// glance. The options given more than one value are the varied ones, in that order: the first runs along
/// a row (columns), the others, combined, down the rows; one varied option is one row. A refused
/// combination's tile says why, in the picture.
package enum ContactSheet {
    static let margin = 16
    static let textScale = 2
    static let gap = 24
    static let reasonScale = 1

    /// Empty lists mean the request's default (one value).
    package static func draw(_ input: PreparedInput, base: WindowRequest, kernelSizes: [Pair] = [], strides: [Pair] = [],
                            paddings: [PaddingSpec] = [], dilations: [Pair] = [], paddingModes: [PaddingMode] = [],
                            scale: Int? = nil, numbers: Bool? = nil) throws -> SweepSheet {
        let kernelValues: [Pair?] = kernelSizes.isEmpty ? [base.kernelSize] : kernelSizes
        let strideValues: [Pair?] = strides.isEmpty ? [base.stride] : strides
        let dilationValues: [Pair?] = dilations.isEmpty ? [base.dilation] : dilations
        let paddingValues: [PaddingSpec?] = paddings.isEmpty ? [base.padding] : paddings
        let modeValues: [PaddingMode?] = paddingModes.isEmpty ? [base.paddingMode] : paddingModes
        if let scale, scale < 1 { throw VisualizationError("--scale must be at least 1, not \(scale)") }
        let inputSize = Pair(h: input.data.h, w: input.data.w)

        // The axes in their fixed order; the varied ones lay the sheet out.
        let axes: [(count: Int, set: (inout WindowRequest, Int) -> Void)] = [
            (kernelValues.count, { $0.kernelSize = kernelValues[$1] }),
            (strideValues.count, { $0.stride = strideValues[$1] }),
            (dilationValues.count, { $0.dilation = dilationValues[$1] }),
            (paddingValues.count, { $0.padding = paddingValues[$1] }),
            (modeValues.count, { $0.paddingMode = modeValues[$1] }),
        ]
        let varied = axes.filter { $0.count > 1 }
        let columnAxis = varied.first
        let rowAxes = Array(varied.dropFirst())
        let columns = columnAxis?.count ?? 1
        let rowCount = rowAxes.reduce(1) { $0 * $1.count }
        func request(row: Int, column: Int) -> WindowRequest {
            var r = base
            for (i, axis) in axes.enumerated() where axis.count == 1 { axes[i].set(&r, 0) }
            columnAxis?.set(&r, column)
            var rest = row
            for axis in rowAxes.reversed() {
                axis.set(&r, rest % axis.count)
                rest /= axis.count
            }
            return r
        }

        // Check every combination and the sheet's size from the arithmetic, then run them.
        let requests = (0..<rowCount).map { r in (0..<columns).map { c in request(row: r, column: c) } }
        let checked = requests.map { row in row.map { r in Result { () -> (ResolvedOperation, Pair) in
            let op = try r.resolved()
            return (op, try op.outputSize(input: inputSize))
        } } }
        let sizes = checked.flatMap { $0 }.compactMap { try? $0.get().1 }
        let longest = sizes.map { max($0.h, $0.w) }.max() ?? 1
        var scale = scale ?? min(16, max(1, 240 / longest))
        let tallest = sizes.map(\.h).max() ?? 0, widest = sizes.map(\.w).max() ?? 0
        try PictureLimit.check(width: columns * (widest * scale + gap) + 2 * margin, height: rowCount * (tallest * scale + gap) + 2 * margin)
        let outcomes = zip(requests, checked).map { row, results in
            zip(row, results).map { request, result in
                (request: request, outcome: Result { () -> (Tensor, ResolvedOperation) in
                    let (op, _) = try result.get()
                    return (try op.apply(input.data), op)
                })
            }
        }
        let outputs = outcomes.flatMap { $0 }.compactMap { try? $0.outcome.get().0 }
        let valueScale = ValueScale.shared(by: [input.data] + outputs, isData: input.isData)
        let gray = input.data.c == 1
        let format = NumberFormat.fitting(outputs)
        if numbers == true && scale < CellNumbers.minimumCell(outputs, format: format) && gray {
            scale = CellNumbers.minimumCell(outputs, format: format)
        }
        let cellNumbers = !gray || numbers == false ? nil
            : CellNumbers.fitting(outputs, format: format, cell: scale) ?? (numbers == true ? CellNumbers(format: format, fontScale: 1) : nil)

        // Labels and cell sizes.
        func labels(_ request: WindowRequest, _ outcome: Result<(Tensor, ResolvedOperation), Error>) -> [String] {
            switch outcome {
            case .success(let (output, op)):
                let w = op.window
                return ["k=\(w.kernel) s=\(w.stride) p=\(w.padding) d=\(w.dilation)", "\(op.paddingDescription) → \(output.h)×\(output.w)"]
            case .failure:
                return ["k=\(request.kernelSize.map { "\($0)" } ?? "-") s=\(request.stride.map { "\($0)" } ?? "-") p=\(request.padding.map { "\($0)" } ?? "-") d=\(request.dilation.map { "\($0)" } ?? "-")",
                        "\(request.paddingMode.map { "\($0)" } ?? request.defaultPaddingName): refused"]
            }
        }
        let line = BitmapFont.lineHeight * textScale
        let allLabels = outcomes.flatMap { $0 }.map { labels($0.request, $0.outcome) }
        let labelWidth = allLabels.flatMap { $0 }.map { BitmapFont.width(of: $0, scale: textScale) }.max() ?? 0
        let hasRefusal = outcomes.flatMap { $0 }.contains { if case .failure = $0.outcome { true } else { false } }
        let cellWidth = max(labelWidth, widest * scale, hasRefusal ? 216 : 0)
        let reasonColumns = max(10, cellWidth / (BitmapFont.advance * reasonScale))
        func reasonLines(_ error: Error) -> [String] { wrap(String(describing: error), columns: reasonColumns) }
        let reasonHeight = outcomes.flatMap { $0 }.map { entry -> Int in
            if case .failure(let e) = entry.outcome { return reasonLines(e).count * BitmapFont.lineHeight * reasonScale }
            return 0
        }.max() ?? 0
        let imageTop = 2 * line + 4
        let cellHeight = imageTop + max(tallest * scale, reasonHeight)

        var operationLabel = (try? request(row: 0, column: 0).resolved().label) ?? "sweep"
        if kernelValues.count > 1 {
            operationLabel += " (first tile), window sizes " + kernelValues.map { $0.map { "\($0)" } ?? "default" }.joined(separator: ", ")
        }
        var caption = ["\(operationLabel) on \(inputSize.h)×\(inputSize.w); every output at \(scale) px per sample"]
        if let note = input.note { caption.append(note) }
        caption.append("one grey scale for every tile: " + (valueScale.isStretched
            ? "\(format.string(valueScale.low)) black to \(format.string(valueScale.high)) white" : "0 black to 1 white"))
        let top = margin + caption.count * line + 12
        let width = max(margin * 2 + columns * cellWidth + (columns - 1) * gap,
                        margin * 2 + (caption.map { BitmapFont.width(of: $0, scale: textScale) }.max() ?? 0))
        let height = top + rowCount * cellHeight + (rowCount - 1) * gap + margin
        try PictureLimit.check(width: width, height: height)

        var canvas = Canvas(width: width, height: height)
        for (i, text) in caption.enumerated() { canvas.text(text, x: margin, y: margin + i * line, scale: textScale) }
        var tiles: [SweepTile] = []
        for (r, row) in outcomes.enumerated() {
            for (c, entry) in row.enumerated() {
                let cell = PixelRect(x: margin + c * (cellWidth + gap), y: top + r * (cellHeight + gap), width: cellWidth, height: cellHeight)
                let label = labels(entry.request, entry.outcome)
                for (i, text) in label.enumerated() { canvas.text(text, x: cell.x, y: cell.y + i * line, scale: textScale) }
                switch entry.outcome {
                case .success(let (output, _)):
                    let rect = PixelRect(x: cell.x, y: cell.y + imageTop, width: output.w * scale, height: output.h * scale)
                    canvas.blit(valueScale.rgb(output), x: rect.x, y: rect.y, scale: scale)
                    if scale >= 8 { canvas.grid(rect, cell: scale) }
                    if let cellNumbers { canvas.writeValues(output, x: rect.x, y: rect.y, scale: scale, numbers: cellNumbers) }
                    tiles.append(SweepTile(request: entry.request, label: label, outputSize: Pair(h: output.h, w: output.w),
                                           image: rect, cell: cell, error: nil, reason: []))
                case .failure(let error):
                    let reason = reasonLines(error)
                    for (i, text) in reason.enumerated() {
                        canvas.text(text, x: cell.x, y: cell.y + imageTop + i * BitmapFont.lineHeight * reasonScale,
                                    colour: .warning, scale: reasonScale)
                    }
                    tiles.append(SweepTile(request: entry.request, label: label, outputSize: nil, image: nil, cell: cell,
                                           error: String(describing: error), reason: reason))
                }
            }
        }
        return SweepSheet(image: canvas.tensor, layout: SweepLayout(scale: scale, tiles: tiles, caption: caption,
                                                                    columns: columns, rows: rowCount, valueScale: valueScale))
    }

    /// `text` broken at spaces into lines of at most `columns` characters (a longer word is cut).
    static func wrap(_ text: String, columns: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            var word = String(word)
            while word.count > columns {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(word.prefix(columns)))
                word = String(word.dropFirst(columns))
            }
            if current.isEmpty { current = word } else if current.count + 1 + word.count <= columns { current += " " + word } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
