import TensorEngine

/// The plane a picture shows: one or three channels of the first batch item, cropped or reduced to a
/// readable size, with a note saying what was done.
public struct PreparedInput: Sendable {
    /// (1, 1, h, w) or (1, 3, h, w): what the operation runs on and the left panel shows.
    public var data: Tensor
    /// True for `.npy` data: panels are shown min–max normalised instead of clamped to [0, 1].
    public var isData: Bool
    /// What was done to the file's tensor ("crop 10,20,32,32 of 512×512", "reduced …"), if anything.
    public var note: String?

    public init(data: Tensor, isData: Bool, note: String? = nil) {
        self.data = data
        self.isData = isData
        self.note = note
    }

    /// Picks the channels to show (images: gray, or RGB without alpha; data: RGB when it has exactly three
    /// channels, else channel 0), then crops to `crop` or, without a crop, reduces the picture by adaptive
    /// average pooling so that its longer side is at most `maxSide`.
    public static func prepare(_ tensor: Tensor, isImage: Bool, crop: CropRegion? = nil, maxSide: Int) throws -> PreparedInput {
        guard tensor.n >= 1, tensor.c >= 1, tensor.h >= 1, tensor.w >= 1 else {
            throw VisualizationError("nothing to show: the tensor is \(tensor.shape)")
        }
        let first = tensor.n == 1 ? tensor : Tensor(shape: TensorShape(n: 1, c: tensor.c, h: tensor.h, w: tensor.w),
                                                    storage: Array(tensor.storage.prefix(tensor.c * tensor.shape.planeSize)))
        let colourChannels = isImage ? (tensor.c >= 3 ? 3 : 1) : (tensor.c == 3 ? 3 : 1)
        var data = first.channels(0..<colourChannels)
        var notes: [String] = []
        if tensor.n > 1 { notes.append("item 0 of \(tensor.n)") }
        if !isImage && tensor.c != colourChannels { notes.append("channel 0 of \(tensor.c)") }
        if let crop {
            guard crop.width >= 1, crop.height >= 1, crop.x >= 0, crop.y >= 0,
                  crop.x + crop.width <= data.w, crop.y + crop.height <= data.h else {
                throw VisualizationError("crop \(crop) (x,y,width,height) does not fit in the \(data.w)×\(data.h) image")
            }
            data = cropped(data, crop)
            notes.append("crop x,y,w,h = \(crop) of \(tensor.h)×\(tensor.w)")
        } else if max(data.h, data.w) > maxSide {
            let longer = max(data.h, data.w)
            let size = Pair(h: max(1, (data.h * maxSide + longer / 2) / longer), w: max(1, (data.w * maxSide + longer / 2) / longer))
            data = try adaptiveAvgPool2d(data, outputSize: size)
            notes.append("reduced from \(tensor.h)×\(tensor.w) by adaptive average pooling; --crop shows real pixels")
        }
        return PreparedInput(data: data, isData: !isImage, note: notes.isEmpty ? nil : notes.joined(separator: ", "))
    }

    static func cropped(_ t: Tensor, _ region: CropRegion) -> Tensor {
        var out = Tensor(shape: TensorShape(n: 1, c: t.c, h: region.height, w: region.width))
        for c in 0..<t.c {
            for y in 0..<region.height {
                for x in 0..<region.width { out[0, c, y, x] = t[0, c, region.y + y, region.x + x] }
            }
        }
        return out
    }
}

/// Turns computed planes into a displayable (1, 3, h, w) tensor in [0, 1].
enum DisplayPlanes {
    /// Gray planes become three equal channels. With `normalise`, values are mapped min → 0 and max → 1
    /// (a constant plane shows as mid gray); otherwise they are clamped when shown. Non-finite values
    /// (−∞ padding of max pooling) are shown as 0.
    static func rgb(_ t: Tensor, normalise: Bool) -> Tensor {
        let plane = t.shape.planeSize
        var values = Array(t.storage.prefix(t.c * plane)).map { $0.isFinite ? $0 : 0 }
        if normalise, let low = values.min(), let high = values.max() {
            values = values.map { high > low ? ($0 - low) / (high - low) : 0.5 }
        }
        let rgb = t.c >= 3 ? Array(values.prefix(3 * plane)) : values + values + values
        return Tensor(shape: TensorShape(n: 1, c: 3, h: t.h, w: t.w), storage: rgb)
    }

    /// Whether any finite value lies outside [0, 1] (beyond rounding), so clamping would hide it.
    static func needsNormalising(_ t: Tensor) -> Bool {
        t.storage.contains { $0.isFinite && ($0 < -1e-4 || $0 > 1 + 1e-4) }
    }
}
