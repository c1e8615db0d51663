import TensorEngine

/// Options every filter command shares.
public struct FilterOptions: Sendable {
    /// nil: the filter's default.
    public var alphaMode: AlphaMode?
    /// nil: the filter's default.
    public var valuePolicy: ValuePolicy?

    /// Convert colour to luminance before filtering: Y = 0.299 R + 0.587 G + 0.114 B (BT.601, as libjpeg), on
    /// the values as stored; gray inputs stay as they are. Default false.
    public var gray: Bool
    /// Whether the last channel of a 2- or 4-channel tensor is alpha (true, the default, for images; false for
    /// `.npy` data).
    public var lastChannelIsAlpha: Bool

    /// The options; by default each filter's own alpha mode and value policy, colour kept, a 2- or 4-channel
    /// tensor's last channel taken as alpha.
    public init(alphaMode: AlphaMode? = nil, valuePolicy: ValuePolicy? = nil, gray: Bool = false, lastChannelIsAlpha: Bool = true) {
        self.alphaMode = alphaMode
        self.valuePolicy = valuePolicy
        self.gray = gray
        self.lastChannelIsAlpha = lastChannelIsAlpha
    }
}

/// The result of running a filter: the tensor and what `--verbose` prints.
public struct FilterOutcome: Sendable {
    /// The filtered image, (N, C, H_out, W_out): colour channels then alpha (unless dropped), values after the
    /// value policy.
    public var tensor: Tensor
    /// One line each: the filter's ``ImageFilter/summary``, then (when a value policy applies) the policy and how
    /// many values it clipped to [0, 1].
    public var notes: [String]

    /// The two parts as given.
    public init(tensor: Tensor, notes: [String]) {
        self.tensor = tensor
        self.notes = notes
    }
}

/// A filter's output before its value policy is applied: colour and alpha apart, so that the policy sees the
/// colour planes only (and a global one, `normalize`, can wait for every row).
package struct StagedFilterOutput: Sendable {
    /// The filtered colour planes, before the value policy.
    public var colour: Tensor
    /// The filtered or resampled alpha plane; nil without alpha or when it is dropped.
    public var alpha: Tensor?
    /// The filter's notes; ``finished()`` adds the value policy's.
    public var notes: [String]
    /// The policy ``applyValuePolicy()`` applies; nil: none.
    public var valuePolicy: ValuePolicy?

    /// The parts as given.
    public init(colour: Tensor, alpha: Tensor?, notes: [String], valuePolicy: ValuePolicy?) {
        self.colour = colour
        self.alpha = alpha
        self.notes = notes
        self.valuePolicy = valuePolicy
    }

    /// Applies the value policy (if any) to the colour planes; returns how many values were clipped.
    public mutating func applyValuePolicy() -> Int {
        valuePolicy?.apply(to: &colour) ?? 0
    }



    /// Colour followed by alpha, if any.
    public var tensor: Tensor {
        if let alpha { return Tensor.concatenatingChannels([colour, alpha]) }
        return colour
    }

    /// Applies the value policy and returns the tensor with every note.
    public func finished() -> FilterOutcome {
        var staged = self
        let clipped = staged.applyValuePolicy()
        var notes = staged.notes
        if let policy = valuePolicy { notes.append(FilterRunner.valuesNote(policy, clipped: clipped, of: staged.colour.shape.count)) }
        return FilterOutcome(tensor: staged.tensor, notes: notes)
    }
}

/// Runs an ``ImageFilter`` on an image: prepares it (splits off alpha, converts to gray, premultiplies), filters,
/// divides by the filtered alpha, applies the value policy and puts alpha back. Every filter goes through here, on a
/// whole image or on the rows of a ``/TensorEngine/RowWindow`` (each of these steps is per pixel, so a row's result
/// does not depend on the window). An image without alpha is filtered as it is: no channel is copied out first.
public enum FilterRunner {
    /// `filter` on a whole image: alpha split off (when ``FilterOptions/lastChannelIsAlpha`` and C is 2 or 4), the
    /// colour made gray if asked, alpha handled by the ``AlphaMode`` (`filter` premultiplies: the result is
    /// filter(colour·α)/filter(α), 0 where the filtered α is 0), the value policy applied to the colour planes,
    /// alpha appended last. Throws what the filter throws: a ``FilterError`` or an ``/TensorEngine/EngineError``
    /// (the geometry does not fit the image, a tensor over ``/TensorEngine/TensorShape/maxCount`` values).
    public static func run(_ filter: some ImageFilter, on image: Tensor, options: FilterOptions = .init()) throws -> FilterOutcome {
        try stage(filter, on: RowWindow(whole: image), rows: nil, options: options).finished()
    }

