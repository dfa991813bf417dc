//! Password rules and bcrypt (cost 12), always on a blocking thread so the runtime keeps serving.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Semaphore;

use super::AccountError;

/// bcrypt cost; ~230 ms per hash on the reference machine.
pub const BCRYPT_COST: u32 = 12;
/// Shortest password accepted.
pub const MIN_LEN: usize = 8;
/// bcrypt reads at most 72 bytes; longer passwords would be silently truncated, so they are refused.
pub const MAX_BYTES: usize = 72;

/// Checks the password rules.
pub fn validate(password: &str) -> Result<(), AccountError> {
    if password.chars().count() < MIN_LEN {
        return Err(AccountError::WeakPassword(format!(
            "must be at least {MIN_LEN} characters"
        )));
    }
    if password.len() > MAX_BYTES {
        return Err(AccountError::WeakPassword(format!("must be at most {MAX_BYTES} bytes")));
    }
    Ok(())
}

/// Hashes a password with bcrypt on a blocking thread.
pub async fn hash(password: String) -> Result<String, AccountError> {
    tokio::task::spawn_blocking(move || bcrypt::hash(password, BCRYPT_COST))
        .await
        .map_err(|e| AccountError::Internal(e.to_string()))?
        .map_err(|e| AccountError::Internal(e.to_string()))
}

/// Checks waiting for a core beyond which a new one is refused (429) rather than queued: a flood of wrong
/// passwords from many addresses, each within its own limit, then costs the real user a retry, not 10 seconds.
const MAX_WAITING: usize = 16;

/// The password checks in progress: one runs per core (bcrypt takes a core for ~0.25 s, so more at once only
/// makes every login slower), and only so many wait.
pub struct Checks {
    running: Semaphore,
    waiting: AtomicUsize,
}

impl Default for Checks {
    fn default() -> Self {
        Self {
            running: Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)),
            waiting: AtomicUsize::new(0),
        }
    }
}

impl Checks {
    /// Checks a password against a bcrypt hash on a blocking thread. A malformed hash never matches. Refused
    /// with [`AccountError::RateLimited`] when too many checks are already waiting.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, AccountError> {
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= MAX_WAITING {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(AccountError::RateLimited(Duration::from_secs(1)));
        }
        let permit = self.running.acquire().await;
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        let matches = tokio::task::spawn_blocking(move || bcrypt::verify(password, &hash).unwrap_or(false))
            .await
            .unwrap_or(false);
        drop(permit);
        Ok(matches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_bcrypt_cost_12_and_verify() {
        let hashed = hash("a fine password".to_owned()).await.unwrap();
        assert!(hashed.starts_with("$2b$12$"), "{hashed}");
        let checks = Checks::default();
        assert!(
            checks
                .verify("a fine password".to_owned(), hashed.clone())
                .await
                .unwrap()
        );
        assert!(!checks.verify("a wrong password".to_owned(), hashed).await.unwrap());
        assert!(!checks.verify("x".to_owned(), "not a hash".to_owned()).await.unwrap());
    }

    #[tokio::test]
    async fn checks_beyond_the_waiting_room_are_refused_at_once() {
        let hashed = bcrypt::hash("a fine password", 4).unwrap();
        let checks = Checks::default();
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        let attempts = (0..cores + MAX_WAITING + 10).map(|_| checks.verify("a fine password".into(), hashed.clone()));
        let results = futures_util::future::join_all(attempts).await;
        let refused = results
            .iter()
            .filter(|r| matches!(r, Err(AccountError::RateLimited(_))))
            .count();
        assert_eq!(
            refused, 10,
            "the cores' worth run, {MAX_WAITING} wait, the rest are refused"
        );
        assert!(results.iter().filter_map(|r| r.as_ref().ok()).all(|matched| *matched));
        // The room empties: a later check runs.
        assert!(checks.verify("a fine password".into(), hashed).await.unwrap());
    }

    #[test]
    fn rules() {
        assert!(validate("1234567").is_err());
        assert!(validate("12345678").is_ok());
        assert!(validate(&"é".repeat(37)).is_err(), "74 bytes is over bcrypt's 72");
    }
}
