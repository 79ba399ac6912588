import Foundation
import Testing
import ShegongTestSupport

@Suite(.serialized) struct TmuxTypingTests {
    /// The real binary in a real 80×24 terminal: Chinese typed into a field comes back on screen,
    /// and the terminal cursor sits right after it (where an input method's candidate window goes).
    @Test(Tmux.required) func typingChineseIntoAFieldInARealTerminal() throws {
        let dir = TempDir()
        let store = dir.file("s.log")
        #expect(try run(["init", "--store", store, "--station", "弹子石街道社工站"]).status == 0)
        let tmux = try Tmux(command: "\(shegongBinary) --store \(store) --lang zh", environment: ["XDG_STATE_HOME": dir.path])
        #expect(tmux.waitFor("我的一天").found)
        try tmux.type("3")        // people
        try tmux.type("n")        // register a person
        #expect(tmux.waitFor("姓名*").found, "the registration form is open")
        try tmux.type("张晓芳")
        let (found, screen) = tmux.waitFor("张晓芳")
        #expect(found, "\(screen)")
        let line = screen.split(separator: "\n").first { $0.contains("张晓芳") }.map(String.init) ?? ""
        let column = line.prefix(while: { $0 != "张" }).reduce(0) { $0 + ($1.isASCII ? 1 : 2) }
        let cursor = try #require(tmux.cursor(), "tmux reports the cursor")
        #expect(cursor.x == column + 6, "cursor after the three wide characters: \(cursor)")
        try tmux.press("BSpace")
        let afterBackspace = tmux.waitFor { $0.contains("张晓") && !$0.contains("张晓芳") }
        #expect(afterBackspace.found, "backspace deletes one whole character: \(afterBackspace.screen)")
        try tmux.press("Escape")
        #expect(tmux.waitFor("放弃未保存的修改").found)
        try tmux.type("y")
        try tmux.type("q")
        #expect(tmux.waitFor("[exit 0]").found, "\(tmux.screen())")
    }

    /// Every theme on an 8-colour terminal, on one with no colour at all, and with NO_COLOR.
    @Test(Tmux.required, arguments: ["xterm", "linux", "vt100"])
    func themesWorkOnPoorTerminals(term: String) throws {
        let dir = TempDir()
        let store = dir.file("s.log")
        #expect(try run(["init", "--store", store, "--station", "弹子石街道社工站"]).status == 0)
        for theme in ["default", "light", "high-contrast", "mono"] {
            let tmux = try Tmux(command: "TERM=\(term) \(term == "vt100" ? "NO_COLOR=1 " : "")\(shegongBinary) --store \(store) --theme \(theme)",
                                environment: ["XDG_STATE_HOME": dir.path, "SHEGONG_THEMES": packageRoot + "/themes"])
            let (found, screen) = tmux.waitFor("我的一天")
            #expect(found, "\(term) \(theme): \(screen)")
            #expect(!screen.contains("主题文件有误"), "\(theme) loads")
            try tmux.type("q")
            #expect(tmux.waitFor("[exit 0]").found)
        }
    }
}
