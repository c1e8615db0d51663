import Testing
import ImageFilters

@Test func filterErrorIsItsMessage() {
    #expect(FilterError("sigma must be positive").description == "sigma must be positive")
}
