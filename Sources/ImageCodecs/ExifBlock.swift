/// EXIF and XMP as files carry them, found in and written into PNG and JPEG bytes.
///
/// - EXIF is a TIFF structure ("II*\0" little-endian or "MM\0*" big-endian, then IFDs). JPEG stores it in an
///   APP1 segment after the 6 bytes "Exif\0\0"; PNG in an `eXIf` chunk, as it is.
/// - XMP is an XML packet (UTF-8). JPEG stores it in an APP1 segment after "http://ns.adobe.com/xap/1.0/\0";
///   PNG in an uncompressed `iTXt` chunk with the keyword "XML:com.adobe.xmp".
///
/// The blocks are carried byte for byte, except the Orientation tag, which ``settingOrientation(_:to:)`` patches
/// in place once the pixels have been turned (so a viewer does not turn them again).
/// Not carried: JPEG's Extended XMP (packets over 64 KB split over several segments) and compressed PNG iTXt XMP.
public struct EmbeddedMetadata: Sendable, Equatable {
    /// The TIFF structure of the EXIF block, without JPEG's "Exif\0\0".
    public var exif: [UInt8]?
    /// The XMP packet.
    public var xmp: [UInt8]?

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
    static func scanJPEG(_ bytes: UnsafeBufferPointer<UInt8>) -> EmbeddedMetadata {
        var found = EmbeddedMetadata()
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return found }
        var at = 2
        while at + 4 <= bytes.count {
            guard bytes[at] == 0xFF else { break }
            let marker = bytes[at + 1]
            if marker == 0xFF { at += 1; continue }                       // fill byte
            if marker == 0x01 || (0xD0...0xD8).contains(marker) { at += 2; continue }  // no length
            if marker == 0xDA || marker == 0xD9 { break }                 // image data or end: no metadata after
            let length = Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
            guard length >= 2, at + 2 + length <= bytes.count else { break }
            if marker == 0xE1 {
                let payload = UnsafeBufferPointer(rebasing: bytes[(at + 4)..<(at + 2 + length)])
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
    /// past the end ends the scan; CRCs are libpng's to check).
    static func scanPNG(_ bytes: UnsafeBufferPointer<UInt8>) -> EmbeddedMetadata {
        var found = EmbeddedMetadata()
        var at = 8
        while at + 12 <= bytes.count {
            let length = Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
            guard length <= bytes.count - at - 12 else { break }
            let type = (bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7])
            let data = UnsafeBufferPointer(rebasing: bytes[(at + 8)..<(at + 8 + length)])
            switch type {
            case (0x65, 0x58, 0x49, 0x66):  // eXIf
                if found.exif == nil { found.exif = Array(data) }
            case (0x69, 0x54, 0x58, 0x74):  // iTXt: keyword \0 flag method language \0 translated \0 text
                if found.xmp == nil, data.starts(with: pngXMPKeyword + [0]) {
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

    /// `encoded` (a whole PNG or JPEG file as the encoders make it) with these blocks inserted: JPEG APP1
    /// segments after SOI and the JFIF APP0, PNG chunks right after IHDR. Returns notices for blocks too large
    /// for a JPEG segment (dropped).
    func inserted(into encoded: [UInt8], format: ImageFormat) -> (bytes: [UInt8], notices: [String]) {
        guard exif != nil || xmp != nil else { return (encoded, []) }
        var blocks: [UInt8] = []
        var notices: [String] = []
        switch format {
        case .jpeg:
            func segment(_ header: [UInt8], _ body: [UInt8], _ what: String) {
                let payload = header.count + body.count
                guard payload <= Self.jpegSegmentPayloadLimit else {
                    notices.append("\(what) of \(body.count) bytes is too large for a JPEG APP1 segment; not written")
                    return
                }
                blocks += [0xFF, 0xE1, UInt8((payload + 2) >> 8), UInt8((payload + 2) & 0xFF)] + header + body
            }
            if let exif { segment(Self.jpegExifHeader, exif, "EXIF") }
            if let xmp { segment(Self.jpegXMPHeader, xmp, "XMP") }
            // After SOI, and after a JFIF APP0 when the encoder wrote one.
            var at = 2
            if encoded.count >= 6, encoded[2] == 0xFF, encoded[3] == 0xE0 {
                at = 4 + (Int(encoded[4]) << 8 | Int(encoded[5]))
            }
            return (Array(encoded[..<at]) + blocks + encoded[at...], notices)
        case .png:
            if let exif { blocks += Self.pngChunk("eXIf", exif) }
            if let xmp { blocks += Self.pngChunk("iTXt", Self.pngXMPKeyword + [0, 0, 0, 0, 0] + xmp) }
            let afterHeader = 8 + 12 + 13  // signature, IHDR
            return (Array(encoded[..<afterHeader]) + blocks + encoded[afterHeader...], notices)
        case .npy, .text:
            return (encoded, [])
        }
    }

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
