/// Byte-level checks shared by the strict readers: UTF-8 validity, NUL bytes, and
/// turning a byte offset into a line and column only when an error needs one.
public enum TextScan {
    /// A problem found while scanning raw bytes.
    public struct Problem: Sendable, Equatable {
        public var offset: Int
        public var message: String
    }

    /// Finds the first NUL byte or invalid UTF-8 sequence, or returns nil. Hand-written
    /// (ASCII runs skipped a word at a time) because every input byte passes through it.
    public static func firstEncodingProblem(in bytes: UnsafeBufferPointer<UInt8>) -> Problem? {
        var index = 0
        let count = bytes.count
        while index < count {
            // Eight ASCII bytes at a time, none of them NUL: the common case.
            if index + 8 <= count {
                let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
                let hasHighBit = word & 0x8080_8080_8080_8080 != 0
                let hasZero = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0
                if !hasHighBit && !hasZero {
                    index += 8
                    continue
                }
            }
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == 0 { return Problem(offset: index, message: "NUL byte is not allowed") }
                index += 1
                continue
            }
            let length: Int
            var lowerBound: UInt8 = 0x80
            var upperBound: UInt8 = 0xBF
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                lowerBound = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                upperBound = 0x9F
            case 0xF0:
                length = 4
                lowerBound = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                upperBound = 0x8F
            default: return Problem(offset: index, message: "invalid UTF-8 byte 0x\(hex(byte))")
            }
            guard index + length <= count else {
                return Problem(offset: index, message: "truncated UTF-8 sequence")
            }
            let second = bytes[index + 1]
            guard second >= lowerBound && second <= upperBound else {
                return Problem(offset: index, message: "invalid UTF-8 sequence")
            }
            var continuation = index + 2
            while continuation < index + length {
                guard bytes[continuation] & 0xC0 == 0x80 else {
                    return Problem(offset: index, message: "invalid UTF-8 sequence")
                }
                continuation += 1
            }
            index += length
        }
        return nil
    }

    /// The 1-based line and character column of a byte offset. Line breaks are `\n`,
    /// `\r\n` and a lone `\r`, as YAML counts them.
    public static func mark(ofOffset offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Mark {
        marks(ofOffsets: [offset], in: bytes)[offset]!
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}

extension TextScan {
    /// Marks for many offsets in one pass over the text, for reporting many errors in a
    /// large file without rescanning it for each.
    public static func marks(ofOffsets offsets: [Int], in bytes: UnsafeBufferPointer<UInt8>) -> [Int: Mark] {
        let wanted = Set(offsets).sorted()
        var result: [Int: Mark] = [:]
        var line = 1
        var column = 1
        var index = 0
        // A leading byte order mark is invisible and libyaml gives it no column, so neither
        // do we: otherwise errors found here would be one column off from libyaml's on line 1.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { index = 3 }
        for target in wanted {
            let end = min(target, bytes.count)
            while index < end {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else if byte == UInt8(ascii: "\r") {
                    if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n") {
                        index += 1
                    }
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
                index += 1
            }
            result[target] = Mark(line: line, column: column)
        }
        return result
    }
}
