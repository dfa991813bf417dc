//! `spot healthcheck`: asks the server on this machine for `/healthz` (the container's HEALTHCHECK; also handy
//! in scripts). Succeeds only on a 200, which the server answers when its database does.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Runs `spot healthcheck`.
pub async fn run(config_path: &Path) -> anyhow::Result<()> {
    let config = super::load_config(config_path)?;
    let mut address = config.server.listen;
    if address.port() == 0 {
        bail!("server.listen has port 0 (chosen at start): there is no fixed port to ask");
    }
    if address.ip().is_unspecified() {
        address.set_ip(if address.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    let ask = async {
        let mut stream = tokio::net::TcpStream::connect(address).await?;
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .await?;
        let mut answer = Vec::new();
        stream.take(4096).read_to_end(&mut answer).await?;
        Ok::<_, std::io::Error>(answer)
    };
    let answer = tokio::time::timeout(Duration::from_secs(5), ask)
        .await
        .context("the server did not answer within 5 s")?
        .with_context(|| format!("cannot reach the server at {address}"))?;
    let status = String::from_utf8_lossy(&answer).lines().next().unwrap_or("").to_owned();
    if !status.starts_with("HTTP/1.1 200") {
        bail!("the server answered {status:?}");
    }
    println!("healthy");
    Ok(())
}
