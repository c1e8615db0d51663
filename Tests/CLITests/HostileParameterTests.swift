import Foundation
import Testing

/// Hostile options and hostile `.npy` files: each must end in its exact exit status, 64 for an option value
/// that is wrong whatever the input (the argument parser's usage style, whoever found it) or 1 for a file
/// that cannot be read or processed with these options (`imgconv: FILE: reason`, one line), with a message
/// that says what is wrong; never a signal, never a huge allocation, never more than 20 s.
@Suite struct HostileParameterTests {
    /// A folder with an (1, 2, 8, 8) tensor, a (2, 2, 3, 3) weight and the hostile `.npy` and kernel files.
    static let folder: String = {
        let folder = NSTemporaryDirectory() + "imgconv-hostile-parameters-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, bytes) in HostileNpy.files { FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(bytes)) }
        return folder
    }()

    struct Case: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        /// Text the message must contain (the reason, in the tool's words).
        var message: String
        /// The exit status: 64 for an option value that is wrong whatever the input (the argument parser's
        /// usage error, whether the parser or the library found it), 1 for a file that cannot be read or
        /// processed with these options (`imgconv: FILE: reason`).
        var status: Int32
        var testDescription: String { arguments.joined(separator: " ") }
        init(_ arguments: String..., says message: String, exits status: Int32) {
            self.arguments = arguments
            self.message = message
            self.status = status
        }
    }

    static let cases: [Case] = [
        // Kernels.
        Case("conv", "x.npy", "o.npy", "--kernel", "nan 1; 1 1", says: "'nan' is not a finite number", exits: 64),
        Case("conv", "x.npy", "o.npy", "--kernel", "1 inf; 1 1", says: "'inf' is not a finite number", exits: 64),
        Case("conv", "x.npy", "o.npy", "--kernel", "1e39 1", says: "'1e39' is not a finite number", exits: 64),
        Case("conv", "x.npy", "o.npy", "--kernel", "", says: "the kernel is empty", exits: 64),
        Case("conv", "x.npy", "o.npy", "--kernel", ";;", says: "the kernel is empty", exits: 64),
        Case("conv", "x.npy", "o.npy", "--kernel", "1 2; 3", says: "row 2 has 1 values but row 1 has 2", exits: 64),
        Case("conv", "x.npy", "o.npy", "--kernel", "0x0:", says: "must be positive", exits: 64),
        Case("conv", "x.npy", "o.npy", "--kernel", "100000x100000: 1", says: "needs 10000000000 values, but 1 were given", exits: 64),
        Case("conv", "x.npy", "o.npy", "--kernel", "9223372036854775807x2: 1", says: "is too large", exits: 64),
        Case("conv", "x.npy", "o.npy", "--kernel", "3e38 3e38; 3e38 3e38", "--normalize", says: "cannot divide a kernel by inf", exits: 64),
        Case("conv", "x.npy", "o.npy", "--kernel-file", "vips-huge.txt", says: "row 2 has 1 values but row 1 has 2", exits: 1),
        // Strides, dilations, paddings, groups.
        Case("conv", "x.npy", "o.npy", "--kernel", "1 1", "--stride", "0", says: "stride must be at least 1", exits: 64),
        Case("conv", "x.npy", "o.npy", "--kernel", "1 1", "--stride", "1,0", says: "stride must be at least 1", exits: 64),
        Case("conv", "x.npy", "o.npy", "--kernel", "1 1", "--stride=-1", says: "stride must be at least 1", exits: 64),
        Case("conv", "x.npy", "o.npy", "--kernel", "1 1", "--dilation", "0", says: "dilation must be at least 1", exits: 64),
        Case("conv", "x.npy", "o.npy", "--kernel", "1 1", "--dilation", "100000", says: "does not fit", exits: 1),
        Case("conv", "x.npy", "o.npy", "--kernel", "1 1 1", "--dilation", "2147483647", "--padding", "same", says: "4 GiB", exits: 1),
        Case("conv", "x.npy", "o.npy", "--kernel", "1 1", "--padding", "100000", says: "--max-pixels", exits: 1),
        Case("conv", "x.npy", "o.npy", "--kernel", "1 1", "--padding", "100000", "--stride", "100000", says: "4 GiB", exits: 1),
        Case("conv", "x.npy", "o.npy", "--kernel", "1 1", "--padding", "9223372036854775807", says: "invalid for '--padding", exits: 64),
        Case("conv", "x.npy", "o.npy", "--kernel", "1 1", "--padding", "100", "--padding-mode", "reflect", says: "reflect padding must be smaller than the input", exits: 1),
        Case("conv", "x.npy", "o.npy", "--kernel", "1 1", "--padding", "100", "--padding-mode", "circular", says: "circular padding must not exceed the input", exits: 1),
        Case("conv", "x.npy", "o.npy", "--weight", "w.npy", "--groups", "3", says: "not divisible by groups 3", exits: 1),
        Case("conv", "x.npy", "o.npy", "--weight", "w.npy", "--groups", "0", says: "groups must be at least 1", exits: 64),
        Case("conv", "x.npy", "o.npy", "--weight", "w.npy", "--padding", "100000", "--stride", "100000", says: "4 GiB", exits: 1),
        // Named filters.
        Case("blur", "x.npy", "o.npy", "--box", "100000", says: "--box must be between 1 and 2001", exits: 64),
        Case("blur", "x.npy", "o.npy", "--box", "0", says: "--box must be between 1 and 2001", exits: 64),
        Case("blur", "x.npy", "o.npy", "--sigma", "1e9", says: "needs a radius ⌈3σ⌉ above 1000", exits: 64),
        Case("blur", "x.npy", "o.npy", "--sigma", "nan", says: "'nan' is not a finite number", exits: 64),
        Case("blur", "x.npy", "o.npy", "--sigma", "0", says: "--sigma must be a positive number", exits: 64),
        Case("blur", "x.npy", "o.npy", "--motion", "1e9", says: "--motion length must be between", exits: 64),
        Case("blur", "x.npy", "o.npy", "--motion", "5", "--angle", "inf", says: "'inf' is not a finite number", exits: 64),
        Case("blur", "x.npy", "o.npy", "--sigma", "2", "--stride", "0", says: "stride must be at least 1", exits: 64),
        Case("sharpen", "x.npy", "o.npy", "--amount", "nan", says: "'nan' is not a finite number", exits: 64),
        // Pooling and padding.
        Case("maxpool", "x.npy", "o.npy", "--kernel-size", "99999", says: "does not fit", exits: 1),
        Case("maxpool", "x.npy", "o.npy", "--kernel-size", "0", says: "pooling kernel must be at least 1×1", exits: 64),
        Case("maxpool", "x.npy", "o.npy", "--kernel-size", "2", "--stride", "0", says: "stride must be at least 1", exits: 64),
        Case("avgpool", "x.npy", "o.npy", "--kernel-size", "3", "--padding", "2", says: "at most half the kernel size", exits: 64),
        Case("avgpool", "x.npy", "o.npy", "--output-size", "100000", says: "--max-pixels", exits: 1),
        Case("maxpool", "x.npy", "o.npy", "--output-size", "2147483647", "--indices", "i.npy", says: "4 GiB", exits: 1),
        Case("pad", "x.npy", "o.npy", "--padding", "100000", says: "--max-pixels", exits: 1),
        Case("pad", "x.npy", "o.npy", "--padding", "10000", "--padding-mode", "replicate", says: "--max-pixels", exits: 1),
        Case("pad", "x.npy", "o.npy", "--padding", "2147483647,2147483647,2147483647,2147483647", says: "--max-pixels", exits: 1),
        Case("pipeline", "x.npy", "o.npy", "pad --padding 10000", "maxpool --kernel-size 1000", says: "step 1 (pad", exits: 1),
        Case("pipeline", "x.npy", "o.npy", "conv --kernel '1 1' --stride 0", says: "stride must be at least 1", exits: 64),
        Case("explain", "--input", "1", "--kernel", "1", "--padding", "100000", says: "4 GiB", exits: 64),
        Case("shape", "--input", "227,227", "--kernel-size", "11", "--stride", "0", says: "stride must be at least 1", exits: 64),
        Case("shape", "--input", "9223372036854775807", "--kernel-size", "1", says: "invalid for '--input", exits: 64),
        Case("kernel", "show", "3037000500x3037000500:", says: "is too large", exits: 64),
        // Lying .npy files as --weight and as input.
        Case("conv", "x.npy", "o.npy", "--weight", "shape-too-large.npy", says: "header promises (100000, 100000, 3, 3) <f4 values but the file holds only 144 bytes", exits: 1),
        Case("conv", "x.npy", "o.npy", "--weight", "shape-overflows.npy", says: "header promises (9223372036854775807, 2, 3, 3)", exits: 1),
        Case("conv", "x.npy", "o.npy", "--weight", "shape-not-a-number.npy", says: "is not a list of sizes", exits: 1),
        Case("conv", "x.npy", "o.npy", "--weight", "negative-size.npy", says: "is not a list of sizes", exits: 1),
        Case("conv", "x.npy", "o.npy", "--weight", "wrong-dtype.npy", says: "header promises (2, 2, 3, 3) <f8 values but the file holds only 144 bytes", exits: 1),
        Case("conv", "x.npy", "o.npy", "--weight", "int32.npy", says: "dtype '<i4' is not supported", exits: 1),
        Case("conv", "x.npy", "o.npy", "--weight", "big-endian.npy", says: "big-endian data is not supported", exits: 1),
        Case("conv", "x.npy", "o.npy", "--weight", "fortran.npy", says: "Fortran order", exits: 1),
        Case("conv", "x.npy", "o.npy", "--weight", "truncated.npy", says: "the file holds only 20 bytes", exits: 1),
        Case("conv", "x.npy", "o.npy", "--weight", "header-truncated.npy", says: ".npy header is truncated", exits: 1),
        Case("conv", "x.npy", "o.npy", "--weight", "five-dimensions.npy", says: "expected (H, W), (C, H, W) or (N, C, H, W)", exits: 1),
        Case("conv", "x.npy", "o.npy", "--weight", "nan.npy", says: "weights must be finite numbers", exits: 1),
        Case("conv", "x.npy", "o.npy", "--weight", "empty-kernel.npy", says: "at least one row and one column", exits: 1),
        Case("conv", "x.npy", "o.npy", "--weight", "w.npy", "--bias", "w.npy", says: "expected 2 biases", exits: 1),
        Case("convert", "shape-too-large.npy", "o.npy", says: "header promises (100000, 100000, 3, 3)", exits: 1),
        Case("convert", "shape-overflows.npy", "o.npy", says: "header promises (9223372036854775807, 2, 3, 3)", exits: 1),
        Case("convert", "wrong-dtype.npy", "o.npy", says: "<f8 values but the file holds only 144 bytes", exits: 1),
        Case("convert", "fortran.npy", "o.npy", says: "Fortran order", exits: 1),
        Case("convert", "truncated.npy", "o.npy", says: "the file holds only 20 bytes", exits: 1),
        Case("convert", "no-shape.npy", "o.npy", says: ".npy header has no 'shape'", exits: 1),
        Case("convert", "version-9.npy", "o.npy", says: ".npy format version 9 is not supported", exits: 1),
        Case("blur", "empty-plane.npy", "o.npy", says: "reflect padding needs input samples", exits: 1),
        // Inputs that never end: refused at once instead of read until memory runs out.
        Case("convert", "/dev/zero", "o.npy", says: "/dev/zero: is a device, not a file", exits: 1),
        Case("conv", "x.npy", "o.npy", "--weight", "/dev/zero", says: "/dev/zero: is a device, not a file", exits: 1),
        Case("conv", "empty-plane.npy", "o.npy", "--kernel", "1", says: "does not fit", exits: 1),

        // Borders longer than the input: the named filters keep reflecting (issue 12.20); PyTorch's own refuse.
        Case("pad", "x.npy", "o.npy", "--padding", "8", "--padding-mode", "reflect", says: "reflect padding must be smaller than the input", exits: 1),
        Case("conv", "x.npy", "o.npy", "--kernel", "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", "--padding", "same", "--padding-mode", "reflect", says: "reflect padding must be smaller than the input", exits: 1),
        // visualize and sweep (issue 19.9): values wrong for every input are usage errors; sizes that do not fit this picture, exit 1.
        Case("visualize", "x.npy", "v.png", "--kernel-size", "0", says: "--kernel-size must be at least 1", exits: 64),
        Case("visualize", "x.npy", "v.png", "--stride", "0", says: "--stride must be at least 1", exits: 64),
        Case("visualize", "x.npy", "v.png", "--dilation", "0", says: "--dilation must be at least 1", exits: 64),
        Case("visualize", "x.npy", "v.png", "--kernel", "nan", says: "'nan' is not a finite number", exits: 64),
        Case("visualize", "x.npy", "v.png", "--filter", "nope", says: "--filter takes blur", exits: 64),
        Case("visualize", "x.npy", "v.png", "--pool", "nope", says: "--pool takes max or avg", exits: 64),
        Case("visualize", "x.npy", "v.png", "--scale", "0", says: "--scale must be at least 1", exits: 64),
        Case("visualize", "x.npy", "v.png", "--scale", "nan", says: "'nan' is not a whole number", exits: 64),
        Case("visualize", "x.npy", "v.png", "--padding", "1 2 3", says: "invalid for '--padding", exits: 64),
        Case("visualize", "x.npy", "v.png", "--padding-mode", "constant=inf", says: "invalid for '--padding-mode", exits: 64),
        Case("visualize", "x.npy", "v.png", "--kernel-size", "20", says: "does not fit in the 8×8 input", exits: 1),
        Case("visualize", "x.npy", "v.png", "--at", "99,99", says: "is outside the 6×6 output", exits: 1),
        Case("visualize", "x.npy", "v.png", "--padding", "9", "--padding-mode", "reflect", says: "reflect padding must be smaller than the input", exits: 1),
        Case("visualize", "x.npy", "v.png", "--crop", "0,0,0,0", says: "does not fit in the 8×8 (height×width) image", exits: 1),
        Case("visualize", "missing.npy", "v.png", says: "missing.npy: cannot open", exits: 1),
        Case("sweep", "x.npy", "v.png", "--kernel", "1 inf", says: "'inf' is not a finite number", exits: 64),
        Case("sweep", "x.npy", "v.png", "--filter", "nope", says: "--filter takes blur", exits: 64),
        Case("sweep", "x.npy", "v.png", "--scale", "0", says: "--scale must be at least 1", exits: 64),
        Case("sweep", "x.npy", "v.png", "--dilation", "nan", says: "invalid for '--dilation", exits: 64),
        Case("sweep", "x.npy", "v.png", "--padding-mode", "bogus", says: "invalid for '--padding-mode", exits: 64),
        Case("sweep", "x.npy", "v.png", "--stride", "9223372036854775807", says: "invalid for '--stride", exits: 64),
        Case("sweep", "missing.npy", "v.png", says: "missing.npy: cannot open", exits: 1),
        // Options the README bounds by 2^31 - 1, and NaN anywhere (issues 12.12, 12.21).
        Case("blur", "x.npy", "o.npy", "--max-pixels", "9999999999999", says: "at most ±2147483647", exits: 64),
        Case("blur", "x.npy", "o.npy", "--offset", "nan", says: "'nan' is not a finite number", exits: 64),
        Case("blur", "x.npy", "o.npy", "--offset=-inf", says: "'-inf' is not a finite number", exits: 64),
        Case("pipeline", "x.npy", "o.npy", "blur --sigma 1e30", says: "needs a radius ⌈3σ⌉ above 1000", exits: 64),
        Case("kernel", "show", "gaussian:4e18", says: "needs a radius ⌈3σ⌉ above 1000", exits: 64),
        Case("kernel", "show", "gaussian:nan", says: "needs a finite number", exits: 64),
        Case("kernel", "show", "", says: "the kernel is empty", exits: 64),
        Case("kernel", "show", ":", says: "is not a finite number", exits: 64),
        Case("kernel", "show", "::", says: "is not a finite number", exits: 64),
        Case("explain", "--input", "", "--kernel", "1", says: "--input: holds no numbers", exits: 64),
        Case("shape", "--input", "32x64", says: "invalid for '--input", exits: 64),
        // Found by the full option grid (OptionFuzzTests, IMGCONV_HOSTILE_FULL=1): a trap, an overflow, a late refusal.
        Case("shape", "--input", "8,8", "--kernel-size=-1", says: "kernel must be at least 1×1", exits: 64),
        Case("animate", "x.npy", "o.gif", "--padding=2147483647", says: "more than 4096 frames", exits: 1),
        Case("animate", "x.npy", "o.gif", "--kernel=nan", says: "'nan' is not a finite number", exits: 64),
        // Messages (issue 12.21): control characters escaped on one line, the input checked before the output's
        // name, a name ending in a dot has no extension.
        Case("blur", "a\nb\r.png", "o.npy", says: "a\\nb\\r.png: cannot open", exits: 1),
        Case("blur", "missing.npy", "outdir", says: "missing.npy: cannot open", exits: 1),
        Case("blur", "x.npy", "x.", says: "x.: output has no extension", exits: 1),
    ]

    @Test(arguments: cases)
    func refusedWithAClearMessage(_ c: Case) throws {
        let folder = Self.folder
        let r = try BoundedRun.run(c.arguments.map { Self.resolve($0, in: folder) }, timeout: 20, logFolder: folder)
        #expect(!r.timedOut && r.signal == nil, "\(r)")
        #expect(r.exitStatus == c.status, "\(r)")
        #expect(r.stderr.contains(c.message), "\(r)")
        #expect(r.peakKiB < 1 << 20, "\(r)")
        if c.status == 1 {
            #expect(r.stderrLines.count == 1 && r.stderr.hasPrefix("imgconv: "), "one line: \(r)")
        } else {
            // The argument parser's style, whoever found the error: "Error: …", then the command's usage.
            #expect(r.stderr.hasPrefix("Error: ") && r.stderr.contains("Usage: imgconv "), "usage style: \(r)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/o.npy"), "no output on failure")
        #expect(!FileManager.default.fileExists(atPath: folder + "/v.png"), "no output on failure")
        #expect(temporaryFilesLeft(in: folder).isEmpty)
    }

    /// File names of the folder become paths; options and values stay as they are.
    static func resolve(_ argument: String, in folder: String) -> String {
        [".npy", ".txt", ".png", ".gif"].contains { argument.hasSuffix($0) } ? folder + "/" + argument : argument
    }
}

