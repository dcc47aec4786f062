// swift-tools-version: 6.0
import PackageDescription

// MARK: - Build settings

/// The kernels and the engine's pointwise loops need AVX2 + FMA code generation. A plain
/// `swift build -c release` emits no FMA on x86_64 (see README, "Speed"), so the flags live here and every
/// `swift build` / `swift run` / `swift test` gets the fast path with no extra command-line flags.
#if arch(x86_64)
let vectorFlags: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma"]),
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]
let vectorCFlags: [CSetting] = [.unsafeFlags(["-mavx2", "-mfma", "-O2"])]
#else
let vectorFlags: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
let vectorCFlags: [CSetting] = [.unsafeFlags(["-O2"])]
#endif

let package = Package(
    name: "rnn-tui",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rnn-tui", targets: ["RNNTUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: - Engine: kernels, cells, backprop, optimizers, checkpoints (no UI, no I/O policy)
        .target(name: "CKernelSupport", cSettings: vectorCFlags),
        .target(name: "RNNKernels", dependencies: ["CKernelSupport"], swiftSettings: vectorFlags),
        .target(name: "RNNEngine", dependencies: ["RNNKernels"], swiftSettings: vectorFlags),

        // MARK: - Training: datasets, trainer loop, metrics, run folders
        .target(name: "RNNTraining", dependencies: ["RNNEngine"]),

        // MARK: - App: pure state, update(message), view into a cell buffer
        .target(name: "RNNApp", dependencies: ["RNNTraining"]),

        // MARK: - Terminal backend: the only code that calls ncurses
        // No pkgConfig: SwiftPM would drop its -D_XOPEN_SOURCE flags with a warning; shim.h defines
        // NCURSES_WIDECHAR itself and the modulemap links libncursesw.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "TerminalBackend", dependencies: ["CNcursesw", "RNNApp"]),
        // Test pattern and key echo for the tmux end-to-end tests.
        .executableTarget(name: "terminal-check", dependencies: ["TerminalBackend"], path: "Sources/TerminalCheck"),

        // MARK: - Command line
        .executableTarget(
            name: "RNNTUI",
            dependencies: [
                "RNNEngine", "RNNTraining", "RNNApp", "TerminalBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests
        .testTarget(name: "RNNKernelsTests", dependencies: ["RNNKernels"], swiftSettings: vectorFlags),
        .testTarget(name: "RNNEngineTests", dependencies: ["RNNEngine"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RNNTrainingTests", dependencies: ["RNNTraining"], exclude: ["Fixtures"]),
        .testTarget(name: "RNNAppTests", dependencies: ["RNNApp"], resources: [.copy("Snapshots")]),
        .testTarget(name: "EndToEndTests", dependencies: [], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
