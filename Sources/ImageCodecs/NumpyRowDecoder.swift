import TensorEngine

/// A `.npy` file read by rows: the header is parsed (``NumpyLayout``, checked against the file's size), then
/// each read takes the next rows of every plane from that plane's offset in the file (C order: plane p = n·C + c
/// starts at value p·H·W), never the whole file. Values come as they are, in any dtype ``NumpyFile`` reads.
final class NumpyRowDecoder: RowDecoder {
    private let file: InputFile
    private let path: String
    private let layout: NumpyLayout
    private var rowsRead = 0
    private var scratch: [UInt8] = []
    let shape: TensorShape
    let metadata: ImageMetadata
    var orientation: Int { 1 }

    init(_ file: InputFile, path: String) throws {
        self.file = file
        self.path = path
        layout = try NumpyLayout(fileSize: file.count, path: path) { offset, count in
            try file.bytes(at: offset, count: count, name: path)
        }
        try layout.requireImageRank(path: path)
        shape = layout.shape
        metadata = ImageFile.tensorMetadata(shape, format: .npy)
    }

    func read(into planes: UnsafeMutablePointer<Float>, planeStride: Int, rows: Int) throws {
        let width = shape.w, values = rows * width, size = layout.dtype.size
        guard values > 0 else { return }
        // float32 is read straight into the planes (little-endian, as this machine); other dtypes through a buffer.
        let direct = layout.dtype == .float32 && 1.littleEndian == 1
        if !direct && scratch.count < values * size { scratch = [UInt8](repeating: 0, count: values * size) }
        for p in 0..<shape.planeCount {
            let offset = layout.offset(ofValue: (p * shape.h + rowsRead) * width)
            let out = planes + p * planeStride
            let got: Int
            if direct {
                got = try file.read(into: UnsafeMutableRawBufferPointer(start: out, count: values * 4), at: offset, name: path)
            } else {
                got = try scratch.withUnsafeMutableBytes { raw in
                    let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<(values * size)]), at: offset, name: path)
                    if n == values * size { layout.convert(raw.baseAddress!, count: values, into: out) }
                    return n
                }
            }
            guard got == values * size else {
                throw ImageCodecError.truncated(path: path, reason: ".npy file ended after \(offset + got) bytes, before the values its header promises (it changed while being read)")
            }
        }
        rowsRead += rows
    }

    /// The header was checked against the file's size: the whole tensor is allocated at once.
    func readAll() throws -> Tensor {
        do { try shape.validateCount() } catch { throw ImageCodecError.limitExceeded(path: path, limit: .heldValues, reason: "\(error)") }
        return try Tensor(shape: shape) { out in
            if shape.count > 0 { try read(into: out.baseAddress!, planeStride: shape.planeSize, rows: shape.h) }
        }
    }

    var sampleRowBytes: Int? { nil }

    func readSamples(into dst: UnsafeMutablePointer<UInt8>, rows: Int) throws {
        preconditionFailure("\(path): .npy values are not 8-bit samples")
    }

    func finish() throws -> [String] {
        scratch = []
        return []
    }
}
