/// Help texts shared by every command with geometry options, so they say the same thing everywhere.
enum GeometryHelp {
    static let stride = "Step between windows: N, H,W or \"H W\" (height first, as PyTorch)."
    static let dilation = "Spacing between kernel taps: N or H,W."
    /// The named filters' rule for borders longer than the image (conv and pad keep PyTorch's limits).
    static let longBorders = """
    A border longer than the image keeps reflecting (or wrapping), as scipy.ndimage and OpenCV do for small images     (on a 1-pixel axis it repeats that pixel), so the filter works on every image of at least 1×1;     conv and pad keep PyTorch's limits (reflect padding < the size).
    """
    static let paddingModes = """
    zeros | reflect | replicate | circular | symmetric | constant=V. \
    Names clash between tools: PyTorch reflect = OpenCV BORDER_REFLECT_101 = scipy mirror (edge pixel not repeated); \
    symmetric = OpenCV BORDER_REFLECT = scipy reflect = ImageMagick mirror (edge pixel repeated); \
    replicate = OpenCV BORDER_REPLICATE = scipy nearest = ImageMagick edge; \
    circular = OpenCV BORDER_WRAP = scipy wrap = ImageMagick tile; \
    zeros / constant=V = OpenCV BORDER_CONSTANT = scipy constant (cval) = ImageMagick black / background.
    """
}
