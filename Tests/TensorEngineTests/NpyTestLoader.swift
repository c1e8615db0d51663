import Foundation
import ImageCodecs
import TensorEngine

/// The fixtures' `.npy` files, read with the project's own reader (``NumpyFile``), in the shapes the engine tests want.
enum Npy {
    struct Array {
        var shape: [Int]
        var floats: [Float]
        /// The values as integers (pooling indices are `<i8`, exact as floats below 2²⁴).
        var integers: [Int64] { floats.map { Int64($0) } }
    }

    static func load(_ url: URL) throws -> Array {
        let array = try NumpyFile.readArray(contentsOf: AtomicFile.read(url.path), path: url.lastPathComponent)
        return Array(shape: array.dimensions, floats: array.tensor.storage)
    }

    /// A 4-D array as a tensor (any other becomes (1, 1, 1, n)).
    static func tensor(_ url: URL) throws -> Tensor {
        let a = try load(url)
        let s = a.shape.count == 4 ? a.shape : [1, 1, 1, a.shape.reduce(1, *)]
        return Tensor(shape: TensorShape(n: s[0], c: s[1], h: s[2], w: s[3]), storage: a.floats)
    }
}
