import CKernelSupport

// Register-blocked micro-kernels: each computes a (rows, 16) tile of C from `depth` steps of op(A) and one
// 16-column panel of packed B (see `PackedMatrix` for the panel layout), with one fused multiply-add per
// lane per step (`ck_fma8`). The accumulators start at zero; the finished tile is stored into C or added
// to it. Columns past `columns` (the zero padding of the last panel) are computed but not stored.
//
// Element (row, inner) of the tile's A is `a[row * aRowStride + inner * aInnerStride]`. The kernels are
// inlined into `multiplyRowTiles` twice: with the constant strides of A packed by `packRowTiles`
// (1, tile height), which gives fixed small offsets from one pointer, and with A's own strides.

extension Gemm {
    /// Writes (or adds) one 16-wide row of results to `c`, storing only its first `columns` values.
    @inline(__always)
    static func storeRow(
        _ low: SIMD8<Float>, _ high: SIMD8<Float>,
        to c: UnsafeMutablePointer<Float>, columns: Int, add: Bool
    ) {
        let raw = UnsafeMutableRawPointer(c)
        if columns == panelWidth {
            if add {
                let oldLow = raw.loadUnaligned(as: SIMD8<Float>.self)
                let oldHigh = raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                raw.storeBytes(of: oldLow + low, as: SIMD8<Float>.self)
                raw.storeBytes(of: oldHigh + high, toByteOffset: 32, as: SIMD8<Float>.self)
            } else {
                raw.storeBytes(of: low, as: SIMD8<Float>.self)
                raw.storeBytes(of: high, toByteOffset: 32, as: SIMD8<Float>.self)
            }
        } else {
            for column in 0..<columns {
                let value = column < 8 ? low[column] : high[column - 8]
                c[column] = add ? c[column] + value : value
            }
        }
    }

    /// Prefetches the 16 floats (one or two cache lines) of C a tile row will store to, so that the
    /// stores at the end of the tile do not wait for memory when C is bigger than the caches.
    @inline(__always)
    static func prefetchRow(_ c: UnsafeMutablePointer<Float>) {
        ck_prefetch_for_write(c)
        ck_prefetch_for_write(c + (panelWidth - 1))
    }

    @inline(__always)
    static func loadPanelRow(_ panel: UnsafeRawPointer) -> (SIMD8<Float>, SIMD8<Float>) {
        (panel.loadUnaligned(as: SIMD8<Float>.self), panel.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
    }

    /// (6, 16) tile: 12 accumulators, the widest that fits the 16 AVX2 registers with the B row and a broadcast.
    @inline(__always)
    static func multiplyTile6(
        depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aInnerStride: Int,
        panel: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int, add: Bool
    ) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>(), c41 = SIMD8<Float>(), c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
        for row in 0..<6 { prefetchRow(c + row * ldc) }
        var aPointer = a
        var bPointer = UnsafeRawPointer(panel)
        for _ in 0..<depth {
            let (b0, b1) = loadPanelRow(bPointer)
            var broadcast = SIMD8<Float>(repeating: aPointer[0])
            c00 = ck_fma8(broadcast, b0, c00); c01 = ck_fma8(broadcast, b1, c01)
            broadcast = SIMD8<Float>(repeating: aPointer[aRowStride])
            c10 = ck_fma8(broadcast, b0, c10); c11 = ck_fma8(broadcast, b1, c11)
            broadcast = SIMD8<Float>(repeating: aPointer[2 * aRowStride])
            c20 = ck_fma8(broadcast, b0, c20); c21 = ck_fma8(broadcast, b1, c21)
            broadcast = SIMD8<Float>(repeating: aPointer[3 * aRowStride])
            c30 = ck_fma8(broadcast, b0, c30); c31 = ck_fma8(broadcast, b1, c31)
            broadcast = SIMD8<Float>(repeating: aPointer[4 * aRowStride])
            c40 = ck_fma8(broadcast, b0, c40); c41 = ck_fma8(broadcast, b1, c41)
            broadcast = SIMD8<Float>(repeating: aPointer[5 * aRowStride])
            c50 = ck_fma8(broadcast, b0, c50); c51 = ck_fma8(broadcast, b1, c51)
            aPointer += aInnerStride
            bPointer += panelWidth * MemoryLayout<Float>.size
        }
        storeRow(c00, c01, to: c, columns: columns, add: add)
        storeRow(c10, c11, to: c + ldc, columns: columns, add: add)
        storeRow(c20, c21, to: c + 2 * ldc, columns: columns, add: add)
        storeRow(c30, c31, to: c + 3 * ldc, columns: columns, add: add)
        storeRow(c40, c41, to: c + 4 * ldc, columns: columns, add: add)
        storeRow(c50, c51, to: c + 5 * ldc, columns: columns, add: add)
    }

