import Foundation
import Testing
@testable import ImageFilters

@Suite struct KernelLibraryTests {
    struct GaussianReference: Decodable { var sigma: Float; var radius: Int; var opencv: [Double]; var scipy: [Double] }

    @Test func gaussianMatchesOpenCVAndScipy() throws {
        let url = Bundle.module.url(forResource: "Fixtures/gaussian_reference.json", withExtension: nil)!
        let cases = try JSONDecoder().decode([GaussianReference].self, from: Data(contentsOf: url))
        #expect(cases.count == 8)
        for c in cases {
            let g = try KernelLibrary.gaussian1D(sigma: c.sigma)
            #expect(g.count == 2 * c.radius + 1, "default radius is ⌈3σ⌉ for σ = \(c.sigma)")
            for i in g.indices {
                #expect(abs(Double(g[i]) - c.opencv[i]) < 1e-6, "σ = \(c.sigma), tap \(i)")
                #expect(abs(Double(g[i]) - c.scipy[i]) < 1e-6, "σ = \(c.sigma), tap \(i)")
            }
        }
    }

    @Test func gaussian2DIsSeparableAndSumsToOne() throws {
        let k = try KernelLibrary.gaussian(sigma: 1.5)
        #expect(k.rows == 11 && k.columns == 11)
        #expect(abs(k.sum - 1) < 1e-5)
        #expect(k.separableFactors != nil)
    }

    @Test func publishedEdgeOperators() {
        typealias Op = KernelLibrary.EdgeOperator
        #expect(Op.sobel.xKernel.values == [-1, 0, 1, -2, 0, 2, -1, 0, 1])
        #expect(Op.sobel.yKernel.values == [-1, -2, -1, 0, 0, 0, 1, 2, 1])
        #expect(Op.prewitt.xKernel.values == [-1, 0, 1, -1, 0, 1, -1, 0, 1])
        #expect(Op.scharr.yKernel.values == [-3, -10, -3, 0, 0, 0, 3, 10, 3])
        #expect(Op.laplacian.xKernel.values == [0, 1, 0, 1, -4, 1, 0, 1, 0])
        #expect(Op.laplacian8.yKernel.values == [1, 1, 1, 1, -8, 1, 1, 1, 1])
        #expect(Op.allCases.map(\.stepResponse) == [4, 3, 16, 4, 8])
    }

    @Test func embossAt135IsTheClassicKernel() throws {
        #expect(try KernelLibrary.emboss(angle: 135).values == [-2, -1, 0, -1, 1, 1, 0, 1, 2])
        #expect(abs(try KernelLibrary.emboss(angle: 45).sum - 1) < 1e-6)
    }

