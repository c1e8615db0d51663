/// ICC profile bytes as carried from an input to an output.
enum ICCProfile {
    /// `profile` when its data colour space (header bytes 16–19: `RGB ` or `GRAY`) fits an image of
    /// `channels` channels (1–2: gray, 3–4: RGB); otherwise nil, since an RGB profile in a gray file
    /// (after an edge filter, say) is invalid and libraries reject it.
    static func compatible(_ profile: [UInt8]?, channels: Int) -> [UInt8]? {
        guard let profile, profile.count >= 20 else { return nil }
        let space = String(decoding: profile[16..<20], as: UTF8.self)
        switch space {
        case "RGB ": return channels >= 3 ? profile : nil
        case "GRAY": return channels <= 2 ? profile : nil
        default: return nil
        }
    }
}
