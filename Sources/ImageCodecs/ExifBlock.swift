/// EXIF and XMP as files carry them, found in and written into PNG and JPEG bytes.
///
/// - EXIF is a TIFF structure ("II*\0" little-endian or "MM\0*" big-endian, then IFDs). JPEG stores it in an
///   APP1 segment after the 6 bytes "Exif\0\0"; PNG in an `eXIf` chunk, as it is.
/// - XMP is an XML packet (UTF-8). JPEG stores it in an APP1 segment after "http://ns.adobe.com/xap/1.0/\0";
///   PNG in an uncompressed `iTXt` chunk with the keyword "XML:com.adobe.xmp".
///
/// The blocks are carried byte for byte, except the Orientation tag, which writers patch in place to the source's
/// ``ImageMetadata/orientation`` (1 once the pixels have been turned, so a viewer does not turn them again).
/// Not carried: JPEG's Extended XMP (packets over 64 KB split over several segments) and compressed PNG iTXt XMP.
public struct EmbeddedMetadata: Sendable, Equatable {
    /// The TIFF structure of the EXIF block, without JPEG's "Exif\0\0".
    public var exif: [UInt8]?
    /// The XMP packet.
    public var xmp: [UInt8]?

    /// The blocks as given (nil: none), not parsed or checked: they are written into outputs as they are.
    public init(exif: [UInt8]? = nil, xmp: [UInt8]? = nil) {
        self.exif = exif
        self.xmp = xmp
    }

    static let jpegExifHeader: [UInt8] = Array("Exif\0\0".utf8)
    static let jpegXMPHeader: [UInt8] = Array("http://ns.adobe.com/xap/1.0/\0".utf8)
    static let pngXMPKeyword: [UInt8] = Array("XML:com.adobe.xmp".utf8)
    /// The largest payload of a JPEG segment (its 16-bit length counts itself).
    static let jpegSegmentPayloadLimit = 65533

    // MARK: - Reading

    /// The first EXIF and XMP APP1 segments before a JPEG's image data (any bytes: malformed segments end the scan).
    /// Reads only the marker headers and the APP1 payloads, through a window (``ByteWindow``), never the whole file.
    static func scanJPEG(_ source: some ScannableBytes) -> EmbeddedMetadata {
        var found = EmbeddedMetadata()
        var bytes = ByteWindow(source)
        guard bytes.count >= 4, bytes.bytes(at: 0, count: 2) == [0xFF, 0xD8] else { return found }
        var at = 2
        while at + 4 <= bytes.count {
            let head = bytes.bytes(at: at, count: 4)
            guard head.count == 4, head[0] == 0xFF else { break }
            let marker = head[1]
            if marker == 0xFF { at += 1; continue }                       // fill byte
            if marker == 0x01 || (0xD0...0xD8).contains(marker) { at += 2; continue }  // no length
            if marker == 0xDA || marker == 0xD9 { break }                 // image data or end: no metadata after
            let length = Int(head[2]) << 8 | Int(head[3])
            guard length >= 2, at + 2 + length <= bytes.count else { break }
            if marker == 0xE1 {
                let payload = bytes.bytes(at: at + 4, count: length - 2)
                if found.exif == nil, payload.starts(with: jpegExifHeader) {
                    found.exif = Array(payload.dropFirst(jpegExifHeader.count))
                } else if found.xmp == nil, payload.starts(with: jpegXMPHeader) {
                    found.xmp = Array(payload.dropFirst(jpegXMPHeader.count))
                }
            }
            at += 2 + length
        }
        return found
    }

