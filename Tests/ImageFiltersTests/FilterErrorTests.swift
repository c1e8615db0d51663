import Testing
import TensorEngine
import ImageFilters

/// FilterError's message is what a user reads after `imgconv: `: these tests make real filters fail and check the
/// exact sentence, so a change of wording, or a failure that becomes a different error, shows here.
@Test func badFilterParametersAreFilterErrorsWithTheirReason() throws {
    #expect(throws: FilterError.invalidParameter(name: "threshold", reason: "must be a number ≥ 0, not -1.0")) {
        try SharpenFilter(.unsharpMask(sigma: 1, amount: 1, threshold: -1))
    }
    let k = try Kernel([[1, 2, 1]])
    let zeroDivisor = #expect(throws: FilterError.self) { try KernelFilter(kernel: k, divisor: 0, geometry: FilterGeometry()) }
    #expect(zeroDivisor == .invalidKernel(reason: "cannot divide a kernel by 0.0"), "\(String(describing: zeroDivisor))")
    #expect(throws: FilterError.self) { try KernelFilter(kernel: KernelLibrary.EdgeOperator.sobel.xKernel, normalize: true, geometry: FilterGeometry()) }
}
