// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Jiance",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "jiance", targets: ["jiance"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CXlsxWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        // Legacy .xls (Excel 97–2003, BIFF8) as WPS, school platforms and the national template write it.
        .systemLibrary(
            name: "CFreeXL",
            pkgConfig: "freexl",
            providers: [.apt(["libfreexl-dev"])]
        ),
        // SQLite's process-wide settings (sqlite3_config is variadic: a C shim calls it).
        .systemLibrary(name: "CSQLiteConfig", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "Standards", resources: [.copy("Resources")]),
        .target(name: "Indicators", dependencies: ["Standards"]),
        .target(
            name: "Ingest",
            dependencies: ["Standards", "CFreeXL", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(
            name: "Store",
            dependencies: [
                "Standards", "Indicators", "Ingest", "CSQLiteConfig", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // Imports: one file = one transaction, one importer per kind, undo of a batch.
        .target(
            name: "Imports",
            dependencies: [
                "Standards", "Indicators", "Ingest", "Store", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // Reports of a term built from the stored results, for the CLI, the workbooks and any other front end.
        .target(
            name: "Reports",
            dependencies: [
                "Standards", "Indicators", "Ingest", "Store", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        .target(
            name: "Ledgers", dependencies: ["CXlsxWriter", "Indicators", "Ingest", "Store", "Reports", "Standards"]),
        // The application layer every front end calls: importing files, choosing terms, exporting.
        .target(
            name: "Services",
            dependencies: [
                "Standards", "Indicators", "Ingest", "Store", "Imports", "Reports", "Ledgers",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]),
        // `jiance serve`: the pages, downloads and JSON of the bureau's and the schools' accounts.
        .target(
            name: "Web",
            dependencies: [
                "Standards", "Indicators", "Ingest", "Store", "Imports", "Reports", "Ledgers", "Services",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ]),
        .target(name: "Samples", dependencies: ["Ledgers", "Ingest", "Services", "Standards"]),
        .executableTarget(
            name: "jiance",
            dependencies: [
                "Standards", "Indicators", "Ingest", "Store", "Imports", "Reports", "Ledgers", "Samples", "Services",
                "Web",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "jiance-bench",
            dependencies: [
                "CXlsxWriter", "Standards", "Indicators", "Ingest", "Store", "Imports", "Reports", "Ledgers", "Samples",
                "Services",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "StandardsTests", dependencies: ["Standards"]),
        .testTarget(name: "IndicatorsTests", dependencies: ["Indicators"]),
        .testTarget(
            name: "IngestTests",
            dependencies: [
                "Ingest", "Ledgers", "Samples", "Standards", "TestSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Imports", "Reports", "Services",
                "Store", "Ingest", "Standards", "Indicators", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        // Reports built from values alone, without a database.
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Store", "Ingest", "Indicators", "Standards"]),
        // Edits exported workbooks in place as a teacher does, for the round-trip tests.
        .target(
            name: "TestSupport", dependencies: ["Ingest", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: "Tests/TestSupport"),
        .testTarget(
            name: "LedgersTests",
            dependencies: [
                "Imports", "Reports", "Services",
                "Ledgers", "Ingest", "Store", "Standards", "Indicators", "TestSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "Imports", "Reports", "Services",
                "Ingest", "Standards", "Store", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "Services", "Store", "Imports", "Reports", "Ledgers", "Samples", "Ingest", "Standards",
                "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
        .testTarget(
            name: "ReliabilityTests",
            dependencies: [
                "Imports", "Reports", "Services",
                "Ingest", "Store", "Standards", "Ledgers", "Samples", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
