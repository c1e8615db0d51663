import Foundation
import TensorEngine

/// NumPy `.npy` files (format versions 1.0, 2.0 and 3.0).
///
/// Reading accepts little-endian, C-order arrays of `float32`, `float64`, `uint8`, `uint16` or `int64`
/// (PyTorch's pooling indices; exact up to 2²⁴)
/// with shape (H, W), (C, H, W) or (N, C, H, W); values are taken as they are (no scaling).
/// A 2-D array becomes (1, 1, H, W), a 3-D one (1, C, H, W).
/// Writing always produces a version 1.0 `<f4` array of shape (N, C, H, W).
public enum NumpyFile {
    /// The six bytes every `.npy` file starts with.
    public static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

    /// Decodes a whole `.npy` file. `path` only names the file in errors.
    public static func read(contentsOf data: [UInt8], path: String) throws -> Tensor {
        let layout = try NumpyLayout(fileSize: data.count, path: path) { offset, count in Array(data[offset..<min(offset + count, data.count)]) }
        do { try layout.shape.validateCount() } catch { throw ImageCodecError.limitExceeded(path: path, limit: .heldValues, reason: "\(error)") }
        try layout.requireImageRank(path: path)
        return layout.tensor(fromFile: data)
    }

    /// Decodes a whole `.npy` file and also returns the array's own dimensions (1 to 4 of them),
    /// for callers that give the rank a meaning (a (C_out) bias, a (kH, kW) kernel, a (C_out, C_in, kH, kW) weight).
    /// A 1-D array of n values becomes a (1, 1, 1, n) tensor.
    public static func readArray(contentsOf data: [UInt8], path: String) throws -> (tensor: Tensor, dimensions: [Int]) {
        let layout = try NumpyLayout(fileSize: data.count, path: path) { offset, count in Array(data[offset..<min(offset + count, data.count)]) }
        do { try layout.shape.validateCount() } catch { throw ImageCodecError.limitExceeded(path: path, limit: .heldValues, reason: "\(error)") }
        return (layout.tensor(fromFile: data), layout.dimensions)
    }

    /// The header of a version 1.0 `<f4` file holding `shape`, padded as NumPy pads it (data 64-byte aligned).
    static func header(descr: String = "<f4", shape: [Int]) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", "))), }"
        // Magic (6) + version (2) + length (2) + header + newline must be a multiple of 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        return magic + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)] + Array(header.utf8)
    }

    /// Encodes `tensor` as a version 1.0 `.npy` file holding `<f4` values of shape (N, C, H, W).
    public static func encode(_ tensor: Tensor) -> [UInt8] {
        let s = tensor.shape
        return tensor.withUnsafeBufferPointer { values in
            encode(descr: "<f4", shape: [s.n, s.c, s.h, s.w], elementSize: 4, count: values.count) { raw, start in
                for (i, v) in values.enumerated() {
                    raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: start + i * 4, as: UInt32.self)
                }
            }
        }
    }

    /// Encodes 64-bit integers (PyTorch's pooling indices) as a `<i8` `.npy` file of shape (N, C, H, W).
    public static func encode(int64 values: [Int64], shape s: TensorShape) -> [UInt8] {
        precondition(values.count == s.count, "\(values.count) values for shape \(s)")
        return encode(descr: "<i8", shape: [s.n, s.c, s.h, s.w], elementSize: 8, count: values.count) { raw, start in
            for (i, v) in values.enumerated() { raw.storeBytes(of: v.littleEndian, toByteOffset: start + i * 8, as: Int64.self) }
        }
    }

    private static func encode(descr: String, shape: [Int], elementSize: Int, count: Int,
                               body: (UnsafeMutableRawBufferPointer, Int) -> Void) -> [UInt8] {
        var bytes = header(descr: descr, shape: shape)
        bytes.reserveCapacity(bytes.count + count * elementSize)
        let start = bytes.count
        bytes += [UInt8](repeating: 0, count: count * elementSize)
        bytes.withUnsafeMutableBytes { raw in body(raw, start) }
        return bytes
    }
}

/// Where a `.npy` file's values lie and how they are stored, from its header; checked against the file's size,
/// so that a reader may fetch any plane's rows at ``offset(ofValue:)`` without reading the rest.
struct NumpyLayout {
    var dtype: NumpyHeader.DType
    /// The array's own dimensions, 1 to 4 of them.
    var dimensions: [Int]
    /// The dimensions padded to (N, C, H, W) with leading 1s.
    var shape: TensorShape
    var count: Int
    /// Where the values start.
    var dataOffset: Int

