import Foundation
import Testing
import ImageCodecs
import TensorEngine

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

/// Each kind of failure a caller can act on comes as its own case (issue 16), made by a real failing call,
/// and `localizedDescription` is the same sentence as `description` (not "The operation could not be completed").
@Test func failuresComeAsTheCaseACallerCanActOn() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanup() }
    func failure(_ body: () throws -> Void) -> ImageCodecError? { #expect(throws: ImageCodecError.self) { try body() } }

    let absent = folder.file("absent.png")
    #expect(failure { _ = try ImageFile.read(absent) } == .notFound(path: absent, reason: "cannot open: No such file or directory"))

    guard case .cannotRead(let path, _)? = failure({ _ = try ImageFile.read(folder.path) }) else { Issue.record("a folder"); return }
    #expect(path == folder.path)

    let empty = folder.file("empty.jpg")
    FileManager.default.createFile(atPath: empty, contents: Data())
    #expect(failure { _ = try ImageFile.read(empty) } == .notAnImage(path: empty, reason: "file is empty"))

    let jpeg = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("jpeg/pillow/hopper.jpg")))
    let cut = folder.file("cut.jpg")
    try jpeg.prefix(jpeg.count * 6 / 10).write(to: URL(fileURLWithPath: cut))
    guard case .truncated(cut, let reason)? = failure({ _ = try ImageFile.read(cut) }) else { Issue.record("a cut JPEG"); return }
    #expect(!reason.contains("--"), "the library names no command-line flag: \(reason)")
    var allowing = DecodeOptions()
    allowing.allowTruncated = true
    #expect(try ImageFile.read(cut, options: allowing).warnings.isEmpty == false)

    var small = DecodeOptions()
    small.maxPixels = 100
    guard case .limitExceeded(_, .pixels, let limitReason)? = failure({ _ = try ImageFile.read(Fixtures.path("jpeg/pillow/hopper.jpg"), options: small) }) else {
        Issue.record("a pixel limit"); return
    }
    #expect(!limitReason.contains("--max-pixels"))

    let image = Tensor(shape: TensorShape(n: 1, c: 3, h: 2, w: 2), repeating: 0.5)
    guard case .invalidParameter? = failure({ _ = try ImageFile.encode(image, as: .jpeg, options: EncodeOptions(quality: 0)) }) else {
        Issue.record("JPEG quality 0"); return
    }
    let five = Tensor(shape: TensorShape(n: 1, c: 5, h: 2, w: 2))
    let fivePNG = folder.file("five.png")
    #expect(failure { try ImageFile.write(five, to: fivePNG) }.map { if case .invalidParameter = $0 { true } else { false } } == true)
    #expect(!FileManager.default.fileExists(atPath: fivePNG))

    let missingFolder = folder.file("no/such/out.png")
    guard case .notFound? = failure({ try ImageFile.write(image, to: missingFolder) }) else { Issue.record("a missing output folder"); return }

    let error = ImageCodecError.corrupt(path: "a.png", reason: "PNG error: IDAT: CRC error")
    #expect((error as Error).localizedDescription == "a.png: PNG error: IDAT: CRC error")
}

/// Encoding to memory gives the bytes a file of that format would hold, and decoding them gives the tensor back.
@Test func encodeToMemoryIsTheFileWrite() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanup() }
    let values = (0..<(3 * 5 * 7)).map { Float($0 % 256) / 255 }
    let image = Tensor(shape: TensorShape(n: 1, c: 3, h: 5, w: 7), storage: values)
    for format in [ImageFormat.png, .jpeg, .npy] {
        let data = try ImageFile.encode(image, as: format)
        let path = folder.file("x." + (format == .jpeg ? "jpg" : format == .png ? "png" : "npy"))
        try ImageFile.write(image, to: path)
        #expect(data == (try Data(contentsOf: URL(fileURLWithPath: path))), "\(format)")
        let back = try ImageFile.decode(data, name: path).tensor
        if format != .jpeg { #expect(back == image, "\(format)") }
    }
}
