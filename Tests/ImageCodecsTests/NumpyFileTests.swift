import Foundation
import Testing
import TensorEngine
@testable import ImageCodecs

@Suite struct NumpyFileTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = Bundle.module.url(forResource: "Fixtures/npy/\(name)", withExtension: nil)!
        return [UInt8](try Data(contentsOf: url))
    }

    @Test(arguments: [
        ("f4_hw.npy", TensorShape(n: 1, c: 1, h: 3, w: 4), Float(1)),
        ("f8_chw.npy", TensorShape(n: 1, c: 2, h: 3, w: 4), Float(0.25)),
        ("u1_nchw.npy", TensorShape(n: 2, c: 2, h: 3, w: 4), Float(1)),
        ("u2_hw.npy", TensorShape(n: 1, c: 1, h: 3, w: 4), Float(5000)),
        ("f4_v2.npy", TensorShape(n: 1, c: 1, h: 2, w: 3), Float(1)),
        ("f4_v3.npy", TensorShape(n: 1, c: 1, h: 2, w: 3), Float(1)),
    ])
    func readsWhatNumPyWrote(name: String, shape: TensorShape, step: Float) throws {
        let t = try NumpyFile.read(contentsOf: Self.fixture(name), path: name)
        #expect(t.shape == shape)
        #expect(t.storage == (0..<shape.count).map { Float($0) * step })
    }

    @Test(arguments: [
        ("bad_fortran.npy", "Fortran order"),
        ("bad_bigendian.npy", "big-endian"),
        ("bad_int32.npy", "'<i4' is not supported"),
        ("bad_rank1.npy", "shape (12)"),
        ("bad_rank5.npy", "shape (2, 2, 2, 2, 2)"),
        ("bad_truncated.npy", "holds only 43 bytes"),
        ("bad_lying_shape.npy", "promises (9, 9)"),
    ])
    func rejectsWithAReason(name: String, reason: String) throws {
        let error = #expect(throws: ImageCodecError.self) { try NumpyFile.read(contentsOf: Self.fixture(name), path: name) }
        #expect(error?.path == name)
        #expect(error?.reason.contains(reason) == true, "\(error?.reason ?? "")")
    }

    @Test func rejectsNonNumpyBytes() {
        #expect(throws: ImageCodecError.notAnImage(path: "x", reason: "not a .npy file")) {
            try NumpyFile.read(contentsOf: Array("hello, world".utf8), path: "x")
        }
    }

    /// The writer is checked against NumPy, not against imgconv's own reader: the bytes must be exactly what
    /// `np.save` wrote for the same float32 array (Fixtures/npy/make_npy_fixtures.py), header included.
    @Test func writesTheBytesNumPyWrites() throws {
        let shape = TensorShape(n: 2, c: 3, h: 5, w: 7)
        // 0.1 rounds to the same Float32 in Swift and NumPy (Swift's Float.pi is rounded down, NumPy's float32(π) to nearest).
        let t = Tensor(shape: shape, storage: (0..<shape.count).map { Float($0) * -0.5 + 0.1 })
        #expect(NumpyFile.encode(t) == (try Self.fixture("numpy_f4_nchw_2x3x5x7.npy")))
        let negativeZero = Tensor(shape: TensorShape(n: 1, c: 1, h: 1, w: 1), storage: [-0.0])
        #expect(NumpyFile.encode(negativeZero) == (try Self.fixture("numpy_f4_nchw_1x1x1x1.npy")))
        #expect(try NumpyFile.read(contentsOf: Self.fixture("numpy_f4_nchw_2x3x5x7.npy"), path: "n.npy") == t)
    }
}
