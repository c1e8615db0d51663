import Testing
import BatchProcessing

@Test func batchErrorIsItsMessage() {
    #expect(BatchError("no such folder").description == "no such folder")
}
