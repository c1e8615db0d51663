import Foundation
import ImageFilters
import Testing

/// Kernel texts that once crashed `KernelParser` (found by `scripts/fuzz kernel` or by hand): each must
/// now parse or throw a ``FilterError``, inline and as file contents.
@Suite struct HostileKernelTests {
    /// Inputs saved by the fuzzer, in Fixtures/fuzz-regressions (crash files are copied there as they are).
    static let regressionFiles: [String] = {
        let folder = Bundle.module.url(forResource: "Fixtures/fuzz-regressions", withExtension: nil)!
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted().map { folder.path + "/" + $0 }
    }()

    @Test func fuzzRegressionFilesAreFound() { #expect(!Self.regressionFiles.isEmpty) }

    @Test(arguments: regressionFiles)
    func fuzzRegressionDoesNotCrash(_ path: String) throws {
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        for fromFile in [false, true] {
            do { _ = try KernelParser.parse(text, fromFile: fromFile) } catch is FilterError {}
        }
    }

    @Test(arguments: ["xx:33:,,1", "x:1", "3x:1 2 3", "3x3x3: 1", "9223372036854775807x2: 1", "3037000500x3037000500:"])
    func malformedImageMagickGeometryIsAnError(_ text: String) {
        #expect(throws: FilterError.self) { try KernelParser.parse(text) }
    }

    @Test func imageMagickGeometryStillParses() throws {
        #expect(try KernelParser.parse("2x1: 1,2").kernel == Kernel(rows: 1, columns: 2, values: [1, 2]))
        #expect(try KernelParser.parse("3x3+1+1: 1 1 1 1 1 1 1 1 1").kernel.rows == 3)
    }

    /// An integral header number too large for Int used to trap in the libvips header test.
    @Test func libvipsHeaderBeyondIntIsAnError() {
        #expect(throws: FilterError.self) { try KernelParser.parse("1e30 1\n1\n", fromFile: true) }
        #expect(throws: FilterError.self) { try KernelParser.parse("1 1e30\n1\n", fromFile: true) }
    }
}
