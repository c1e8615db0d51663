import Foundation
import TensorEngine

/// A 2-D filter kernel: `rows × columns` weights in row-major order, applied by cross-correlation, PyTorch's
/// convention: at stride 1 and dilation 1 with ``/TensorEngine/PaddingSpec/centred`` padding (the named filters' default)
/// `out[y, x] = Σ k[i, j] · in[y + i − ⌊(rows − 1)/2⌋, x + j − ⌊(columns − 1)/2⌋]`.
public struct Kernel: Equatable, Sendable, CustomStringConvertible {
    /// The kernel's height, at least 1.
    public let rows: Int
    /// The kernel's width, at least 1.
    public let columns: Int
    /// Row-major weights; `values.count == rows · columns`.
    public let values: [Float]

    /// A `rows × columns` kernel of `values` in row-major order. Throws ``FilterError/invalidKernel(reason:)``
    /// unless rows, columns ≥ 1, `values.count` = rows · columns and every weight is finite.
    public init(rows: Int, columns: Int, values: [Float]) throws {
        guard rows > 0, columns > 0 else { throw FilterError.invalidKernel(reason: "a kernel needs at least one row and one column, not \(rows)×\(columns)") }
        let needed = rows.multipliedReportingOverflow(by: columns)
        guard needed == (values.count, false) else {
            let count = needed.overflow ? "more than 2⁶³" : "\(needed.partialValue)"
            throw FilterError.invalidKernel(reason: "a \(rows)×\(columns) kernel needs \(count) values, not \(values.count)")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw FilterError.invalidKernel(reason: "kernel value at row \(bad / columns + 1), column \(bad % columns + 1) is \(values[bad]); weights must be finite numbers")
        }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A kernel from rows of equal length (`[[1, 0, 1], [0, 1, 0], [1, 0, 1]]`). Throws
    /// ``FilterError/invalidKernel(reason:)`` for no rows, an empty or ragged row, or a weight that is not finite.
    public init(_ rowValues: [[Float]]) throws {
        guard let first = rowValues.first else { throw FilterError.invalidKernel(reason: "a kernel needs at least one row") }
        for (i, row) in rowValues.enumerated() where row.count != first.count {
            throw FilterError.invalidKernel(reason: "kernel row \(i + 1) has \(row.count) values but row 1 has \(first.count); every row needs the same number")
        }
        try self.init(rows: rowValues.count, columns: first.count, values: rowValues.flatMap { $0 })
    }

    /// The weight at `row`, `column` (from 0).
    public subscript(row: Int, column: Int) -> Float { values[row * columns + column] }

    /// Sum of the weights: the gain on a flat image.
    public var sum: Float { values.reduce(0, +) }

    /// The kernel rotated by 180°: correlating with it is true convolution with `self`.
    public var flipped: Kernel { try! Kernel(rows: rows, columns: columns, values: values.reversed()) }

    /// The kernel with rows and columns swapped (Sobel x ↔ Sobel y).
    public var transposed: Kernel {
        var t = [Float](repeating: 0, count: values.count)
        for r in 0..<rows { for c in 0..<columns { t[c * rows + r] = values[r * columns + c] } }
        return try! Kernel(rows: columns, columns: rows, values: t)
    }

    /// Every weight divided by `divisor`; throws ``FilterError/invalidKernel(reason:)`` for 0 or a divisor that is
    /// not finite.
    public func divided(by divisor: Float) throws -> Kernel {
        guard divisor != 0, divisor.isFinite else { throw FilterError.invalidKernel(reason: "cannot divide a kernel by \(divisor)") }
        return try Kernel(rows: rows, columns: columns, values: values.map { $0 / divisor })
    }

    /// The weights divided by their sum, so a flat image keeps its value. A kernel summing to 0 (|Σk| ≤ 10⁻¹²)
    /// cannot be normalised: throws ``FilterError/invalidKernel(reason:)``.
    public func normalized() throws -> Kernel {
        let s = sum
        guard abs(s) > 1e-12 else {
            throw FilterError.invalidKernel(reason: "the kernel's weights sum to 0, so it cannot be normalised (an edge kernel: show it with an offset of 0.5 or as absolute values instead)")
        }
        return try divided(by: s)
    }

    /// The smallest and largest output on inputs in [0, 1]: negative weights meet 1 for the minimum, positive ones for the maximum.
    public var outputRange: ClosedRange<Float> {
        let negative = values.filter { $0 < 0 }.reduce(0, +)
        let positive = values.filter { $0 > 0 }.reduce(0, +)
        return negative...positive
    }

    /// When the kernel is an outer product `column · rowᵀ` (rank 1), the two 1-D factors; otherwise nil.
    /// Separable kernels can run as two 1-D passes: rows·columns multiplications per pixel become rows + columns.
    package var separableFactors: (column: [Float], row: [Float])? {
        guard let pivot = values.indices.max(by: { abs(values[$0]) < abs(values[$1]) }), values[pivot] != 0 else { return nil }
        let pr = pivot / columns, pc = pivot % columns
        let row = (0..<columns).map { values[pr * columns + $0] }
        let column = (0..<rows).map { values[$0 * columns + pc] / values[pivot] }
        let scale = values.map(abs).max()!
        for r in 0..<rows {
            for c in 0..<columns where abs(column[r] * row[c] - values[r * columns + c]) > 1e-6 * scale {
                return nil
            }
        }
        return (column, row)
    }

    /// The kernel as a depthwise convolution weight for `channels` channels: shape (channels, 1, rows, columns).
    public func depthwiseWeight(channels: Int) -> Tensor {
        Tensor(shape: TensorShape(n: channels, c: 1, h: rows, w: columns),
               storage: Array([[Float]](repeating: values, count: channels).joined()))
    }

    /// Rows of numbers, right-aligned, as `imgconv kernels` and `kernel show` print them.
    public var description: String {
        let cells = values.map { KernelFormatting.number($0) }
        let width = cells.map(\.count).max() ?? 1
        return (0..<rows).map { r in
            (0..<columns).map { c in
                let s = cells[r * columns + c]
                return String(repeating: " ", count: width - s.count) + s
            }.joined(separator: " ")
        }.joined(separator: "\n")
    }
}

/// Short printing of kernel weights: integers without a decimal point, others with up to 6 significant digits.
package enum KernelFormatting {
    /// `v` as kernel listings print it: an integer below 10⁷ in magnitude without a decimal point (`-2`), else
    /// `%.6g` (`0.0625`, `1.5e+07`).
    public static func number(_ v: Float) -> String {
        if v == v.rounded(), abs(v) < 1e7 { return String(Int(v)) }
        return String(format: "%.6g", Double(v))
    }
}

extension Kernel: ExpressibleByArrayLiteral {
    /// A kernel written as rows in the source: `let k: Kernel = [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]`.
    /// A literal with no rows, rows of different lengths or a weight that is not finite is a programming
    /// error and stops the program; build kernels from data with ``init(_:)``, which throws instead.
    public init(arrayLiteral rows: [Float]...) {
        do { try self.init(rows) } catch { preconditionFailure("Kernel literal: \(error)") }
    }
}
