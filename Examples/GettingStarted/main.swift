import ImgConv

// Read a JPEG: a (1, 3, H, W) tensor with values in [0, 1], turned upright by its EXIF orientation.
let photo = try ImageFile.read("photo.jpg")

// A named filter: a Gaussian blur with σ = 2 (13×13, reflect border, output the input's size).
let blurred = try BlurFilter(.gaussian(sigma: 2, radius: nil)).apply(photo.tensor)

// A 3×3 kernel of your own at stride 2, on each channel: torch.nn.functional.conv2d(x, w, stride=2,
// padding=1, groups=3) with w of shape (3, 1, 3, 3). Output: ⌊(H + 2 − 3)/2⌋ + 1 rows.
let sharpen: Kernel = [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]
let strided = try conv2d(blurred, weight: sharpen.depthwiseWeight(channels: 3), bias: nil,
                         parameters: Conv2dParameters(stride: Pair(2), padding: .explicit(Pair(1)), groups: 3))

// 2×2 max pooling (stride = kernel), as torch.nn.MaxPool2d(2).
let pooled = try maxPool2d(strided, parameters: MaxPool2dParameters(kernel: Pair(2))).output

// Write a PNG (values are clamped to [0, 1] and rounded to 8 bits); the same bytes in memory with encode.
try ImageFile.write(pooled, to: "small.png")
let png = try ImageFile.encode(pooled, as: .png)
print("\(photo.tensor.shape) → \(pooled.shape), \(png.count) bytes of PNG")
