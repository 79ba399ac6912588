import Foundation
import Testing
@testable import ShegongTerminal
import ShegongTestSupport

let localeReady: Bool = { TextWidth.prepareLocale(); return true }()

/// Compares `text` with Golden/NAME.txt; UPDATE_GOLDEN=1 rewrites the file instead.
func expectGolden(_ name: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    ShegongTestSupport.expectGolden(name, text, in: "Tests/ShegongTerminalTests/Golden", sourceLocation: sourceLocation)
}

/// Every row of a grid must occupy exactly its width in display cells.
func expectAligned(_ grid: Grid, sourceLocation: SourceLocation = #_sourceLocation) {
    for y in 0..<grid.height {
        var cells = 0
        for x in 0..<grid.width where !grid[x, y].isContinuation { cells += TextWidth.of(grid[x, y].text) }
        #expect(cells == grid.width, "row \(y) is \(cells) cells wide", sourceLocation: sourceLocation)
    }
}

@Suite struct WidthTests {
    init() { _ = localeReady }

    @Test func chineseCharactersAreTwoCellsAndNeverSplit() {
        #expect(TextWidth.of("张晓芳") == 6)
        #expect(TextWidth.of("弹子石街道彩云社区") == 18)
        #expect(TextWidth.of("abc张") == 5)
        #expect(TextWidth.clip("张晓芳", to: 5) == "张晓")
        #expect(TextWidth.truncate("弹子石街道彩云社区", to: 9) == "弹子石街~")
        #expect(TextWidth.of(TextWidth.truncate("弹子石街道彩云社区", to: 9)) == 9)
        #expect(TextWidth.truncate("弹子石街道彩云社区", to: 8) == "弹子石~")
        #expect(TextWidth.pad("张晓芳", to: 8) == "张晓芳  ")
        #expect(TextWidth.of("é") == 1, "a combining sequence is one cell")
    }

    @Test func aWideCharacterNeverStraddlesTheLastColumn() {
        var g = Grid(width: 5, height: 1)
        g.write("张晓芳", x: 0, y: 0)
        #expect(g.line(0) == "张晓")
        #expect(g[4, 0].text == " ")
        expectAligned(g)
        var h = Grid(width: 6, height: 1)
        h.write("ab张晓", x: 0, y: 0)
        h.write("X", x: 3, y: 0)  // overwrite the right half of 张
        #expect(h.line(0) == "ab X晓")
        expectAligned(h)
    }

    @Test func controlCharactersCannotMoveTheCursor() {
        var g = Grid(width: 10, height: 1)
        g.write("a\u{1b}[2Jb\u{9b}2J\u{7f}", x: 0, y: 0)
        #expect(!g.line(0).contains("\u{1b}") && !g.line(0).contains("\u{9b}") && !g.line(0).contains("\u{7f}"), "C0, C1 and DEL: \(g.line(0))")
    }
}

@Suite struct TextEditingTests {
    init() { _ = localeReady }

    @Test func editingChineseMovesByCharacters() {
        var f = TextField()
        f.insert("张晓芳")
        #expect(f.cursor == 3 && f.cursorColumn == 6)
        f.moveLeft()
        f.insert("小")
        #expect(f.text == "张晓小芳")
        f.backspace()
        #expect(f.text == "张晓芳")
        f.moveHome()
        f.deleteForward()
        #expect(f.text == "晓芳" && f.cursor == 0)
        f.moveEnd()
        f.handle(.char("a"))
        #expect(f.text == "晓芳a" && f.cursorColumn == 5)
        f.handle(.ctrl("u"))
        #expect(f.text.isEmpty)
    }

    @Test func longTextScrollsToKeepTheCursorVisibleWithoutSplittingCharacters() {
        var f = TextField()
        f.insert("老人独居，子女在外地务工，需要每周电话关怀 and weekly visits")
        var g = Grid(width: 20, height: 1)
        let x = f.render(into: &g, rect: Rect(x: 0, y: 0, width: 20, height: 1), role: .input)
        #expect(x < 20)
        #expect(g.line(0).hasSuffix("weekly visits"))
        expectAligned(g)
        f.moveHome()
        let x0 = f.render(into: &g, rect: Rect(x: 0, y: 0, width: 20, height: 1), role: .input)
        #expect(x0 == 0 && g.line(0).hasPrefix("老人独居"))
        for _ in 0..<9 { f.moveRight() }
        let x9 = f.render(into: &g, rect: Rect(x: 0, y: 0, width: 20, height: 1), role: .input)
        #expect(x9 <= 19)
        expectAligned(g)
    }