    /// Parses the header of a file of `fileSize` bytes, whose bytes `read(offset, count)` gives (fewer at the end).
    init(fileSize: Int, path: String, read: (Int, Int) throws -> [UInt8]) throws {
        func fail(_ reason: String) -> ImageCodecError { .corrupt(path: path, reason: reason) }
        let start = try read(0, 12)
        guard fileSize >= 10, start.count >= 10, Array(start[0..<6]) == NumpyFile.magic else { throw ImageCodecError.notAnImage(path: path, reason: "not a .npy file") }
        let major = start[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(start[8]) | Int(start[9]) << 8
            headerStart = 10
        case 2, 3:
            guard start.count >= 12 else { throw ImageCodecError.truncated(path: path, reason: ".npy header is truncated") }
            headerLength = Int(start[8]) | Int(start[9]) << 8 | Int(start[10]) << 16 | Int(start[11]) << 24
            headerStart = 12
        default:
            throw ImageCodecError.notAnImage(path: path, reason: ".npy format version \(major) is not supported (1, 2 and 3 are)")
        }
        guard headerStart + headerLength <= fileSize else { throw ImageCodecError.truncated(path: path, reason: ".npy header is truncated") }
        let headerBytes = try read(headerStart, headerLength)
        guard headerBytes.count == headerLength else { throw ImageCodecError.truncated(path: path, reason: ".npy header is truncated") }
        let fields = try NumpyHeader(parsing: String(decoding: headerBytes, as: UTF8.self), path: path)

        let dims = fields.shape
        guard (1...4).contains(dims.count) else {
            throw ImageCodecError.notAnImage(path: path, reason: ".npy array has shape \(fields.shapeText); expected (H, W), (C, H, W) or (N, C, H, W)")
        }
        let padded = Array(repeating: 1, count: 4 - dims.count) + dims
        let (count, overflow) = dims.reduce((1, false)) { acc, d in
            let (p, o) = acc.0.multipliedReportingOverflow(by: d)
            return (p, acc.1 || o)
        }
        let payload = fileSize - headerStart - headerLength
        guard !overflow, count.multipliedReportingOverflow(by: fields.dtype.size).overflow == false,
              count * fields.dtype.size <= payload else {
            throw ImageCodecError.truncated(path: path, reason: ".npy header promises \(fields.shapeText) \(fields.dtype.rawValue) values but the file holds only \(payload) bytes of data")
        }
        dtype = fields.dtype
        dimensions = dims
        shape = TensorShape(n: padded[0], c: padded[1], h: padded[2], w: padded[3])
        self.count = count
        dataOffset = headerStart + headerLength
    }

    /// Images and tensors are (H, W), (C, H, W) or (N, C, H, W): a 1-D array is refused.
    func requireImageRank(path: String) throws {
        guard dimensions.count >= 2 else {
            throw ImageCodecError.notAnImage(path: path, reason: ".npy array has shape (\(dimensions.map(String.init).joined(separator: ", "))); expected (H, W), (C, H, W) or (N, C, H, W)")
        }
    }

    /// The byte offset of value `index` (C order).
    func offset(ofValue index: Int) -> Int { dataOffset + index * dtype.size }

    /// Converts `count` values stored at `raw` into `out`, as they are (no scaling).
    func convert(_ raw: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        switch dtype {
        case .float32:
            for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) }
        case .float64:
            for i in 0..<count { out[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))) }
        case .uint8:
            for i in 0..<count { out[i] = Float(raw.load(fromByteOffset: i, as: UInt8.self)) }
        case .int64:
            for i in 0..<count { out[i] = Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))) }
        case .uint16:
            for i in 0..<count { out[i] = Float(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) }
        }
    }

    /// Every value of a file held whole.
    func tensor(fromFile data: [UInt8]) -> Tensor {
        data.withUnsafeBytes { raw in
            Tensor(shape: shape) { out in
                if count > 0 { convert(raw.baseAddress! + dataOffset, count: count, into: out.baseAddress!) }
            }
        }
    }
}

/// The fields of a `.npy` header dictionary, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
struct NumpyHeader {
    enum DType: String {
        case float32 = "<f4", float64 = "<f8", uint8 = "|u1", uint16 = "<u2", int64 = "<i8"
        var size: Int {
            switch self {
            case .float32: 4
            case .float64, .int64: 8
            case .uint8: 1
            case .uint16: 2
            }
        }
    }

    var dtype: DType
    var shape: [Int]
    var shapeText: String { "(" + shape.map(String.init).joined(separator: ", ") + ")" }

    init(parsing header: String, path: String) throws {
        func fail(_ reason: String) -> ImageCodecError { .corrupt(path: path, reason: reason) }
        func value(of key: String) -> Substring? {
            guard let keyRange = header.range(of: "'\(key)'") else { return nil }
            var rest = header[keyRange.upperBound...].drop { $0 == " " }
            guard rest.first == ":" else { return nil }
            rest = rest.dropFirst().drop { $0 == " " }
            return rest
        }
        guard let descrValue = value(of: "descr"), descrValue.first == "'",
              let close = descrValue.dropFirst().firstIndex(of: "'") else {
            throw fail(".npy header has no 'descr'")
        }
        var descr = String(descrValue[descrValue.index(after: descrValue.startIndex)..<close])
        if descr == "<u1" || descr == "u1" { descr = "|u1" }
        guard let dtype = DType(rawValue: descr) else {
            let hint = descr.hasPrefix(">") ? " (big-endian data is not supported)" : ""
            throw ImageCodecError.notAnImage(path: path, reason: ".npy dtype '\(descr)' is not supported\(hint); use float32, float64, uint8, uint16 or int64")
        }
        guard let fortran = value(of: "fortran_order") else { throw fail(".npy header has no 'fortran_order'") }
        if fortran.hasPrefix("True") { throw ImageCodecError.notAnImage(path: path, reason: ".npy array is in Fortran order; save it in C order (numpy.ascontiguousarray)") }
        guard fortran.hasPrefix("False") else { throw fail(".npy header has an unreadable 'fortran_order'") }
        guard let shapeValue = value(of: "shape"), shapeValue.first == "(",
              let end = shapeValue.firstIndex(of: ")") else {
            throw fail(".npy header has no 'shape'")
        }
        let inner = shapeValue[shapeValue.index(after: shapeValue.startIndex)..<end]
        var dims: [Int] = []
        for part in inner.split(separator: ",") {
            let text = part.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            guard let d = Int(text), d >= 0 else { throw fail(".npy shape '(\(inner))' is not a list of sizes") }
            dims.append(d)
        }
        self.dtype = dtype
        self.shape = dims
    }
}