/// `.npy` files whose header lies or is malformed, made byte by byte (no NumPy needed), plus good ones to convolve.
enum HostileNpy {
    /// A version 1.0 file with `header` (padded as NumPy does) followed by `payload`.
    static func file(header: String, payload: [UInt8], version: UInt8 = 1) -> [UInt8] {
        var text = header
        let unpadded = 10 + text.utf8.count + 1
        text += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = text.utf8.count
        return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(text.utf8) + payload
    }

    static func header(_ descr: String = "<f4", fortran: Bool = false, shape: String) -> String {
        "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
    }

    static func floats(_ values: [Float]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }

    static let files: [(String, [UInt8])] = {
        let x = floats((0..<128).map { Float($0) / 128 })
        let w = floats((0..<36).map { Float($0 % 5) / 10 })
        return [
            ("x.npy", file(header: header(shape: "(1, 2, 8, 8)"), payload: x)),
            ("w.npy", file(header: header(shape: "(2, 2, 3, 3)"), payload: w)),
            ("shape-too-large.npy", file(header: header(shape: "(100000, 100000, 3, 3)"), payload: w)),
            ("shape-overflows.npy", file(header: header(shape: "(9223372036854775807, 2, 3, 3)"), payload: w)),
            ("shape-not-a-number.npy", file(header: header(shape: "(99999999999999999999, 2, 3, 3)"), payload: w)),
            ("negative-size.npy", file(header: header(shape: "(2, 2, -3, 3)"), payload: w)),
            ("wrong-dtype.npy", file(header: header("<f8", shape: "(2, 2, 3, 3)"), payload: w)),
            ("int32.npy", file(header: header("<i4", shape: "(3, 3)"), payload: w)),
            ("big-endian.npy", file(header: header(">f4", shape: "(3, 3)"), payload: w)),
            ("fortran.npy", file(header: header(fortran: true, shape: "(3, 3)"), payload: w)),
            ("truncated.npy", file(header: header(shape: "(2, 2, 3, 3)"), payload: Array(w.prefix(20)))),
            ("header-truncated.npy", Array(file(header: header(shape: "(3, 3)"), payload: []).prefix(40))),
            ("five-dimensions.npy", file(header: header(shape: "(1, 1, 1, 3, 3)"), payload: w)),
            ("nan.npy", file(header: header(shape: "(1, 1)"), payload: floats([.nan]))),
            ("empty-kernel.npy", file(header: header(shape: "(0, 3)"), payload: [])),
            ("no-shape.npy", file(header: "{'descr': '<f4', 'fortran_order': False, }", payload: w)),
            ("version-9.npy", file(header: header(shape: "(3, 3)"), payload: w, version: 9)),
            ("empty-plane.npy", file(header: header(shape: "(1, 1, 0, 5)"), payload: [])),
            // A libvips header whose sizes are integral floats far beyond Int (once a trap in the header test).
            ("vips-huge.txt", Array("1e30 1\n1\n".utf8)),
        ]
    }()
}
