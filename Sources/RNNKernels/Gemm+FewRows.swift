import CKernelSupport

// Products with only a few rows (batch 1..4: sampling, small-batch recurrent steps) called with an unpacked
// B. Packing B would cost as much as the product itself, so these kernels read B where it is:
// - op(B) = Bᵀ (B stored (n, k)): each result is a dot product of a row of A with a row of B;
// - op(B) = B (B stored (k, n)): each row of C is a sum of rows of B scaled by A's values.
// Every result's arithmetic is the same whichever group of columns it is computed in, so the results do
// not depend on how the columns are split across threads.

extension Gemm {
    /// The unpacked `multiply` uses these kernels for products with at most this many rows.
    static let fewRowsLimit = 4
    /// Columns per piece (every row of A runs against one piece of B before the next) and per parallel
    /// block (a multiple of this).
    static let fewRowsColumnAlignment = 64

    /// `C (m, n) = [C +] op(A) · op(B)` for `m <= fewRowsLimit`, reading B in place. Cost: `2·m·n·k`
    /// flops and one pass over B per row of A (which stays in cache between rows for moderate k).
    static func multiplyFewRows(
        transposeA: Bool, transposeB: Bool,
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        accumulate: Bool,
        pool: ComputePool?
    ) {
        // The dot products need each row of A contiguous: copy rows of a transposed A (m·k floats).
        let rowCopy: UnsafeMutablePointer<Float>? = transposeA && transposeB ? .allocate(capacity: m * k) : nil
        defer { rowCopy?.deallocate() }
        if let rowCopy {
            for row in 0..<m {
                for inner in 0..<k { rowCopy[row * k + inner] = a[inner * lda + row] }
            }
        }
        // Pieces of 64 columns, every row of A against one piece before the next, so the piece of B
        // (64·k floats) is read from memory once and from cache by the other rows.
        let piece = { (range: Range<Int>) in
            for row in 0..<m {
                if transposeB {
                    let aRow = rowCopy.map { UnsafePointer($0 + row * k) } ?? a + row * lda
                    dotProductColumns(range, aRow: aRow, b: b, ldb: ldb, k: k, c: c + row * ldc, accumulate: accumulate)
                } else {
                    let aRowStride = transposeA ? 1 : lda, aInnerStride = transposeA ? lda : 1
                    scaledRowSumColumns(
                        range, a: a + row * aRowStride, aInnerStride: aInnerStride, b: b, ldb: ldb, k: k,
                        c: c + row * ldc, accumulate: accumulate)
                }
            }
        }
        let columns = { (range: Range<Int>) in
            for start in stride(from: range.lowerBound, to: range.upperBound, by: fewRowsColumnAlignment) {
                piece(start..<min(range.upperBound, start + fewRowsColumnAlignment))
            }
        }
        let cost = 2 * m * n * k + 8 * k * n
        guard let pool, pool.threadCount > 1, cost >= parallelCostThreshold else {
            columns(0..<n)
            return
        }
        let blocks = min(pool.threadCount * 3, (n + fewRowsColumnAlignment - 1) / fewRowsColumnAlignment)
        let alignedColumns = (n + blocks - 1) / blocks
        let columnsPerBlock = (alignedColumns + fewRowsColumnAlignment - 1) / fewRowsColumnAlignment * fewRowsColumnAlignment
        pool.parallelFor(blocks) { block in
            let range = min(n, block * columnsPerBlock)..<min(n, (block + 1) * columnsPerBlock)
            if !range.isEmpty { columns(range) }
        }
    }

    // MARK: - op(B) = Bᵀ: dot products

