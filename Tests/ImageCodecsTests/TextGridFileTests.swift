import Foundation
import Testing
import TensorEngine
@testable import ImageCodecs

@Suite struct TextGridFileTests {
    func read(_ text: String, path: String = "g.txt") throws -> Tensor {
        try TextGridFile.read(contentsOf: Array(text.utf8), path: path)
    }

    @Test func readsRowsOfEverySpelling() throws {
        let expected: [Float] = [1, 2, 3, 0, -1.5, 25]
        for text in ["1 2 3\n0 -1.5 2.5e1\n", "1,2,3\n0,-1.5,25", "1, 2, 3\r\n0, -1.5, 25\r\n", "\u{FEFF}# the lesson\n\n1\t2  3 # row one\n  0 -1.5 25\n\n",
                     "1 2 3\r0 -1.5 25\r", "1,,2,3\n0, ,-1.5 25"] {
            let t = try read(text)
            #expect(t.shape == TensorShape(n: 1, c: 1, h: 2, w: 3), "\(text.debugDescription)")
            #expect(t.storage == expected, "\(text.debugDescription)")
        }
    }

    @Test func writesTheShortestTextThatReadsBackExactly() throws {
        var rng = SystemRandomNumberGenerator()
        var values: [Float] = [0, -0.0, 1, -1, 0.1, 1e-45, -3.4028235e38, 16_777_216, 16_777_217.5, .nan, .infinity, -.infinity, 1.0000001, 8]
        for _ in 0..<490 { values.append(Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng))) }
        let t = Tensor(shape: TensorShape(n: 1, c: 1, h: 12, w: 42), storage: values)
        for path in ["r.txt", "r.csv"] {
            let back = try TextGridFile.read(contentsOf: try TextGridFile.encode(t, path: path), path: path)
            #expect(back.shape == t.shape)
            #expect(back.storage.map(\.bitPattern).enumerated().allSatisfy { i, bits in
                values[i].isNaN ? Float(bitPattern: bits).isNaN : bits == values[i].bitPattern })
        }
        #expect(TextGridFile.number(8) == "8")
        #expect(TextGridFile.number(-0.0) == "-0")
        #expect(TextGridFile.number(0.1) == "0.1")
        #expect(TextGridFile.number(2.5) == "2.5")
        let grid = Tensor(shape: TensorShape(n: 1, c: 1, h: 2, w: 2), storage: [8, -10, 0.5, 9])
        #expect(String(decoding: try TextGridFile.encode(grid, path: "a.TXT"), as: UTF8.self) == "  8 -10\n0.5   9\n")
        #expect(String(decoding: try TextGridFile.encode(grid, path: "a.csv"), as: UTF8.self) == "8,-10\n0.5,9\n")
    }

    @Test func badGridsSayWhereAndNeverQuoteBinary() throws {
        let cases: [(String, String)] = [
            ("1 2 3\n4 5\n", "g.txt: line 2 has 2 values, but the first row has 3: every row needs the same number"),
            ("1 2\nx 3\n", "g.txt: line 2, column 1: 'x' is not a number"),
            ("1;2;3\n", "g.txt: line 1, column 1: '1;2;3' is not a number"),
            ("# only a comment\n\n", "g.txt: holds no numbers: give rows of numbers such as \"1 2 3\" on separate lines"),
            ("1 2\u{0}3", "g.txt: is not a text grid: it is not plain UTF-8 text (it holds invalid bytes or control characters)"),
        ]
        for (text, message) in cases {
            let error = #expect(throws: ImageCodecError.self) { try read(text) }
            #expect(error?.description == message)
        }
        #expect(throws: ImageCodecError.self) { try TextGridFile.read(contentsOf: [0xFF, 0xFE, 0x31], path: "g.txt") }
        let long = String(repeating: "z", count: 5000)
        do {
            _ = try read("1 \(long)")
            Issue.record("accepted")
        } catch let error as ImageCodecError {
            #expect(error.description.count < 120, "\(error)")
        }
    }

    @Test func inlineGridsSplitRowsAtSemicolons() throws {
        let t = try TextGridFile.parse("1 2; 3 4", name: "--input", rowsSplitBySemicolons: true)
        #expect(t.shape == TensorShape(n: 1, c: 1, h: 2, w: 2))
        #expect(throws: ImageCodecError.corrupt(path: "--input", reason: "row 2 has 1 value, but the first row has 2: every row needs the same number")) {
            try TextGridFile.parse("1 2; 3", name: "--input", rowsSplitBySemicolons: true)
        }
    }

    @Test func onlyOnePlaneIsAGrid() {
        let t = Tensor(shape: TensorShape(n: 1, c: 3, h: 2, w: 2), repeating: 0)
        #expect(throws: ImageCodecError.self) { try TextGridFile.encode(t, path: "x.txt") }
    }

    /// ImageFile reads a grid by its extension (no signature) and writes one atomically; content still wins.
    @Test func imageFileReadsAndWritesGrids() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("grid-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "1 2 3 0 1\n0 1 5 1 0\n".write(toFile: dir + "/g.csv", atomically: true, encoding: .utf8)
        let decoded = try ImageFile.read(dir + "/g.csv")
        #expect(decoded.metadata.format == .text && decoded.metadata.format.holdsRawValues)
        #expect(decoded.tensor.storage == [1, 2, 3, 0, 1, 0, 1, 5, 1, 0])
        try ImageFile.write(decoded.tensor, to: dir + "/o.txt", source: decoded.metadata)
        #expect(try String(contentsOfFile: dir + "/o.txt", encoding: .utf8) == "1 2 3 0 1\n0 1 5 1 0\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["g.csv", "o.txt"])
        try "1 2 3".write(toFile: dir + "/g.dat", atomically: true, encoding: .utf8)
        #expect(throws: ImageCodecError.self) { try ImageFile.read(dir + "/g.dat") }
        // The row reader serves grids too, as (1, 1, H, W) rows.
        let reader = try ImageReader(dir + "/g.csv")
        #expect(reader.shape == TensorShape(n: 1, c: 1, h: 2, w: 5) && reader.orientation == 1)
        #expect(try reader.read(rows: 1).storage == [1, 2, 3, 0, 1])
        #expect(try reader.read(rows: 5).storage == [0, 1, 5, 1, 0])
        #expect(try ImageFormat.forOutputPath("a/b.CSV") == .text)
    }
}