    /// The colour planes' shape the filter sees for an image of `image`'s shape: alpha split off, gray applied.
    package static func colourShape(_ filter: some ImageFilter, for image: TensorShape, options: FilterOptions) -> TensorShape {
        PixelPreparation(filter, input: image, options: options).colourShape
    }

    /// The input rows output rows `rows` of the step read (the filter's ``ImageFilter/inputRows(for:input:)``;
    /// the preparation reads row r for row r).
    package static func inputRows(_ filter: some ImageFilter, for rows: Range<Int>, image: TensorShape, options: FilterOptions) throws -> Range<Int> {
        try filter.inputRows(for: rows, input: colourShape(filter, for: image, options: options))
    }

    /// Everything ``run(_:on:options:)`` does except the value policy, for output rows `rows` (nil: all);
    /// `image` holds the rows ``inputRows(_:for:image:options:)`` names.
    package static func stage(_ filter: some ImageFilter, on image: RowWindow, rows: Range<Int>?, options: FilterOptions = .init()) throws -> StagedFilterOutput {
        let preparation = PixelPreparation(filter, input: image.shape, options: options)
        return try stage(filter, onPrepared: image.replacing(preparation.apply(image.tensor)), rows: rows, preparation: preparation, options: options)
    }

    /// The filter part of ``stage(_:on:rows:options:)``, on rows already prepared by `preparation`
    /// (``PixelPreparation/apply(_:)``): the filter on the colour; with a premultiplied colour, alpha filtered too,
    /// clamped to [0, 1], and the colour divided by it (0 where it is 0); a kept alpha otherwise resampled with the
    /// filter's geometry (``ImageFilter/resample(_:rows:)``).
    package static func stage(_ filter: some ImageFilter, onPrepared image: RowWindow, rows: Range<Int>?, preparation: PixelPreparation,
                              options: FilterOptions) throws -> StagedFilterOutput {
        // Without a kept alpha the colour is the window itself, read where its rows are; with one, the planes are split.
        var colour = image, alpha: RowWindow? = nil
        if preparation.keepsAlpha {
            let tensor = image.tensor
            colour = image.replacing(tensor.channels(0..<(tensor.c - 1)))
            alpha = image.replacing(tensor.channels((tensor.c - 1)..<tensor.c))
        }
        let rows = try rows ?? 0 ..< filter.outputShape(for: colour.fullShape).h

        var output = try filter.apply(colour, rows: rows)
        var outputAlpha: Tensor?
        if let alpha {
            if preparation.premultiplies {
                var filteredAlpha = try filter.apply(alpha, rows: rows)
                ValuePolicy.clamp.apply(to: &filteredAlpha)
                output = dividePlanes(output, by: filteredAlpha)
                outputAlpha = filteredAlpha
            } else {
                outputAlpha = try filter.resample(alpha, rows: rows)
            }
        }
        return StagedFilterOutput(colour: output, alpha: outputAlpha, notes: [filter.summary], valuePolicy: options.valuePolicy ?? filter.defaultValuePolicy)
    }

    /// What `--verbose` says about the value policy.
    package static func valuesNote(_ policy: ValuePolicy, clipped: Int, of count: Int) -> String {
        "values: \(policy), \(clipped) of \(count) clipped to [0, 1]"
    }

    /// Every colour plane divided by the alpha plane (0 where alpha is 0): undoes premultiplication.
    static func dividePlanes(_ colour: Tensor, by alpha: Tensor) -> Tensor {
        combinePlanes(colour, alpha) { c, a in a > 0 ? c / a : 0 }
    }

    private static func combinePlanes(_ colour: Tensor, _ alpha: Tensor, _ op: (Float, Float) -> Float) -> Tensor {
        precondition(colour.n == alpha.n && colour.h == alpha.h && colour.w == alpha.w && alpha.c == 1)
        let plane = colour.shape.planeSize
        return colour.withUnsafeBufferPointer { c in
            alpha.withUnsafeBufferPointer { a in
                Tensor(shape: colour.shape) { out in
                    for b in 0..<colour.n {
                        let ab = a.baseAddress! + b * plane
                        for ch in 0..<colour.c {
                            let base = (b * colour.c + ch) * plane
                            for i in 0..<plane { out[base + i] = op(c[base + i], ab[i]) }
                        }
                    }
                }
            }
        }
    }
}
