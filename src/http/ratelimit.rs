//! A per-client request rate limit: the generic cell rate algorithm (a token bucket that
//! refills continuously), `per_minute` requests a minute with bursts of up to `per_minute`.
//!
//! With Redis (`crate::shared`) the buckets live there, one per client for all server
//! processes, updated by one script on Redis's clock; when Redis is not answering, each
//! process limits with its own buckets.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use crate::shared::Shared;

/// Buckets kept before idle ones (full again) are dropped.
const PRUNE_ABOVE: usize = 10_000;

/// GCRA in Redis. KEYS[1]: the bucket; ARGV: interval and tolerance in µs. Returns
/// `{1, µs until the bucket is full again}` when the request may pass, `{0, µs to wait}`.
static GCRA: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local interval, tolerance = tonumber(ARGV[1]), tonumber(ARGV[2])
        local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or now), now)
        if tat - now > tolerance then return {0, tat - now - tolerance} end
        local next = tat + interval
        redis.call('SET', KEYS[1], next, 'PX', math.ceil((next - now) / 1000) + 1000)
        return {1, next - now}
        ",
    )
});

/// Request budgets by client: an API key's name, or a client address.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    /// Theoretical arrival time of the next request, per client.
    tat: Mutex<HashMap<String, Instant>>,
    shared: Option<Arc<Shared>>,
}

/// The budget left after a request was let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowed {
    pub limit: u32,
    pub remaining: u32,
}

impl RateLimiter {
    /// `per_minute` requests a minute per client; 0 lets everything through. With `shared`,
    /// the buckets are those of every process using the same Redis and prefix.
    pub fn new(per_minute: u32, shared: Option<Arc<Shared>>) -> Self {
        Self {
            per_minute,
            tat: Mutex::new(HashMap::new()),
            shared,
        }
    }

    /// Lets a request of `client` through, or says how long to wait.
    pub async fn check(&self, client: &str) -> Result<Allowed, Duration> {
        if self.per_minute == 0 {
            return Ok(Allowed { limit: 0, remaining: 0 });
        }
        let Some(shared) = &self.shared else {
            return self.check_here(client);
        };
        let (interval, tolerance) = self.steps();
        let micros = |d: Duration| i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
        let keys = [shared.key(&format!("rl:{client}"))];
        match shared
            .script::<(i64, i64)>(&GCRA, &keys, &[micros(interval), micros(tolerance)])
            .await
        {
            Some((1, full_in)) => Ok(self.allowed(Duration::from_micros(full_in.unsigned_abs()), interval)),
            Some((_, wait)) => Err(Duration::from_micros(wait.unsigned_abs())),
            None => self.check_here(client),
        }
    }

    /// Time between two requests, and how far ahead of it a burst may go.
    fn steps(&self) -> (Duration, Duration) {
        let interval = Duration::from_secs(60) / self.per_minute;
        (interval, Duration::from_secs(60) - interval)
    }

    /// The budget left when the bucket is full again in `full_in`.
    fn allowed(&self, full_in: Duration, interval: Duration) -> Allowed {
        let step = interval.as_nanos().max(1);
        let used = full_in.as_nanos().div_ceil(step);
        Allowed {
            limit: self.per_minute,
            remaining: self.per_minute.saturating_sub(u32::try_from(used).unwrap_or(u32::MAX)),
        }
    }

    /// [`check`](Self::check) with this process's buckets.
    fn check_here(&self, client: &str) -> Result<Allowed, Duration> {
        let (interval, tolerance) = self.steps();
        let now = Instant::now();
        let mut map = self.tat.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > PRUNE_ABOVE {
            map.retain(|_, tat| *tat > now);
        }
        let tat = map.get(client).copied().unwrap_or(now).max(now);
        let ahead = tat - now;
        if ahead > tolerance {
            return Err(ahead - tolerance);
        }
        let next = tat + interval;
        map.insert(client.to_owned(), next);
        Ok(self.allowed(next - now, interval))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_burst_of_the_limit_passes_then_waits() {
        let limiter = RateLimiter::new(5, None);
        for i in 0..5 {
            let allowed = limiter.check("a").await.expect("within the burst");
            assert_eq!(allowed.remaining, 4 - i);
        }
        let wait = limiter.check("a").await.expect_err("over the limit");
        assert!(
            wait > Duration::from_secs(11) && wait <= Duration::from_secs(12),
            "{wait:?}"
        );
        // Other clients have their own budget.
        assert!(limiter.check("b").await.is_ok());
    }
}
