import Testing
import ImageCodecs

@Test func codecErrorNamesFileAndReason() {
    #expect(ImageCodecError(path: "a.png", reason: "not a PNG file").description == "a.png: not a PNG file")
}
