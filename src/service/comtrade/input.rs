//! What kind of bytes a file is: gzip or plain (by its magic number, so a `.csv` name, `-`
//! or an HTTP body without `Content-Encoding` all work), and comma- or tab-separated (by
//! its header line).

use std::io::{self, BufReader, Read};

/// Buffer of the reader the CSV parser reads from.
const BUFFER: usize = 1 << 16;

/// The file's text, decompressed when it was gzip, and its field delimiter.
pub struct Input {
    pub reader: Box<dyn Read + Send>,
    pub delimiter: u8,
}

/// Opens `raw`: gzip is recognised by its first two bytes, the delimiter by the header line
/// (a tab before any comma means tab-separated; Comtrade's bulk files are, its API files
/// are not). Reads ahead until it has the first two bytes and the header line (or 64 KiB of
/// it), however the reader hands them out: a pipe or an HTTP body may give one byte first
/// (found by fuzzing: a gzip file whose first read returned one byte was read as text, and a
/// tab-separated file whose first read stopped before the first tab as comma-separated). A
/// gzip file that inflates to more than `inflated_limit` bytes fails to read (an HTTP
/// upload's cap holds for its inflated size).
pub fn open<R: Read + Send + 'static>(mut raw: R, inflated_limit: u64) -> io::Result<Input> {
    let magic = read_ahead(&mut raw, |head| head.len() >= 2)?;
    let gzipped = magic.starts_with(&[0x1f, 0x8b]);
    let raw = BufReader::with_capacity(BUFFER, io::Cursor::new(magic).chain(raw));
    let mut text: Box<dyn Read + Send> = if gzipped {
        Box::new(Limited {
            inner: flate2::bufread::MultiGzDecoder::new(raw),
            left: inflated_limit,
        })
    } else {
        Box::new(raw)
    };
    let head = read_ahead(&mut text, |head| head.len() >= BUFFER || head.contains(&b'\n'))?;
    let delimiter = delimiter_of(&head);
    Ok(Input {
        reader: Box::new(BufReader::with_capacity(BUFFER, io::Cursor::new(head).chain(text))),
        delimiter,
    })
}

/// The first bytes of `r`, read until `enough` says so or the input ends.
fn read_ahead(r: &mut impl Read, enough: impl Fn(&[u8]) -> bool) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !enough(&head) {
        match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(head)
}

/// Reads at most `left` bytes, then fails the read that asks for more while there is more.
/// The limit is exact, whatever the sizes of the reads (found by fuzzing: a read that
/// overshot the limit failed at once, so whether a file was refused for its size or for its
/// header depended on how its bytes arrived).
struct Limited<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            return match self.inner.read(&mut [0u8; 1])? {
                0 => Ok(0),
                _ => Err(io::Error::other(
                    "the gzip file inflates to more than the upload limit allows",
                )),
            };
        }
        let n = usize::try_from(self.left).unwrap_or(usize::MAX).min(buf.len());
        let n = self.inner.read(&mut buf[..n])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// `\t` when a tab comes before the first comma on the first line, else `,`.
pub fn delimiter_of(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    match (
        line.iter().position(|&b| b == b'\t'),
        line.iter().position(|&b| b == b','),
    ) {
        (Some(tab), Some(comma)) if tab < comma => b'\t',
        (Some(_), None) => b'\t',
        _ => b',',
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn read_all(input: Input) -> String {
        let mut s = String::new();
        let mut r = input.reader;
        r.read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn plain_comma_and_tab() {
        let input = open(io::Cursor::new(b"refYear,cmdCode\n2020,01\n".to_vec()), u64::MAX).unwrap();
        assert_eq!(input.delimiter, b',');
        assert_eq!(read_all(input), "refYear,cmdCode\n2020,01\n");
        let input = open(io::Cursor::new(b"refYear\tcmdDesc\n2020\ta, b\n".to_vec()), u64::MAX).unwrap();
        assert_eq!(input.delimiter, b'\t');
        // A comma inside a tab-separated file's text does not make it comma-separated.
        assert_eq!(delimiter_of(b"Year\tCommodity\n2020\tFish, frozen\n"), b'\t');
        assert_eq!(delimiter_of(b"Commodity,\"a\tb\"\n"), b',');
        assert_eq!(delimiter_of(b""), b',');
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    }

    /// Hands out one byte per read, as a pipe or a slow HTTP body may.
    struct OneByte(io::Cursor<Vec<u8>>);

    impl Read for OneByte {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(1);
            self.0.read(&mut buf[..n])
        }
    }

    /// Regression (found by `fuzz::comtrade::comtrade_file`): the magic number and the
    /// delimiter were taken from the first read alone, so a gzip file arriving one byte at a
    /// time was read as text ("the header row is not valid UTF-8") and a tab-separated one
    /// as comma-separated.
    #[test]
    fn detection_does_not_depend_on_the_size_of_reads() {
        let tsv = b"Year\tCommodity\n2020\tFish, frozen\n".to_vec();
        let gz = gzip(&tsv);
        for bytes in [tsv.clone(), gz] {
            let input = open(OneByte(io::Cursor::new(bytes)), u64::MAX).unwrap();
            assert_eq!(input.delimiter, b'\t');
            assert_eq!(read_all(input).as_bytes(), &tsv[..]);
        }
        let input = open(OneByte(io::Cursor::new(Vec::new())), u64::MAX).unwrap();
        assert_eq!((input.delimiter, read_all(input).as_str()), (b',', ""));
    }

    /// Regression (found by `fuzz::comtrade::comtrade_file`): a read that overshot the
    /// inflated-size limit failed at once, so a file was refused for its size or for its
    /// header depending on how its bytes arrived. The limit is now exact either way.
    #[test]
    fn the_inflated_limit_is_exact_whatever_the_reads() {
        let text = b"Year,Commodity\n2020,Fish\n".to_vec();
        let gz = gzip(&text);
        let read = |limit: u64, one_byte: bool| -> io::Result<Vec<u8>> {
            let raw = io::Cursor::new(gz.clone());
            let mut input = if one_byte {
                open(OneByte(raw), limit)?
            } else {
                open(raw, limit)?
            };
            let mut out = Vec::new();
            input.reader.read_to_end(&mut out)?;
            Ok(out)
        };
        for one_byte in [false, true] {
            assert_eq!(read(text.len() as u64, one_byte).unwrap(), text);
            let err = read(text.len() as u64 - 1, one_byte).unwrap_err();
            assert!(err.to_string().contains("inflates"), "{err}");
        }
    }

    #[test]
    fn gzip_is_recognised_by_its_magic_number() {
        let gz = gzip(b"Year\tTrade Value (US$)\n2017\t5\n");
        let input = open(io::Cursor::new(gz.clone()), u64::MAX).unwrap();
        assert_eq!(input.delimiter, b'\t');
        assert_eq!(read_all(input), "Year\tTrade Value (US$)\n2017\t5\n");
        // Inflating past the limit fails the read.
        let err = match open(io::Cursor::new(gz), 10) {
            Ok(mut input) => input.reader.read_to_end(&mut Vec::new()).unwrap_err(),
            Err(e) => e,
        };
        assert!(err.to_string().contains("inflates"), "{err}");
    }
}
