import ShegongDomain

/// The hub's record tables for `shegong export`: organisations, the talent pool, micro-wishes as
/// the station sees them, and wishes as a donor may see them (cards, nothing of the person).
extension Exporter {
    func hubTable(_ kind: String) -> Table? {
        let s = store.state
        let hub = s.hub
        func siteName(_ id: String) -> String { s.site(id)?.name ?? id }
        guard Policy.hub(for: viewer) > .none else { return ["organisations", "talent", "wishes", "wish-cards"].contains(kind) ? Table(columns: [], rows: []) : nil }
        switch kind {
        case "organisations":
            return Table(columns: ["id", "name", "kind", "field", "site", "leader", "members", "stage", "since", "support_hours"],
                         rows: hub.organisations.map { o in
                             [o.id, o.name, o.kind.zh, o.field.zh, siteName(o.site), o.leader, String(o.members), o.stage.zh,
                              o.steps.last?.day.iso ?? "", formatHours(o.supports.reduce(0) { $0 + $1.hours })]
                         })
        case "talent":
            return Table(columns: ["id", "name", "kind", "site", "account", "level", "certificate", "certified_on", "training_hours_12m",
                                   "supervision_received_12m", "supervision_given_12m", "continuing_education_due"],
                         rows: hub.talents.map { t in
                             let year = TalentYear(t, in: hub, to: today)
                             return [t.id, t.name, t.kind.zh, siteName(t.site), t.account, t.level?.zh ?? "", t.certificate,
                                     t.certifiedOn?.iso ?? "", formatHours(year.training), formatHours(year.received),
                                     formatHours(year.given), year.due ? "是" : "否"]
                         })
        case "wishes":
            return Table(columns: ["id", "person", "item", "value", "community", "stage", "claimed_by", "posted", "due", "fulfilled"],
                         rows: hub.wishes.compactMap { w in
                             guard Policy.wish(w, for: viewer, in: s) > .none else { return nil }
                             let person = wishPersonCell(w, for: viewer, in: s)
                             return [w.id, person, w.item, w.value.yuan, siteName(w.site), w.stage.zh, w.claimant,
                                     w.postedOn.iso, w.due?.iso ?? "", w.fulfilledOn?.iso ?? ""]
                         })
        case "wish-cards":
            // For donors: every open wish, as a card. Nothing here comes from the person's record.
            return Table(columns: ["id", "item", "text", "value", "community", "wanted_by", "stage"],
                         rows: hub.wishes.filter(\.isOpen).map { w in
                             let card = Policy.donorCard(w, in: s)
                             return [card.id, card.item, card.text, card.value.yuan, card.community, card.due?.iso ?? "", card.stage.zh]
                         })
        default:
            return nil
        }
    }
}
