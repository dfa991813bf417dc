//! Username rules, as Discord's current ones: 2–32 characters of lowercase letters, digits, `_` and `.`,
//! without two dots in a row. Names are stored lowercased, so `Ann` and `ann` are one account.

use super::AccountError;

/// Normalises and checks a username; returns the stored form.
pub fn normalize(raw: &str) -> Result<String, AccountError> {
    let name = raw.trim().to_lowercase();
    let bad = |why: &str| Err(AccountError::InvalidUsername(why.to_owned()));
    if name.chars().count() < 2 || name.chars().count() > 32 {
        return bad("must be 2 to 32 characters");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
    {
        return bad("may contain only letters a–z, digits, `_` and `.`");
    }
    if name.contains("..") {
        return bad("may not contain two dots in a row");
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn rules() {
        assert_eq!(normalize(" Ann.B_2 ").unwrap(), "ann.b_2");
        for bad in ["a", "", "has space", "émile", "a..b", &"x".repeat(33), "semi;colon"] {
            assert!(normalize(bad).is_err(), "{bad}");
        }
    }
}