    /// The first `eXIf` chunk and the first uncompressed `iTXt` XMP chunk of a PNG (any bytes: a chunk running
    /// past the end ends the scan; CRCs are libpng's to check). Reads the chunk headers and only those two
    /// chunks' data, through a window, never the whole file.
    static func scanPNG(_ source: some ScannableBytes) -> EmbeddedMetadata {
        var found = EmbeddedMetadata()
        var bytes = ByteWindow(source)
        var at = 8
        while at + 12 <= bytes.count {
            let head = bytes.bytes(at: at, count: 8)
            guard head.count == 8 else { break }
            let length = Int(head[0]) << 24 | Int(head[1]) << 16 | Int(head[2]) << 8 | Int(head[3])
            guard length <= bytes.count - at - 12 else { break }
            switch (head[4], head[5], head[6], head[7]) {
            case (0x65, 0x58, 0x49, 0x66):  // eXIf
                if found.exif == nil { found.exif = bytes.bytes(at: at + 8, count: length) }
            case (0x69, 0x54, 0x58, 0x74):  // iTXt: keyword \0 flag method language \0 translated \0 text
                if found.xmp == nil, bytes.bytes(at: at + 8, count: pngXMPKeyword.count + 1) == pngXMPKeyword + [0] {
                    let data = bytes.bytes(at: at + 8, count: length)
                    let flag = pngXMPKeyword.count + 1
                    if data.count > flag + 1, data[flag] == 0,
                       let language = data[(flag + 2)...].firstIndex(of: 0),
                       let translated = data[(language + 1)...].firstIndex(of: 0) {
                        found.xmp = Array(data[(translated + 1)...])
                    }
                }
            case (0x49, 0x45, 0x4E, 0x44):  // IEND
                return found
            default:
                break
            }
            at += 12 + length
        }
        return found
    }

    // MARK: - Writing

    /// The JPEG APP1 segments' payloads (marker 0xE1) for these blocks, EXIF first, in the order encoders write
    /// them right after SOI and the JFIF APP0; and notices for blocks too large for a JPEG segment (dropped).
    func jpegSegments() -> (payloads: [[UInt8]], notices: [String]) {
        var payloads: [[UInt8]] = [], notices: [String] = []
        func segment(_ header: [UInt8], _ body: [UInt8], _ what: String) {
            guard header.count + body.count <= Self.jpegSegmentPayloadLimit else {
                notices.append("\(what) of \(body.count) bytes is too large for a JPEG APP1 segment; not written")
                return
            }
            payloads.append(header + body)
        }
        if let exif { segment(Self.jpegExifHeader, exif, "EXIF") }
        if let xmp { segment(Self.jpegXMPHeader, xmp, "XMP") }
        return (payloads, notices)
    }

    /// The PNG chunks (`eXIf`, then `iTXt` XMP) for these blocks, as encoders write them right after IHDR.
    func pngChunks() -> [UInt8] {
        var blocks: [UInt8] = []
        if let exif { blocks += Self.pngChunk("eXIf", exif) }
        if let xmp { blocks += Self.pngChunk("iTXt", Self.pngXMPKeyword + [0, 0, 0, 0, 0] + xmp) }
        return blocks
    }

    /// Where ``pngChunks()`` go in a PNG: after the signature and IHDR.
    static let pngChunksOffset = 8 + 12 + 13

    /// One PNG chunk: length, type, data, CRC-32 of type and data.
    static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        let n = UInt32(data.count)
        let crc = CRC32.checksum(typeBytes + data)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + typeBytes + data
            + [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
    }
}

/// CRC-32 (ISO 3309, polynomial 0xEDB88320 reflected), as PNG chunks and zlib use it.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

/// Random access to a file's bytes, for the metadata scanners: an open ``InputFile`` or bytes in memory.
protocol ScannableBytes {
    var count: Int { get }
    /// Up to `count` bytes from `offset` (fewer at the end, none on a read error).
    func bytes(at offset: Int, count: Int) -> [UInt8]
}

extension InputFile: ScannableBytes {}

extension UnsafeBufferPointer: ScannableBytes where Element == UInt8 {
    func bytes(at offset: Int, count: Int) -> [UInt8] {
        offset >= self.count ? [] : Array(self[offset..<Swift.min(offset + count, self.count)])
    }
}

/// Reads a ``ScannableBytes`` through a 64 KiB window, so that a scan of many small headers (or a run of
/// JPEG fill bytes) costs one read per window, not one per header.
struct ByteWindow<Source: ScannableBytes> {
    private let source: Source
    private var start = 0
    private var window: [UInt8] = []
    static var size: Int { 65536 }

    init(_ source: Source) { self.source = source }

    var count: Int { source.count }

    mutating func bytes(at offset: Int, count: Int) -> [UInt8] {
        if offset >= start, offset + count <= start + window.count {
            return Array(window[(offset - start)..<(offset - start + count)])
        }
        if count > Self.size { return source.bytes(at: offset, count: count) }
        start = offset
        window = source.bytes(at: offset, count: Self.size)
        return Array(window.prefix(count))
    }
}
