import Foundation
import Testing
import ImageCodecs
import TensorEngine
import TensorTestSupport

/// Paths inside the repository, found from this file.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}

func readTensor(_ path: String) throws -> Tensor { try ImageFile.read(path).tensor }

func writeNpy(_ t: Tensor, _ path: String) throws { try AtomicFile.write(NumpyFile.encode(t), to: path) }

func matrix(_ rows: [[Float]]) -> Tensor {
    Tensor(shape: TensorShape(n: 1, c: 1, h: rows.count, w: rows[0].count), storage: rows.flatMap { $0 })
}

@Suite struct CompletionTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScripts(shell: String) throws {
        let r = try CLI.run(["--generate-completion-script", shell])
        #expect(r.status == 0)
        #expect(r.stdout.contains("imgconv") && r.stdout.contains("maxpool"))
    }
}

@Suite struct CourseExampleTests {
    let course: [[Float]] = [[1, 2, 3, 0, 1], [0, 1, 5, 1, 0], [1, 0, 2, 2, 1], [1, 1, 2, 0, 0], [1, 0, 1, 1, 1]]

    @Test func convolutionOfTheCourseMatrix() throws {
        let tmp = try CLI.temporaryFolder().path
        try writeNpy(matrix(course), tmp + "/x.npy")
        let r = try CLI.run(["conv", tmp + "/x.npy", tmp + "/y.npy", "--kernel", "1 0 1; 0 1 0; 1 0 1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try readTensor(tmp + "/y.npy").storage == [8, 9, 8, 8, 5, 9, 6, 5, 5])
    }

    @Test func explainWritesTheSumsOut() throws {
        let eight = try CLI.run(["explain", "--input", "1 2 3 0 1; 0 1 5 1 0; 1 0 2 2 1; 1 1 2 0 0; 1 0 1 1 1",
                                 "--kernel", "1 0 1; 0 1 0; 1 0 1"])
        #expect(eight.status == 0)
        #expect(eight.stdout.contains("Output[0, 0] = (1×1) + (2×0) + (3×1) + (0×0) + (1×1) + (5×0) + (1×1) + (0×0) + (2×1) = 8"))
        let window = try CLI.run(["explain", "--input", "0 0 0; 0 0.3 0.5; 0 0.8 1", "--kernel", "1 2 3; 4 5 6; 7 8 9"])
        #expect(window.stdout.contains("= 19.9"), "\(window.stdout)")
        let pooled = try CLI.run(["explain", "--input", "1 2 3 0 1; 0 1 5 1 0; 1 0 2 2 1; 1 1 2 0 0; 1 0 1 1 1",
                                  "--pool", "max", "--kernel-size", "2", "--at", "0,1"])
        #expect(pooled.stdout.contains("max(3, 0, 5, 1) = 5"), "\(pooled.stdout)")
    }

    @Test(arguments: [
        (["--input", "227,227", "--kernel-size", "11", "--stride", "4"], "227×227 → 55×55"),
        (["--input", "64", "--kernel-size", "7", "--stride", "2"], "64×64 → 29×29"),
        (["--input", "32", "--kernel-size", "5", "--padding", "2"], "32×32 → 32×32"),
        (["--input", "32,64", "--kernel-size", "5"], "32×64 → 28×60"),
        (["--input", "64,32", "--kernel-size", "3", "--padding", "1"], "64×32 → 64×32"),
        (["--input", "24", "--kernel-size", "2", "--pool", "max"], "24×24 → 12×12"),
    ])
    func outputSizes(arguments: [String], expected: String) throws {
        let r = try CLI.run(["shape"] + arguments)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains(expected), "\(r.stdout)")
    }

    @Test func shapeWritesTheFormula() throws {
        let r = try CLI.run(["shape", "--input", "227,227", "--kernel-size", "11", "--stride", "4"])
        #expect(r.stdout.contains("⌊(227 + 2·0 − 1·(11 − 1) − 1)/4⌋ + 1 = 55"), "\(r.stdout)")
    }

    /// `shape` reads no file: a size that cannot work is an invalid option value, a usage error (issue 12.21).
    @Test func impossibleShapesNameTheNumbers() throws {
        let r = try CLI.run(["shape", "--input", "5", "--kernel-size", "7"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("7") && r.stderr.contains("5"), "\(r.stderr)")
        let pool = try CLI.run(["shape", "--input", "8", "--kernel-size", "2", "--padding", "2", "--pool", "max"])
        #expect(pool.status == 64 && pool.stderr.contains("half"), "\(pool.stderr)")
    }

    @Test func leNetShapes() throws {
        // (1, 1, 28, 28) → Conv2d(1, 5, 5) → (1, 5, 24, 24) → MaxPool2d(2) → (1, 5, 12, 12)
        let tmp = try CLI.temporaryFolder().path
        try writeNpy(Tensor(shape: TensorShape(n: 1, c: 1, h: 28, w: 28), repeating: 0.5), tmp + "/x.npy")
        try writeNpy(Tensor(shape: TensorShape(n: 5, c: 1, h: 5, w: 5), repeating: 0.1), tmp + "/w.npy")
        #expect(try CLI.run(["conv", tmp + "/x.npy", tmp + "/c.npy", "--weight", tmp + "/w.npy"]).status == 0)
        #expect(try readTensor(tmp + "/c.npy").shape == TensorShape(n: 1, c: 5, h: 24, w: 24))
        #expect(try CLI.run(["maxpool", tmp + "/c.npy", tmp + "/p.npy", "--kernel-size", "2"]).status == 0)
        #expect(try readTensor(tmp + "/p.npy").shape == TensorShape(n: 1, c: 5, h: 12, w: 12))
    }
}

@Suite struct FilterCommandTests {
    @Test func blurMatchesOpenCVWithinOneLevel() throws {
        let out = try CLI.temporaryFolder().path + "/blur.png"
        let r = try CLI.run(["blur", Repo.path("samples/skimage_chelsea.png"), out, "--sigma", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let ours = try readTensor(out)
        let opencv = try readTensor(Repo.path("Tests/CLITests/Fixtures/opencv_gaussian_sigma2_chelsea.png"))
        expectClose(ours, opencv, "blur σ 2 vs OpenCV, borders included", tolerance: 1.0 / 255 + 1e-6)
    }

    @Test func sobelMatchesOpenCV() throws {
        let out = try CLI.temporaryFolder().path + "/sobel.npy"
        let r = try CLI.run(["conv", Repo.path("samples/skimage_camera.png"), out, "--kernel=-1 0 1; -2 0 2; -1 0 1",
                             "--padding", "same", "--padding-mode", "reflect"])
        #expect(r.status == 0, "\(r.stderr)")
        let ours = try readTensor(out)
        let opencv = try readTensor(Repo.path("Tests/CLITests/Fixtures/opencv_sobel_x_camera_crop.npy"))
        for y in 0..<128 {
            for x in 0..<128 {
                #expect(abs(ours[0, 0, y, x] - opencv[0, 0, y, x]) < 1e-5, "at \(y),\(x)")
            }
        }
    }

    @Test(arguments: ["blur", "sharpen", "edge", "emboss", "identity"])
    func namedFiltersKeepTheSize(filter: String) throws {
        let out = try CLI.temporaryFolder().path + "/out.png"
        let r = try CLI.run([filter, Repo.path("samples/skimage_rocket.jpg"), out])
        #expect(r.status == 0, "\(r.stderr)")
        let shape = try readTensor(out).shape
        #expect(shape.h == 427 && shape.w == 640)
        #expect(shape.c == (filter == "edge" ? 1 : 3))
    }

    @Test func sixteenBitStaysSixteenBit() throws {
        let tmp = try CLI.temporaryFolder().path
        let input = Repo.path("Tests/ImageCodecsTests/Fixtures/pngsuite/basn2c16.png")
        #expect(try CLI.run(["blur", input, tmp + "/b16.png", "--sigma", "1"]).status == 0)
        #expect(try ImageFile.readInfo(tmp + "/b16.png").bitDepth == 16)
        #expect(try CLI.run(["blur", input, tmp + "/b8.png", "--sigma", "1", "--depth", "8"]).status == 0)
        #expect(try ImageFile.readInfo(tmp + "/b8.png").bitDepth == 8)
        #expect(try CLI.run(["identity", input, tmp + "/same.png"]).status == 0)
        #expect(try readTensor(tmp + "/same.png") == readTensor(input), "identity is lossless at 16 bits")
    }

    @Test func imagesAreOrientedBeforeFiltering() throws {
        // Orientation 6: the stored picture is displayed rotated 90° clockwise, so displayed(y, x) = stored(H − 1 − x, y).
        let tmp = try CLI.temporaryFolder().path
        let input = Repo.path("Tests/ImageCodecsTests/Fixtures/jpeg/pillow/hopper_orientation_6.jpg")
        #expect(try CLI.run(["edge", input, tmp + "/auto.npy", "--direction", "x"]).status == 0)
        #expect(try CLI.run(["edge", input, tmp + "/raw.npy", "--direction", "y", "--no-auto-orient"]).status == 0)
        let auto = try readTensor(tmp + "/auto.npy"), raw = try readTensor(tmp + "/raw.npy")
        #expect(auto.h == raw.w && auto.w == raw.h)
        // Sobel x on the displayed picture is Sobel y on the stored one, read through the rotation (away from borders).
        var displayed: [Float] = [], stored: [Float] = []
        for y in 1..<(auto.h - 1) { for x in 1..<(auto.w - 1) { displayed.append(auto[0, 0, y, x]); stored.append(raw[0, 0, raw.h - 1 - x, y]) } }
        expectClose(displayed, stored, "Sobel x displayed vs Sobel y stored", tolerance: 1e-5)
    }

    @Test func pipelineEqualsTheStepsRunOneByOne() throws {
        let tmp = try CLI.temporaryFolder().path
        let input = Repo.path("samples/skimage_camera.png")
        #expect(try CLI.run(["pipeline", input, tmp + "/p.npy", "blur --sigma 1.5", "maxpool --kernel-size 2", "edge"]).status == 0)
        #expect(try CLI.run(["blur", input, tmp + "/1.npy", "--sigma", "1.5"]).status == 0)
        #expect(try CLI.run(["maxpool", tmp + "/1.npy", tmp + "/2.npy", "--kernel-size", "2"]).status == 0)
        #expect(try CLI.run(["edge", tmp + "/2.npy", tmp + "/3.npy"]).status == 0)
        #expect(try readTensor(tmp + "/p.npy") == readTensor(tmp + "/3.npy"))
    }

    @Test func pipelineStepsAreCheckedBeforeAnythingIsWritten() throws {
        let tmp = try CLI.temporaryFolder().path
        let r = try CLI.run(["pipeline", Repo.path("samples/skimage_camera.png"), tmp + "/o.png",
                             "blur", "avgpool --kernel-size 128", "conv --kernel '1 1 1 1 1'"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("step 3"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp + "/o.png"))
        let typo = try CLI.run(["pipeline", Repo.path("samples/skimage_camera.png"), tmp + "/o.png", "blur --sgma 2"])
        #expect(typo.status != 0 && typo.stderr.contains("Step 1"), "\(typo.stderr)")
    }

    @Test func kernelShowSaysHowItRuns() throws {
        let g = try CLI.run(["kernel", "show", "gaussian:1"])
        #expect(g.status == 0)
        #expect(g.stdout.contains("separable: yes") && g.stdout.contains("sum: 1"), "\(g.stdout)")
        let s = try CLI.run(["kernel", "show", "1 2 1; 2 4 2; 1 2 1", "--normalize"])
        #expect(s.stdout.contains("0.0625") && s.stdout.contains("0.25"), "\(s.stdout)")
        let l = try CLI.run(["kernel", "show", "laplacian"])
        #expect(l.stdout.contains("separable: no") && l.stdout.contains("-4 … 4"), "\(l.stdout)")
        let list = try CLI.run(["kernels"])
        #expect(list.stdout.contains("sobel-x") && list.stdout.contains("scharr-y"))
    }
}

@Suite struct ErrorTests {
    @Test func missingInputNamesTheFile() throws {
        let r = try CLI.run(["blur", "/nonexistent/in.png", "/tmp/out.png"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("imgconv: /nonexistent/in.png: "), "\(r.stderr)")
    }

    @Test func corruptInputLeavesNoOutput() throws {
        let tmp = try CLI.temporaryFolder().path
        let r = try CLI.run(["blur", Repo.path("Tests/ImageCodecsTests/Fixtures/pngsuite/xcrn0g04.png"), tmp + "/o.png"])
        #expect(r.status == 1 && r.stderr.contains("xcrn0g04.png"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty)
    }

    @Test func outputNeverOverwritesTheInput() throws {
        let tmp = try CLI.temporaryFolder().path
        try FileManager.default.copyItem(atPath: Repo.path("samples/skimage_camera.png"), toPath: tmp + "/a.png")
        let before = try Data(contentsOf: URL(fileURLWithPath: tmp + "/a.png"))
        let r = try CLI.run(["blur", tmp + "/a.png", tmp + "/a.png"])
        #expect(r.status == 1 && r.stderr.contains("same file"), "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: tmp + "/a.png")) == before)
    }

    @Test func unknownOutputFormatListsTheSupportedOnes() throws {
        let r = try CLI.run(["convert", Repo.path("samples/skimage_camera.png"), "/tmp/x.gif"])
        #expect(r.status == 1 && r.stderr.contains(".png") && r.stderr.contains(".npy"), "\(r.stderr)")
    }

    @Test(arguments: [
        (["--kernel", "1 2 3; 4 5"], "row 2 has 2 values"),
        (["--kernel", "1 2; 3 x"], "row 2, column 2"),
        (["--kernel", "1 0; 0 1", "--normalize", "--divisor", "2"], "only one"),
        (["--kernel", "1 -1", "--normalize"], "sum to 0"),
        (["--kernel", "1 1 1", "--stride", "2", "--padding", "same"], "stride 1"),
        (["--kernel", "1 1 1; 1 1 1; 1 1 1", "--padding", "600", "--padding-mode", "reflect"], "600"),
    ])
    func badConvolutionsAreExplained(arguments: [String], message: String) throws {
        let r = try CLI.run(["conv", Repo.path("samples/skimage_camera.png"), "/tmp/imgconv-never-written.png"] + arguments)
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/imgconv-never-written.png"))
    }

    @Test func groupsMustDivideTheChannels() throws {
        let tmp = try CLI.temporaryFolder().path
        try writeNpy(Tensor(shape: TensorShape(n: 1, c: 3, h: 6, w: 6)), tmp + "/x.npy")
        try writeNpy(Tensor(shape: TensorShape(n: 4, c: 1, h: 3, w: 3)), tmp + "/w.npy")
        let r = try CLI.run(["conv", tmp + "/x.npy", tmp + "/y.npy", "--weight", tmp + "/w.npy", "--groups", "2"])
        #expect(r.status == 1 && r.stderr.contains("divisible by groups 2"), "\(r.stderr)")
    }
}

extension Repo {
    /// The team's larger test data (`../shared/testdata` beside the repository, or one level further up for
    /// worktrees); nil when absent, as on a user's clone.
    static let sharedTestData: String? = {
        [root.deletingLastPathComponent(), root.deletingLastPathComponent().deletingLastPathComponent()]
            .map { $0.appendingPathComponent("shared/testdata").standardizedFileURL.path }
            .first { FileManager.default.fileExists(atPath: $0 + "/photos") }
    }()
}

@Suite struct AlphaCommandTests {
    @Test func blurOfACutOutHasNoDarkFringe() throws {
        let tmp = try CLI.temporaryFolder().path
        var rgba = Tensor(shape: TensorShape(n: 1, c: 4, h: 32, w: 32))  // transparent black …
        for y in 8..<24 { for x in 8..<24 { rgba[0, 1, y, x] = 1; rgba[0, 3, y, x] = 1 } }  // … around an opaque green square
        try ImageFile.write(rgba, to: tmp + "/cutout.png", source: nil)
        #expect(try CLI.run(["blur", tmp + "/cutout.png", tmp + "/soft.png", "--sigma", "3"]).status == 0)
        let out = try readTensor(tmp + "/soft.png")
        #expect(out.shape == rgba.shape)
        var checked = 0
        for y in 0..<32 {
            for x in 0..<32 where out[0, 3, y, x] >= 0.05 {
                // Wherever the blurred square shows, it is as green as the square: no black mixed in.
                #expect(out[0, 1, y, x] >= 0.98, "green \(out[0, 1, y, x]) at \(y),\(x)")
                checked += 1
            }
        }
        #expect(checked > 16 * 16, "the soft edge spreads beyond the square")
    }
}

@Suite(.enabled(if: Repo.sharedTestData != nil, "../shared/testdata is absent: the real-photo filter tests are skipped"))
struct RealPhotoTests {
    static var photos: [String] {
        guard let folder = Repo.sharedTestData.map({ $0 + "/photos" }) else { return [] }
        return ["skimage_astronaut.png", "skimage_coffee.png", "kodim23.png", "libjpeg-turbo_monkey16.png", "skimage_retina.jpg"]
            .map { folder + "/" + $0 }
    }

    @Test(arguments: photos)
    func namedFiltersKeepSizeAndDepth(photo: String) throws {
        let tmp = try CLI.temporaryFolder().path
        let info = try ImageFile.readInfo(photo)
        for filter in ["blur", "sharpen", "edge", "emboss"] {
            let out = tmp + "/\(filter).png"
            let r = try CLI.run([filter, photo, out])
            #expect(r.status == 0, "\(filter) \(photo): \(r.stderr)")
            let written = try ImageFile.readInfo(out)
            #expect(written.width == info.width && written.height == info.height, "\(filter) keeps the size of \(photo)")
            #expect(written.bitDepth == (info.format == .png ? info.bitDepth : 8), "\(filter) keeps the depth of \(photo)")
        }
    }

    @Test func blurOfAFlatPhotoSizedImageIsFlat() throws {
        let tmp = try CLI.temporaryFolder().path
        let info = try ImageFile.readInfo(Self.photos[0])
        try ImageFile.write(Tensor(shape: TensorShape(n: 1, c: 3, h: info.height, w: info.width), repeating: 0.6), to: tmp + "/flat.png", source: nil)
        #expect(try CLI.run(["blur", tmp + "/flat.png", tmp + "/b.png", "--sigma", "4"]).status == 0)
        let levels = Set(try readTensor(tmp + "/b.png").storage)
        #expect(levels == [Float((0.6 * 255).rounded()) / 255], "borders included")
    }
}

@Suite struct InfoCommandTests {
    @Test func infoShowsOrientationICCAndTheTensorShape() throws {
        let jpeg = Repo.path("Tests/ImageCodecsTests/Fixtures/jpeg/pillow/hopper_orientation_6.jpg")
        let npy = Repo.path("Tests/ImageCodecsTests/Fixtures/npy/u1_nchw.npy")
        let r = try CLI.run(["info", jpeg, Repo.path("samples/skimage_chelsea.png"), npy])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].contains("orientation 6"), "\(lines[0])")
        let decoded = try readTensor(jpeg).shape
        #expect(lines[0].contains("tensor (1, 3, \(decoded.h), \(decoded.w))"), "\(lines[0]) vs \(decoded)")
        #expect(lines[1].contains("PNG 451×300") && lines[1].contains("ICC profile 3144 bytes"), "\(lines[1])")
        #expect(lines[2].hasSuffix("NPY tensor (2, 2, 3, 4), values as stored"))
    }

    @Test func infoGoesOnAfterABadFile() throws {
        let r = try CLI.run(["info", Repo.path("samples/LICENSES.md"), Repo.path("samples/skimage_camera.png")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("LICENSES.md") && r.stdout.contains("skimage_camera.png: PNG 512×512"))
    }
}