    @Test func pastingAParagraphAndEditingATextArea() {
        var a = TextArea()
        a.insert("第一行：老人精神很好\n第二行：需要适老化改造")
        #expect(a.lines.count == 2)
        a.move(.up)
        a.move(.end)
        a.backspace()
        #expect(a.text == "第一行：老人精神很\n第二行：需要适老化改造")
        a.move(.down)
        a.move(.home)
        a.backspace()
        #expect(a.text == "第一行：老人精神很第二行：需要适老化改造")
        var f = TextField()
        f.insert("粘贴\n多行\t文本")
        #expect(f.text == "粘贴 多行 文本")
    }

    @Test func aLongChineseParagraphWrapsByDisplayWidthInsideItsBox() {
        _ = localeReady
        var a = TextArea()
        a.insert("服务策略:链接社区医生上门随访,协调志愿者每周陪伴两次")   // 27 wide characters, one line
        let pieces = a.wrapped(width: 10)
        #expect(pieces.count > 3 && pieces.allSatisfy { p in TextWidth.of(String(a.lines[0][p.start..<p.end])) <= 10 }, "\(pieces)")
        var g = Grid(width: 20, height: 4)
        let cursor = a.render(into: &g, rect: Rect(x: 2, y: 0, width: 11, height: 3), role: .input)
        let rows = (0..<3).map { g.line($0) }
        // The box shows the rows around the cursor, which is after the last character.
        #expect(cursor.y == 2 && rows[2].contains("两次") && cursor.x == 2 + TextWidth.of("两次"), "\(rows) \(cursor)")
        #expect(rows.allSatisfy { TextWidth.of($0.dropFirst(2)) <= 10 })
        a.move(.home)
        var top = Grid(width: 20, height: 4)
        let home = a.render(into: &top, rect: Rect(x: 2, y: 0, width: 11, height: 3), role: .input)
        #expect(top.line(0).hasPrefix("  服务策略") && home == (2, 0), "\(top.line(0))")
        expectAligned(g)
    }
}

@Suite struct WidgetGoldenTests {
    init() { _ = localeReady }

    let people: [[String]] = [
        ["P-1", "张晓芳", "弹子石街道彩云社区", "高风险", "老人独居，子女在外地务工 (lives alone), weekly phone call"],
        ["P-22", "Li Guilan", "新力社区", "重点", "Needs 适老化改造 in the bathroom"],
        ["P-333", "欧阳秀英", "弹子石社区", "一般", "2026-11-21 visit OK"],
    ]

    func sampleScreen(width: Int, height: Int) -> Grid {
        var g = Grid(width: width, height: height)
        g.write("弹子石街道社工站 · 张晓芳 (社工)", x: 0, y: 0, role: .title)
        TabBar.render(into: &g, rect: Rect(x: 0, y: 1, width: width, height: 1),
                      tabs: ["我的一天", "走访", "服务对象", "个案", "小组活动", "志愿者", "督导审阅", "统计报表"].enumerated()
                        .map { (Character(String($0.offset + 1)), $0.element) }, active: 2)
        var table = TableView(columns: [Column("ID", width: 6), Column("姓名", width: 10), Column("社区", width: 14),
                                        Column("等级", width: 6), Column("备注")])
        table.setRowCount(people.count)
        table.select(1)
        table.render(into: &g, rect: Rect(x: 0, y: 2, width: width, height: 6)) { people[$0] }
        var group = ChoiceList(["老友会客厅——高龄老人互助支持小组", "快乐童年——困境儿童成长小组"], selected: 0)
        _ = group.handle(.down)
        group.render(into: &g, rect: Rect(x: 2, y: 9, width: min(30, width - 4), height: 2), focused: true)
        var check = CheckList(items: ["P-1 张晓芳", "P-22 Li Guilan"], stateLabels: ["出席", "缺席", "请假"])
        _ = check.handle(.down)
        _ = check.handle(.char(" "))
        check.render(into: &g, rect: Rect(x: 2, y: 12, width: min(30, width - 4), height: 2), focused: true)
        StatusBar.render(into: &g, rect: Rect(x: 0, y: height - 1, width: width, height: 1), message: "已保存: 走访记录 V-12",
                         hints: [("/", "筛选"), ("n", "新建"), ("?", "帮助"), ("q", "退出")])
        return g
    }

