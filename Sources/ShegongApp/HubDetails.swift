import ShegongDomain
import ShegongTerminal

/// A project opened: where it stands, its money against what was approved, its milestones and
/// linked services, and its timeline. A fund opened: this year's statement and what each pool holds.
extension DetailBuilder {
    func project(_ id: String) -> Detail? {
        guard let p = state.hub.project(id), Policy.hub(for: viewer) == .full else { return nil }
        let zh = t.chinese
        func money(_ m: Money?) -> String { m.map { "¥" + $0.yuan } ?? "-" }
        var lines: [(String, StyleRole)] = [
            ("\(p.name)  [\(p.stage.label(chinese: zh))]  \(p.field.label(chinese: zh))", .title),
            ("\(zh ? "申报主体" : "Applicant"): \(p.applicant) (\(p.applicantKind.label(chinese: zh)))   "
                + "\(zh ? "资金来源" : "Source"): \(p.source.label(chinese: zh))\(p.funder.isEmpty ? "" : " · \(p.funder)")", .normal),
            ("\(zh ? "站点" : "Site"): \(state.site(p.site)?.name ?? p.site)   \(zh ? "录入" : "Entered by"): \(state.staffName(p.submittedBy))   "
                + "\(zh ? "申报日期" : "Applied"): \(p.appliedOn.iso)   \(zh ? "计划" : "Planned"): \(p.starts?.iso ?? "?") — \(p.ends?.iso ?? "?")", .normal),
            ("\(zh ? "申请" : "Asked"): \(money(p.budget))   \(zh ? "立项" : "Approved"): \(money(p.approved))"
                + (p.approvedBy.map { " (\(state.staffName($0)) \(p.approvedOn?.iso ?? ""))" } ?? ""), .normal),
            ("\(zh ? "已支出" : "Spent"): \(money(p.spent))   \(zh ? "基金资助" : "Granted"): \(money(p.granted))"
                + (p.approved == nil ? "" : "   \(zh ? "尚可支出" : "Left to spend"): \(money(p.remaining))"), .normal),
        ]
        if let reason = p.declineReason { lines.append(("\(zh ? "不予立项原因" : "Declined"): \(reason)", .warning)) }
        if let grade = p.grade { lines.append(("\(zh ? "结项评估" : "Closing grade"): \(Vocabularies.label(of: grade, chinese: zh)) \(p.closedOn?.iso ?? "")", .accent)) }
        if !p.milestones.isEmpty {
            lines.append(("", .normal))
            lines.append((zh ? "项目节点" : "Milestones", .header))
            for m in p.milestones {
                let late = m.done == nil && m.due < today
                lines.append(("\(m.done == nil ? "[ ]" : "[x]") \(m.due.iso)  \(m.text)\(m.done.map { zh ? "  完成于 \($0.iso)" : "  done \($0.iso)" } ?? (late ? (zh ? "  已逾期" : "  overdue") : ""))",
                              late ? .warning : .normal))
            }
        }
        if !p.links.isEmpty {
            lines.append(("", .normal))
            lines.append((zh ? "关联服务" : "Linked services", .header))
            for r in p.links {
                let name = state.group(r)?.name ?? state.activities.first { $0.id == r }.map { "\($0.name) \($0.day.iso)" } ?? r
                lines.append(("\(r)  \(name)", .normal))
            }
        }
        lines.append(("", .normal))
        lines.append((t[.timeline], .header))
        lines += timelineLines(newestFirst(p.offsets))
        return Detail(title: p.name, subject: id, lines: lines)
    }

    /// `subject` is a fund ("F-1") or a ledger row of it ("F-1/L-6"): both open the fund's statement
    /// for the year of `year`, with the row's entry marked.
    func fund(_ subject: String, year: Day) -> Detail? {
        let parts = subject.split(separator: "/").map(String.init)
        guard let position = state.hub.fundPosition(parts[0]), Policy.hub(for: viewer) == .full else { return nil }
        let zh = t.chinese
        let statement = state.hub.statement(of: position, from: Day(year: year.components.year, month: 1, day: 1), to: year)
        var lines: [(String, StyleRole)] = [
            (statement.fund.name + (statement.fund.name.hasSuffix(statement.fund.kind.zh) ? "" : "  \(statement.fund.kind.label(chinese: zh))")
                + "  \(statement.from.iso) — \(statement.to.iso)", .title),
        ]
        // Two figures a line: a line never wraps inside an amount at 80 columns.
        let heading = statement.heading(chinese: zh).map { "\($0.0) ¥\($0.1.yuan)" }
        lines += [(heading[0] + "   " + heading[1], .normal), (heading[2] + "   " + heading[3], .normal)]
        lines += [
            ("", .normal), (zh ? "各用途余额" : "By pool", .header),
        ]
        for p in statement.pools { lines.append(("\(p.pool.label(chinese: zh))  ¥\(p.balance.yuan)", .normal)) }
        lines.append(("", .normal))
        // Columns padded to their widest cell, amounts to the right, as the CLI prints them; the
        // receipt and reversal columns (the CLI and CSV have them) give way to fit a record view.
        let header = FundStatement.columns(chinese: zh)
        let rows = [Array(header.prefix(7)) + [header[8]]] + zip(statement.lines, statement.rows(chinese: zh)).map { line, row in
            let e = line.entry
            let note = e.reverses.map { (zh ? "冲 " : "undoes ") + $0 } ?? (e.reversedBy == nil ? "" : (zh ? "已冲正" : "reversed"))
            return Array(row.prefix(5)) + [e.pool.shortLabel(chinese: zh), TextWidth.truncate(row[6], to: 12)] + (note.isEmpty ? [] : [note])
        }
        let widths = (0..<8).map { c in rows.map { $0.count > c ? TextWidth.of($0[c]) : 0 }.max() ?? 0 }
        func text(_ row: [String]) -> String {
            zip(row, widths).enumerated().map { c, cell in TextWidth.pad(cell.0, to: cell.1, alignRight: c == 3 || c == 4) }.joined(separator: " ")
        }
        lines.append((text(rows[0]), .header))
        let marked = parts.count == 2 ? parts[1] : nil
        for (line, row) in zip(statement.lines, rows.dropFirst()) {
            lines.append((text(row), line.entry.id == marked ? .highlight : line.entry.kind == .reversal ? .dim : .normal))
        }
        return Detail(title: statement.fund.name, subject: subject, lines: lines)
    }
}
