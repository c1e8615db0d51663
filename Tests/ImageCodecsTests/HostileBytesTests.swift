import Foundation
import ImageCodecs
import TensorEngine
import TensorTestSupport
import Testing

/// `ImageFile.decode(bytes:path:options:)` on damaged copies of the fixtures, in process: every prefix
/// length class and seeded byte flips of real PNG, JPEG and `.npy` files must give an image or an
/// ``ImageCodecError``, never a crash. A deterministic, small cousin of `scripts/fuzz`; crash inputs the
/// fuzzer finds go to Fixtures/fuzz-regressions and are decoded here too.
@Suite struct HostileBytesTests {
    static let samples = ["pngsuite/basi6a16.png", "pngsuite/s38i3p04.png", "pngsuite/tbbn3p08.png",
                          "jpeg/libjpeg-turbo/testorig.jpg", "jpeg/pillow/pil_sample_cmyk.jpg", "npy/u1_nchw.npy", "npy/f8_chw.npy"]

    static let small = DecodeOptions(maxPixels: 4_000_000)

    @Test func everySampleIsThere() {
        for name in Self.samples { #expect(FileManager.default.fileExists(atPath: Fixtures.path(name)), "missing fixture \(name)") }
    }

    /// The undamaged samples, decoded from bytes, give what an independent decoder gave (OpenCV for PNG, djpeg for
    /// JPEG: the hashes of make_references.py) or what NumPy wrote (arange, see npy/make_npy_fixtures.py), so the
    /// damaged copies below start from a decoder that is right.
    @Test(arguments: samples)
    func undamagedSampleMatchesTheIndependentReference(_ name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(name))))
        let image = try ImageFile.decode(bytes: bytes, path: name)
        if name.hasSuffix(".npy") {
            let step: Float = name == "npy/f8_chw.npy" ? 0.25 : 1
            #expect(image.tensor.storage == (0..<image.tensor.shape.count).map { Float($0) * step })
            return
        }
        let table = name.hasPrefix("pngsuite/") ? "pngsuite-references.tsv" : "jpeg-references.tsv"
        let key = name.hasPrefix("pngsuite/") ? String(name.dropFirst("pngsuite/".count)) : name
        let reference = try #require(Fixtures.references(table).first { $0.file == key }, "\(key) not in \(table)")
        #expect(image.tensor.shape == TensorShape(n: 1, c: reference.c, h: reference.h, w: reference.w))
        #expect(sampleHash(image.tensor, bits: reference.bits) == reference.hash, "\(name) differs from the independent decode")
    }

    @Test(arguments: samples)
    func truncatedAndFlippedCopiesDoNotCrash(_ name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(name))))
        var lengths = Set([0, 1, 2, 7, 8, 9, 16, 33, 50, 64, 100, 200])
        for i in 1..<16 { lengths.insert(bytes.count * i / 16) }
        for length in lengths.sorted() where length < bytes.count {
            decode(Array(bytes.prefix(length)))
        }
        var rng = SplitMix64(seed: 7)
        for _ in 0..<150 {
            var copy = bytes
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(copy.count))
                copy[at] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            }
            decode(copy)
        }
    }

    /// Every file of Fixtures/fuzz-regressions (see its README and make_fuzz_regressions.py) with what it must give:
    /// `reject` = an ImageCodecError; `any` = an image or an ImageCodecError, never a crash.
    static let fuzzRegressions: [String: String] = [
        "jpeg_second_soi_after_scan.jpg": "any", "jpeg_bogus_marker_ffbb_after_scan.jpg": "any",
        "jpeg_second_sof_after_scan.jpg": "any", "jpeg_half_scan_then_eoi.jpg": "any",
        "jpeg_cut_at_90_percent.jpg": "reject", "jpeg_sof_declares_16000x16000.jpg": "reject",
        "jpeg_sof_65535_only.jpg": "reject",
        "png_without_iend.png": "any", "png_iend_bad_crc.png": "any", "png_truncated_chunk_after_idat.png": "any",
        "png_16000x16000_rgba_tiny.png": "reject", "png_second_ihdr_100000.png": "any",
        "npy_shape_overflows_int64.npy": "reject", "npy_negative_dimension.npy": "reject",
        "npy_header_length_past_end.npy": "reject",
    ]

    @Test func fuzzRegressionFolderHoldsExactlyTheListedFiles() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("fuzz-regressions"))
            .filter { $0 != "README.md" && $0 != "make_fuzz_regressions.py" }
        #expect(Set(names) == Set(Self.fuzzRegressions.keys), "list every regression input in fuzzRegressions, and commit them all")
    }

    @Test(arguments: fuzzRegressions.keys.sorted())
    func fuzzRegression(_ name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("fuzz-regressions/" + name))))
        let outcome = decode(bytes)
        if Self.fuzzRegressions[name] == "reject" { #expect(outcome == "rejected", "\(name) must be refused, got: \(outcome)") }
    }

    /// Any outcome but a crash is fine; an error must be an ImageCodecError naming the file.
    /// Returns "decoded" or "rejected" (or what else was thrown).
    @discardableResult
    func decode(_ bytes: [UInt8]) -> String {
        do {
            _ = try ImageFile.decode(bytes: bytes, path: "hostile", options: Self.small)
            return "decoded"
        } catch let error as ImageCodecError {
            #expect(error.path == "hostile" && !error.reason.isEmpty)
            return "rejected"
        } catch {
            Issue.record("not an ImageCodecError: \(error)")
            return "\(error)"
        }
    }
}

