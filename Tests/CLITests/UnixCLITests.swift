import Foundation
import ImageCodecs
import TensorEngine
import Testing

/// The tool as a Unix citizen: version, `-` for standard input and output, negative option values,
/// several inputs into a folder, folder-only flags, misspelt commands, quiet warnings.
@Suite struct UnixCLITests {
    static let sample = Repo.path("samples/skimage_chelsea.png")

    /// Runs the binary with raw bytes on standard input; standard output comes back as bytes.
    static func runRaw(_ arguments: [String], stdin: Data? = nil) throws -> (status: Int32, stdout: Data, stderr: String) {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            // Written on another thread: a child that fails early must not block us on a full pipe.
            let handle = input.fileHandleForWriting
            DispatchQueue.global().async { try? handle.write(contentsOf: stdin); try? handle.close() }
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()  // stderr is short: a line or two
        process.waitUntilExit()
        return (process.terminationStatus, outData, String(decoding: errData, as: UTF8.self))
    }

    // MARK: - 1. Version

    @Test(arguments: [["--version"], ["version"]])
    func versionPrintsOneSemanticVersion(arguments: [String]) throws {
        let r = try CLI.run(arguments)
        #expect(r.status == 0)
        #expect(r.stdout == "imgconv \(ImgConvVersion.current)\n")
        let parts = ImgConvVersion.current.split(separator: ".")
        #expect(parts.count == 3 && parts.allSatisfy { Int($0) != nil }, "not MAJOR.MINOR.PATCH: \(ImgConvVersion.current)")
    }

    // MARK: - 2. Standard input and output

