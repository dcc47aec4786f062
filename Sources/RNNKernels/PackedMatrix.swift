/// The right-hand operand of a product, `op(B)` of shape (k, n), rearranged once so that many products can
/// reuse it: the recurrent step multiplies by the same `W_hhᵀ` at every timestep, so the engine packs the
/// weights once per optimizer step and calls `Gemm.multiply(m:a:lda:packed:c:ldc:accumulate:pool:)`
/// T times.
///
/// Layout: `panelCount = ceil(n / 16)` panels of 16 columns; panel `j` holds columns `16j ..< 16j + 16`
/// depth-major (`panel[p * 16 + column]`), the last panel zero-padded. Storage: `panelCount · 16 · k`
/// floats, 64-byte aligned, owned by this object and reused by later `pack` calls (it grows when needed,
/// never shrinks). Cost of `pack`: one read of B and one write of the panels.
///
/// This is the one place in the kernels that keeps a raw pointer: the aligned storage, allocated and freed
/// here and lent out only inside `withPanels`. Not safe to `pack` while another thread multiplies with it.
public final class PackedMatrix: @unchecked Sendable {
    /// `k`: rows of op(B), the depth of the products it takes part in.
    public private(set) var depth = 0
    /// `n`: columns of op(B), the columns of the products' results.
    public private(set) var columnCount = 0
    private var storage: UnsafeMutablePointer<Float>?
    private var capacity = 0

    /// An empty matrix (k = n = 0); call `pack` before multiplying.
    public init() {}

    /// Packs `op(B)` right away; see `pack`.
    public convenience init(
        _ b: UnsafePointer<Float>, ldb: Int, transposed: Bool, k: Int, n: Int, pool: ComputePool? = nil
    ) {
        self.init()
        pack(b, ldb: ldb, transposed: transposed, k: k, n: n, pool: pool)
    }

    deinit { storage?.deallocate() }

    /// Number of 16-column panels.
    public var panelCount: Int { (columnCount + Gemm.panelWidth - 1) / Gemm.panelWidth }

    /// Copies `op(B)` (k, n) into the panels, replacing what was there.
    /// - `transposed == false`: B is stored (k, n) with row stride `ldb` (e.g. `W_hh` for the backward
    ///   product `dGates · W_hh`).
    /// - `transposed == true`: B is stored (n, k) with row stride `ldb` and op(B) = Bᵀ (e.g. `W_hh` (G·H, H)
    ///   for the forward product `h · W_hhᵀ`).
    /// Allocates only when the panels need more room than any earlier `pack` of this object used.
    /// `pool` splits the copy across threads for big matrices.
    public func pack(
        _ b: UnsafePointer<Float>, ldb: Int, transposed: Bool, k: Int, n: Int, pool: ComputePool? = nil
    ) {
        depth = max(0, k)
        columnCount = max(0, n)
        let needed = panelCount * Gemm.panelWidth * depth
        if needed > capacity {
            storage?.deallocate()
            let raw = UnsafeMutableRawPointer.allocate(
                byteCount: needed * MemoryLayout<Float>.stride, alignment: 64)
            storage = raw.bindMemory(to: Float.self, capacity: needed)
            capacity = needed
        }
        guard needed > 0, let destination = storage else { return }
        let panels = panelCount
        let depth = self.depth, columns = columnCount
        let panelsPerChunk = max(1, 16_384 / max(1, depth))  // ~1 MB of panels per chunk
        let chunkCount = (panels + panelsPerChunk - 1) / panelsPerChunk
        let work = { (chunk: Int) in
            let range = (chunk * panelsPerChunk)..<min(panels, (chunk + 1) * panelsPerChunk)
            Gemm.packPanels(range, b: b, ldb: ldb, transposed: transposed, k: depth, n: columns, into: destination)
        }
        if let pool, chunkCount > 1, needed >= 262_144 {
            pool.parallelFor(chunkCount, work)
        } else {
            for chunk in 0..<chunkCount { work(chunk) }
        }
    }

    /// Lends the panels (`panelCount · 16 · k` floats) to `body`.
    func withPanels<Result>(_ body: (UnsafePointer<Float>) -> Result) -> Result {
        guard let storage else {
            var empty: Float = 0
            return withUnsafePointer(to: &empty) { body($0) }
        }
        return body(UnsafePointer(storage))
    }
}

extension Gemm {
    /// Columns per panel of packed B: two 8-wide vectors.
    static let panelWidth = 16

    /// Fills panels `panels` of the layout described in `PackedMatrix` from op(B) (k, n).
    static func packPanels(
        _ panels: Range<Int>, b: UnsafePointer<Float>, ldb: Int, transposed: Bool, k: Int, n: Int,
        into destination: UnsafeMutablePointer<Float>
    ) {
        for panel in panels {
            let firstColumn = panel * panelWidth
            let width = min(panelWidth, n - firstColumn)
            let panelStart = destination + panel * panelWidth * k
            if !transposed {
                // op(B)(p, column) = b[p * ldb + column]: 16 contiguous values per depth step.
                for inner in 0..<k {
                    let source = b + inner * ldb + firstColumn
                    let target = panelStart + inner * panelWidth
                    if width == panelWidth {
                        let sourceRaw = UnsafeRawPointer(source)
                        let targetRaw = UnsafeMutableRawPointer(target)
                        targetRaw.storeBytes(of: sourceRaw.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                        targetRaw.storeBytes(
                            of: sourceRaw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self),
                            toByteOffset: 32, as: SIMD8<Float>.self)
                    } else {
                        for column in 0..<panelWidth { target[column] = column < width ? source[column] : 0 }
                    }
                }
            } else {
                // op(B)(p, column) = b[column * ldb + p]: walk 16 rows of B side by side, a block of depth
                // at a time so the panel rows being written stay in L1.
                let depthChunk = 64
                for chunkStart in stride(from: 0, to: k, by: depthChunk) {
                    let chunkLength = min(k &- chunkStart, depthChunk)
                    for column in 0..<panelWidth {
                        var target = panelStart + (chunkStart &* panelWidth &+ column)
                        if column < width {
                            var source = b + ((firstColumn &+ column) &* ldb &+ chunkStart)
                            for _ in 0..<chunkLength {
                                target.pointee = source.pointee
                                target += panelWidth
                                source += 1
                            }
                        } else {
                            for _ in 0..<chunkLength {
                                target.pointee = 0
                                target += panelWidth
                            }
                        }
                    }
                }
            }
        }
    }
}
