import TensorEngine

/// The plane a picture shows: one or three channels of the first batch item, cropped or reduced to a
/// readable size, with a note saying what was done.
package struct PreparedInput: Sendable {
    /// (1, 1, h, w) or (1, 3, h, w): what the operation runs on and the left panel shows.
    package var data: Tensor
    /// True for `.npy` data: panels are shown min–max normalised instead of clamped to [0, 1].
    package var isData: Bool
    /// What was done to the file's tensor ("crop 10,20,32,32 of 512×512", "reduced …"), if anything.
    package var note: String?

    package init(data: Tensor, isData: Bool, note: String? = nil) {
        self.data = data
        self.isData = isData
        self.note = note
    }

    /// What to do with a picture larger than the panels can show at a readable scale.
    package enum LargeInput: Sendable, Equatable {
        /// Reduce it by adaptive average pooling so that its longer side is at most this (sweep: the whole picture).
        case reduce(maxSide: Int)
        /// Show its centre at real pixels, at most this many samples a side (visualize, animate: windows stay visible).
        case centreCrop(side: Int)
    }

    /// Picks the channels to show (`channel` when given; else images: gray, or RGB without alpha; data: RGB when
    /// it has exactly three channels, else channel 0, said in the note), then crops to `crop` or, without a crop,
    /// treats a picture whose longer side is above the limit of `large` as it says.
    /// With `allChannels`, every channel is kept (a dense weight's input, `visualize --weight`) and `channel` is ignored.
    package static func prepare(_ tensor: Tensor, isImage: Bool, crop: CropRegion? = nil, channel: Int? = nil,
                               allChannels: Bool = false, large: LargeInput) throws -> PreparedInput {
        guard tensor.n >= 1, tensor.c >= 1, tensor.h >= 1, tensor.w >= 1 else {
            throw VisualizationError("nothing to show: the tensor is \(tensor.shape)")
        }
        let first = tensor.n == 1 ? tensor : Tensor(shape: TensorShape(n: 1, c: tensor.c, h: tensor.h, w: tensor.w),
                                                    storage: Array(tensor.storage.prefix(tensor.c * tensor.shape.planeSize)))
        var data: Tensor
        var notes: [String] = []
        if tensor.n > 1 { notes.append("item 0 of \(tensor.n)") }
        if allChannels {
            data = first
        } else if let channel {
            guard channel >= 0, channel < tensor.c else {
                throw VisualizationError("--channel \(channel) does not exist: the input has \(tensor.c) channel\(tensor.c == 1 ? "" : "s") (0 to \(tensor.c - 1))")
            }
            data = first.channels(channel..<(channel + 1))
            if tensor.c > 1 { notes.append("channel \(channel) of \(tensor.c)") }
        } else {
            let colourChannels = isImage ? (tensor.c >= 3 ? 3 : 1) : (tensor.c == 3 ? 3 : 1)
            data = first.channels(0..<colourChannels)
            if !isImage && tensor.c != colourChannels { notes.append("channel 0 of \(tensor.c) (--channel picks another)") }
        }
        if let crop {
            guard crop.width >= 1, crop.height >= 1, crop.top >= 0, crop.left >= 0,
                  crop.left + crop.width <= data.w, crop.top + crop.height <= data.h else {
                throw VisualizationError("crop \(crop) (top,left,height,width) does not fit in the \(data.h)×\(data.w) (height×width) image")
            }
            data = cropped(data, crop)
            notes.append("crop top,left,height,width = \(crop) of \(tensor.h)×\(tensor.w)")
        } else {
            switch large {
            case .reduce(let maxSide) where max(data.h, data.w) > maxSide:
                let longer = max(data.h, data.w)
                let size = Pair(h: max(1, (data.h * maxSide + longer / 2) / longer), w: max(1, (data.w * maxSide + longer / 2) / longer))
                data = try adaptiveAvgPool2d(data, outputSize: size)
                notes.append("reduced from \(tensor.h)×\(tensor.w) by adaptive average pooling; --crop shows real pixels")
            case .centreCrop(let side) where max(data.h, data.w) > side:
                let region = CropRegion(top: (data.h - min(side, data.h)) / 2, left: (data.w - min(side, data.w)) / 2,
                                        height: min(side, data.h), width: min(side, data.w))
                data = cropped(data, region)
                notes.append("centre crop \(region) of \(tensor.h)×\(tensor.w) at real pixels; --crop picks another region")
            default:
                break
            }
        }
        return PreparedInput(data: data, isData: !isImage, note: notes.isEmpty ? nil : notes.joined(separator: ", "))
    }

    static func cropped(_ t: Tensor, _ region: CropRegion) -> Tensor {
        var out = Tensor(shape: TensorShape(n: 1, c: t.c, h: region.height, w: region.width))
        for c in 0..<t.c {
            for y in 0..<region.height {
                for x in 0..<region.width { out[0, c, y, x] = t[0, c, region.top + y, region.left + x] }
            }
        }
        return out
    }
}
