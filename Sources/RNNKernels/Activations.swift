import Foundation

/// In-place elementwise nonlinearities over a contiguous run of floats: `x[i] = f(x[i])` for `i < count`.
/// The fast versions must stay within 2e-6 absolute of the reference (libm) ones.
public enum Activations {
    public static func sigmoidReference(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { x[index] = 1 / (1 + Foundation.exp(-x[index])) }
    }

    public static func tanhReference(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { x[index] = Foundation.tanh(x[index]) }
    }

    public static func expReference(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { x[index] = Foundation.exp(x[index]) }
    }

    public static func sigmoid(_ x: UnsafeMutablePointer<Float>, count: Int) { sigmoidReference(x, count: count) }
    public static func tanh(_ x: UnsafeMutablePointer<Float>, count: Int) { tanhReference(x, count: count) }
    public static func exp(_ x: UnsafeMutablePointer<Float>, count: Int) { expReference(x, count: count) }
}
