extension LineChart {
    /// One label under the axis for a run of marks: the mark's own label, or "3 changes" where labels
    /// would touch. start: the label's first column (left-aligned on the first mark, kept inside width).
    public struct MarkCluster: Equatable {
        public var columns: [Int]
        public var labels: [String]
        public var start: Int
        public var text: String { labels.count == 1 ? labels[0] : "\(labels.count) changes" }
    }

    /// Groups marks (column, label), left to right, so no two labels touch; a mark joins the cluster
    /// before it when it falls on or next to that cluster's label. Cost O(marks log marks).
    public static func markClusters(_ marks: [(column: Int, label: String)], width: Int) -> [MarkCluster] {
        var clusters: [MarkCluster] = []
        func start(_ cluster: MarkCluster) -> Int { max(0, min(cluster.columns[0], width - cluster.text.count)) }
        for mark in marks.sorted(by: { $0.column < $1.column }) {
            if var last = clusters.last, mark.column <= last.start + last.text.count {
                last.columns.append(mark.column)
                last.labels.append(mark.label)
                last.start = start(last)
                clusters[clusters.count - 1] = last
                // A longer merged label may now touch the cluster before it.
                while clusters.count > 1, clusters[clusters.count - 2].start + clusters[clusters.count - 2].text.count
                        >= clusters[clusters.count - 1].start {
                    let tail = clusters.removeLast()
                    var previous = clusters.removeLast()
                    previous.columns += tail.columns
                    previous.labels += tail.labels
                    previous.start = start(previous)
                    clusters.append(previous)
                }
            } else {
                var cluster = MarkCluster(columns: [mark.column], labels: [mark.label], start: 0)
                cluster.start = start(cluster)
                if let last = clusters.last, last.start + last.text.count >= cluster.start {
                    // Pushed left into the previous label at the right edge: merge.
                    var previous = clusters.removeLast()
                    previous.columns.append(mark.column)
                    previous.labels.append(mark.label)
                    previous.start = start(previous)
                    clusters.append(previous)
                } else {
                    clusters.append(cluster)
                }
            }
        }
        return clusters
    }
}
