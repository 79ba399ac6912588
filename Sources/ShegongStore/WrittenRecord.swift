import ShegongDomain

extension RecordCodec {
    /// Reads a line of exactly the shape `encode` writes (its members in their order, no space, no
    /// escapes in the envelope, a known type, no `from`) from its fixed places, for a replay: a
    /// million of them are read at each cold open, and the general reader's steps per member
    /// (a key read and matched, spaces skipped, separators checked) cost more than their values.
    /// Nil for any other shape, and wherever the general reader could answer differently; the
    /// caller then reads the line with it. The checksum has been checked.
    static func readWritten(_ line: UnsafeRawBufferPointer, interner: TextInterner?) -> Record? {
        let b = line.assumingMemoryBound(to: UInt8.self)
        // Everything up to the `,"crc":…}` that `checksumMatches` has read.
        guard b.count > crcSuffixLength else { return nil }
        var p = JSONParser(UnsafeBufferPointer(rebasing: b[0..<(b.count - crcSuffixLength)]))
        p.interner = interner?.table
        // Numbers are read by `int`, as the reader of members reads them.
        func int() -> Int? { (try? p.int()) ?? nil }

        guard p.skip(#"{"n":"#), let number = int(), number >= 1,
              p.skip(#","id":"#), let idText = p.plainString(), let id = EventID.canonical(idText),
              p.skip(#","type":"#), let typeName = p.plainString(), let known = EventType.named(typeName),
              p.skip(#","v":"#), let version = int(), version >= 1,
              p.skip(#","at":"#), let atText = p.plainString(), let at = Timestamp(isoBytes: atText, date: p.day(Timestamp.datePart(of: atText))),
              p.skip(#","actor":"#), let actorText = p.plainString() else { return nil }
        var subject = ""
        if p.skip(#","subj":"#) {
            guard let text = p.plainString() else { return nil }
            subject = String(decoding: text, as: UTF8.self)
        }
        var base: Int?
        if p.skip(#","base":"#) {
            guard let value = int() else { return nil }
            base = value
        }
        guard p.skip(#","body":"#) else { return nil }

        let type = known.type.rawValue
        var facts: BodyFacts?
        var body = JSON.object([])
        if let kind = BodyFacts.kind(of: known.type, version: version) {
            guard let read = BodyFacts.read(kind, &p) else { return nil }
            facts = read
        } else {
            guard let tree = try? p.value(skipping: known.unreadBodyKeys) else { return nil }
            body = tree
        }
        // The hash is the line's last member: nothing may follow it before the CRC.
        guard p.skip(#","prev":"#), let hash = p.plainString(), p.isAtEnd,
              let prev = ChainHash(hexBytes: UnsafeRawBufferPointer(hash)) else { return nil }
        return Record(number: number, prev: prev, facts: facts,
                      event: Event(id: id, type: type, version: version, at: at, actor: p.text(actorText),
                                   subject: subject, base: base, body: body),
                      known: known)
    }
}