    /// (4, 16) tile: 8 accumulators.
    @inline(__always)
    static func multiplyTile4(
        depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aInnerStride: Int,
        panel: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int, add: Bool
    ) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        for row in 0..<4 { prefetchRow(c + row * ldc) }
        var aPointer = a
        var bPointer = UnsafeRawPointer(panel)
        for _ in 0..<depth {
            let (b0, b1) = loadPanelRow(bPointer)
            var broadcast = SIMD8<Float>(repeating: aPointer[0])
            c00 = ck_fma8(broadcast, b0, c00); c01 = ck_fma8(broadcast, b1, c01)
            broadcast = SIMD8<Float>(repeating: aPointer[aRowStride])
            c10 = ck_fma8(broadcast, b0, c10); c11 = ck_fma8(broadcast, b1, c11)
            broadcast = SIMD8<Float>(repeating: aPointer[2 * aRowStride])
            c20 = ck_fma8(broadcast, b0, c20); c21 = ck_fma8(broadcast, b1, c21)
            broadcast = SIMD8<Float>(repeating: aPointer[3 * aRowStride])
            c30 = ck_fma8(broadcast, b0, c30); c31 = ck_fma8(broadcast, b1, c31)
            aPointer += aInnerStride
            bPointer += panelWidth * MemoryLayout<Float>.size
        }
        storeRow(c00, c01, to: c, columns: columns, add: add)
        storeRow(c10, c11, to: c + ldc, columns: columns, add: add)
        storeRow(c20, c21, to: c + 2 * ldc, columns: columns, add: add)
        storeRow(c30, c31, to: c + 3 * ldc, columns: columns, add: add)
    }

    /// (2, 16) tile: two steps of `depth` at a time into separate accumulators (8 in flight), summed at the end.
    @inline(__always)
    static func multiplyTile2(
        depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aInnerStride: Int,
        panel: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int, add: Bool
    ) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var d00 = SIMD8<Float>(), d01 = SIMD8<Float>(), d10 = SIMD8<Float>(), d11 = SIMD8<Float>()
        var aPointer = a
        var bPointer = UnsafeRawPointer(panel)
        let rowStep = panelWidth * MemoryLayout<Float>.size
        for _ in 0..<(depth / 2) {
            let (b0, b1) = loadPanelRow(bPointer)
            let (e0, e1) = loadPanelRow(bPointer + rowStep)
            var broadcast = SIMD8<Float>(repeating: aPointer[0])
            c00 = ck_fma8(broadcast, b0, c00); c01 = ck_fma8(broadcast, b1, c01)
            broadcast = SIMD8<Float>(repeating: aPointer[aRowStride])
            c10 = ck_fma8(broadcast, b0, c10); c11 = ck_fma8(broadcast, b1, c11)
            broadcast = SIMD8<Float>(repeating: aPointer[aInnerStride])
            d00 = ck_fma8(broadcast, e0, d00); d01 = ck_fma8(broadcast, e1, d01)
            broadcast = SIMD8<Float>(repeating: aPointer[aInnerStride + aRowStride])
            d10 = ck_fma8(broadcast, e0, d10); d11 = ck_fma8(broadcast, e1, d11)
            aPointer += 2 * aInnerStride
            bPointer += 2 * rowStep
        }
        if depth % 2 == 1 {
            let (b0, b1) = loadPanelRow(bPointer)
            var broadcast = SIMD8<Float>(repeating: aPointer[0])
            c00 = ck_fma8(broadcast, b0, c00); c01 = ck_fma8(broadcast, b1, c01)
            broadcast = SIMD8<Float>(repeating: aPointer[aRowStride])
            c10 = ck_fma8(broadcast, b0, c10); c11 = ck_fma8(broadcast, b1, c11)
        }
        storeRow(c00 + d00, c01 + d01, to: c, columns: columns, add: add)
        storeRow(c10 + d10, c11 + d11, to: c + ldc, columns: columns, add: add)
    }

    /// (1, 16) tile: four steps of `depth` at a time into separate accumulators, summed at the end. Bound by
    /// memory (each B value is used once), so it is the one to give a whole core's bandwidth to.
    @inline(__always)
    static func multiplyTile1(
        depth: Int, a: UnsafePointer<Float>, aInnerStride: Int,
        panel: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, columns: Int, add: Bool
    ) {
        var s00 = SIMD8<Float>(), s01 = SIMD8<Float>(), s10 = SIMD8<Float>(), s11 = SIMD8<Float>()
        var s20 = SIMD8<Float>(), s21 = SIMD8<Float>(), s30 = SIMD8<Float>(), s31 = SIMD8<Float>()
        var aPointer = a
        var bPointer = UnsafeRawPointer(panel)
        let rowStep = panelWidth * MemoryLayout<Float>.size
        for _ in 0..<(depth / 4) {
            var (b0, b1) = loadPanelRow(bPointer)
            var broadcast = SIMD8<Float>(repeating: aPointer[0])
            s00 = ck_fma8(broadcast, b0, s00); s01 = ck_fma8(broadcast, b1, s01)
            (b0, b1) = loadPanelRow(bPointer + rowStep)
            broadcast = SIMD8<Float>(repeating: aPointer[aInnerStride])
            s10 = ck_fma8(broadcast, b0, s10); s11 = ck_fma8(broadcast, b1, s11)
            (b0, b1) = loadPanelRow(bPointer + 2 * rowStep)
            broadcast = SIMD8<Float>(repeating: aPointer[2 * aInnerStride])
            s20 = ck_fma8(broadcast, b0, s20); s21 = ck_fma8(broadcast, b1, s21)
            (b0, b1) = loadPanelRow(bPointer + 3 * rowStep)
            broadcast = SIMD8<Float>(repeating: aPointer[3 * aInnerStride])
            s30 = ck_fma8(broadcast, b0, s30); s31 = ck_fma8(broadcast, b1, s31)
            aPointer += 4 * aInnerStride
            bPointer += 4 * rowStep
        }
        for _ in 0..<(depth % 4) {
            let (b0, b1) = loadPanelRow(bPointer)
            let broadcast = SIMD8<Float>(repeating: aPointer[0])
            s00 = ck_fma8(broadcast, b0, s00); s01 = ck_fma8(broadcast, b1, s01)
            aPointer += aInnerStride
            bPointer += rowStep
        }
        storeRow((s00 + s10) + (s20 + s30), (s01 + s11) + (s21 + s31), to: c, columns: columns, add: add)
    }

    /// The height of the next row tile when `remaining` rows are left: 6 while at least 6 are left, then
    /// 4, 2, 1; except that 8 rows become 4 + 4 rather than 6 + 2 (batch sizes are often multiples of 8).
    /// Callers cut rows into ranges that start at multiples of 6 and end at multiples of 6 or at m, so
    /// the tiles (and the bits of every result) are the same whatever the split across threads.
    @inline(__always)
    static func tileHeight(remaining: Int) -> Int {
        remaining == 8 ? 4 : remaining >= 6 ? 6 : remaining >= 4 ? 4 : remaining >= 2 ? 2 : 1
    }

    /// Copies op(A)(rows, depthStart ..< depthStart + depth) into `destination`, tile after tile (heights
    /// from `tileHeight`), each tile depth-major: `destination[tileStart + p * height + r]`. `destination`
    /// needs room for 8 floats more than the rows take (`packScratchSlack`).
    /// op(A)(row, inner) is `a[row * aRowStride + inner * aInnerStride]`.
    static func packRowTiles(
        rows: Range<Int>, depthStart: Int, depth: Int,
        a: UnsafePointer<Float>, aRowStride: Int, aInnerStride: Int,
        into destination: UnsafeMutablePointer<Float>
    ) {
        var row = rows.lowerBound
        var target = destination
        while row < rows.upperBound {
            let height = tileHeight(remaining: rows.upperBound - row)
            let source = a + (row &* aRowStride &+ depthStart &* aInnerStride)
            if aInnerStride == 1 && height > 1 {
                // Rows of A contiguous: 8 steps at a time through an 8×8 transpose (may write 8 floats past
                // this tile; the next tile, or the scratch's slack, takes them).
                ck_pack_rows(height, depth, source, aRowStride, target)
                target += height &* depth
                row += height
                continue
            }
            // Literal heights let the copy of one step unroll.
            switch height {
            case 6: packTile(height: 6, depth: depth, source: source, aRowStride: aRowStride, aInnerStride: aInnerStride, into: target)
            case 4: packTile(height: 4, depth: depth, source: source, aRowStride: aRowStride, aInnerStride: aInnerStride, into: target)
            case 2: packTile(height: 2, depth: depth, source: source, aRowStride: aRowStride, aInnerStride: aInnerStride, into: target)
            default: packTile(height: 1, depth: depth, source: source, aRowStride: aRowStride, aInnerStride: aInnerStride, into: target)
            }
            target += height &* depth
            row += height
        }
    }

    @inline(__always)
    static func packTile(
        height: Int, depth: Int, source: UnsafePointer<Float>, aRowStride: Int, aInnerStride: Int,
        into destination: UnsafeMutablePointer<Float>
    ) {
        var source = source
        var target = destination
        for _ in 0..<depth {
            for tileRow in 0..<height { target[tileRow] = source[tileRow &* aRowStride] }
            target += height
            source += aInnerStride
        }
    }

    /// Every row tile of `rows` against one panel, for one block of depth; `panel` points at the panel's
    /// first step of this depth block, `c` at C(0, panel's first column).
    /// - `packedA` given: the rows as `packRowTiles` left them (A's strides are not used).
    /// - `packedA == nil`: op(A)(row, inner) read in place at `a[row * aRowStride + inner * aInnerStride]`,
    ///   with `a` pointing at op(A)(0, first step of this depth block).
    /// The two give the same bits.
    static func multiplyRowTiles(
        rows: Range<Int>, depth: Int, packedA: UnsafePointer<Float>?,
        a: UnsafePointer<Float>, aRowStride: Int, aInnerStride: Int,
        panel: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int, add: Bool
    ) {
        var row = rows.lowerBound
        if var tileA = packedA {
            while row < rows.upperBound {
                let height = tileHeight(remaining: rows.upperBound - row)
                let target = c + row * ldc
                switch height {
                case 6:
                    multiplyTile6(depth: depth, a: tileA, aRowStride: 1, aInnerStride: 6,
                        panel: panel, c: target, ldc: ldc, columns: columns, add: add)
                case 4:
                    multiplyTile4(depth: depth, a: tileA, aRowStride: 1, aInnerStride: 4,
                        panel: panel, c: target, ldc: ldc, columns: columns, add: add)
                case 2:
                    multiplyTile2(depth: depth, a: tileA, aRowStride: 1, aInnerStride: 2,
                        panel: panel, c: target, ldc: ldc, columns: columns, add: add)
                default:
                    multiplyTile1(depth: depth, a: tileA, aInnerStride: 1,
                        panel: panel, c: target, columns: columns, add: add)
                }
                tileA += height * depth
                row += height
            }
        } else {
            while row < rows.upperBound {
                let height = tileHeight(remaining: rows.upperBound - row)
                let target = c + row * ldc
                let tileA = a + row * aRowStride
                switch height {
                case 6:
                    multiplyTile6(depth: depth, a: tileA, aRowStride: aRowStride, aInnerStride: aInnerStride,
                        panel: panel, c: target, ldc: ldc, columns: columns, add: add)
                case 4:
                    multiplyTile4(depth: depth, a: tileA, aRowStride: aRowStride, aInnerStride: aInnerStride,
                        panel: panel, c: target, ldc: ldc, columns: columns, add: add)
                case 2:
                    multiplyTile2(depth: depth, a: tileA, aRowStride: aRowStride, aInnerStride: aInnerStride,
                        panel: panel, c: target, ldc: ldc, columns: columns, add: add)
                default:
                    multiplyTile1(depth: depth, a: tileA, aInnerStride: aInnerStride,
                        panel: panel, c: target, columns: columns, add: add)
                }
                row += height
            }
        }
    }
}