    /// `c[j] = [c[j] +] aRow · b[j * ldb ..< j * ldb + k]` for `j` in `columns`, four at a time.
    static func dotProductColumns(
        _ columns: Range<Int>, aRow: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int, k: Int,
        c: UnsafeMutablePointer<Float>, accumulate: Bool
    ) {
        var column = columns.lowerBound
        while columns.upperBound - column >= 4 {
            let (first, second, third, fourth) = dotProducts4(
                aRow, b + column * ldb, b + (column + 1) * ldb, b + (column + 2) * ldb, b + (column + 3) * ldb, k: k)
            store(first, to: c + column, accumulate: accumulate)
            store(second, to: c + column + 1, accumulate: accumulate)
            store(third, to: c + column + 2, accumulate: accumulate)
            store(fourth, to: c + column + 3, accumulate: accumulate)
            column += 4
        }
        while column < columns.upperBound {
            store(dotProduct(aRow, b + column * ldb, k: k), to: c + column, accumulate: accumulate)
            column += 1
        }
    }

    @inline(__always)
    static func store(_ value: Float, to c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        c.pointee = accumulate ? c.pointee + value : value
    }

    /// The sum of the 8 lanes, by halving (4 + 4, 2 + 2, 1 + 1): a fixed order, and no generic loop.
    @inline(__always)
    static func horizontalSum(_ values: SIMD8<Float>) -> Float {
        let four = values.lowHalf + values.highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }

    @inline(__always)
    static func load8(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// `x · y` over `k` values: two 8-wide accumulators over 16 values per step, one more step of 8, the
    /// two summed, then the last `k % 8` values one by one. `dotProducts4` repeats exactly this per column.
    @inline(__always)
    static func dotProduct(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, k: Int) -> Float {
        var low = SIMD8<Float>(), high = SIMD8<Float>()
        var inner = 0
        while inner + 16 <= k {
            low = ck_fma8(load8(x + inner), load8(y + inner), low)
            high = ck_fma8(load8(x + inner + 8), load8(y + inner + 8), high)
            inner += 16
        }
        if inner + 8 <= k {
            low = ck_fma8(load8(x + inner), load8(y + inner), low)
            inner += 8
        }
        var total = horizontalSum(low + high)
        while inner < k {
            total += x[inner] * y[inner]
            inner += 1
        }
        return total
    }

    /// Four `dotProduct`s of `x` with `y0`…`y3`, interleaved (8 chains of FMAs in flight), same arithmetic.
    @inline(__always)
    static func dotProducts4(
        _ x: UnsafePointer<Float>,
        _ y0: UnsafePointer<Float>, _ y1: UnsafePointer<Float>, _ y2: UnsafePointer<Float>, _ y3: UnsafePointer<Float>,
        k: Int
    ) -> (Float, Float, Float, Float) {
        var low0 = SIMD8<Float>(), high0 = SIMD8<Float>(), low1 = SIMD8<Float>(), high1 = SIMD8<Float>()
        var low2 = SIMD8<Float>(), high2 = SIMD8<Float>(), low3 = SIMD8<Float>(), high3 = SIMD8<Float>()
        var inner = 0
        while inner + 16 <= k {
            let xLow = load8(x + inner), xHigh = load8(x + inner + 8)
            low0 = ck_fma8(xLow, load8(y0 + inner), low0); high0 = ck_fma8(xHigh, load8(y0 + inner + 8), high0)
            low1 = ck_fma8(xLow, load8(y1 + inner), low1); high1 = ck_fma8(xHigh, load8(y1 + inner + 8), high1)
            low2 = ck_fma8(xLow, load8(y2 + inner), low2); high2 = ck_fma8(xHigh, load8(y2 + inner + 8), high2)
            low3 = ck_fma8(xLow, load8(y3 + inner), low3); high3 = ck_fma8(xHigh, load8(y3 + inner + 8), high3)
            inner += 16
        }
        if inner + 8 <= k {
            let xLow = load8(x + inner)
            low0 = ck_fma8(xLow, load8(y0 + inner), low0)
            low1 = ck_fma8(xLow, load8(y1 + inner), low1)
            low2 = ck_fma8(xLow, load8(y2 + inner), low2)
            low3 = ck_fma8(xLow, load8(y3 + inner), low3)
            inner += 8
        }
        var total0 = horizontalSum(low0 + high0), total1 = horizontalSum(low1 + high1)
        var total2 = horizontalSum(low2 + high2), total3 = horizontalSum(low3 + high3)
        while inner < k {
            total0 += x[inner] * y0[inner]
            total1 += x[inner] * y1[inner]
            total2 += x[inner] * y2[inner]
            total3 += x[inner] * y3[inner]
            inner += 1
        }
        return (total0, total1, total2, total3)
    }

    // MARK: - op(B) = B: sums of scaled rows

    /// `c[j] = [c[j] +] Σ_p a[p * aInnerStride] · b[p * ldb + j]` for `j` in `columns`: 64 columns at a
    /// time (eight 8-wide accumulators), then 8, then a last partial group through a zero-padded copy. Each
    /// lane adds its products in order of p with one FMA each, whatever group it is in.
    static func scaledRowSumColumns(
        _ columns: Range<Int>, a: UnsafePointer<Float>, aInnerStride: Int, b: UnsafePointer<Float>, ldb: Int,
        k: Int, c: UnsafeMutablePointer<Float>, accumulate: Bool
    ) {
        var column = columns.lowerBound
        while columns.upperBound - column >= 64 {
            var sum0 = SIMD8<Float>(), sum1 = SIMD8<Float>(), sum2 = SIMD8<Float>(), sum3 = SIMD8<Float>()
            var sum4 = SIMD8<Float>(), sum5 = SIMD8<Float>(), sum6 = SIMD8<Float>(), sum7 = SIMD8<Float>()
            var bRow = b + column
            var aValue = a
            for _ in 0..<k {
                let scale = SIMD8<Float>(repeating: aValue.pointee)
                sum0 = ck_fma8(scale, load8(bRow), sum0)
                sum1 = ck_fma8(scale, load8(bRow + 8), sum1)
                sum2 = ck_fma8(scale, load8(bRow + 16), sum2)
                sum3 = ck_fma8(scale, load8(bRow + 24), sum3)
                sum4 = ck_fma8(scale, load8(bRow + 32), sum4)
                sum5 = ck_fma8(scale, load8(bRow + 40), sum5)
                sum6 = ck_fma8(scale, load8(bRow + 48), sum6)
                sum7 = ck_fma8(scale, load8(bRow + 56), sum7)
                bRow += ldb
                aValue += aInnerStride
            }
            store8(sum0, to: c + column, count: 8, accumulate: accumulate)
            store8(sum1, to: c + column + 8, count: 8, accumulate: accumulate)
            store8(sum2, to: c + column + 16, count: 8, accumulate: accumulate)
            store8(sum3, to: c + column + 24, count: 8, accumulate: accumulate)
            store8(sum4, to: c + column + 32, count: 8, accumulate: accumulate)
            store8(sum5, to: c + column + 40, count: 8, accumulate: accumulate)
            store8(sum6, to: c + column + 48, count: 8, accumulate: accumulate)
            store8(sum7, to: c + column + 56, count: 8, accumulate: accumulate)
            column += 64
        }
        while column < columns.upperBound {
            let count = min(8, columns.upperBound - column)
            var sum = SIMD8<Float>()
            var bRow = b + column
            var aValue = a
            for _ in 0..<k {
                var values = SIMD8<Float>()
                if count == 8 {
                    values = load8(bRow)
                } else {
                    for lane in 0..<count { values[lane] = bRow[lane] }
                }
                sum = ck_fma8(SIMD8<Float>(repeating: aValue.pointee), values, sum)
                bRow += ldb
                aValue += aInnerStride
            }
            store8(sum, to: c + column, count: count, accumulate: accumulate)
            column += count
        }
    }

    /// Stores (or adds) the first `count` lanes of `values` at `c`.
    @inline(__always)
    static func store8(_ values: SIMD8<Float>, to c: UnsafeMutablePointer<Float>, count: Int, accumulate: Bool) {
        if count == 8 {
            let raw = UnsafeMutableRawPointer(c)
            let result = accumulate ? raw.loadUnaligned(as: SIMD8<Float>.self) + values : values
            raw.storeBytes(of: result, as: SIMD8<Float>.self)
        } else {
            for lane in 0..<count { c[lane] = accumulate ? c[lane] + values[lane] : values[lane] }
        }
    }
}
