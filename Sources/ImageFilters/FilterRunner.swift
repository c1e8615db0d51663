import TensorEngine

/// Options every filter command shares.
public struct FilterOptions: Sendable {
    /// nil: the filter's default.
    public var alphaMode: AlphaMode?
    /// nil: the filter's default.
    public var valuePolicy: ValuePolicy?
    /// Convert colour to luminance (``Luminance``) before filtering.
    public var gray: Bool
    /// Whether the last channel of a 2- or 4-channel tensor is alpha (true for images, false for `.npy` data).
    public var lastChannelIsAlpha: Bool

    public init(alphaMode: AlphaMode? = nil, valuePolicy: ValuePolicy? = nil, gray: Bool = false, lastChannelIsAlpha: Bool = true) {
        self.alphaMode = alphaMode
        self.valuePolicy = valuePolicy
        self.gray = gray
        self.lastChannelIsAlpha = lastChannelIsAlpha
    }
}

/// The result of running a filter: the tensor and what `--verbose` prints.
public struct FilterOutcome: Sendable {
    public var tensor: Tensor
    public var notes: [String]

    public init(tensor: Tensor, notes: [String]) {
        self.tensor = tensor
        self.notes = notes
    }
}

/// A filter's output before its value policy is applied: colour and alpha apart, so that a strip's
/// output can be cropped to the rows it owns before values are clipped and counted.
public struct StagedFilterOutput: Sendable {
    public var colour: Tensor
    public var alpha: Tensor?
    /// The filter's notes; ``finished()`` adds the value policy's.
    public var notes: [String]
    public var valuePolicy: ValuePolicy?

    /// Applies the value policy (if any) to the colour planes; returns how many values were clipped.
    public mutating func applyValuePolicy() -> Int {
        valuePolicy?.apply(to: &colour) ?? 0
    }

    /// Applies the value policy (if any) to output rows `rows` of the colour planes only.
    public mutating func applyValuePolicy(rows: Range<Int>) -> Int {
        valuePolicy?.apply(to: &colour, rows: rows) ?? 0
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

/// Runs an ``ImageFilter`` on a whole image tensor: splits off alpha, converts to gray, premultiplies,
/// filters, applies the value policy and puts alpha back. Every filter goes through here.
/// An image without alpha is filtered as it is: no channel is copied out first.
public enum FilterRunner {
    public static func run(_ filter: some ImageFilter, on image: Tensor, options: FilterOptions = .init()) throws -> FilterOutcome {
        try stage(filter, on: image, options: options).finished()
    }

    /// Everything ``run(_:on:options:)`` does except the value policy.
    public static func stage(_ filter: some ImageFilter, on image: Tensor, options: FilterOptions = .init()) throws -> StagedFilterOutput {
        var notes = [filter.summary]
        let hasAlpha = options.lastChannelIsAlpha && (image.c == 2 || image.c == 4)
        var colour = hasAlpha ? image.channels(0..<(image.c - 1)) : image
        var alpha = hasAlpha ? image.channels((image.c - 1)..<image.c) : nil
        let mode = options.alphaMode ?? filter.defaultAlphaMode
        if mode == .drop { alpha = nil }
        if options.gray { colour = Luminance.of(colour) }

        var output: Tensor
        if let a = alpha, mode == .filter {
            let premultiplied = multiplyPlanes(colour, by: a)
            output = try filter.apply(premultiplied, notes: &notes)
            var filteredAlpha = try filter.apply(a, notes: &notes)
            ValuePolicy.clamp.apply(to: &filteredAlpha)
            output = dividePlanes(output, by: filteredAlpha)
            alpha = filteredAlpha
        } else {
            output = try filter.apply(colour, notes: &notes)
            if let a = alpha { alpha = try filter.resample(a) }
        }
        return StagedFilterOutput(colour: output, alpha: alpha, notes: notes, valuePolicy: options.valuePolicy ?? filter.defaultValuePolicy)
    }

    /// What `--verbose` says about the value policy.
    public static func valuesNote(_ policy: ValuePolicy, clipped: Int, of count: Int) -> String {
        "values: \(policy), \(clipped) of \(count) clipped to [0, 1]"
    }

    /// Every colour plane multiplied by the alpha plane of its batch item.
    static func multiplyPlanes(_ colour: Tensor, by alpha: Tensor) -> Tensor {
        combinePlanes(colour, alpha) { c, a in c * a }
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
