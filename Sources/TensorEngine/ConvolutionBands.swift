import CKernels

/// How sliding-window operations read a padded input without ever making a padded copy of it.
///
/// Output rows are computed in bands. For a band, the input rows its windows touch are written,
/// padded, into a small scratch buffer (a few hundred KiB, so it stays in cache) through the one
/// padding rule, ``sourceIndex(_:size:mode:)``; the kernels then read the scratch with no bounds checks.
/// Peak memory is the input plus the output plus one scratch per thread.
///
/// A scratch row holds one padded input row of Wp = W + left + right samples, split by the horizontal
/// stride sW into P = min(sW, Wp) phases of L = ⌈Wp / sW⌉ samples: phase p holds padded columns p, p + sW, p + 2·sW, …
/// Then output column j of tap kx reads phase (kx·dW) mod sW at index j + ⌊kx·dW / sW⌋, so every
/// kernel runs at unit stride, contiguous and vectorised, whatever the stride. For sW = 1 a scratch
/// row is just the padded row. A scratch row holds P·L < Wp + min(sW, Wp) ≤ 2·Wp samples, whatever the stride:
/// phases p ≥ Wp would be empty, and no tap reads them (a tap with kx·dW ≥ Wp leaves no output).
///
/// Padded row r (0-based, counting the `top` padding rows) is input row r − top read through the rule;
/// output row i reads padded rows i·sH + ky·dH for ky < kH. Input rows are read where a ``RowWindow`` keeps them
/// (``WindowRows``): the window holds the rows the band reads (``inputRows(for:kernel:stride:dilation:padBefore:height:mode:)``),
/// while `height` stays the full input's, so the padding rule works at the real edges.
@usableFromInline
struct ConvolutionBands: Sendable {
    /// The full input's height.
    let height: Int
    let width: Int
    let padding: Padding
    let mode: PaddingMode
    let kernel: Pair
    let stride: Pair
    let dilation: Pair
    let output: Pair
    /// ⌈Wp / sW⌉: samples in one phase of a scratch row.
    let phaseLength: Int
    /// min(sW, Wp) · phaseLength: samples in one scratch row.
    let rowLength: Int
    /// The value the mode puts outside the plane (0 for reading modes, where it is never used).
    let fill: Float
    /// For every scratch position, the input column it copies, or −1 for the mode's constant (and for the unused tail of the last phase).
    let columnSources: [Int]

    init(height: Int, width: Int, padding: Padding, mode: PaddingMode, kernel: Pair, stride: Pair, dilation: Pair, output: Pair) {
        self.height = height
        self.width = width
        self.padding = padding
        self.mode = mode
        self.kernel = kernel
        self.stride = stride
        self.dilation = dilation
        self.output = output
        let paddedWidth = width + padding.horizontal
        phaseLength = (paddedWidth + stride.w - 1) / stride.w
        rowLength = min(stride.w, max(1, paddedWidth)) * phaseLength
        fill = mode.constantValue ?? 0
        let (phaseLength, stride) = (phaseLength, stride)
        columnSources = (0..<rowLength).map { k in
            let x = (k % phaseLength) * stride.w + k / phaseLength
            guard x < paddedWidth else { return -1 }
            return sourceIndex(x - padding.left, size: width, mode: mode) ?? -1
        }
    }

    /// Padded rows read by output rows `rows`: from first·sH through (last)·sH + (kH − 1)·dH.
    func paddedRows(for rows: Range<Int>) -> Range<Int> {
        rows.lowerBound * stride.h ..< (rows.upperBound - 1) * stride.h + (kernel.h - 1) * dilation.h + 1
    }

    /// Scratch rows needed by a band of `band` output rows.
    func scratchRows(band: Int) -> Int { (band - 1) * stride.h + (kernel.h - 1) * dilation.h + 1 }

    /// Offset of tap (ky, kx) in the scratch from output (band row 0, column 0).
    func tapOffset(ky: Int, kx: Int) -> Int {
        let dx = kx * dilation.w
        return ky * dilation.h * rowLength + (dx % stride.w) * phaseLength + dx / stride.w
    }

    /// Offset of output row `i` of a band (counted from the band's first row) in the scratch.
    @inline(__always) func rowOffset(_ i: Int) -> Int { i * stride.h * rowLength }

    /// The input row padded row `row` reads (the padding rule on the full height), or nil for the mode's constant.
    @inline(__always) func sourceRow(_ row: Int) -> Int? {
        sourceIndex(row - padding.top, size: height, mode: mode)
    }

    /// Writes padded row `row` of plane `plane` of `input` to `destination` (`rowLength` samples).
    @inline(__always)
    func fillRow(_ row: Int, plane: Int, of input: WindowRows, into destination: UnsafeMutablePointer<Float>) {
        fillRow(row, columns: 0..<rowLength, plane: plane, of: input, into: destination)
    }

