/// Row-major single-precision matrix products, the only heavy arithmetic in the engine.
///
/// `C (m, n) = [C +] op(A) · op(B)` where `op(A)` is `(m, k)` and `op(B)` is `(k, n)`.
/// - `transposeA == false`: A is stored `(m, k)` with row stride `lda`; `true`: stored `(k, m)`.
/// - `transposeB == false`: B is stored `(k, n)` with row stride `ldb`; `true`: stored `(n, k)`.
/// - `accumulate == false` overwrites C; `true` adds into it (backward passes add into gradients).
/// Cost: `2·m·n·k` flops.
///
/// The fast path (for more than 4 rows, see `Gemm+FewRows.swift` for fewer) packs op(B) into 16-column panels (`PackedMatrix`) and runs register-blocked FMA
/// micro-kernels over (6, 16) tiles of C, in blocks of 256 steps of depth and 192 rows so a panel block
/// stays in L1 and an A block in L2. With a pool, big products are cut into blocks of output columns
/// (or of rows, when there are few columns); each element of C is always computed by one thread in the
/// same order, so results are bitwise identical for every thread count.
public enum Gemm {
    /// The plain triple loop every fast path is tested against. Accumulates in Float, row by row.
    public static func multiplyReference(
        transposeA: Bool, transposeB: Bool,
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        accumulate: Bool
    ) {
        for row in 0..<m {
            for column in 0..<n {
                var sum: Float = 0
                for inner in 0..<k {
                    let aValue = transposeA ? a[inner * lda + row] : a[row * lda + inner]
                    let bValue = transposeB ? b[column * ldb + inner] : b[inner * ldb + column]
                    sum += aValue * bValue
                }
                c[row * ldc + column] = accumulate ? c[row * ldc + column] + sum : sum
            }
        }
    }

