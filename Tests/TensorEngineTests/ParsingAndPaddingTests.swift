import Testing
import TensorEngine

@Suite struct ParsingAndPaddingTests {
    @Test func pairParsing() {
        #expect(Pair(parsing: "3") == Pair(3))
        #expect(Pair(parsing: "3,5") == Pair(h: 3, w: 5))
        #expect(Pair(parsing: " 2 , 7 ") == Pair(h: 2, w: 7))
        for bad in ["", "3,", ",3", "1,2,3", "a", "3x5", "2.5"] {
            #expect(Pair(parsing: bad) == nil, "\(bad)")
        }
        #expect(Pair(h: 3, w: 5).description == "(3, 5)")
        #expect(Pair(4).description == "4")
    }

    @Test func paddingModeParsing() {
        #expect(PaddingMode(parsing: "zeros") == .zeros)
        #expect(PaddingMode(parsing: "reflect") == .reflect)
        #expect(PaddingMode(parsing: "replicate") == .replicate)
        #expect(PaddingMode(parsing: "circular") == .circular)
        #expect(PaddingMode(parsing: "symmetric") == .symmetric)
        #expect(PaddingMode(parsing: "constant=-0.5") == .constant(-0.5))
        #expect(PaddingMode(parsing: "constant=") == nil)
        #expect(PaddingMode(parsing: "mirror") == nil)
        for mode in [PaddingMode.zeros, .reflect, .replicate, .circular, .symmetric, .constant(2)] {
            #expect(PaddingMode(parsing: mode.description) == mode)
        }
    }

    @Test func paddingSpecAndPaddingParsing() throws {
        #expect(PaddingSpec(parsing: "same") == .same)
        #expect(PaddingSpec(parsing: "valid") == .valid)
        #expect(PaddingSpec(parsing: "1,2") == .explicit(Pair(h: 1, w: 2)))
        #expect(PaddingSpec(parsing: "full") == nil)
        #expect(Padding(parsing: "2") == Padding(top: 2, bottom: 2, left: 2, right: 2))
        #expect(Padding(parsing: "1,3") == Padding(top: 1, bottom: 1, left: 3, right: 3))
        #expect(Padding(parsing: "1,2,3,4") == Padding(top: 1, bottom: 2, left: 3, right: 4))
        #expect(Padding(parsing: "1,2,3") == nil)
    }

    @Test func samePaddingPutsTheExtraOneBottomRight() {
        #expect(Padding.same(kernel: Pair(3)) == Padding(Pair(1)))
        #expect(Padding.same(kernel: Pair(h: 4, w: 2)) == Padding(top: 1, bottom: 2, left: 0, right: 1))
        #expect(Padding.same(kernel: Pair(4), dilation: Pair(2)) == Padding(top: 3, bottom: 3, left: 3, right: 3))
        #expect(Padding.same(kernel: Pair(2), dilation: Pair(3)) == Padding(top: 1, bottom: 2, left: 1, right: 2))
    }

    /// The table in PaddingMode's documentation: `a b c d` padded by two each side.
    @Test(arguments: [
        (PaddingMode.reflect, [2, 1, 0, 1, 2, 3, 2, 1]),
        (.symmetric, [1, 0, 0, 1, 2, 3, 3, 2]),
        (.replicate, [0, 0, 0, 1, 2, 3, 3, 3]),
        (.circular, [2, 3, 0, 1, 2, 3, 0, 1]),
    ])
    func sourceIndexTable(mode: PaddingMode, expected: [Int]) {
        #expect((-2..<6).map { sourceIndex($0, size: 4, mode: mode) } == expected)
    }

    @Test func constantModesReadNothingOutside() {
        #expect(sourceIndex(-1, size: 4, mode: .zeros) == nil)
        #expect(sourceIndex(4, size: 4, mode: .constant(3)) == nil)
        #expect(sourceIndex(2, size: 4, mode: .zeros) == 2)
        #expect(sourceIndex(-1, size: 1, mode: .reflect) == 0)
    }

    @Test func padWritesTheModeAroundThePlane() throws {
        let row = Tensor(shape: TensorShape(c: 1, h: 1, w: 4), storage: [1, 2, 3, 4])
        let sides = Padding(top: 0, bottom: 0, left: 2, right: 2)
        #expect(try pad(row, padding: sides, mode: .reflect).storage == [3, 2, 1, 2, 3, 4, 3, 2])
        #expect(try pad(row, padding: sides, mode: .symmetric).storage == [2, 1, 1, 2, 3, 4, 4, 3])
        #expect(try pad(row, padding: sides, mode: .circular).storage == [3, 4, 1, 2, 3, 4, 1, 2])
        #expect(try pad(row, padding: sides, mode: .constant(9)).storage == [9, 9, 1, 2, 3, 4, 9, 9])
        let column = try pad(row, padding: Padding(top: 1, bottom: 1, left: 0, right: 0), mode: .replicate)
        #expect(column.shape == TensorShape(c: 1, h: 3, w: 4))
        #expect(column.storage == [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4])
        let empty = Tensor(shape: TensorShape(c: 1, h: 0, w: 2))
        #expect(try pad(empty, padding: Padding(Pair(1)), mode: .zeros).storage == [Float](repeating: 0, count: 8))
    }
}
