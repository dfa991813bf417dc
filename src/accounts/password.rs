//! Password rules and bcrypt (cost 12), always on a blocking thread so the runtime keeps serving.

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

/// Checks a password against a bcrypt hash on a blocking thread. A malformed hash never matches.
pub async fn verify(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || bcrypt::verify(password, &hash).unwrap_or(false))
        .await
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_bcrypt_cost_12_and_verify() {
        let hashed = hash("a fine password".to_owned()).await.unwrap();
        assert!(hashed.starts_with("$2b$12$"), "{hashed}");
        assert!(verify("a fine password".to_owned(), hashed.clone()).await);
        assert!(!verify("a wrong password".to_owned(), hashed).await);
        assert!(!verify("x".to_owned(), "not a hash".to_owned()).await);
    }

    #[test]
    fn rules() {
        assert!(validate("1234567").is_err());
        assert!(validate("12345678").is_ok());
        assert!(validate(&"é".repeat(37)).is_err(), "74 bytes is over bcrypt's 72");
    }
}