    /// The fast path: same contract as `multiplyReference`. `pool` (when given) may split the work
    /// across its threads; small products run on the calling thread. With more than `fewRowsLimit` (4)
    /// rows it packs op(B) on every call (cost k·n copies and an allocation): for a B used by many
    /// products, pack it once into a `PackedMatrix`. With 1…4 rows it reads B in place.
    /// Strides must be at least the stored row widths; a product with a negative size does nothing.
    public static func multiply(
        transposeA: Bool, transposeB: Bool,
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        accumulate: Bool,
        pool: ComputePool? = nil
    ) {
        guard m > 0, n > 0, k >= 0 else { return }
        if m * n * k <= tinyProductLimit {
            multiplyReference(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
            return
        }
        if m <= fewRowsLimit {
            multiplyFewRows(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate, pool: pool)
            return
        }
        let packed = PackedMatrix(b, ldb: ldb, transposed: transposeB, k: k, n: n, pool: pool)
        multiply(transposeA: transposeA, m: m, a: a, lda: lda, packed: packed, c: c, ldc: ldc,
            accumulate: accumulate, pool: pool)
    }

    /// `C (m, n) = [C +] op(A) · op(B)` with op(B) (k, n) already packed (`packed.depth == k`,
    /// `packed.columnCount == n`). A is stored (m, k) with row stride `lda`, or (k, m) when `transposeA`.
    /// Same results, bit for bit, as `multiply(transposeA:transposeB:…)` with the unpacked B when m > 4
    /// (with 1…4 rows, or at most `tinyProductLimit` multiply-adds, that one uses other kernels).
    /// Cost: `2·m·n·k` flops and no allocation.
    public static func multiply(
        transposeA: Bool = false,
        m: Int,
        a: UnsafePointer<Float>, lda: Int,
        packed: PackedMatrix,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        accumulate: Bool,
        pool: ComputePool? = nil
    ) {
        let n = packed.columnCount, k = packed.depth
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            if !accumulate {
                for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) }
            }
            return
        }
        let aRowStride = transposeA ? 1 : lda
        let aInnerStride = transposeA ? lda : 1
        let panelCount = packed.panelCount
        packed.withPanels { panels in
            let threads = pool?.threadCount ?? 1
            // Small-batch products are bound by reading B, so B's size counts as well as the arithmetic.
            let cost = 2 * m * n * k + 8 * k * n
            guard let pool, threads > 1, cost >= parallelCostThreshold else {
                multiplyBlock(
                    rows: 0..<m, panels: 0..<panelCount, n: n, k: k, a: a,
                    aRowStride: aRowStride, aInnerStride: aInnerStride, packed: panels,
                    c: c, ldc: ldc, accumulate: accumulate)
                return
            }
            // Cut C into a grid of (row chunk, panel chunk) blocks, a few per thread so a slow thread
            // does not hold up the rest. Row chunks start at multiples of 6 (see `multiplyRowTiles`).
            let targetBlocks = threads * 3
            let panelChunks = min(panelCount, targetBlocks)
            let rowTiles = (m + 5) / 6
            let rowChunks = min(rowTiles, (targetBlocks + panelChunks - 1) / panelChunks)
            let rowsPerChunk = ((rowTiles + rowChunks - 1) / rowChunks) * 6
            pool.parallelFor(panelChunks * rowChunks) { block in
                let panelChunk = block % panelChunks, rowChunk = block / panelChunks
                let panelRange = (panelChunk * panelCount / panelChunks)..<((panelChunk + 1) * panelCount / panelChunks)
                let rowRange = min(m, rowChunk * rowsPerChunk)..<min(m, (rowChunk + 1) * rowsPerChunk)
                guard !rowRange.isEmpty, !panelRange.isEmpty else { return }
                multiplyBlock(
                    rows: rowRange, panels: panelRange, n: n, k: k, a: a,
                    aRowStride: aRowStride, aInnerStride: aInnerStride, packed: panels,
                    c: c, ldc: ldc, accumulate: accumulate)
            }
        }
    }

    // MARK: - Blocking

    /// Products with fewer multiply-adds than this run the reference loop (packing would cost more).
    static let tinyProductLimit = 512
    /// Products whose cost (flops, plus 8 per value of B to be read) is below this run on the caller even
    /// with a pool: waking a thread (~1 µs) would cost more than it saves.
    static let parallelCostThreshold = 1_000_000
    /// Steps of depth per block: 256 · 16 floats of a panel (16 KB) stay in L1 while every row tile uses them.
    static let depthBlock = 256
    /// A stored (m, k) is read in place by blocks of fewer panels than this (packing would cost more than
    /// it saves); A stored (k, m) is always packed.
    static let minimumPanelsToPackA = 4
    /// A stored (m, k) with at most this depth is read in place whatever the panel count: its rows (≤ 128
    /// bytes each) stay in L1 across the panels, and a time loop over a tiny model would spend more on the
    /// copy than on the product.
    static let shallowDepthLimit = 32
    /// Floats past the packed rows that `packRowTiles` may write (its 8-wide transposing stores).
    static let packScratchSlack = 8
    /// Rows per block: 192 · 256 floats of A (192 KB) stay in L2 while every panel uses them.
    static let rowBlock = 192

    /// C(rows, columns of `panels`) for the whole depth, block by block. Depths up to 1.5 blocks run as one.
    /// Packs each (rows, depth) block of A into a scratch buffer of its own (so blocks can run in parallel)
    /// when A is read across rows (`transposeA`) or reused by enough panels to repay the copy (and is deeper
    /// than `shallowDepthLimit`).
    static func multiplyBlock(
        rows: Range<Int>, panels: Range<Int>, n: Int, k: Int,
        a: UnsafePointer<Float>, aRowStride: Int, aInnerStride: Int,
        packed: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        let blockDepth = k <= depthBlock + depthBlock / 2 ? k : depthBlock
        let packsA = aInnerStride != 1 || (panels.count >= minimumPanelsToPackA && k > shallowDepthLimit)
        // On the stack when there is room (a time loop calls this at every timestep: no heap traffic).
        let scratchCount = packsA ? min(rows.count, rowBlock) * blockDepth + packScratchSlack : 1
        withUnsafeTemporaryAllocation(of: Float.self, capacity: scratchCount) { buffer in
            multiplyBlockDepths(
                rows: rows, panels: panels, n: n, k: k, blockDepth: blockDepth, a: a, aRowStride: aRowStride,
                aInnerStride: aInnerStride, packed: packed, scratch: packsA ? buffer.baseAddress : nil,
                c: c, ldc: ldc, accumulate: accumulate)
        }
    }

    /// The body of `multiplyBlock`, with its A scratch (room for min(rows, 192) · blockDepth floats) given,
    /// or nil when A is read in place.
    @inline(__always)
    static func multiplyBlockDepths(
        rows: Range<Int>, panels: Range<Int>, n: Int, k: Int, blockDepth: Int,
        a: UnsafePointer<Float>, aRowStride: Int, aInnerStride: Int, packed: UnsafePointer<Float>,
        scratch: UnsafeMutablePointer<Float>?, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        var depthStart = 0
        while depthStart < k {
            let depth = min(blockDepth, k - depthStart)
            let add = accumulate || depthStart > 0
            for rowBlockStart in stride(from: rows.lowerBound, to: rows.upperBound, by: rowBlock) {
                let rowRange = rowBlockStart..<min(rows.upperBound, rowBlockStart + rowBlock)
                if let scratch {
                    packRowTiles(
                        rows: rowRange, depthStart: depthStart, depth: depth,
                        a: a, aRowStride: aRowStride, aInnerStride: aInnerStride, into: scratch)
                }
                for panel in panels {
                    let firstColumn = panel * panelWidth
                    multiplyRowTiles(
                        rows: rowRange, depth: depth, packedA: scratch,
                        a: a + depthStart * aInnerStride, aRowStride: aRowStride, aInnerStride: aInnerStride,
                        panel: packed + panel * panelWidth * k + depthStart * panelWidth,
                        c: c + firstColumn, ldc: ldc, columns: min(panelWidth, n - firstColumn), add: add)
                }
            }
            depthStart += depth
        }
    }
}
