//! What kind of bytes a file is: gzip or plain (by its magic number, so a `.csv` name, `-`
//! or an HTTP body without `Content-Encoding` all work), and comma- or tab-separated (by
//! its header line).

use std::io::{self, BufRead, BufReader, Read};

/// Buffer of the reader the CSV parser reads from.
const BUFFER: usize = 1 << 16;

/// The file's text, decompressed when it was gzip, and its field delimiter.
pub struct Input {
    pub reader: Box<dyn Read + Send>,
    pub delimiter: u8,
}

/// Opens `raw`: gzip is recognised by its first two bytes, the delimiter by the header line
/// (a tab before any comma means tab-separated; Comtrade's bulk files are, its API files
/// are not). Reads the first buffer of the file. A gzip file that inflates to more than
/// `inflated_limit` bytes fails to read (an HTTP upload's cap holds for its inflated size).
pub fn open<R: Read + Send + 'static>(raw: R, inflated_limit: u64) -> io::Result<Input> {
    let mut raw = BufReader::with_capacity(BUFFER, raw);
    let gzipped = raw.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let mut text: BufReader<Box<dyn Read + Send>> = if gzipped {
        let inflated = flate2::bufread::MultiGzDecoder::new(raw);
        BufReader::with_capacity(
            BUFFER,
            Box::new(Limited {
                inner: inflated,
                left: inflated_limit,
            }),
        )
    } else {
        BufReader::with_capacity(BUFFER, Box::new(raw))
    };
    let delimiter = delimiter_of(text.fill_buf()?);
    Ok(Input {
        reader: Box::new(text),
        delimiter,
    })
}

/// Fails a read once more than `left` bytes went through.
struct Limited<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.left = self
            .left
            .checked_sub(n as u64)
            .ok_or_else(|| io::Error::other("the gzip file inflates to more than the upload limit allows"))?;
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

    #[test]
    fn gzip_is_recognised_by_its_magic_number() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"Year\tTrade Value (US$)\n2017\t5\n").unwrap();
        let gz = gz.finish().unwrap();
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