    @Test func standardInputAndOutputGiveTheFileRunsBytes() throws {
        let tmp = try CLI.temporaryFolder().path
        let sample = try Data(contentsOf: URL(fileURLWithPath: Self.sample))
        #expect(try CLI.run(["edge", Self.sample, tmp + "/e.jpg"]).status == 0)
        let piped = try Self.runRaw(["edge", "-", "-", "--format", "jpg"], stdin: sample)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout == (try Data(contentsOf: URL(fileURLWithPath: tmp + "/e.jpg"))))
        // Every format, with one step and with two.
        for (format, ext) in [("png", "png"), ("jpeg", "jpg"), ("npy", "npy")] {
            for arguments in [["blur"], ["pipeline", "blur", "edge"]] {
                let file = tmp + "/f." + ext
                var fileRun = arguments
                fileRun.insert(contentsOf: [Self.sample, file], at: arguments[0] == "pipeline" ? 1 : 1)
                if arguments[0] == "pipeline" { fileRun = ["pipeline", Self.sample, file, "blur", "edge"] }
                #expect(try CLI.run(fileRun).status == 0)
                let stdoutRun = fileRun.map { $0 == file ? "-" : ($0 == Self.sample ? "-" : $0) } + ["--format", format]
                let r = try Self.runRaw(stdoutRun, stdin: sample)
                #expect(r.status == 0, "\(stdoutRun): \(r.stderr)")
                #expect(r.stdout == (try Data(contentsOf: URL(fileURLWithPath: file))), "\(stdoutRun)")
            }
        }
    }

    @Test func aShellPipelineWorksEndToEnd() throws {
        let exe = CLI.executable.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "cat '\(Self.sample)' | '\(exe)' edge - - --format jpg -q | '\(exe)' info -"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text == "-: JPEG 451×300, 1 channel (gray), 8-bit, orientation 1, ICC profile none, tensor (1, 1, 300, 451)\n")
    }

    @Test func standardOutputNeedsAFormat() throws {
        let r = try Self.runRaw(["blur", Self.sample, "-"])
        #expect(r.status == 64)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("Writing to standard output (-) needs --format png, jpg or npy."))
    }

    @Test(arguments: [Data("not an image at all".utf8), Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0]), Data()])
    func aFailureWritesNothingToStandardOutput(input: Data) throws {
        for format in ["png", "jpg", "npy"] {
            let r = try Self.runRaw(["blur", "-", "-", "--format", format], stdin: input)
            #expect(r.status == 1)
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.hasPrefix("imgconv: standard input: "), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
    }

    @Test func anEncoderFailureWritesNothingToStandardOutput() throws {
        // A 16-bit JPEG cannot be written: the encoder refuses, after decoding.
        let r = try Self.runRaw(["blur", Self.sample, "-", "--format", "jpg", "--depth", "16"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
    }

    // MARK: - 5. Negative values

    @Test(arguments: [
        ["blur", "--motion", "7", "--angle", "-45"],
        ["emboss", "--angle", "-45"],
        ["edge", "--offset", "-0.25"],
        ["conv", "--kernel", "-1 0 1", "--offset", "-0.1", "--bias", "-0.2", "--divisor", "-2"],
    ])
    func negativeValuesAreTakenAsValues(arguments: [String]) throws {
        let tmp = try CLI.temporaryFolder().path
        let spaced = try CLI.run([arguments[0], Self.sample, tmp + "/a.png"] + arguments.dropFirst())
        #expect(spaced.status == 0, "\(spaced.stderr)")
        // The same as the `--option=value` spelling, which always worked.
        var joined: [String] = [arguments[0], Self.sample, tmp + "/b.png"]
        var i = 1
        while i < arguments.count { joined.append(arguments[i] + "=" + arguments[i + 1]); i += 2 }
        #expect(try CLI.run(joined).status == 0)
        #expect(FileManager.default.contents(atPath: tmp + "/a.png") == FileManager.default.contents(atPath: tmp + "/b.png"))
    }

    /// Options that refuse negative values now see them (and say why) instead of "Missing value".
    @Test(arguments: [(["edge", "--scale", "-1"], "--scale must be a positive number, not -1.0"),
                      (["sharpen", "--amount", "-0.5"], "--amount must be a number ≥ 0, not -0.5")])
    func negativeValuesReachTheRangeCheck(arguments: [String], message: String) throws {
        let r = try CLI.run([arguments[0], Self.sample, "/nonexistent/o.png"] + arguments.dropFirst())
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!r.stderr.contains("Missing value"))
    }

    @Test func negativeMatricesInExplainAndVisualize() throws {
        let e = try CLI.run(["explain", "--input", "-1 2; 3 -4", "--kernel", "-1 0; 0 1"])
        #expect(e.status == 0, "\(e.stderr)")
        // explain's --bias takes a negative number as its value too: (−1)(−1) + (2)(0) + (3)(0) + (−4)(1) − 0.5 = −3.5.
        let biased = try CLI.run(["explain", "--input", "-1 2; 3 -4", "--kernel", "-1 0; 0 1", "--bias", "-0.5"])
        #expect(biased.status == 0 && biased.stdout.contains("-3.5"), "\(biased.stdout)\(biased.stderr)")
        let tmp = try CLI.temporaryFolder().path
        let v = try CLI.run(["visualize", Self.sample, tmp + "/v.png", "--kernel", "-1 0 1", "--crop", "0,0,16,16"])
        #expect(v.status == 0, "\(v.stderr)")
        #expect(try CLI.run(["kernel", "show", "sobel-x", "--divisor", "-4"]).status == 0)
    }

    // MARK: - 4. Quiet on ordinary files

    @Test func benignWarningsOnlyWithVerbose() throws {
        let tmp = try CLI.temporaryFolder().path
        let plain = try CLI.run(["blur", Self.sample, tmp + "/a.png"])
        #expect(plain.status == 0)
        #expect(plain.stderr == "", "the sample's known-incorrect sRGB profile is benign: \(plain.stderr)")
        let verbose = try CLI.run(["blur", Self.sample, tmp + "/a.png", "--verbose"])
        #expect(verbose.stderr.contains("iCCP: known incorrect sRGB profile"))
        let folder = try CLI.run(["convert", Self.sample, Repo.path("samples/skimage_camera.png"), tmp + "/out", "--progress", "none"])
        #expect(folder.status == 0)
        #expect(!folder.stderr.contains("iCCP"), "\(folder.stderr)")
    }

    @Test func realProblemsWarnUnlessQuiet() throws {
        let tmp = try CLI.temporaryFolder().path
        let whole = try Data(contentsOf: URL(fileURLWithPath: Repo.path("samples/skimage_rocket.jpg")))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: tmp + "/cut.jpg"))
        let warned = try CLI.run(["blur", tmp + "/cut.jpg", tmp + "/a.png", "--allow-truncated"])
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("warning: Premature end of JPEG file"), "\(warned.stderr)")
        let quiet = try CLI.run(["blur", tmp + "/cut.jpg", tmp + "/b.png", "--allow-truncated", "-q"])
        #expect(quiet.status == 0)
        #expect(quiet.stderr == "")
        // A failure is still printed under --quiet.
        let failed = try CLI.run(["blur", tmp + "/cut.jpg", tmp + "/c.png", "-q"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("truncated"))
    }

    @Test func theBenignListIsTheLibrarysAndNamesOnlyRemarks() {
        #expect(CodecWarning.isBenign("x.png: warning: iCCP: known incorrect sRGB profile"))
        #expect(!CodecWarning.isBenign("x.jpg: warning: Premature end of JPEG file"))
        #expect(!CodecWarning.isBenign("x.jpg: warning: Corrupt JPEG data: 3 extraneous bytes before marker 0xd9"))
    }

    // MARK: - 6. Several inputs

    @Test func severalInputsGoIntoAnOutputFolder() throws {
        let tmp = try CLI.temporaryFolder().path
        let inputs = ["samples/skimage_chelsea.png", "samples/skimage_camera.png", "samples/skimage_rocket.jpg"].map(Repo.path)
        let r = try CLI.run(["blur"] + inputs + [tmp + "/new/out", "--progress", "plain", "--report", tmp + "/r.jsonl"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("processed 3, skipped 0, failed 0"))
        let names = try FileManager.default.contentsOfDirectory(atPath: tmp + "/new/out").filter { $0 != ".imgconv-recipes" }.sorted()
        #expect(names == ["skimage_camera.png", "skimage_chelsea.png", "skimage_rocket.jpg"])
        let report = try String(contentsOfFile: tmp + "/r.jsonl", encoding: .utf8)
        #expect(report.split(separator: "\n").count == 3)
        for input in inputs {
            let name = URL(fileURLWithPath: input).lastPathComponent
            #expect(try CLI.run(["blur", input, tmp + "/single-" + name]).status == 0)
            #expect(FileManager.default.contents(atPath: tmp + "/new/out/" + name) == FileManager.default.contents(atPath: tmp + "/single-" + name))
        }
    }

    @Test func severalInputsWithABadOneExitOne() throws {
        let tmp = try CLI.temporaryFolder().path
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: tmp + "/bad.png"))
        let r = try CLI.run(["convert", Self.sample, tmp + "/bad.png", tmp + "/missing.png", tmp + "/out", "--progress", "none"])
        #expect(r.status == 1)
        #expect(r.stderr.contains(tmp + "/missing.png: "))
        #expect(FileManager.default.fileExists(atPath: tmp + "/out/skimage_chelsea.png"))
        // The last path must be a folder.
        let file = try CLI.run(["convert", Self.sample, Repo.path("samples/skimage_camera.png"), tmp + "/bad.png"])
        #expect(file.status == 1)
        #expect(file.stderr.contains("is a file"))
    }

    // MARK: - 8. EXIF carried, PNG orientation applied

    /// A PNG of several strips with eXIf orientation 6: it must be turned (a barrier), not streamed as stored.
    @Test func anOrientedPNGIsTurnedLikeAJPEG() throws {
        let tmp = try CLI.temporaryFolder().path
        var source = try ImageFile.readInfo(Repo.path("Tests/ImageCodecsTests/Fixtures/metadata/png-ii-o6.png"))
        #expect(source.orientation == 6)
        source.iccProfile = nil
        let tensor = Tensor(shape: TensorShape(n: 1, c: 3, h: 100, w: 40), storage: (0..<12000).map { Float(($0 * 37) % 251) / 250 })
        try ImageFile.write(tensor, to: tmp + "/tall.png", source: source)
        let blurred = try CLI.run(["blur", tmp + "/tall.png", tmp + "/out.png"])
        #expect(blurred.status == 0, "\(blurred.stderr)")
        let info = try ImageFile.readInfo(tmp + "/out.png")
        #expect((info.width, info.height, info.orientation) == (100, 40, 1))
        // The same as turning it first and blurring the upright file.
        #expect(try CLI.run(["convert", tmp + "/tall.png", tmp + "/upright.png"]).status == 0)
        #expect(try CLI.run(["blur", tmp + "/upright.png", tmp + "/reference.png"]).status == 0)
        #expect(FileManager.default.contents(atPath: tmp + "/out.png") == FileManager.default.contents(atPath: tmp + "/reference.png"))
        // --no-auto-orient keeps the pixels and the tag.
        #expect(try CLI.run(["blur", tmp + "/tall.png", tmp + "/kept.png", "--no-auto-orient"]).status == 0)
        let kept = try ImageFile.readInfo(tmp + "/kept.png")
        #expect((kept.width, kept.height, kept.orientation) == (100, 40, 6))
        #expect(try ImageFile.read(tmp + "/kept.png", options: DecodeOptions(autoOrient: false)).tensor.shape == TensorShape(n: 1, c: 3, h: 100, w: 40))
    }

    @Test func exifAndXMPReachTheOutputUnlessStripped() throws {
        let tmp = try CLI.temporaryFolder().path
        let input = Repo.path("Tests/ImageCodecsTests/Fixtures/metadata/jpeg-mm-o8.jpg")
        let original = try ImageFile.readInfo(input).embedded
        for ext in ["jpg", "png"] {
            #expect(try CLI.run(["blur", input, tmp + "/o." + ext, "--sigma", "0.5"]).status == 0)
            let carried = try ImageFile.readInfo(tmp + "/o." + ext)
            #expect(carried.orientation == 1)
            #expect(carried.embedded.xmp == original.xmp)
            #expect(carried.embedded.exif?.count == original.exif?.count)
            #expect(try CLI.run(["blur", input, tmp + "/s." + ext, "--strip", "--sigma", "0.5"]).status == 0)
            #expect(try ImageFile.readInfo(tmp + "/s." + ext).embedded == EmbeddedMetadata())
        }
    }

    // MARK: - 9. Folder-only flags

    @Test(arguments: [["--format", "png"], ["--jobs", "2"], ["--include", "*.png"], ["--exclude", "x"], ["--shard", "0/2"],
                      ["--report", "r.jsonl"], ["--progress", "plain"], ["--overwrite"], ["--no-recursive"]])
    func folderOnlyFlagsAreUsageErrorsForOneFile(flag: [String]) throws {
        let tmp = try CLI.temporaryFolder().path
        let r = try CLI.run(["blur", Self.sample, tmp + "/out.jpg"] + flag)
        #expect(r.status == 64)
        #expect(r.stderr.contains("\(flag[0]) applies to folder runs only"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp + "/out.jpg"))
        #expect(!FileManager.default.fileExists(atPath: "r.jsonl"))
    }

    @Test func formatAndQuietAreFineWhereTheyMeanSomething() throws {
        #expect(try Self.runRaw(["blur", Self.sample, "-", "--format", "png", "-q"]).status == 0)
        let tmp = try CLI.temporaryFolder().path
        #expect(try CLI.run(["blur", Self.sample, tmp + "/a.png", "-q"]).status == 0)
    }

    // MARK: - 10. Misspelt commands

    @Test(arguments: [("blurr", "blur"), ("sharpn", "sharpen"), ("convrt", "convert"), ("maxpol", "maxpool"), ("ifno", "info"), ("visualise", "visualize")])
    func aMisspeltCommandSuggestsTheNearest(typo: String, meant: String) throws {
        let r = try CLI.run([typo, "a.png", "b.png"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("imgconv: unknown command '\(typo)'; did you mean \(meant)?"), "\(r.stderr)")
    }

    @Test func aWordNearNothingGetsNoSuggestion() throws {
        let r = try CLI.run(["photograph.png", "b.png"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("imgconv: unknown command 'photograph.png'"))
        #expect(!r.stderr.contains("did you mean"))
    }
}
