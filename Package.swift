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

        // MARK: - Display formatting: the one home of number and duration rules and of the glyph map
        .target(name: "DisplayFormat"),

        // MARK: - Training: datasets, trainer loop, metrics, run folders
        .target(name: "RNNTraining", dependencies: ["RNNEngine", "DisplayFormat"]),

        // MARK: - Terminal UI toolkit: cell buffer, styles, keys, layout, widgets, buffer diff (knows no engine)
        .target(name: "TerminalUI", dependencies: ["DisplayFormat"]),

        // MARK: - App: the notebook's pure state, update(message) -> [effect], screens built of TerminalUI widgets
        .target(name: "RNNApp", dependencies: ["TerminalUI", "DisplayFormat", "RNNEngine", "RNNTraining"]),

        // MARK: - Notebook runtime: the frame loop and the trainer inbox, behind TerminalUI's `Screen`
        .target(name: "NotebookRuntime", dependencies: ["RNNApp", "RNNTraining", "TerminalUI"]),

        // MARK: - Terminal backend: the only code that calls ncurses
        // No pkgConfig: SwiftPM would drop its -D_XOPEN_SOURCE flags with a warning; shim.h defines
        // NCURSES_WIDECHAR itself and the modulemap links libncursesw.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "TerminalBackend", dependencies: ["CNcursesw", "TerminalUI"]),
        // Test pattern and key echo for the tmux end-to-end tests; links no engine.
        .executableTarget(name: "terminal-check", dependencies: ["TerminalBackend", "TerminalUI"], path: "Sources/TerminalCheck"),

        // MARK: - Command line
        .executableTarget(
            name: "RNNTUI",
            dependencies: [
                "RNNKernels", "RNNEngine", "RNNTraining", "NotebookRuntime", "RNNApp", "TerminalBackend", "DisplayFormat",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests
        .testTarget(name: "RNNKernelsTests", dependencies: ["RNNKernels"], swiftSettings: vectorFlags),
        .testTarget(name: "RNNEngineTests", dependencies: ["RNNEngine"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RNNTrainingTests", dependencies: ["RNNTraining", "DisplayFormat"], exclude: ["Fixtures"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "DisplayFormat"]),
        .testTarget(name: "RNNAppTests", dependencies: ["RNNApp", "TerminalUI", "DisplayFormat", "RNNEngine", "RNNTraining"],
                    resources: [.copy("Snapshots")]),
        .testTarget(name: "NotebookRuntimeTests", dependencies: ["NotebookRuntime", "RNNApp", "RNNTraining", "TerminalUI"]),
        .testTarget(name: "RNNTUITests", dependencies: ["RNNTUI"]),
        .testTarget(name: "EndToEndTests", dependencies: [], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
