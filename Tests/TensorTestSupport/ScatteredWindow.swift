import TensorEngine

extension RowWindow {
    /// Rows `rows` of `input` as a window of pieces cut at random rows, each piece the middle of a taller block whose
    /// other rows are NaN (Float planes) or 0xA5 bytes: what a row stage hands over when a window spans several strips.
    /// When `input` is one image of 8-bit values (every value v/255, N = 1), about half the pieces are such samples
    /// (``SampleRows``), as a decoder hands them over. An operation that reads a row where the window does not keep it,
    /// or reads outside a piece, sees NaN or wrong values.
    public static func scattered(_ input: Tensor, rows: Range<Int>, rng: inout SplitMix64) -> RowWindow {
        let bytes: [UInt8]? = input.n == 1 ? eightBit(input) : nil
        var parts: [(block: RowBlock, rows: Range<Int>)] = []
        var row = rows.lowerBound
        repeat {
            let count = min(rows.upperBound - row, 1 + rng.below(max(1, rows.count / 2 + 1)))
            let above = rng.below(3), below = rng.below(3)
            let height = above + count + below
            if let bytes, rng.below(2) == 0 {
                let rowBytes = input.w * input.c
                var piece = [UInt8](repeating: 0xA5, count: height * rowBytes)
                for c in 0..<input.c { for y in 0..<count { for x in 0..<input.w {
                    piece[(above + y) * rowBytes + x * input.c + c] = bytes[(c * input.h + row + y) * input.w + x]
                } } }
                parts.append((.samples(SampleRows(bytes: piece, rows: height, width: input.w, channels: input.c)), above ..< above + count))
            } else {
                var piece = Tensor(shape: TensorShape(n: input.n, c: input.c, h: height, w: input.w), repeating: .nan)
                for n in 0..<input.n { for c in 0..<input.c { for y in 0..<count { for x in 0..<input.w {
                    piece[n, c, above + y, x] = input[n, c, row + y, x]
                } } } }
                parts.append((.planes(piece), above ..< above + count))
            }
            row += count
        } while row < rows.upperBound
        return RowWindow(blocks: parts, top: rows.lowerBound, height: input.h)
    }

    /// The bytes v of `input`'s values when every one is exactly v/255 (as ``SampleRows`` stand for), in its order.
    private static func eightBit(_ input: Tensor) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(input.shape.count)
        for value in input.storage {
            let v = (value * 255).rounded()
            guard v >= 0, v <= 255, unit8Values[Int(v)].bitPattern == value.bitPattern else { return nil }
            bytes.append(UInt8(v))
        }
        return bytes
    }
}
