//! Physical line numbers of CSV records.
//!
//! The `csv` crate's own line numbers are off by one after a CRLF header and skip blank lines
//! (measured with csv 1.3: in `a,b\r\n1,2\r\n\r\n3,4\r\n` the record `3,4` on line 4 is
//! reported on line 2), so every message would name the wrong line of a Windows file. A
//! record's byte offset is exact, though it may point at the line end before the record
//! (the `\n` of a CRLF, or blank lines): this reader notes where each `\r` and `\n` is, and a
//! record's line is one more than the number of `\n` before its first byte that is not a
//! line end.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::rc::Rc;

/// Positions of the newlines read but not yet passed by the parser.
#[derive(Default)]
struct Pending {
    /// Byte offsets of `\n`s and `\r`s, ascending, and whether it is a `\n`.
    ends: VecDeque<(u64, bool)>,
    /// Bytes read so far.
    read: u64,
}

/// Wraps the input and records newline offsets.
pub struct Counting<R> {
    inner: R,
    pending: Rc<RefCell<Pending>>,
}

/// Answers "which line does byte N start on", for N ascending.
pub struct Lines {
    pending: Rc<RefCell<Pending>>,
    passed: u64,
}

/// A reader that notes newlines, and its line index.
pub fn counting<R: Read>(inner: R) -> (Counting<R>, Lines) {
    let pending = Rc::new(RefCell::new(Pending::default()));
    (
        Counting {
            inner,
            pending: pending.clone(),
        },
        Lines { pending, passed: 0 },
    )
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut p = self.pending.borrow_mut();
        let start = p.read;
        for (i, b) in buf[..n]
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n' || **b == b'\r')
        {
            p.ends.push_back((start + i as u64, *b == b'\n'));
        }
        p.read += n as u64;
        Ok(n)
    }
}

impl Lines {
    /// The 1-based line of the record at byte `offset` (skipping the line ends it may point
    /// at); offsets must not go backwards.
    pub fn line_at(&mut self, mut offset: u64) -> u64 {
        let mut p = self.pending.borrow_mut();
        while let Some(&(at, newline)) = p.ends.front() {
            if at < offset {
            } else if at == offset {
                // A line end where the record is said to start: it comes before the record.
                offset += 1;
            } else {
                break;
            }
            self.passed += u64::from(newline);
            p.ends.pop_front();
        }
        self.passed + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str) -> Vec<u64> {
        let (reader, mut lines) = counting(text.as_bytes());
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let _ = csv.byte_headers().unwrap();
        let mut record = csv::ByteRecord::new();
        let mut out = Vec::new();
        while csv.read_byte_record(&mut record).unwrap() {
            out.push(lines.line_at(record.position().unwrap().byte()));
        }
        out
    }

    #[test]
    fn lf_crlf_blank_lines_and_quoted_newlines() {
        assert_eq!(lines_of("a,b\n1,2\n3,4\n5\n"), vec![2, 3, 4]);
        assert_eq!(lines_of("a,b\r\n1,2\r\n3,4\r\n5\r\n"), vec![2, 3, 4]);
        assert_eq!(lines_of("a,b\r\n1,2\r\n\r\n3,4\r\n5"), vec![2, 4, 5]);
        assert_eq!(lines_of("a,b\n1,\"x\ny\"\n5,6\n"), vec![2, 4]);
        assert_eq!(lines_of("\u{feff}a,b\n1,2\n"), vec![2]);
    }
}
