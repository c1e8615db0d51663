import Foundation
import Testing
import ImageCodecs

/// The README's "Library" example is `Examples/GettingStarted/main.swift`, word for word; SwiftPM builds it as the
/// `GettingStarted` executable beside `imgconv`. These tests run it on a bundled photo, and type-check it as a
/// client package sees the library: without `-package-name`, so only `public` declarations resolve and a use of
/// package plumbing fails here.
@Suite struct LibraryExampleTests {
    static let example = Repo.path("Examples/GettingStarted/main.swift")

    @Test func theReadmeShowsTheExampleAsBuilt() throws {
        let readme = try String(contentsOfFile: Repo.path("README.md"), encoding: .utf8)
        let library = try #require(readme.range(of: "\n## Library\n"), "README has a Library section")
        let rest = readme[library.upperBound...]
        let open = try #require(rest.range(of: "```swift\n"))
        let close = try #require(rest[open.upperBound...].range(of: "\n```"))
        let shown = String(rest[open.upperBound..<close.lowerBound]) + "\n"
        #expect(shown == (try String(contentsOfFile: Self.example, encoding: .utf8)))
    }

    @Test func theExampleRunsAndWritesItsPNG() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(atPath: Repo.path("samples/skimage_rocket.jpg"), toPath: folder.appendingPathComponent("photo.jpg").path)
        let example = CLI.executable.deletingLastPathComponent().appendingPathComponent("GettingStarted")
        let process = Process()
        process.executableURL = example
        process.currentDirectoryURL = folder
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(printed)")
        let photo = try ImageFile.readInfo(Repo.path("samples/skimage_rocket.jpg"))
        let small = try ImageFile.read(folder.appendingPathComponent("small.png").path).tensor
        // conv: ⌊(H + 2 − 3)/2⌋ + 1 = ⌈H/2⌉, then 2×2 max pooling: ⌊⌈H/2⌉/2⌋.
        #expect(small.shape.h == (photo.height + 1) / 2 / 2 && small.shape.w == (photo.width + 1) / 2 / 2 && small.shape.c == 3)
        #expect(printed.contains("bytes of PNG"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: LibraryExampleTests.swiftc), "swiftc beside the toolchain's swift is needed"))
    func theExampleNeedsOnlyThePublicAPI() throws {
        let bin = CLI.executable.deletingLastPathComponent()
        var arguments = ["-typecheck", "-I", bin.appendingPathComponent("Modules").path, "-Xcc", "-I/usr/include/libpng16"]
        var maps = try FileManager.default.contentsOfDirectory(atPath: bin.path)
            .map { bin.appendingPathComponent($0).appendingPathComponent("module.modulemap").path }
        maps += ["CPNG", "CJPEG", "CGIF"].map { Repo.path("Sources/\($0)/module.modulemap") }
        maps += [Repo.path(".build/checkouts/swift-numerics/Sources/_NumericsShims/include/module.modulemap")]
        for map in maps where FileManager.default.fileExists(atPath: map) { arguments += ["-Xcc", "-fmodule-map-file=\(map)"] }
        let client = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: client) }
        // The example as written, then a line that names package plumbing: the first must pass, the second fail.
        let exampleResult = try Self.typecheck(arguments + [Self.example])
        #expect(exampleResult.status == 0, "\(exampleResult.output)")
        let probe = client.appendingPathComponent("probe.swift").path
        try (String(contentsOfFile: Self.example, encoding: .utf8) + "let plumbing = AtomicFile.self\n").write(toFile: probe, atomically: true, encoding: .utf8)
        let probeResult = try Self.typecheck(arguments + [probe])
        #expect(probeResult.status != 0 && probeResult.output.contains("cannot find 'AtomicFile' in scope"), "\(probeResult.output)")
    }

    static var swiftc: String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        return path.split(separator: ":").map { "\($0)/swiftc" }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/swiftc"
    }

    static func typecheck(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try CLI.runTool(swiftc, arguments)
    }
}
