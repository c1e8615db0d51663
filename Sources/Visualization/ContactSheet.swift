import TensorEngine

/// One combination of a sweep and where its output was drawn.
public struct SweepTile: Sendable {
    /// The request this tile ran (the sweep's operation with one stride, padding, dilation and padding mode).
    public var request: WindowRequest
    /// `s=2 p=1 d=1` and `zeros → 14×14` (or the reason it was refused).
    public var label: [String]
    /// The output size, nil when the combination is refused (e.g. `same` with stride 2).
    public var outputSize: Pair?
    /// The output drawn at the sheet's scale, top-left in its cell: H_out·scale × W_out·scale. Nil when refused.
    public var image: PixelRect?
    /// The tile's cell on the sheet (label and image).
    public var cell: PixelRect
    /// Why the combination was refused, if it was.
    public var error: String?
}

/// Where ``ContactSheet`` put things.
public struct SweepLayout: Sendable {
    public var scale: Int
    public var tiles: [SweepTile]
    public var caption: [String]
}

public struct SweepSheet: Sendable {
    /// (1, 3, height, width), values in [0, 1].
    public var image: Tensor
    public var layout: SweepLayout
}

/// The `sweep` picture: one labelled tile per combination of strides, paddings, dilations and padding
/// modes, every output at the same scale, so sizes and borders compare at a glance. Columns follow the
/// strides; rows the padding modes, then paddings, then dilations.
public enum ContactSheet {
    static let margin = 16
    static let textScale = 2
    static let gap = 24

    /// Empty lists mean the request's default (one value).
    public static func draw(_ input: PreparedInput, base: WindowRequest, strides: [Pair] = [], paddings: [PaddingSpec] = [],
                            dilations: [Pair] = [], paddingModes: [PaddingMode] = [], scale: Int? = nil) throws -> SweepSheet {
        let strideValues: [Pair?] = strides.isEmpty ? [base.stride] : strides
        let paddingValues = paddings.isEmpty ? [base.padding] : paddings
        let dilationValues = dilations.isEmpty ? [base.dilation] : dilations
        let modeValues: [PaddingMode?] = paddingModes.isEmpty ? [base.paddingMode] : paddingModes
        let inputSize = Pair(h: input.data.h, w: input.data.w)

        // Run every combination, row by row.
        var rows: [[(request: WindowRequest, outcome: Result<(Tensor, ResolvedOperation), Error>)]] = []
        for mode in modeValues {
            for padding in paddingValues {
                for dilation in dilationValues {
                    rows.append(strideValues.map { stride in
                        var request = base
                        request.stride = stride
                        request.padding = padding
                        request.dilation = dilation
                        request.paddingMode = mode
                        return (request, Result { let op = try request.resolved(); return (try op.apply(input.data), op) })
                    })
                }
            }
        }
        let outputs = rows.flatMap { $0 }.compactMap { try? $0.outcome.get().0 }
        let longest = outputs.map { max($0.h, $0.w) }.max() ?? 1
        let scale = scale ?? min(16, max(1, 240 / longest))
        guard scale >= 1 else { throw VisualizationError("--scale must be at least 1, not \(scale)") }
        let normalise = input.isData || outputs.contains(where: DisplayPlanes.needsNormalising)

        // Labels and cell sizes.
        func labels(_ request: WindowRequest, _ outcome: Result<(Tensor, ResolvedOperation), Error>) -> [String] {
            switch outcome {
            case .success(let (output, op)):
                let w = op.window
                return ["s=\(w.stride) p=\(w.padding) d=\(w.dilation)", "\(op.paddingDescription) → \(output.h)×\(output.w)"]
            case .failure:
                return ["s=\(request.stride.map { "\($0)" } ?? "-") p=\(request.padding) d=\(request.dilation)",
                        "\(request.paddingMode.map { "\($0)" } ?? (request.operation == .maxPool ? "−∞" : "zeros")): refused"]
            }
        }
        let line = BitmapFont.lineHeight * textScale
        let allLabels = rows.flatMap { $0 }.map { labels($0.request, $0.outcome) }
        let labelWidth = allLabels.flatMap { $0 }.map { BitmapFont.width(of: $0, scale: textScale) }.max() ?? 0
        let cellWidth = max(labelWidth, (outputs.map(\.w).max() ?? 0) * scale)
        let imageTop = 2 * line + 4
        let cellHeight = imageTop + (outputs.map(\.h).max() ?? 0) * scale

        let operationLabel = (try? base.resolved().label) ?? "sweep"
        var caption = ["\(operationLabel) on \(inputSize.h)×\(inputSize.w); every output at \(scale) px per sample"]
        if let note = input.note { caption.append(note) }
        if normalise && !input.isData { caption.append("outputs shown min–max normalised (values outside 0…1)") }
        let top = margin + caption.count * line + 12
        let columns = strideValues.count
        let width = max(margin * 2 + columns * cellWidth + (columns - 1) * gap,
                        margin * 2 + (caption.map { BitmapFont.width(of: $0, scale: textScale) }.max() ?? 0))
        let height = top + rows.count * cellHeight + (rows.count - 1) * gap + margin

        var canvas = Canvas(width: width, height: height)
        for (i, text) in caption.enumerated() { canvas.text(text, x: margin, y: margin + i * line, scale: textScale) }
        var tiles: [SweepTile] = []
        for (r, row) in rows.enumerated() {
            for (c, entry) in row.enumerated() {
                let cell = PixelRect(x: margin + c * (cellWidth + gap), y: top + r * (cellHeight + gap), width: cellWidth, height: cellHeight)
                let label = labels(entry.request, entry.outcome)
                for (i, text) in label.enumerated() { canvas.text(text, x: cell.x, y: cell.y + i * line, scale: textScale) }
                switch entry.outcome {
                case .success(let (output, _)):
                    let rect = PixelRect(x: cell.x, y: cell.y + imageTop, width: output.w * scale, height: output.h * scale)
                    canvas.blit(DisplayPlanes.rgb(output, normalise: normalise), x: rect.x, y: rect.y, scale: scale)
                    tiles.append(SweepTile(request: entry.request, label: label, outputSize: Pair(h: output.h, w: output.w),
                                           image: rect, cell: cell, error: nil))
                case .failure(let error):
                    tiles.append(SweepTile(request: entry.request, label: label, outputSize: nil, image: nil, cell: cell,
                                           error: String(describing: error)))
                }
            }
        }
        return SweepSheet(image: canvas.tensor, layout: SweepLayout(scale: scale, tiles: tiles, caption: caption))
    }
}
