// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Shegong",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "shegong", targets: ["shegong"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // ncursesw, linked through a module map; shim.h wraps the macros and globals Swift can't see.
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses"),
        // The PostgreSQL C client, for a district's database: libpq-dev's header, the library
        // opened on first use.
        .target(name: "CLibPQ", linkerSettings: [.linkedLibrary("dl")]),
        // SIGHUP/SIGTERM/SIGINT handlers that only set a flag.
        .target(name: "CShegongSignals"),
        // CRC-32C with the CPU's instruction, and the JSON string scan: a replay's two inner loops.
        .target(name: "CShegongBytes", cSettings: [.unsafeFlags(["-O3"])]),
        // Pure: records, events, projection, reports, policy. No file, no clock, no terminal.
        .target(name: "ShegongDomain", dependencies: ["CShegongBytes"]),
        // The append-only log file and the store built on it.
        .target(name: "ShegongStore", dependencies: [
            "ShegongDomain", "CShegongBytes",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // A district's PostgreSQL database: stations ship their records up, reports are computed there.
        .target(name: "ShegongDistrict", dependencies: [
            "CLibPQ", "ShegongDomain", "ShegongStore",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // UI state, actions, reducer, strings; no terminal.
        .target(name: "ShegongApp", dependencies: ["ShegongDomain", "ShegongStore", "ShegongTerminal"]),
        // Cell grid, widgets, themes, ncurses and in-memory backends.
        .target(name: "ShegongTerminal", dependencies: [
            "CNCurses", "CShegongSignals",
            .product(name: "Yams", package: "Yams"),
        ]),
        // Child processes started with posix_spawn and reaped by pid (benchmarks, install, tests).
        .target(name: "ShegongProcess"),
        .executableTarget(name: "shegong", dependencies: [
            "ShegongProcess", "ShegongDomain", "ShegongStore", "ShegongApp", "ShegongTerminal", "ShegongDistrict",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Temp dirs, child processes, tmux: shared by the test targets.
        .target(name: "ShegongTestSupport", dependencies: ["ShegongDomain", "ShegongProcess"], path: "Tests/ShegongTestSupport"),
        .testTarget(name: "ShegongDomainTests", dependencies: ["ShegongDomain", "ShegongTestSupport"]),
        .testTarget(name: "ShegongStoreTests", dependencies: ["ShegongStore", "ShegongDomain", "ShegongTestSupport"],
                    exclude: ["Fixtures"]),
        // Goldens are read from the source tree by path, not bundled.
        .testTarget(name: "ShegongTerminalTests", dependencies: ["ShegongTerminal", "ShegongTestSupport"], exclude: ["Golden"]),
        .testTarget(name: "ShegongAppTests", dependencies: ["ShegongApp", "ShegongStore", "ShegongDomain", "ShegongTerminal",
                                                           "ShegongTestSupport"], exclude: ["Golden"]),
    ]
)
