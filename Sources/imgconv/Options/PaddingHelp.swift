/// Help texts shared by every command with geometry options, so they say the same thing everywhere.
enum GeometryHelp {
    static let stride = "Step between windows: N or H,W (height first, as PyTorch)."
    static let dilation = "Spacing between kernel taps: N or H,W."
    static let paddingModes = """
    zeros | reflect | replicate | circular | symmetric | constant=V. \
    Names clash between tools: PyTorch reflect = OpenCV BORDER_REFLECT_101 = scipy mirror (edge pixel not repeated); \
    symmetric = OpenCV BORDER_REFLECT = scipy reflect = ImageMagick mirror (edge pixel repeated); \
    replicate = OpenCV BORDER_REPLICATE = scipy nearest = ImageMagick edge; \
    circular = OpenCV BORDER_WRAP = scipy wrap = ImageMagick tile; \
    zeros / constant=V = OpenCV BORDER_CONSTANT = scipy constant (cval) = ImageMagick black / background.
    """
}
