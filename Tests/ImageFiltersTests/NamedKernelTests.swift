import Testing
import TensorEngine
@testable import ImageFilters

@Suite struct NamedKernelTests {
    /// Every catalogue name goes through the one parser every --kernel option calls, to the catalogue's kernel.
    @Test func everyListedNameParses() throws {
        let catalogue = KernelLibrary.catalogue()
        #expect(catalogue.count == 14)
        for (name, kernel) in catalogue {
            #expect(try KernelParser.parse(name).kernel == kernel, "\(name)")
            #expect(try KernelParser.parse("  \(name.uppercased())\n").kernel == kernel, "\(name)")
        }
    }

    @Test func generatorsTakeTheirParameters() throws {
        #expect(try KernelParser.parse("gaussian:1.5").kernel == KernelLibrary.gaussian(sigma: 1.5))
        #expect(try KernelParser.parse("box:5").kernel == KernelLibrary.box(size: 5))
        #expect(try KernelParser.parse("motion:9,30").kernel == KernelLibrary.motion(length: 9, angle: 30))
        #expect(try KernelParser.parse("emboss").kernel == KernelLibrary.emboss(angle: 135))
        #expect(try KernelParser.parse("emboss:45").kernel == KernelLibrary.emboss(angle: 45))
        for bad in ["gaussian:", "gaussian:x", "gaussian:inf", "box:2.5", "box:0", "motion:9", "emboss:north", "gaussian:-1"] {
            #expect(throws: FilterError.self, "\(bad)") { try KernelParser.parse(bad) }
        }
    }

    /// Names never shadow the other notations: rows and ImageMagick strings parse as before.
    @Test func otherNotationsAreUntouched() throws {
        #expect(try KernelParser.parse("1 0 1; 0 1 0; 1 0 1").kernel.values == [1, 0, 1, 0, 1, 0, 1, 0, 1])
        #expect(try KernelParser.parse("3: 1,2,3 4,5,6 7,8,9").kernel.values == [1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(try KernelLibrary.named("sobel") == nil)
        #expect(try KernelLibrary.named("sharpen:2") == nil)
        #expect(throws: FilterError.self) { try KernelParser.parse("sobel") }
    }
}
