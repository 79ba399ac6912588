import ArgumentParser
import ShegongApp

struct Console: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "console", abstract: "Open the console (the default).")
    @OptionGroup var options: StoreOption
    func run() throws {
        print("console: not built yet")
    }
}
