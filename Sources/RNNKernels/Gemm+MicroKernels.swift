import CKernelSupport

// Register-blocked micro-kernels: each computes a (rows, 16) tile of C from `depth` steps of op(A) and one
// 16-column panel of packed B (see `PackedMatrix` for the panel layout), with one fused multiply-add per
// lane per step (`ck_fma8`). The accumulators start at zero; the finished tile is stored into C or added
// to it. Columns past `columns` (the zero padding of the last panel) are computed but not stored.
//
// Element (row, inner) of op(A) is `a[row * aRowStride + inner * aInnerStride]`, so the same kernels read
// A stored (m, k) (strides lda, 1) and A stored (k, m) (strides 1, lda).

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

    @inline(__always)
    static func loadPanelRow(_ panel: UnsafeRawPointer) -> (SIMD8<Float>, SIMD8<Float>) {
        (panel.loadUnaligned(as: SIMD8<Float>.self), panel.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
    }

    /// (6, 16) tile: 12 accumulators, the widest that fits the 16 AVX2 registers with the B row and a broadcast.
    static func multiplyTile6(
        depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aInnerStride: Int,
        panel: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int, add: Bool
    ) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>(), c41 = SIMD8<Float>(), c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
        let stride1 = aRowStride, stride2 = 2 * aRowStride, stride3 = 3 * aRowStride
        let stride4 = 4 * aRowStride, stride5 = 5 * aRowStride
        var aPointer = a
        var bPointer = UnsafeRawPointer(panel)
        for _ in 0..<depth {
            let (b0, b1) = loadPanelRow(bPointer)
            var broadcast = SIMD8<Float>(repeating: aPointer[0])
            c00 = ck_fma8(broadcast, b0, c00); c01 = ck_fma8(broadcast, b1, c01)
            broadcast = SIMD8<Float>(repeating: aPointer[stride1])
            c10 = ck_fma8(broadcast, b0, c10); c11 = ck_fma8(broadcast, b1, c11)
            broadcast = SIMD8<Float>(repeating: aPointer[stride2])
            c20 = ck_fma8(broadcast, b0, c20); c21 = ck_fma8(broadcast, b1, c21)
            broadcast = SIMD8<Float>(repeating: aPointer[stride3])
            c30 = ck_fma8(broadcast, b0, c30); c31 = ck_fma8(broadcast, b1, c31)
            broadcast = SIMD8<Float>(repeating: aPointer[stride4])
            c40 = ck_fma8(broadcast, b0, c40); c41 = ck_fma8(broadcast, b1, c41)
            broadcast = SIMD8<Float>(repeating: aPointer[stride5])
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
    static func multiplyTile4(
        depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aInnerStride: Int,
        panel: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int, add: Bool
    ) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        let stride1 = aRowStride, stride2 = 2 * aRowStride, stride3 = 3 * aRowStride
        var aPointer = a
        var bPointer = UnsafeRawPointer(panel)
        for _ in 0..<depth {
            let (b0, b1) = loadPanelRow(bPointer)
            var broadcast = SIMD8<Float>(repeating: aPointer[0])
            c00 = ck_fma8(broadcast, b0, c00); c01 = ck_fma8(broadcast, b1, c01)
            broadcast = SIMD8<Float>(repeating: aPointer[stride1])
            c10 = ck_fma8(broadcast, b0, c10); c11 = ck_fma8(broadcast, b1, c11)
            broadcast = SIMD8<Float>(repeating: aPointer[stride2])
            c20 = ck_fma8(broadcast, b0, c20); c21 = ck_fma8(broadcast, b1, c21)
            broadcast = SIMD8<Float>(repeating: aPointer[stride3])
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

    /// Every row tile of rows `rows` against one panel, for one block of depth. Rows are cut into tiles of
    /// 6 from `rows.lowerBound`, and the last < 6 rows into tiles of 4, 2 and 1; callers start row ranges at
    /// multiples of 6 so every row is computed by the same kernel whatever the split.
    /// `a` points at op(A)(0, depthStart); `panel` at the panel's row `depthStart`; `c` at C(0, panel's first column).
    @inline(__always)
    static func multiplyRowTiles(
        rows: Range<Int>, depth: Int,
        a: UnsafePointer<Float>, aRowStride: Int, aInnerStride: Int,
        panel: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int, add: Bool
    ) {
        var row = rows.lowerBound
        while rows.upperBound - row >= 6 {
            multiplyTile6(depth: depth, a: a + row * aRowStride, aRowStride: aRowStride, aInnerStride: aInnerStride,
                panel: panel, c: c + row * ldc, ldc: ldc, columns: columns, add: add)
            row += 6
        }
        if rows.upperBound - row >= 4 {
            multiplyTile4(depth: depth, a: a + row * aRowStride, aRowStride: aRowStride, aInnerStride: aInnerStride,
                panel: panel, c: c + row * ldc, ldc: ldc, columns: columns, add: add)
            row += 4
        }
        if rows.upperBound - row >= 2 {
            multiplyTile2(depth: depth, a: a + row * aRowStride, aRowStride: aRowStride, aInnerStride: aInnerStride,
                panel: panel, c: c + row * ldc, ldc: ldc, columns: columns, add: add)
            row += 2
        }
        if rows.upperBound - row >= 1 {
            multiplyTile1(depth: depth, a: a + row * aRowStride, aInnerStride: aInnerStride,
                panel: panel, c: c + row * ldc, columns: columns, add: add)
        }
    }
}