    @Test(arguments: [(80, 24), (120, 40), (60, 24)])
    func sampleScreenAtEachSize(width: Int, height: Int) {
        let g = sampleScreen(width: width, height: height)
        expectAligned(g)
        expectGolden("sample-\(width)x\(height)", g.text)
        #expect(g.role(atLine: 4, containing: "Li Guilan") == .selection, "the selected row is highlighted")
        #expect(g.text.contains("张晓芳"))
    }

    @Test func dialogsHelpPaletteAndTooSmall() {
        var g = Grid(width: 80, height: 24)
        Dialog.render(into: &g, title: "离开表单", lines: ["放弃未保存的修改?这条走访记录写着：老人独居，子女在外地务工，需要每周电话关怀。"],
                      buttons: ["y 是", "n 否"])
        expectAligned(g)
        expectGolden("dialog-80x24", g.text)

        var h = Grid(width: 80, height: 24)
        HelpOverlay.render(into: &h, title: "帮助 · 按键", entries: [ActionEntry(id: "visit.new", keys: "n", label: "新建走访记录"),
                                                                   ActionEntry(id: "quit", keys: "q", label: "退出"),
                                                                   ActionEntry(id: "save", keys: "Ctrl-S", label: "保存", enabled: false)],
                           footer: "按 Esc 或 ? 关闭")
        expectAligned(h)
        expectGolden("help-80x24", h.text)

        var p = Palette()
        p.field.insert("走访")
        p.update(entries: [ActionEntry(id: "visit.new", keys: "n", label: "新建走访记录"), ActionEntry(id: "quit", keys: "q", label: "退出")])
        var pg = Grid(width: 80, height: 24)
        let cursor = p.render(into: &pg, title: "命令")
        #expect(p.matches.map(\.id) == ["visit.new"])
        #expect(pg[cursor.x - 1, cursor.y].isContinuation, "the cursor sits right after 访")
        expectAligned(pg)

        var small = Grid(width: 40, height: 10)
        TooSmall.render(into: &small, message: "终端太小:至少需要 80×24,请放大窗口 (40×10)")
        #expect(small.text.contains("终端太小"))
        expectAligned(small)
    }

    @Test func tableNavigationScrollsAndSorts() {
        var t = TableView(columns: [Column("姓名")])
        t.setRowCount(100)
        var g = Grid(width: 20, height: 6)
        let paged = t.handle(.pageDown, pageSize: 5)
        #expect(paged)
        t.render(into: &g, rect: g.bounds) { ["服务对象\($0)"] }
        #expect(g.text.contains("服务对象5"))
        _ = t.handle(.end, pageSize: 5)
        t.render(into: &g, rect: g.bounds) { ["服务对象\($0)"] }
        #expect(g.line(5).hasPrefix("服务对象99"))
        t.cycleSort()
        t.render(into: &g, rect: g.bounds) { ["服务对象\($0)"] }
        #expect(g.line(0).contains("姓名 ^"))
    }
}

@Suite struct ThemeTests {
    @Test func shippedThemesLoadAndWorkAtEveryDepth() throws {
        for name in ["default", "light", "high-contrast", "mono"] {
            let theme = try Theme.load(path: packageRoot + "/themes/\(name).yaml")
            for depth in [ColorDepth.truecolor, .c256, .c16, .c8, .mono] {
                let r = theme.resolve(depth: depth)
                for role in StyleRole.allCases {
                    let s = r.style(role)
                    switch depth {
                    case .mono: #expect(s.fg == -1 && s.bg == -1 && s.attributes.isSubset(of: [.bold, .reverse, .underline]))
                    case .c8: #expect(s.fg < 8 && s.bg < 8, "\(name) \(role) at 8 colours")
                    case .c16: #expect(s.fg < 16 && s.bg < 16)
                    case .c256: #expect(s.fg < 256 && s.bg < 256)
                    case .truecolor: break
                    }
                }
                #expect(r.style(.selection) != r.style(.normal), "\(name): the selection must stand out at \(depth)")
            }
        }
    }

