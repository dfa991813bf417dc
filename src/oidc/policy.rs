//! The account rules of single sign-on, as pure functions of a provider's configuration and the [`Person`] it
//! vouched for: who may get a new account, who is an admin, and what a new account is called. Identity is
//! always `(issuer, subject)`; an email address never picks an account.

use super::claims::Person;
use crate::config::{AccountPolicy, ProviderConfig};

/// Why an unlinked person gets no account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// `link-only`: they must link an existing account or come with an invite.
    NotLinked,
    /// Their email address is not verified (and `allowed_email_domains` needs one).
    EmailUnverified,
    /// Their email domain is not in `allowed_email_domains`.
    EmailDomain,
    /// They are in none of `allowed_groups`.
    NotInGroup,
}

/// Whether `person`, not linked to any account and without an invite, may have one created.
pub fn may_create(config: &ProviderConfig, person: &Person) -> Result<(), Refusal> {
    if config.policy != AccountPolicy::AutoCreate {
        return Err(Refusal::NotLinked);
    }
    if !config.allowed_email_domains.is_empty() {
        let email = person.email.as_deref().filter(|_| person.email_verified == Some(true));
        let Some(email) = email else {
            return Err(Refusal::EmailUnverified);
        };
        let domain = email
            .rsplit_once('@')
            .map(|(_, d)| d.to_ascii_lowercase())
            .unwrap_or_default();
        if !config
            .allowed_email_domains
            .iter()
            .any(|d| d.eq_ignore_ascii_case(&domain))
        {
            return Err(Refusal::EmailDomain);
        }
    }
    if !config.allowed_groups.is_empty() && !config.allowed_groups.iter().any(|g| person.groups.contains(g)) {
        return Err(Refusal::NotInGroup);
    }
    Ok(())
}

/// `Some(true)` if `person` is in one of the provider's admin groups, `Some(false)` if not, `None` when the
/// provider has no admin groups (admin rights are then left alone).
pub fn admin_from_groups(config: &ProviderConfig, person: &Person) -> Option<bool> {
    if config.admin_groups.is_empty() {
        return None;
    }
    Some(config.admin_groups.iter().any(|g| person.groups.contains(g)))
}

/// The username a new account starts from: the preferred username, else the email's local part, else the name,
/// reduced to what usernames allow (`a`–`z`, digits, `_`, `.`, 2 to 32 characters). Never empty.
pub fn username_base(person: &Person) -> String {
    let sources = [
        person.preferred_username.as_deref(),
        person.email.as_deref().and_then(|e| e.split('@').next()),
        person.name.as_deref(),
    ];
    for source in sources.into_iter().flatten() {
        let mut name = String::new();
        for c in source.trim().to_lowercase().chars() {
            let c = match c {
                'a'..='z' | '0'..='9' | '_' => c,
                '.' if !name.ends_with('.') => '.',
                ' ' | '-' => '_',
                _ => continue,
            };
            name.push(c);
        }
        let name: String = name.trim_matches('.').chars().take(28).collect();
        if name.chars().count() >= 2 {
            return name;
        }
    }
    "user".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(email: Option<&str>, verified: Option<bool>, groups: &[&str]) -> Person {
        Person {
            issuer: "https://idp".into(),
            subject: "s".into(),
            email: email.map(str::to_owned),
            email_verified: verified,
            groups: groups.iter().map(|g| g.to_string()).collect(),
            groups_stated: true,
            ..Person::default()
        }
    }

    fn provider(policy: AccountPolicy, domains: &[&str], groups: &[&str]) -> ProviderConfig {
        ProviderConfig {
            policy,
            allowed_email_domains: domains.iter().map(|d| d.to_string()).collect(),
            allowed_groups: groups.iter().map(|g| g.to_string()).collect(),
            admin_groups: vec!["admins".into()],
            ..ProviderConfig::default()
        }
    }

    #[test]
    fn link_only_never_creates() {
        let config = provider(AccountPolicy::LinkOnly, &[], &[]);
        assert_eq!(may_create(&config, &person(None, None, &[])), Err(Refusal::NotLinked));
    }

    #[test]
    fn auto_create_checks_verified_domains_and_groups() {
        let open = provider(AccountPolicy::AutoCreate, &[], &[]);
        assert_eq!(may_create(&open, &person(None, None, &[])), Ok(()));
        let domains = provider(AccountPolicy::AutoCreate, &["Example.org"], &[]);
        assert_eq!(
            may_create(&domains, &person(Some("a@example.ORG"), Some(true), &[])),
            Ok(())
        );
        assert_eq!(
            may_create(&domains, &person(Some("a@example.org"), Some(false), &[])),
            Err(Refusal::EmailUnverified)
        );
        assert_eq!(
            may_create(&domains, &person(Some("a@example.org"), None, &[])),
            Err(Refusal::EmailUnverified)
        );
        assert_eq!(
            may_create(&domains, &person(Some("a@evil.example.org.net"), Some(true), &[])),
            Err(Refusal::EmailDomain)
        );
        assert_eq!(
            may_create(&domains, &person(Some("a@sub.example.org"), Some(true), &[])),
            Err(Refusal::EmailDomain),
            "a subdomain is another domain"
        );
        let groups = provider(AccountPolicy::AutoCreate, &[], &["friends"]);
        assert_eq!(may_create(&groups, &person(None, None, &["friends", "x"])), Ok(()));
        assert_eq!(
            may_create(&groups, &person(None, None, &["Friends"])),
            Err(Refusal::NotInGroup)
        );
    }

    #[test]
    fn admin_groups() {
        let config = provider(AccountPolicy::LinkOnly, &[], &[]);
        assert_eq!(admin_from_groups(&config, &person(None, None, &["admins"])), Some(true));
        assert_eq!(admin_from_groups(&config, &person(None, None, &["users"])), Some(false));
        assert_eq!(
            admin_from_groups(&ProviderConfig::default(), &person(None, None, &["admins"])),
            None
        );
    }

    #[test]
    fn usernames_from_claims() {
        let mut p = Person {
            preferred_username: Some("Ann-Marie Smith".into()),
            ..Person::default()
        };
        assert_eq!(username_base(&p), "ann_marie_smith");
        p.preferred_username = Some("日本".into());
        p.email = Some("j.doe..x@example.org".into());
        assert_eq!(username_base(&p), "j.doe.x");
        p.email = None;
        assert_eq!(username_base(&p), "user");
    }
}
