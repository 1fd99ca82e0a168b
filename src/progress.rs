//! Progress of a long import on stderr: an `indicatif` bar when stderr is a terminal, a plain
//! line every few seconds otherwise, and nothing at all for a file that loads quickly.

use std::io::{IsTerminal, Read};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Nothing is shown before this much time has passed.
const QUIET: Duration = Duration::from_secs(2);
/// Time between two plain lines when stderr is not a terminal.
const EVERY: Duration = Duration::from_secs(5);

/// Counts the bytes read through it (the compressed ones, for a `.gz` file).
pub struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R> CountingReader<R> {
    pub fn new(inner: R, count: Arc<AtomicU64>) -> Self {
        Self { inner, count }
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Shows how far an import has come.
pub struct ImportProgress {
    name: String,
    start: Instant,
    bytes: Arc<AtomicU64>,
    total_bytes: Option<u64>,
    terminal: bool,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    bar: Option<ProgressBar>,
    last_line: Option<Instant>,
}

impl ImportProgress {
    /// `bytes` counts what has been read of the input; `total_bytes` is its size when known.
    pub fn new(name: &str, bytes: Arc<AtomicU64>, total_bytes: Option<u64>) -> Self {
        Self {
            name: name.to_owned(),
            start: Instant::now(),
            bytes,
            total_bytes,
            terminal: std::io::stderr().is_terminal(),
            state: Mutex::new(State::default()),
        }
    }

    /// Called with the rows read so far.
    pub fn update(&self, rows: u64) {
        let elapsed = self.start.elapsed();
        if elapsed < QUIET {
            return;
        }
        let rate = rows as f64 / elapsed.as_secs_f64();
        let bytes = self.bytes.load(Ordering::Relaxed);
        let Ok(mut state) = self.state.lock() else { return };
        if self.terminal {
            let bar = state.bar.get_or_insert_with(|| self.new_bar());
            bar.set_position(bytes);
            bar.set_message(format!("{rows} rows, {rate:.0} rows/s"));
        } else if state.last_line.is_none_or(|t| t.elapsed() >= EVERY) {
            state.last_line = Some(Instant::now());
            let share = match self.total_bytes {
                Some(total) if total > 0 => format!(" ({:.0}% of the file)", 100.0 * bytes as f64 / total as f64),
                _ => String::new(),
            };
            eprintln!(
                "{}: {rows} rows read{share}, {rate:.0} rows/s, {:.0} s",
                self.name,
                elapsed.as_secs_f64()
            );
        }
    }

    fn new_bar(&self) -> ProgressBar {
        let bar = match self.total_bytes {
            Some(total) => ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            ),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bytes} read, {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        };
        let bar = bar.with_elapsed(self.start.elapsed());
        bar.set_prefix(self.name.clone());
        // Keeps the clock going while the last statement runs.
        bar.enable_steady_tick(Duration::from_millis(250));
        bar
    }

    /// Removes the bar, if one was shown.
    pub fn finish(&self) {
        if let Ok(mut state) = self.state.lock()
            && let Some(bar) = state.bar.take()
        {
            bar.finish_and_clear();
        }
    }
}
