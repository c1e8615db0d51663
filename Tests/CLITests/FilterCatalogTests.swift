import Foundation
import ImageCodecs
@testable import imgconv
import TensorEngine
import Testing
import Visualization

/// The one filter catalog (issue 13, issue 17): every name in `FilterCatalog.entries` is a subcommand, a
/// pipeline step and a `--filter` of visualize, sweep and animate, and a picture's filter is the command's.
@Suite struct FilterCatalogTests {
    static let names = FilterCatalog.names
    static let grid = "1 2 3 0 1; 0 1 5 1 0; 1 0 2 2 1; 1 1 2 0 0; 1 0 1 1 1"

    /// The options each filter needs to run at all (the rest keep their defaults).
    static func step(_ name: String) -> String {
        switch name {
        case "conv": "conv --kernel '1 0 1; 0 1 0; 1 0 1'"
        case "maxpool", "avgpool": "\(name) --kernel-size 2"
        case "pad": "pad --padding 1"
        case "rank": "rank --percentile 25"
        default: name
        }
    }

    @Test func theCatalogListsEachNameOnce() {
        #expect(Set(Self.names).count == Self.names.count)
        #expect(Self.names == ["blur", "sharpen", "edge", "emboss", "identity", "conv", "maxpool", "avgpool", "pad",
                              "dilate", "erode", "open", "close", "gradient", "tophat", "blackhat", "median", "rank"])
        // The root command's subcommands start with the catalog's commands, in its order.
        let commands = Imgconv.configuration.subcommands.map { $0._commandName }
        #expect(Array(commands.prefix(Self.names.count)) == Self.names)
        #expect(Set(HelpTests.commands).isSuperset(of: Self.names), "HelpTests.commands lacks a catalog command")
    }

    @Test(arguments: names)
    func eachNameIsASubcommandAPipelineStepAndAVisualizeFilter(_ name: String) throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let grid = folder.appendingPathComponent("grid.txt").path
        try Self.grid.replacingOccurrences(of: "; ", with: "\n").write(toFile: grid, atomically: true, encoding: .utf8)
        let words = try ShellWords.split(Self.step(name))

        let help = try CLI.run([name, "--help"], environment: ["COLUMNS": "300"])
        #expect(help.status == 0 && help.stdout.contains(FilterCatalog.entry(named: name)!.abstract), "\(name) --help: \(help.stderr)")
        let command = try CLI.run(words.prefix(1) + [grid, folder.appendingPathComponent("c.npy").path] + words.dropFirst())
        #expect(command.status == 0, "imgconv \(name): \(command.stderr)")

        let pipelineHelp = try CLI.run(["pipeline", "--help"], environment: ["COLUMNS": "300"])
        #expect(pipelineHelp.stdout.contains(FilterCatalog.nameList), "pipeline --help does not list the catalog")
        let pipeline = try CLI.run(["pipeline", grid, folder.appendingPathComponent("p.npy").path, Self.step(name)])
        #expect(pipeline.status == 0, "pipeline \(name): \(pipeline.stderr)")
        // One step is the command itself: the same numbers.
        let viaCommand = try ImageFile.read(folder.appendingPathComponent("c.npy").path).tensor
        let viaPipeline = try ImageFile.read(folder.appendingPathComponent("p.npy").path).tensor
        #expect(viaCommand == viaPipeline)

        for picture in ["visualize", "sweep"] {
            let r = try CLI.run([picture, "--grid", Self.grid, folder.appendingPathComponent("\(picture).png").path, "--filter", Self.step(name)])
            #expect(r.status == 0, "\(picture) --filter \(name): \(r.stderr)")
        }
        let animate = try CLI.run(["animate", "--grid", Self.grid, folder.appendingPathComponent("a.gif").path, "--filter", Self.step(name)])
        #expect(animate.status == 0, "animate --filter \(name): \(animate.stderr)")
        let visualizeHelp = try CLI.run(["visualize", "--help"], environment: ["COLUMNS": "300"])
        #expect(visualizeHelp.stdout.contains(name), "visualize --help does not name \(name)")
    }

    @Test func anUnknownNameIsRefusedEverywhereWithTheCatalogsList() throws {
        let list = FilterCatalog.nameList
        let pipeline = try CLI.run(["pipeline", "in.png", "out.png", "blurr --sigma 2"])
        #expect(pipeline.status == 64 && pipeline.stderr.contains(list))
        let visualize = try CLI.run(["visualize", "--grid", Self.grid, "v.png", "--filter", "blurr"])
        #expect(visualize.status == 64 && visualize.stderr.contains(list))
    }

    /// The values a picture of `--filter STEP` draws in its output panel, computed by the CLI's own parsing of
    /// visualize's options (the same code path as `imgconv visualize`).
    static func pictureOutput(_ arguments: [String], input: Tensor) throws -> Tensor {
        let command = try VisualizeCommand.parse(["out.png"] + arguments)
        let request = try command.window.request(command.operation)
        return try request.resolved().apply(input)
    }

    @Test(arguments: [
        ["blur"], ["blur --sigma 0.7"], ["blur --box 3"], ["blur --motion 3 --angle 30"], ["sharpen"], ["sharpen --kernel classic"],
        ["edge"], ["edge --operator scharr --direction x"], ["emboss --angle 45"], ["identity --stride 2"],
        ["conv --kernel sobel-x --padding 1 --padding-mode replicate"], ["maxpool --kernel-size 2 --stride 1"],
        ["avgpool --kernel-size 3 --padding 1"], ["pad --padding 2 --padding-mode reflect"],
        ["blur --box 3", "--stride", "2", "--padding-mode", "zeros"],
        ["dilate --size 3"], ["erode --shape cross --size 3,5"], ["open --size 2"], ["close --shape disk --size 5"], ["gradient"],
        ["tophat --size 5"], ["blackhat --iterations 2"], ["median --size 5"], ["median", "--stride", "2"], ["rank --percentile 80 --shape disk"],
        ["dilate --size 3", "--padding-mode", "reflect"],
    ])
    func aPicturesFilterGivesTheCommandsValues(_ arguments: [String]) throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let step = arguments[0]
        let overrides = Array(arguments.dropFirst())
        // A 6×7 grid of values in [0, 1], so that clamping does not hide a difference.
        let values = (0..<42).map { Float(($0 * 37) % 41) / 40 }
        let grid = folder.appendingPathComponent("grid.txt").path
        try stride(from: 0, to: 42, by: 7).map { values[$0..<$0 + 7].map { "\($0)" }.joined(separator: " ") }.joined(separator: "\n")
            .write(toFile: grid, atomically: true, encoding: .utf8)
        let input = Tensor(shape: TensorShape(n: 1, c: 1, h: 6, w: 7), storage: values)

        let words = try ShellWords.split(step)
        let out = folder.appendingPathComponent("out.npy").path
        let r = try CLI.run(words.prefix(1) + [grid, out] + words.dropFirst() + overrides)
        try #require(r.status == 0, "imgconv \(step) \(overrides): \(r.stderr)")
        let command = try ImageFile.read(out).tensor
        let picture = try Self.pictureOutput(["--filter", step] + overrides, input: input)
        #expect(picture.shape == command.shape, "\(step): picture \(picture.shape), command \(command.shape)")
        #expect(picture == command, "visualize --filter \(step) draws other values than imgconv \(step)")
    }

    @Test func visualizeBlurIsTheBlurCommandsGaussianNotABox() throws {
        // The blur command's default: a 13×13 Gaussian (σ 2, radius 6), same padding, reflect border.
        let op = try VisualizeCommand.parse(["out.png", "--filter", "blur"])
        let resolved = try op.window.request(op.operation).resolved()
        #expect(resolved.window.kernel == Pair(13) && resolved.window.padding == Padding(Pair(6)) && resolved.window.stride == Pair(1))
        #expect(resolved.paddingMode == .reflect)
        let weights = try #require(resolved.appliedKernel)
        #expect(Set(weights.values).count > 1, "a Gaussian's weights differ; a box's are all equal")
        #expect(resolved.label.hasPrefix("blur: Gaussian σ=2.0, 13×13"))
    }
}
