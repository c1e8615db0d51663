import Testing
import BatchProcessing

@Test func batchErrorIsItsMessage() {
    #expect(BatchError.invalidOptions("no such folder").description == "no such folder")
}
