//! Fuzz targets (issue 9, point 9) for the code that reads untrusted text before anything
//! else does: the Comtrade parser (header detection and line parsing), the cursor and node-id
//! decoders with the paging arguments, and the query-limits walker.
//!
//! `cargo-fuzz` needs a nightly toolchain and a second, instrumented build of the whole
//! dependency tree (sqlx, async-graphql, tokio…), which 2 shared cores cannot afford in CI;
//! these are `proptest` properties instead, run as ordinary unit tests:
//!
//! - `cargo test --lib fuzz::` runs each target for `TRADEGRAPH_FUZZ_CASES` cases (default
//!   256, a few seconds in all);
//! - `TRADEGRAPH_FUZZ_SECONDS=50 cargo test --lib fuzz::` keeps each target running rounds of
//!   fresh cases for 50 s (what `.ci/run` does);
//! - a panic is a failure (shrunk to a minimal input, saved in the target's
//!   `*.proptest-regressions` file beside it and replayed first on every later run: the
//!   committed corpus of failures); a case slower than [`SLOW`] is a failure too, and one that
//!   runs past [`HANG`] aborts the process after printing its input (a hang cannot be unwound).
//!
//! The seed corpus is real input: the Comtrade files of `tests/fixtures/comtrade/` and the
//! queries and ids of `tests/fixtures/fuzz/`, mutated by the strategies.

mod comtrade;
mod cursors;
mod limits;

use std::fmt::Debug;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestCaseResult, TestError, TestRunner};

/// A case slower than this fails (and is shrunk). Every target handles one input of at most a
/// few kilobytes, in well under a millisecond in a debug build; this leaves room for a
/// loaded machine.
const SLOW: Duration = Duration::from_secs(2);

/// A case still running after this is a hang: its input is printed and the process aborts.
const HANG: Duration = Duration::from_secs(30);

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// The case being run, watched from another thread.
#[derive(Default)]
struct Current {
    started: Option<Instant>,
    input: String,
}

/// Aborts the process when one case runs past [`HANG`].
struct Watchdog {
    current: Arc<Mutex<Current>>,
    done: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watchdog {
    fn start(target: &'static str) -> Self {
        let current = Arc::new(Mutex::new(Current::default()));
        let done = Arc::new(AtomicBool::new(false));
        let thread = {
            let (current, done) = (current.clone(), done.clone());
            std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(100));
                    let c = current.lock().unwrap_or_else(|e| e.into_inner());
                    if c.started.is_some_and(|t| t.elapsed() > HANG) {
                        eprintln!(
                            "fuzz {target}: a case ran for more than {HANG:?} (a hang); input: {}",
                            c.input
                        );
                        std::process::abort();
                    }
                }
            })
        };
        Self {
            current,
            done,
            thread: Some(thread),
        }
    }

    fn enter(&self, input: &dyn Debug) {
        let mut c = self.current.lock().unwrap_or_else(|e| e.into_inner());
        c.input = format!("{input:?}");
        c.started = Some(Instant::now());
    }

    fn leave(&self) {
        self.current.lock().unwrap_or_else(|e| e.into_inner()).started = None;
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Runs the property `test` on inputs from `strategy`: one round of cases, or rounds for
/// `TRADEGRAPH_FUZZ_SECONDS`. `source` is the target's `file!()`, beside which its failures
/// are kept. Panics with the shrunk input on the first failure.
fn fuzz<S>(target: &'static str, source: &'static str, strategy: S, test: impl Fn(&S::Value) -> TestCaseResult)
where
    S: Strategy,
    S::Value: Debug,
{
    let config = Config {
        cases: env_u64("TRADEGRAPH_FUZZ_CASES").map_or(256, |n| n.clamp(1, u64::from(u32::MAX)) as u32),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        source_file: Some(source),
        // Shrinking stops after a minute: a failure is reported either way.
        max_shrink_time: 60_000,
        ..Config::default()
    };
    let budget = Duration::from_secs(env_u64("TRADEGRAPH_FUZZ_SECONDS").unwrap_or(0));
    let watchdog = Watchdog::start(target);
    let started = Instant::now();
    let mut cases = 0u64;
    loop {
        let mut runner = TestRunner::new(config.clone());
        let result = runner.run(&strategy, |input| {
            watchdog.enter(&input);
            let t = Instant::now();
            let result = test(&input);
            watchdog.leave();
            let took = t.elapsed();
            if took > SLOW {
                return Err(TestCaseError::fail(format!("took {took:?} (more than {SLOW:?})")));
            }
            result
        });
        cases += u64::from(config.cases);
        match result {
            Ok(()) => {}
            Err(TestError::Fail(why, input)) => panic!("fuzz {target}: {why}\nminimal input: {input:?}"),
            Err(TestError::Abort(why)) => panic!("fuzz {target}: aborted: {why}"),
        }
        if started.elapsed() >= budget {
            break;
        }
    }
    eprintln!(
        "fuzz {target}: {cases} cases in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
