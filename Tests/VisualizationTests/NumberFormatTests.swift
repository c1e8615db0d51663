import Testing
import Visualization

/// Cell numbers beyond what an Int64 of digits holds (a kernel weight of 1e19, found by OptionFuzzTests) are written
/// in Swift's shortest form instead of trapping.
@Test func hugeValuesAreWrittenWithoutTrapping() {
    #expect(NumberFormat(decimals: 0).string(1e19) == "1e+19")
    #expect(NumberFormat(decimals: 2).string(-3e17) == "−3e+17")
    #expect(NumberFormat(decimals: 2).string(12.345) == "12.35" || NumberFormat(decimals: 2).string(12.345) == "12.34")
    #expect(NumberFormat(decimals: 0).string(-7) == "−7")
}
