//! The DNS step of the safe client: resolve a name, then hand reqwest only addresses that passed the policy.
//!
//! reqwest connects to exactly the addresses a resolver returns, so checking here (and not before the request,
//! with a second lookup later) leaves no gap for a name that answers differently the second time. A name with
//! any refused address is refused as a whole: a mix of public and private answers is a rebinding attempt or a
//! misconfiguration, and neither should be fetched.

use std::net::SocketAddr;
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::policy::Policy;

/// A resolver that refuses non-public answers.
pub(super) struct VettingResolver {
    pub(super) policy: Arc<Policy>,
}

/// The error a refused name fails with; found again by walking reqwest's error sources.
#[derive(Debug)]
pub(super) struct RefusedName(pub(super) String);

impl std::fmt::Display for RefusedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RefusedName {}

impl Resolve for VettingResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if found.is_empty() {
                return Err(Box::new(RefusedName(format!("{host} has no addresses"))) as _);
            }
            for addr in &found {
                if let Err(refused) = policy.check_addr(addr.ip()) {
                    return Err(Box::new(RefusedName(format!("{host} resolves to {refused}"))) as _);
                }
            }
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}