    /// Writes scratch positions `columns` of padded row `row` of plane `plane` of `input` to `destination`
    /// (`columns.count` samples).
    @inline(__always)
    func fillRow(_ row: Int, columns: Range<Int>, plane: Int, of input: WindowRows, into destination: UnsafeMutablePointer<Float>) {
        guard let sy = sourceRow(row) else {
            destination.update(repeating: fill, count: columns.count)
            return
        }
        switch input.source(sy) {
        case .floats(let start, let planeStride):
            fillColumns(columns, from: start + plane * planeStride, into: destination)
        case .samples(let pixels, let channels):
            fillColumns(columns, fromSamples: pixels, channels: channels, channel: plane, into: destination)
        }
    }

    /// ``fillColumns(_:from:into:)`` for a row of `width` interleaved 8-bit pixels of `channels` samples, of which
    /// channel `channel` is read: each sample v is written as v/255 (``SampleRows``), the same Float the decoders make.
    /// For sW = 1 the part inside the input is one vector spread (`ck_spread8_channel`), in the cache of the thread
    /// filling the scratch.
    func fillColumns(_ columns: Range<Int>, fromSamples source: UnsafePointer<UInt8>, channels: Int, channel: Int,
                     into destination: UnsafeMutablePointer<Float>) {
        precondition(channel < channels, "plane \(channel) of pixels of \(channels) samples")
        let out = destination - columns.lowerBound
        columnSources.withUnsafeBufferPointer { sources in
            unit8Values.withUnsafeBufferPointer { unit in
                @inline(__always) func sample(_ x: Int) -> Float {
                    let s = sources[x]
                    return s < 0 ? fill : unit[Int(source[s * channels + channel])]
                }
                guard stride.w == 1 else {
                    for k in columns { out[k] = sample(k) }
                    return
                }
                let inside = max(columns.lowerBound, padding.left) ..< min(columns.upperBound, padding.left + width)
                guard !inside.isEmpty else {
                    for x in columns { out[x] = sample(x) }
                    return
                }
                for x in columns.lowerBound..<inside.lowerBound { out[x] = sample(x) }
                ck_spread8_channel(source + (inside.lowerBound - padding.left) * channels, channels, channel, inside.count,
                                   out + inside.lowerBound)
                for x in inside.upperBound..<columns.upperBound { out[x] = sample(x) }
            }
        }
    }

    /// Writes scratch positions `columns` of the padded row made from input row `source` (`width` samples) to
    /// `destination` (`columns.count` samples). For sW = 1 the positions are padded columns, and the part inside the
    /// input is one block copy.
    @inline(__always)
    func fillColumns(_ columns: Range<Int>, from source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>) {
        let out = destination - columns.lowerBound
        columnSources.withUnsafeBufferPointer { sources in
            if stride.w == 1 {
                let inside = max(columns.lowerBound, padding.left) ..< min(columns.upperBound, padding.left + width)
                guard !inside.isEmpty else {
                    for x in columns { let s = sources[x]; out[x] = s < 0 ? fill : source[s] }
                    return
                }
                for x in columns.lowerBound..<inside.lowerBound { let s = sources[x]; out[x] = s < 0 ? fill : source[s] }
                (out + inside.lowerBound).update(from: source + (inside.lowerBound - padding.left), count: inside.count)
                for x in inside.upperBound..<columns.upperBound { let s = sources[x]; out[x] = s < 0 ? fill : source[s] }
            } else {
                for k in columns { let s = sources[k]; out[k] = s < 0 ? fill : source[s] }
            }
        }
    }

    /// Writes padded rows `rows` of plane `plane` of `input` to `destination`, one after the other
    /// (`rows.count · rowLength` samples).
    func fillRows(_ rows: Range<Int>, plane: Int, of input: WindowRows, into destination: UnsafeMutablePointer<Float>) {
        for (k, r) in rows.enumerated() { fillRow(r, plane: plane, of: input, into: destination + k * rowLength) }
    }

    /// Output rows per band: as many as fit `channels` channels of scratch in about 256 KiB (a quarter of a core's L2 here),
    /// and at least the kernel's reach, but no more than leaves `otherItems` · bands work items, aiming at
    /// ≥ 4 items per core.
    func bandHeight(channels: Int, otherItems: Int) -> Int {
        let budget = 64 * 1024  // floats: 256 KiB, a quarter of a core's L2 here
        let halo = (kernel.h - 1) * dilation.h + 1
        var band = max(1, (budget / max(1, channels * rowLength) - halo) / stride.h + 1)
        // A large kernel would leave bands of a few rows that re-pad almost all their halo each time:
        // let the scratch grow instead, so that padding costs at most about two row copies per output row.
        band = max(band, (halo + stride.h - 1) / stride.h)
        let wantedBands = (4 * activeProcessorCount + otherItems - 1) / max(1, otherItems)
        band = min(band, max(1, (output.h + wantedBands - 1) / wantedBands))
        return max(1, min(band, output.h))
    }
}

/// A pointer for inputs with no samples: reads never happen, only the mode's constant is written.
nonisolated(unsafe) let emptyPlane: UnsafePointer<Float> = {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    p.initialize(to: 0)
    return UnsafePointer(p)
}()
