/// Where each pixel of an image as displayed is stored, for an EXIF orientation (TIFF tag 0x0112, 1...8):
/// displayed pixel (row y′, column x′) is stored at flat index `start + y′·stepY + x′·stepX` of the stored
/// plane (index y·W + x for stored row y, column x of a W-wide plane).
///
/// 1 as stored, 2 mirrored left-right, 3 turned 180°, 4 mirrored top-bottom, 5 transposed, 6 turned 90°
/// clockwise, 7 transversed, 8 turned 90° counter-clockwise (Pillow's `exif_transpose`). Orientations 5–8 swap
/// width and height. Invalid values are taken as 1.
package struct OrientationMap: Sendable, Equatable {
    package let orientation: Int
    /// The displayed size.
    package let width: Int, height: Int
    package let start: Int, stepX: Int, stepY: Int

    /// The map for an image stored `storedWidth`×`storedHeight`.
    package init(orientation: Int, storedWidth w: Int, storedHeight h: Int) {
        let orientation = (1...8).contains(orientation) ? orientation : 1
        self.orientation = orientation
        (width, height) = orientation >= 5 ? (h, w) : (w, h)
        switch orientation {
        case 2: (start, stepX, stepY) = (w - 1, -1, w)
        case 3: (start, stepX, stepY) = ((h - 1) * w + w - 1, -1, -w)
        case 4: (start, stepX, stepY) = ((h - 1) * w, 1, -w)
        case 5: (start, stepX, stepY) = (0, w, 1)
        case 6: (start, stepX, stepY) = ((h - 1) * w, -w, 1)
        case 7: (start, stepX, stepY) = ((h - 1) * w + w - 1, -w, -1)
        case 8: (start, stepX, stepY) = (w - 1, w, -1)
        default: (start, stepX, stepY) = (0, 1, w)
        }
    }

    /// The stored flat index of displayed pixel (`row`, `column`).
    @inlinable
    package func storedIndex(row: Int, column: Int) -> Int { start + row * stepY + column * stepX }
}
