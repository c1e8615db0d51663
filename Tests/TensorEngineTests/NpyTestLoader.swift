import Foundation
import TensorEngine

/// A test-only reader for the fixtures' `.npy` files: version 1/2 headers, little-endian `<f4` or `<i8`,
/// C order. (The project's real `.npy` codec lives in ImageCodecs; this keeps the engine tests independent of it.)
enum Npy {
    struct Array {
        var shape: [Int]
        var floats: [Float] = []
        var integers: [Int64] = []
    }

    enum Failure: Error, CustomStringConvertible {
        case malformed(String)
        var description: String { if case .malformed(let s) = self { return s }; return "" }
    }

    static func load(_ url: URL) throws -> Array {
        let data = try Data(contentsOf: url)
        let bytes = [UInt8](data)
        guard bytes.count > 10, bytes[0] == 0x93, Swift.String(decoding: bytes[1...5], as: UTF8.self) == "NUMPY" else {
            throw Failure.malformed("\(url.lastPathComponent): not an .npy file")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        } else {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        }
        let header = Swift.String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard header.contains("'fortran_order': False") else { throw Failure.malformed("\(url.lastPathComponent): Fortran order") }
        guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw Failure.malformed("\(url.lastPathComponent): no shape in \(header)")
        }
        let shape = header[open.upperBound..<close].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let count = shape.reduce(1, *)
        let body = data.subdata(in: (headerStart + headerLength)..<data.count)
        var array = Array(shape: shape)
        if header.contains("'descr': '<f4'") {
            guard body.count == count * 4 else { throw Failure.malformed("\(url.lastPathComponent): \(body.count) bytes for \(count) floats") }
            array.floats = body.withUnsafeBytes { raw in (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) } }
        } else if header.contains("'descr': '<i8'") {
            guard body.count == count * 8 else { throw Failure.malformed("\(url.lastPathComponent): \(body.count) bytes for \(count) int64") }
            array.integers = body.withUnsafeBytes { raw in (0..<count).map { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) } }
        } else {
            throw Failure.malformed("\(url.lastPathComponent): unsupported dtype in \(header)")
        }
        return array
    }

    /// A 4-D `<f4` array as a tensor (a 1-D one becomes (1, 1, 1, n)).
    static func tensor(_ url: URL) throws -> Tensor {
        let a = try load(url)
        let s = a.shape.count == 4 ? a.shape : [1, 1, 1, a.shape.reduce(1, *)]
        return Tensor(shape: TensorShape(n: s[0], c: s[1], h: s[2], w: s[3]), storage: a.floats)
    }
}