    @Test func boxAndMotionAreNormalised() throws {
        #expect(abs(try KernelLibrary.box(size: 5).sum - 1) < 1e-6)
        let horizontal = try KernelLibrary.motion(length: 9, angle: 0)
        #expect(horizontal.rows == 9 && abs(horizontal.sum - 1) < 1e-5)
        // A horizontal line lies in the middle row only.
        for r in 0..<9 where r != 4 { for c in 0..<9 { #expect(horizontal[r, c] == 0) } }
        let vertical = try KernelLibrary.motion(length: 9, angle: 90)
        #expect(abs(vertical[0, 4] - horizontal[4, 0]) < 1e-6)
    }

    @Test func badGeneratorArgumentsAreRefused() {
        #expect(throws: FilterError.self) { try KernelLibrary.gaussian1D(sigma: 0) }
        #expect(throws: FilterError.self) { try KernelLibrary.gaussian1D(sigma: .nan) }
        #expect(throws: FilterError.self) { try KernelLibrary.box(size: 0) }
        #expect(throws: FilterError.self) { try KernelLibrary.motion(length: 0, angle: 0) }
    }
}

@Suite struct KernelTests {
    @Test func flipRotatesBy180Degrees() throws {
        let k = try Kernel([[1, 2, 3], [4, 5, 6]])
        #expect(k.flipped.values == [6, 5, 4, 3, 2, 1])
        #expect(k.transposed.rows == 3 && k.transposed.values == [1, 4, 2, 5, 3, 6])
    }

    @Test func normalisingAZeroSumKernelIsAnError() {
        let error = #expect(throws: FilterError.self) { try KernelLibrary.EdgeOperator.sobel.xKernel.normalized() }
        #expect(error?.description.contains("sum to 0") == true)
    }

    @Test func separability() throws {
        #expect(try Kernel([[1, 2, 1], [2, 4, 2], [1, 2, 1]]).separableFactors != nil)
        #expect(KernelLibrary.EdgeOperator.sobel.xKernel.separableFactors != nil)
        #expect(KernelLibrary.EdgeOperator.laplacian.xKernel.separableFactors == nil)
        let f = try #require(try Kernel([[1, 2, 1], [2, 4, 2], [1, 2, 1]]).separableFactors)
        #expect(f.column == [0.5, 1, 0.5] && f.row == [2, 4, 2], "factors around the largest weight")
    }

    @Test func outputRangeOnUnitInputs() {
        #expect(KernelLibrary.EdgeOperator.sobel.xKernel.outputRange == -4...4)
        #expect(KernelLibrary.sharpenClassic.outputRange == -4...5)
    }

    @Test func descriptionAlignsColumns() throws {
        #expect(try Kernel([[1, -10], [0.5, 2]]).description == "  1 -10\n0.5   2")
    }
}

@Suite struct KernelParserTests {
    @Test func inlineRows() throws {
        let p = try KernelParser.parse("1 0 1; 0 1 0; 1 0 1")
        #expect(p.kernel.rows == 3 && p.kernel.values == [1, 0, 1, 0, 1, 0, 1, 0, 1])
        #expect(try KernelParser.parse("1,2\n3,4").kernel.values == [1, 2, 3, 4])
        #expect(try KernelParser.parse("2 1; 3 4").kernel.rows == 2, "inline text never has a libvips header")
    }

    @Test func csvWithComments() throws {
        let p = try KernelParser.parse("# a 2x3 kernel\n1, 2, 3\n\n4, 5, 6  # second row\n", fromFile: true)
        #expect(p.kernel.rows == 2 && p.kernel.columns == 3 && p.kernel.values == [1, 2, 3, 4, 5, 6])
    }

    @Test func imageMagickStrings() throws {
        #expect(try KernelParser.parse("3x3: 1,0,1 0,1,0 1,0,1").kernel.values == [1, 0, 1, 0, 1, 0, 1, 0, 1])
        let wide = try KernelParser.parse("3x1: -1,0,1").kernel
        #expect(wide.rows == 1 && wide.columns == 3)
        #expect(try KernelParser.parse("2: 1 2 3 4").kernel.rows == 2)
        #expect(try KernelParser.parse("3x3+1+1: 1,0,1 0,1,0 1,0,1").kernel.rows == 3)
        #expect(throws: FilterError.self) { try KernelParser.parse("3x3+0+0: 1,0,1 0,1,0 1,0,1") }
        #expect(throws: FilterError.invalidKernel(reason: "ImageMagick kernel '3x3' needs 9 values, but 8 were given")) {
            try KernelParser.parse("3x3: 1,0,1 0,1,0 1,0")
        }
    }

    @Test func libvipsMatrixFiles() throws {
        let p = try KernelParser.parse("3 3 8 128\n1 1 1\n1 0 1\n1 1 1\n", fromFile: true)
        #expect(p.kernel.values == [1, 1, 1, 1, 0, 1, 1, 1, 1])
        #expect(p.divisor == 8 && p.offset == 128)
        #expect(try KernelParser.parse("2 1\n-1 1\n", fromFile: true).kernel.columns == 2)
        #expect(throws: FilterError.invalidKernel(reason: "libvips matrix scale is 0; it divides every weight, so it must not be 0")) {
            try KernelParser.parse("2 1 0\n-1 1\n", fromFile: true)
        }
    }

    @Test func errorsNameRowAndColumn() {
        #expect(throws: FilterError.invalidKernel(reason: "kernel row 2, column 3: 'x' is not a finite number")) { try KernelParser.parse("1 2 3; 4 5 x") }
        #expect(throws: FilterError.invalidKernel(reason: "kernel row 2 has 2 values but row 1 has 3; every row needs the same number")) {
            try KernelParser.parse("1 2 3; 4 5")
        }
        #expect(throws: FilterError.self) { try KernelParser.parse("1 nan; 2 3") }
        #expect(throws: FilterError.self) { try KernelParser.parse("1 inf; 2 3") }
        #expect(throws: FilterError.self) { try KernelParser.parse("  ; ") }
    }
}
