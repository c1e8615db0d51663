import Foundation
import ImageCodecs
import TensorEngine

/// Paths and helpers shared by the ImageCodecs tests.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    /// `shared/testdata` in the folder that holds the package root (`../shared/testdata`) or one level
    /// further up (for git worktrees in `wt/NAME`), present on the project's machines.
    static let shared: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [root.deletingLastPathComponent(), root.deletingLastPathComponent().deletingLastPathComponent()]
            .map { $0.appendingPathComponent("shared/testdata").standardizedFileURL.path }
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
    }()
    static var sharedAvailable: Bool { FileManager.default.fileExists(atPath: shared + "/EXPECTED-reference-decoders.tsv") }

    static func path(_ relative: String) -> String { folder + "/" + relative }

    /// Rows of a references TSV made by make_references.py.
    struct Reference: Sendable, CustomStringConvertible {
        var file: String, c: Int, h: Int, w: Int, bits: Int, hash: String
        var description: String { file }
    }

    static func references(_ name: String) -> [Reference] {
        guard let text = try? String(contentsOfFile: path(name), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map { line in
            let f = line.split(separator: "\t").map(String.init)
            return Reference(file: f[0], c: Int(f[1])!, h: Int(f[2])!, w: Int(f[3])!, bits: Int(f[4])!, hash: f[5])
        }
    }

    static func pngSuite(corrupt: Bool) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path("pngsuite"))) ?? []
        return names.filter { $0.hasSuffix(".png") && $0.hasPrefix("x") == corrupt }.sorted()
    }
}

/// A fresh empty folder, removed by `cleanup()`.
struct TemporaryFolder {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "imgconv-codecs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { path + "/" + name }
    func contents() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// FNV-1a 64 of the samples as integers at `bits` (8, or 16 little-endian), CHW order, as make_references.py.
func sampleHash(_ t: Tensor, bits: Int) -> String {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    func mix(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
    t.withUnsafeBufferPointer { values in
        for v in values {
            if bits == 16 {
                let s = UInt16((v * 65535).rounded())
                mix(UInt8(s & 0xFF)); mix(UInt8(s >> 8))
            } else {
                mix(UInt8((v * 255).rounded()))
            }
        }
    }
    return String(h, radix: 16).leftPadded(to: 16)
}

extension String {
    func leftPadded(to n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}

/// Mean absolute difference of two same-shaped tensors.
func meanAbsDifference(_ a: Tensor, _ b: Tensor) -> Float {
    precondition(a.shape == b.shape)
    var sum: Double = 0
    a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in for i in 0..<x.count { sum += Double(abs(x[i] - y[i])) } } }
    return Float(sum / Double(max(a.shape.count, 1)))
}

/// CRC-32 (PNG's) of `bytes`, to craft valid chunks.
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes {
        crc ^= UInt32(b)
        for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

func bigEndian32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
