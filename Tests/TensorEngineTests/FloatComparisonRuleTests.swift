import Testing
import TensorTestSupport

/// Tests that exercise the NaN rule itself, so the helper cannot silently become NaN-blind.
@Suite struct FloatComparisonRuleTests {
    @Test func nanMatchesOnlyNaNPositionForPosition() {
        #expect(FloatComparison([.nan, 1], [.nan, 1], tolerance: 0).matches)
        #expect(!FloatComparison([1, .nan], [1, 2], tolerance: 1e9).matches)
        #expect(!FloatComparison([2, 1], [.nan, 1], tolerance: 1e9).matches)
        #expect(!FloatComparison([.nan, 1], [1, .nan], tolerance: 1e9).matches)
        #expect(!FloatComparison([.infinity], [-.infinity], tolerance: 1e9).matches)
        #expect(!FloatComparison([1, 2], [1, 2.0001], tolerance: 0).matches)
        #expect(FloatComparison([1, 2], [1, 2.00001], tolerance: 2e-5).matches)
    }
}
