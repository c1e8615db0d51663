import Foundation
import Testing
import ImageCodecs

/// The codec's errors as a user meets them: a real failing read must throw an ImageCodecError whose path is the
/// file and whose description is `FILE: reason`, the line `imgconv: ` is put before.
@Test func aFailingReadNamesTheFileAndTheReason() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanup() }
    let path = folder.file("text.png")
    try Data("hello, world\n".utf8).write(to: URL(fileURLWithPath: path))
    let error = #expect(throws: ImageCodecError.self) { try ImageFile.read(path) }
    #expect(error?.path == path)
    #expect(error?.reason.isEmpty == false)
    #expect(error?.description == "\(path): \(error?.reason ?? "")")
    let missing = #expect(throws: ImageCodecError.self) { try ImageFile.read(folder.file("absent.png")) }
    #expect(missing?.path == folder.file("absent.png"))
    #expect(missing?.reason.contains("No such file") == true, "\(String(describing: missing))")
}
