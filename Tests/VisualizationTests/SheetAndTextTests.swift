import ImageCodecs
import TensorEngine
import Testing
import Visualization

@Test func sweepTilesHaveTheSizesTheirParametersImply() throws {
    let (h, w) = (20, 16)
    let input = PreparedInput(data: Picture.grayNoise(h: h, w: w), isData: false)
    let sheet = try ContactSheet.draw(input, base: WindowRequest(kernelSize: Pair(3)),
                                      strides: [Pair(1), Pair(2), Pair(h: 3, w: 1)], paddings: [.explicit(Pair(0)), .explicit(Pair(2)), .same],
                                      dilations: [Pair(1), Pair(2)], paddingModes: [.zeros, .reflect], scale: 4)
    let layout = sheet.layout
    #expect(layout.tiles.count == 3 * 3 * 2 * 2)
    let png = try Picture.roundTrip(sheet.image)
    for tile in layout.tiles {
        let r = tile.request
        let s = r.stride!, d = r.dilation!
        if r.padding == .same && s != Pair(1) {
            #expect(tile.error != nil && tile.image == nil, "same padding at stride \(s) is refused")
            continue
        }
        let p: Pair = switch r.padding! {
        case .explicit(let pair): pair
        default: Pair(h: d.h * (3 - 1) / 2, w: d.w * (3 - 1) / 2)  // same, k = 3: d·(3 − 1) split evenly
        }
        let expected = Pair(h: (h + 2 * p.h - d.h * 2 - 1) / s.h + 1, w: (w + 2 * p.w - d.w * 2 - 1) / s.w + 1)
        #expect(tile.outputSize == expected, "\(tile.label)")
        guard let rect = tile.image else { Issue.record("tile \(tile.label) has no image"); continue }
        #expect(rect.width == expected.w * 4 && rect.height == expected.h * 4)
        #expect(rect.x >= tile.cell.x && rect.maxX <= tile.cell.maxX && rect.maxY <= tile.cell.maxY)
        // In the PNG: gray samples exactly over the rectangle, the sheet's background right after it.
        #expect(Pixel(png, x: rect.maxX - 1, y: rect.maxY - 1).isGray && Pixel(png, x: rect.x, y: rect.y).isGray)
        if rect.maxX < tile.cell.maxX { #expect(!Pixel(png, x: rect.maxX, y: rect.y + rect.height / 2).isGray) }
        if rect.maxY < tile.cell.maxY { #expect(!Pixel(png, x: rect.x + rect.width / 2, y: rect.maxY).isGray) }
    }
}

@Test func sweepPaddingModesDifferOnlyInTheBorder() throws {
    let input = PreparedInput(data: Picture.grayNoise(h: 12, w: 12), isData: false)
    let sheet = try ContactSheet.draw(input, base: WindowRequest(operation: .filter(TestFilters.box(3))),
                                      paddings: [.explicit(Pair(1))], paddingModes: [.zeros, .replicate], scale: 3)
    let png = try Picture.roundTrip(sheet.image)
    let (zeros, replicate) = (sheet.layout.tiles[0].image!, sheet.layout.tiles[1].image!)
    #expect(zeros.width == replicate.width && zeros.height == replicate.height)
    // A corner sample differs (zeros darken it), an inner one is the same.
    #expect(Pixel(png, x: zeros.x, y: zeros.y) != Pixel(png, x: replicate.x, y: replicate.y))
    #expect(Pixel(png, x: zeros.x + 15, y: zeros.y + 15) == Pixel(png, x: replicate.x + 15, y: replicate.y + 15))
}

@Test func everyCaptionCharacterHasAGlyph() throws {
    let input = PreparedInput(data: Picture.grayNoise(h: 9, w: 7), isData: false, note: "crop x,y,w,h = 1,2,7,9 of 20×20")
    let requests = [
        WindowRequest(kernelSize: Pair(h: 3, w: 2), stride: Pair(2), padding: .explicit(Pair(h: 1, w: 0)), dilation: Pair(h: 2, w: 1)),
        WindowRequest(operation: .maxPool, kernelSize: Pair(3), padding: .explicit(Pair(1))),
        WindowRequest(operation: .filter(TestFilters.box(4)), padding: .same, paddingMode: .constant(0.5)),
        WindowRequest(operation: .filter(TestFilters.edge), padding: .explicit(Pair(1)), paddingMode: .symmetric),
    ]
    for request in requests {
        let caption = try ConvolutionDiagram.draw(input, operation: try request.resolved()).layout.caption
        let missing = caption.joined().filter { !BitmapFont.hasGlyph($0) }
        #expect(missing.isEmpty, "no glyph for \(Array(Set(missing))) in \(caption)")
    }
}

@Test func glyphsAreDistinctAndFitTheirCell() {
    var seen: [String: Character] = [:]
    for character in BitmapFont.characters {
        let bits = (0..<BitmapFont.glyphHeight).map { row in
            (0..<BitmapFont.glyphWidth).map { BitmapFont.isSet(character, column: $0, row: row) ? "#" : "." }.joined()
        }.joined(separator: "/")
        // "-" and "−" are told apart by width; "–" deliberately draws as "−".
        if let other = seen[bits], !(Set([other, character]) == Set(["−", "–"])) {
            Issue.record("'\(character)' and '\(other)' draw the same")
        }
        seen[bits] = character
        if character != " " { #expect(bits.contains("#"), "'\(character)' is blank") }
    }
    #expect(BitmapFont.width(of: "ab", scale: 2) == 22)
}

@Test func largePicturesAreReducedOrCentreCroppedAndCropsAreExact() throws {
    let big = Picture.grayNoise(h: 100, w: 200)
    let reduced = try PreparedInput.prepare(big, isImage: true, large: .reduce(maxSide: 64))
    #expect(reduced.data.h == 32 && reduced.data.w == 64)
    #expect(reduced.note?.contains("reduced from 100×200") == true)
    // visualize's default: the centre at real pixels, so windows stay several canvas pixels wide.
    let centre = try PreparedInput.prepare(big, isImage: true, large: .centreCrop(side: 48))
    #expect(centre.data.shape == TensorShape(n: 1, c: 1, h: 48, w: 48))
    #expect(centre.data[0, 0, 0, 0] == big[0, 0, 26, 76] && centre.data[0, 0, 47, 47] == big[0, 0, 73, 123])
    // --crop TOP,LEFT,HEIGHT,WIDTH: rows first, like every other pair.
    #expect(CropRegion(parsing: "7,5,4,10") == CropRegion(top: 7, left: 5, height: 4, width: 10))
    #expect(CropRegion(parsing: " 7, 5 ,4,10") == CropRegion(top: 7, left: 5, height: 4, width: 10))
    #expect(CropRegion(parsing: "7,5,4 1,10") == nil && CropRegion(parsing: "7,5,4") == nil)
    let crop = try PreparedInput.prepare(big, isImage: true, crop: CropRegion(parsing: "7,5,4,10")!, large: .reduce(maxSide: 64))
    #expect(crop.data.shape == TensorShape(n: 1, c: 1, h: 4, w: 10))
    #expect(crop.data[0, 0, 0, 0] == big[0, 0, 7, 5] && crop.data[0, 0, 3, 9] == big[0, 0, 10, 14])
    #expect(throws: VisualizationError.self) {
        try PreparedInput.prepare(big, isImage: true, crop: CropRegion(top: 0, left: 195, height: 4, width: 10), large: .reduce(maxSide: 64))
    }
    #expect(throws: VisualizationError.self) {
        try PreparedInput.prepare(big, isImage: true, crop: CropRegion(top: 97, left: 0, height: 4, width: 10), large: .reduce(maxSide: 64))
    }
    // RGBA images show RGB; four-channel data shows channel 0, or the channel asked for.
    var rgba = Tensor(shape: TensorShape(n: 1, c: 4, h: 2, w: 2), repeating: 0.5)
    rgba[0, 2, 1, 1] = 0.25
    #expect(try PreparedInput.prepare(rgba, isImage: true, large: .reduce(maxSide: 64)).data.c == 3)
    #expect(try PreparedInput.prepare(rgba, isImage: false, large: .reduce(maxSide: 64)).data.c == 1)
    let second = try PreparedInput.prepare(rgba, isImage: true, channel: 2, large: .reduce(maxSide: 64))
    #expect(second.data.c == 1 && second.data[0, 0, 1, 1] == 0.25 && second.note?.contains("channel 2 of 4") == true)
    #expect(throws: VisualizationError.self) { try PreparedInput.prepare(rgba, isImage: true, channel: 4, large: .reduce(maxSide: 64)) }
}

@Test func sweepLaysOneVariedOptionAsARowAndTwoAsRowsByColumns() throws {
    let input = PreparedInput(data: Picture.grayNoise(h: 12, w: 12), isData: false)
    let base = WindowRequest()
    let one = try ContactSheet.draw(input, base: base, strides: [Pair(1), Pair(2), Pair(3)], scale: 3)
    #expect(one.layout.columns == 3 && one.layout.rows == 1)
    #expect(Set(one.layout.tiles.map(\.cell.y)).count == 1)
    let modesOnly = try ContactSheet.draw(input, base: base, paddings: [.explicit(Pair(1))], paddingModes: [.zeros, .reflect, .circular], scale: 3)
    #expect(modesOnly.layout.columns == 3 && modesOnly.layout.rows == 1, "one varied option is one row, whichever it is")
    let two = try ContactSheet.draw(input, base: base, kernelSizes: [Pair(3), Pair(5)], strides: [Pair(1), Pair(2)],
                                    paddings: [.explicit(Pair(0)), .explicit(Pair(2))], scale: 3)
    // Kernel sizes along the row; strides × paddings down the rows.
    #expect(two.layout.columns == 2 && two.layout.rows == 4 && two.layout.tiles.count == 8)
    for tile in two.layout.tiles {
        let k = tile.request.kernelSize!.h, s = tile.request.stride!.h
        guard case .explicit(let p) = tile.request.padding else { Issue.record("padding"); continue }
        let side = (12 + 2 * p.h - k) / s + 1
        #expect(tile.outputSize == Pair(side), "\(tile.label)")
        #expect(tile.label[0].hasPrefix("k=\(k) "))
    }
    #expect(two.layout.tiles[0].cell.y == two.layout.tiles[1].cell.y && two.layout.tiles[0].request.kernelSize != two.layout.tiles[1].request.kernelSize)
}

@Test func aRefusedTileSaysWhyInThePicture() throws {
    let input = PreparedInput(data: Picture.grayNoise(h: 6, w: 6), isData: false)
    let sheet = try ContactSheet.draw(input, base: WindowRequest(operation: .filter(TestFilters.box(3))), paddings: [.explicit(Pair(1)), .explicit(Pair(6))],
                                      paddingModes: [.reflect], scale: 4)
    let refused = try #require(sheet.layout.tiles.first { $0.error != nil })
    #expect(!refused.reason.isEmpty && refused.reason.joined(separator: " ") == refused.error!.split(separator: " ").joined(separator: " "))
    let png = try Picture.roundTrip(sheet.image)
    let top = refused.cell.y + 2 * BitmapFont.lineHeight * 2 + 4
    #expect(Picture.findText(png, refused.reason[0], in: PixelRect(x: refused.cell.x, y: top, width: refused.cell.width, height: BitmapFont.lineHeight),
                             ink: Pixel(RGBColour.warning)))
}
