import Foundation
import ImageCodecs
import TensorEngine
import Testing

/// The lesson's commands end to end: text grids, named and image kernels, explain's options, the layer table.
@Suite struct TeachingCLITests {
    static let course = "1 2 3 0 1\n0 1 5 1 0\n1 0 2 2 1\n1 1 2 0 0\n1 0 1 1 1\n"

    func folderWithGrid() throws -> String {
        let dir = try CLI.temporaryFolder().path
        try Self.course.write(toFile: dir + "/grid.txt", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func convOfATextGridPrintsTheLessonsAnswer() throws {
        let dir = try folderWithGrid()
        let r = try CLI.run(["conv", dir + "/grid.txt", dir + "/out.txt", "--kernel", "1 0 1; 0 1 0; 1 0 1"])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        #expect(try String(contentsOfFile: dir + "/out.txt", encoding: .utf8) == "8 9 8\n8 5 9\n6 5 5\n")
        let csv = try CLI.run(["avgpool", dir + "/grid.txt", dir + "/out.csv", "--kernel-size", "2"])
        #expect(csv.status == 0)
        #expect(try String(contentsOfFile: dir + "/out.csv", encoding: .utf8) == "1,2.25\n0.75,1.5\n")
        let info = try CLI.run(["info", dir + "/out.csv"])
        #expect(info.stdout == "\(dir)/out.csv: text grid (1, 1, 2, 2), values as stored\n")
    }

    @Test func convToAnImageWarnsHowManyValuesWereClipped() throws {
        let dir = try folderWithGrid()
        let r = try CLI.run(["conv", dir + "/grid.txt", dir + "/out.png", "--kernel", "1 0 1; 0 1 0; 1 0 1"])
        #expect(r.status == 0)
        #expect(r.stderr == "\(dir)/out.png: warning: 9 of 9 values lay outside [0, 1] and were clipped; write .npy, .txt or .csv to keep them\n")
        // The same on a photo, streamed in strips, and nothing when nothing is clipped.
        let photo = try CLI.run(["conv", Repo.path("samples/skimage_camera.png"), dir + "/edges.png", "--kernel", "sobel-x"])
        #expect(photo.status == 0 && photo.stderr.contains("values lay outside [0, 1] and were clipped"), "\(photo.stderr)")
        let quiet = try CLI.run(["conv", Repo.path("samples/skimage_camera.png"), dir + "/soft.png", "--kernel", "box:3"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
    }

    @Test func namedKernelsWorkInEveryKernelOption() throws {
        let dir = try CLI.temporaryFolder().path
        let camera = Repo.path("samples/skimage_camera.png")
        for (name, rows) in [("sobel-x", "-1 0 1; -2 0 2; -1 0 1"), ("LAPLACIAN", "0 1 0; 1 -4 1; 0 1 0"), ("emboss", "-2 -1 0; -1 1 1; 0 1 2")] {
            #expect(try CLI.run(["conv", camera, dir + "/a.npy", "--kernel", name]).status == 0)
            #expect(try CLI.run(["conv", camera, dir + "/b.npy", "--kernel=" + rows]).status == 0)
            #expect(try readTensor(dir + "/a.npy").storage == readTensor(dir + "/b.npy").storage, "\(name)")
        }
        #expect(try CLI.run(["conv", camera, dir + "/g.npy", "--kernel", "gaussian:1.5", "--padding", "same"]).status == 0)
        let gaussian = try readTensor(dir + "/g.npy")
        #expect(gaussian.shape == TensorShape(n: 1, c: 1, h: 512, w: 512))
        let bad = try CLI.run(["conv", camera, dir + "/x.npy", "--kernel", "gaussian:wide"])
        // A kernel wrong for every input is a usage error (64), in the argument parser's style.
        #expect(bad.status == 64 && bad.stderr.hasPrefix("Error: kernel 'gaussian:wide' needs a finite number after the colon, e.g. gaussian:2\n"), "\(bad.stderr)")
        let explain = try CLI.run(["explain", "--input", "1 2 3; 4 5 6; 7 8 9", "--kernel", "laplacian"])
        #expect(explain.stdout.contains("Output[0, 0] = (1×0) + (2×1) + (3×0) + (4×1) + (5×-4) + (6×1) + (7×0) + (8×1) + (9×0) = 0"), "\(explain.stdout)")
        let visualize = try CLI.run(["visualize", camera, dir + "/v.png", "--kernel", "sobel-x", "--crop", "0,0,16,16"])
        #expect(visualize.status == 0, "\(visualize.stderr)")
        let show = try CLI.run(["kernel", "show", "box:3"])
        #expect(show.stdout.contains("sum: 1"), "\(show.stdout)")
    }

    @Test func anImageIsAKernelAndABadKernelFileIsOneSentence() throws {
        let dir = try folderWithGrid()
        let cross = Tensor(shape: TensorShape(n: 1, c: 1, h: 3, w: 3), storage: [1, 0, 1, 0, 1, 0, 1, 0, 1])
        try ImageFile.write(cross, to: dir + "/cross.png", source: nil)
        let r = try CLI.run(["conv", dir + "/grid.txt", dir + "/out.txt", "--kernel-file", dir + "/cross.png"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOfFile: dir + "/out.txt", encoding: .utf8) == "8 9 8\n8 5 9\n6 5 5\n")
        // Gray values are v/255: a mid-gray 2×2 is 128/255 each, normalised to 1/4 each.
        let gray = Tensor(shape: TensorShape(n: 1, c: 1, h: 2, w: 2), repeating: 128 / 255)
        try ImageFile.write(gray, to: dir + "/gray.png", source: nil)
        let show = try CLI.run(["kernel", "show", dir + "/gray.png"])
        #expect(show.stdout.contains("sum: 2.00784"), "\(show.stdout)")
        let normalized = try CLI.run(["conv", dir + "/grid.txt", dir + "/avg.txt", "--kernel-file", dir + "/gray.png", "--normalize"])
        #expect(normalized.status == 0)
        #expect(try CLI.run(["conv", dir + "/grid.txt", dir + "/box.txt", "--kernel", "1 1; 1 1", "--normalize"]).status == 0)
        #expect(try String(contentsOfFile: dir + "/avg.txt", encoding: .utf8) == String(contentsOfFile: dir + "/box.txt", encoding: .utf8))

        var hostile = Data([0x00, 0xFF, 0x1B, 0x5B, 0x33, 0x31, 0x6D, 0x07])  // NUL, invalid UTF-8, an ANSI escape, BEL
        hostile.append(Data("1 2 3".utf8))
        try hostile.write(to: URL(fileURLWithPath: dir + "/bad.mat"))
        for command in [["conv", dir + "/grid.txt", dir + "/x.txt", "--kernel-file", dir + "/bad.mat"],
                        ["explain", "--input", "1 2; 3 4", "--kernel-file", dir + "/bad.mat"],
                        ["kernel", "show", dir + "/bad.mat"]] {
            let bad = try CLI.run(command)
            #expect(bad.status == 1)
            #expect(bad.stderr == "imgconv: \(dir)/bad.mat: is not a kernel: not text (rows of numbers, a libvips matrix), a 2-D .npy, PNG or JPEG\n", "\(bad.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.txt"))
    }

    @Test func explainsNewOptionsAndHonestMessages() throws {
        let dir = try folderWithGrid()
        let two = try CLI.run(["explain", "--input-file", dir + "/grid.txt", "--kernel", "1 0 1; 0 1 0; 1 0 1", "--at", "0,0", "--at", "2,2"])
        #expect(two.status == 0)
        let sums = two.stdout.split(separator: "\n").filter { $0.hasPrefix("Output[") }
        #expect(sums.count == 2 && sums[0].hasSuffix("= 8") && sums[1].hasPrefix("Output[2, 2]") && sums[1].hasSuffix("= 5"), "\(sums)")
        let all = try CLI.run(["explain", "--input-file", dir + "/grid.txt", "--pool", "avg", "--kernel-size", "2", "--padding", "1",
                               "--ceil-mode", "--no-count-include-pad", "--all", "--stride", "2"])
        #expect(all.stdout.split(separator: "\n").filter { $0.hasPrefix("Output[") }.count == 9)
        #expect(all.stdout.contains("Output[0, 0] = (1) / 1 = 1"), "\(all.stdout)")
        let biased = try CLI.run(["explain", "--input-file", dir + "/grid.txt", "--kernel", "sobel-x", "--flip", "--bias=-1"])
        #expect(biased.stdout.contains("+ (-1) = -14"), "\(biased.stdout)")
        #expect(biased.stdout.contains("(5 − 3 + 0)/1 + 1 = 2 + 1 = 3"))

        let ragged = try CLI.run(["explain", "--input", "1 2 3; 4 5", "--kernel", "1"])
        // --input is an option: a ragged one is a usage error (64), named as --input, not as a kernel.
        #expect(ragged.status == 64)
        #expect(ragged.stderr.hasPrefix("Error: --input: row 2 has 2 values, but the first row has 3: every row needs the same number\n"), "\(ragged.stderr)")
        let missing = try CLI.run(["explain", "--input-file", dir + "/nope.txt", "--kernel", "1"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "imgconv: \(dir)/nope.txt: cannot open: No such file or directory\n", "\(missing.stderr)")
        let usage = try CLI.run(["explain", "--input", "1 2", "--kernel", "1", "--ceil-mode"])
        #expect(usage.status == 64)
    }

    @Test func shapePrintsTheLayerTable() throws {
        let r = try CLI.run(["shape", "--input", "1,1,28,28", "conv --out-channels 5 --kernel-size 5", "maxpool --kernel-size 2"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("Conv2d(1, 5, kernel_size=(5, 5), stride=(1, 1))") && $0.contains("(1, 5, 24, 24)") && $0.hasSuffix(" 130") })
        #expect(lines.contains { $0.hasPrefix("MaxPool2d(kernel_size=2, stride=2") && $0.contains("(1, 5, 12, 12)") && $0.hasSuffix(" 0") })
        #expect(lines.contains("    H, W: ⌊(28 + 2·0 − 1·(5 − 1) − 1)/1⌋ + 1 = 24    (28 − 5 + 0)/1 + 1 = 23 + 1 = 24"), "\(r.stdout)")
        #expect(lines.contains("Total params: 130"))
        #expect(lines.last == "Input: (1, 1, 28, 28) = 784 values; output: (1, 5, 12, 12) = 720 values")

        let single = try CLI.run(["shape", "--input", "64", "--kernel-size", "7", "--stride", "2"])
        #expect(single.stdout == """
            rows:    ⌊(64 + 2·0 − 1·(7 − 1) − 1)/2⌋ + 1 = 29
                     (64 − 7 + 0)/2 + 1 = 28.5 + 1 → 29
            columns: ⌊(64 + 2·0 − 1·(7 − 1) − 1)/2⌋ + 1 = 29
                     (64 − 7 + 0)/2 + 1 = 28.5 + 1 → 29
            64×64 → 29×29

            """)
        let dilated = try CLI.run(["shape", "--input", "227,227", "--kernel-size", "11", "--stride", "4", "--dilation", "2"])
        #expect(dilated.stdout.split(separator: "\n").count == 3, "no lesson line when dilated: \(dilated.stdout)")

        for bad in [["shape", "--input", "1,1,28,28", "relu"], ["shape", "--input", "28", "conv --kernel-size 3 --ceil-mode"],
                    ["shape", "--input", "28", "conv"], ["shape", "--input", "1,2,3,4,5"], ["shape", "--input", "28", "--stride", "2", "maxpool --kernel-size 2"]] {
            #expect(try CLI.run(bad).status == 64, "\(bad)")
        }
        let refused = try CLI.run(["shape", "--input", "3,8,8", "conv --out-channels 4 --kernel-size 9"])
        // --input is an option: a network that does not fit it is a usage error (64).
        #expect(refused.status == 64 && refused.stderr.hasPrefix("Error: layer 1: output would be 0×0: kernel 9 (dilated 9) larger than padded input 8\n"), "\(refused.stderr)")
    }
}
