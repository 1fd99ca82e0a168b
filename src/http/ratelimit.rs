//! A per-client request rate limit: the generic cell rate algorithm (a token bucket that
//! refills continuously), `per_minute` requests a minute with bursts of up to `per_minute`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Buckets kept before idle ones (full again) are dropped.
const PRUNE_ABOVE: usize = 10_000;

/// Request budgets by client: an API key's name, or a client address.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    /// Theoretical arrival time of the next request, per client.
    tat: Mutex<HashMap<String, Instant>>,
}

/// The budget left after a request was let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowed {
    pub limit: u32,
    pub remaining: u32,
}

impl RateLimiter {
    /// `per_minute` requests a minute per client; 0 lets everything through.
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            tat: Mutex::new(HashMap::new()),
        }
    }

    /// Lets a request of `client` through, or says how long to wait.
    pub fn check(&self, client: &str) -> Result<Allowed, Duration> {
        if self.per_minute == 0 {
            return Ok(Allowed { limit: 0, remaining: 0 });
        }
        let interval = Duration::from_secs(60) / self.per_minute;
        let tolerance = Duration::from_secs(60) - interval;
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
        let step = interval.as_nanos().max(1);
        let used = (next - now).as_nanos().div_ceil(step);
        Ok(Allowed {
            limit: self.per_minute,
            remaining: self.per_minute.saturating_sub(u32::try_from(used).unwrap_or(u32::MAX)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_the_limit_passes_then_waits() {
        let limiter = RateLimiter::new(5);
        for i in 0..5 {
            let allowed = limiter.check("a").expect("within the burst");
            assert_eq!(allowed.remaining, 4 - i);
        }
        let wait = limiter.check("a").expect_err("over the limit");
        assert!(
            wait > Duration::from_secs(11) && wait <= Duration::from_secs(12),
            "{wait:?}"
        );
        // Other clients have their own budget.
        assert!(limiter.check("b").is_ok());
    }
}