    @Test func fallbackChainsPickTheFirstColourTheTerminalHas() throws {
        let theme = try Theme.parse("""
        name: t
        roles:
          selection: { fg: ["#000000", 16, black], bg: ["#5fafd7", 74, bright-cyan, cyan], mono: [reverse] }
        """, file: "t.yaml")
        #expect(theme.resolve(depth: .truecolor).style(.selection).bg == 0x5FAFD7)
        #expect(theme.resolve(depth: .c256).style(.selection).bg == 74)
        #expect(theme.resolve(depth: .c16).style(.selection).bg == 14)
        #expect(theme.resolve(depth: .c8).style(.selection).bg == 6)
        #expect(theme.resolve(depth: .mono).style(.selection).attributes == [.reverse])
        #expect(ColorDepth.detect(colors: 256, noColor: true) == .mono, "NO_COLOR forces monochrome")
        #expect(ColorDepth.detect(colors: 8, noColor: false) == .c8)
        #expect(ColorDepth.detect(colors: 0, noColor: false) == .mono, "vt100 has no colour")
    }

    @Test func aBadThemeNamesFileLineAndKeyAndTheDefaultIsUsed() throws {
        let dir = TempDir()
        try """
        name: broken
        roles:
          normal: { fg: white, bg: black }
          selection: { fg: ["#000000", purpleish], bg: cyan }
        """.write(toFile: dir.file("broken.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: packageRoot + "/themes/default.yaml", toPath: dir.file("default.yaml"))
        let (theme, error) = ThemeLoader.load(name: "broken", directories: [dir.path])
        #expect(error?.line == 4 && error?.key == "selection.fg", "\(String(describing: error))")
        #expect(error?.description.contains("broken.yaml:4: selection.fg") == true)
        #expect(theme.name == "default")
        #expect(throws: ThemeError.self) { try Theme.parse("roles: [unclosed", file: "x.yaml") }
        #expect(throws: ThemeError.self) { try Theme.parse("roles:\n  nonsense: { fg: red }\n", file: "x.yaml") }
    }

    @Test func aThemeIsANameNotAPathAndOnlyARegularFileOfSaneSizeIsRead() throws {
        let dir = TempDir()
        #expect(mkfifo(dir.file("fifo.yaml"), 0o600) == 0)
        let (fromFIFO, fifoError) = ThemeLoader.load(name: "fifo", directories: [dir.path])  // would block forever if opened for reading
        #expect(fromFIFO.name == "built-in" && fifoError?.reason == "not a regular file", "\(String(describing: fifoError))")
        for name in ["../etc/passwd", "/etc/passwd", "a/b", "", "默认"] {
            let (theme, error) = ThemeLoader.load(name: name, directories: [dir.path])
            #expect(theme.name == "built-in" && error?.reason.contains("letters, digits") == true, "\(name)")
        }
        try String(repeating: "# padding\n", count: 30_000).write(toFile: dir.file("big.yaml"), atomically: true, encoding: .utf8)
        #expect(ThemeLoader.load(name: "big", directories: [dir.path]).1?.reason == "larger than 256 KiB")
    }
}

@Suite struct TabBarTests {
    init() { _ = localeReady }
    let tabs: [(key: Character, title: String)] = ["我的一天", "走访", "服务对象", "个案", "小组活动", "志愿者", "督导审阅", "统计报表", "项目", "基金"]
        .enumerated().map { (Character(String(($0.offset + 1) % 10)), $0.element) }

    func line(active: Int, width: Int = 80) -> String {
        var g = Grid(width: width, height: 1)
        TabBar.render(into: &g, rect: Rect(x: 0, y: 0, width: width, height: 1), tabs: tabs, active: active)
        return g.line(0)
    }

    @Test func theActiveTabIsAlwaysShownAndHiddenTabsAreMarked() {
        #expect(line(active: 0).hasPrefix("1 我的一天") && line(active: 0).hasSuffix("›"), "\(line(active: 0))")
        let last = line(active: 9)
        #expect(last.hasPrefix("‹ ") && last.contains("0 基金") && !last.contains("1 我的一天"), "\(last)")
        #expect(!line(active: 4, width: 160).contains("‹") && !line(active: 4, width: 160).contains("›"), "all fit: no marks")
        for active in tabs.indices { #expect(line(active: active).contains("\(tabs[active].key) \(tabs[active].title)")) }
    }
}
